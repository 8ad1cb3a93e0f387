"""Alignment: one story's copies in every language, and each copy with the original it credits.

vietnam.vn republishes provincial articles (crediting the paper) and machine-translates them.

- ``keys``: ``translation_key`` (one key per story, from its path's slug) and ``is_translation``.
- ``credits``: the paper a copy credits, resolved through the registry (historic domains, aliases
  and names included) to its source, publisher and province.
- ``similarity``: when a copy's text is the original's (exact, or near: the threshold).
- ``linker``: at publication, a copy whose original is already archived gets
  ``original_article_id`` (and ``duplicate_of`` when the text matches); a published row is
  never rewritten to add a link.
- ``table``: the alignment job (``baotinh align``): ``<out>/alignments/alignments.parquet`` maps
  each key to its URL and article_id per language and to the original, whichever was crawled
  first.

``copy_columns`` gives the row columns extraction fills (``baotinh.article``).
"""

from __future__ import annotations

from baotinh.alignment.credits import Credit, credit_of
from baotinh.alignment.keys import copy_columns, story_slug, translation_key

__all__ = ["Credit", "copy_columns", "credit_of", "story_slug", "translation_key"]
