"""Links made when a row is published: a copy to an original the archive already holds.

Runs in the row sink after deduplication, on rows about to be stored (never on published ones):

- a copy (a row crediting an ``original_url``) whose original is archived — published by an
  earlier run, or delivered earlier in this one — gets ``original_article_id``; when its text is
  the original's (``similarity.compare``: exact or near, same language) also ``duplicate_of``;
- copies link to originals, never the other way: a paper's own row is never made a
  ``duplicate_of`` of a national portal's copy that happened to be stored first.

An original crawled after its copy is linked by the alignment job (``baotinh align``), not by
rewriting the copy's published row.
"""

from __future__ import annotations

import logging
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

from baotinh import registry
from baotinh.alignment.credits import url_forms
from baotinh.alignment.similarity import compare, text_of
from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import Ledger
from baotinh.urls import article_id as article_id_of

logger = logging.getLogger(__name__)

REMEMBERED_ROWS = 5000  # texts of this run's own-paper rows kept for copies that follow
ARCHIVED = ("stored", "duplicate")


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


def _is_national(source_id: str | None) -> bool | None:
    source = registry.sources().get(source_id or "")
    return source.national if source is not None else None


class CopyLinker:
    """One per row sink; reads the ledger and published files of ``out_dir`` (never writes)."""

    def __init__(self, ledger: Ledger | None, out_dir: Path, remembered: int = REMEMBERED_ROWS):
        self.ledger = ledger
        self.layout = Layout.of(out_dir)
        self.remembered = remembered
        # This run's rows of papers (not copies): article_id -> (language, packed text).
        self._texts: OrderedDict[str, tuple[str | None, bytes]] = OrderedDict()
        self._urls: dict[str, str] = {}  # URL forms -> article_id, this run's papers' rows
        self._national: set[str] = set()  # article_ids of this run's national rows
        self.linked = 0
        self.duplicates = 0

    def link(self, row: dict[str, Any]) -> None:
        national = _is_national(row.get("source_id"))
        if national is False:
            if row.get("duplicate_of") and self._is_national_article(row["duplicate_of"]):
                row["duplicate_of"] = None  # an original never points at its copy
            self._remember(row)
            return
        if national:
            self._national.add(row["article_id"])
        original_url = row.get("original_url")
        if not original_url or row.get("original_article_id"):
            return
        original = self._archived(original_url)
        if original is None or original == row["article_id"]:
            return
        row["original_article_id"] = original
        self.linked += 1
        if row.get("duplicate_of") is None and not row.get("is_translation"):
            found = self._text(original)
            if found is not None and found[0] == row.get("language"):
                match, score = compare(text_of(row), found[1])
                if match != "different":
                    row["duplicate_of"] = original
                    self.duplicates += 1
                logger.debug("%s -> %s: %s (%.2f)", row.get("url"), original, match, score)

    # -- what the archive holds --------------------------------------------------------------

    def _remember(self, row: dict[str, Any]) -> None:
        article = row["article_id"]
        self._texts[article] = (row.get("language"), _pack(text_of(row)))
        self._texts.move_to_end(article)
        while len(self._texts) > self.remembered:
            self._texts.popitem(last=False)
        for key in ("url", "canonical_url", "discovered_url"):
            if isinstance(row.get(key), str):
                self._urls[row[key]] = article

    def _archived(self, url: str) -> str | None:
        """The article_id of the archived page ``url`` names, None when not archived."""
        for form in url_forms(url):
            if form in self._urls:
                return self._urls[form]
            if self.ledger is None:
                continue
            state = self.ledger.url_state(form)
            if state and state.get("status") in ARCHIVED and state.get("article_id"):
                return str(state["article_id"])
            candidate = article_id_of(form)
            if self.ledger.article(candidate) is not None:
                return candidate
        return None

    def _is_national_article(self, article: str) -> bool:
        if article in self._national:
            return True
        if article in self._texts or self.ledger is None:
            return False
        location = self.ledger.latest_location(article)
        if location is None or location[0] is None:
            return False
        source = registry.source_for_url(location[0])
        return bool(source is not None and source.national)

    def _text(self, article: str) -> tuple[str | None, str] | None:
        """(language, sapo + body) of an archived article: this run's, else its file's."""
        if article in self._texts:
            language, packed = self._texts[article]
            return language, zlib.decompress(packed).decode("utf-8")
        location = self.ledger.latest_location(article) if self.ledger is not None else None
        if location is None:
            return None
        import pyarrow.parquet as pq

        path = self.layout.root / location[1]
        try:
            table = pq.read_table(
                path,
                columns=["article_id", "language", "sapo", "body", "version"],
                filters=[("article_id", "=", article)],
            )
        except (OSError, ValueError) as exc:  # a file compacted away since: no link, no harm
            logger.debug("cannot read %s for %s: %s", path, article, exc)
            return None
        rows = sorted(table.to_pylist(), key=lambda r: r["version"])
        return (rows[-1]["language"], text_of(rows[-1])) if rows else None
