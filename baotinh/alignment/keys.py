"""``translation_key``: one key per story, shared by its versions in every language.

The key is the slug of the story's canonical path: percent-decoded, NFC, without host or
language prefix (``/de/<slug>`` and ``/<slug>`` give ``<slug>``), never rebuilt from the title.
A translation takes the slug of the Vietnamese version it declares (hreflang, its language
switcher), so a translation whose own slug was damaged by decomposed Unicode or carries a
suffix still shares its story's key; without such a declaration its own path gives the key.
Two stories never share one: a suffix that tells stories apart (``<slug>-1``) stays in the key.

Only sources whose editions are path prefixes of one site (vietnam.vn) have keys: elsewhere
the path says nothing about which pages are one story.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from baotinh.alignment.credits import credit_of
from baotinh.parsers.base import ParsedPage
from baotinh.registry import Source
from baotinh.text import nfc


def story_slug(url: str, source: Source) -> str | None:
    """The path of ``url`` without its language prefix: percent-decoded, NFC, no slashes at
    either end; None for a home page."""
    segments = [s for s in nfc(unquote(urlsplit(url).path)).split("/") if s]
    edition = source.edition_for(url)
    if edition is not None and edition.path_prefix is not None and segments:
        segments = segments[1:]
    return "/".join(segments) or None


def _main_version(source: Source, alternates: dict[str, str]) -> str | None:
    """The URL of the story's version in the source's own language, as the page declares it."""
    for language in (source.language, "x-default"):
        url = alternates.get(language)
        if not url or not source.owns(url):
            continue
        mapped = source.canonical_url(url)
        if source.language_of(mapped) == source.language and source.is_article_url(mapped):
            return mapped
    return None


def translation_key(
    canonical: str, alternates: dict[str, str], source: Source | None
) -> str | None:
    """The story key of a page whose (trusted, normalised) canonical URL is ``canonical``."""
    if source is None or not source.path_editions:
        return None
    if source.language_of(canonical) != source.language:
        main = _main_version(source, alternates)
        if main is not None:
            return story_slug(main, source)
    return story_slug(canonical, source)


def copy_columns(
    page: ParsedPage, canonical: str, language: str | None, source: Source | None
) -> dict[str, Any]:
    """The alignment columns of a row: its story key, whether it is a translation, and the
    original it credits (URL, name, registered paper and publisher)."""
    credit = credit_of(
        page.original_url,
        page.original_source_name,
        page.paragraphs[0] if page.paragraphs else None,
        source,
    )
    editions = source is not None and bool(source.editions)
    return {
        "translation_key": translation_key(canonical, page.alternates, source),
        "is_translation": bool(editions and language and language != source.language),
        "original_url": credit.url,
        "original_source_name": credit.name,
        "original_source_id": credit.source.id if credit.source else None,
        "original_publisher_id": credit.source.publisher_id if credit.source else None,
    }
