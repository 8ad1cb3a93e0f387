"""From a parsed page to an Article row: identity, normalisation and derived fields.

The spider builds its items with ``article_from_page``; the pipelines then apply
``baotinh.normalize`` and ``baotinh.enrich``, and ``baotinh extract`` runs the same three steps on
saved pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from baotinh.alignment import copy_columns
from baotinh.parsers.base import ParsedPage
from baotinh.registry import Source
from baotinh.schema import FIELDS
from baotinh.urls import article_id, is_homepage, normalize_url

LEGACY_ARTICLE_ID = "legacy_article_id"


def trusted_canonical(page_url: str, canonical: str | None, source: Source | None) -> str:
    """The page's canonical link when trustworthy, else the page URL (both normalised, and in
    the current form the registry knows: a moved section's or mirror's URL maps onto it, so one
    article has one id whichever of its URLs was fetched)."""
    return _canonical(page_url, canonical, source)[0]


def _canonical(page_url: str, canonical: str | None, source: Source | None) -> tuple[str, str]:
    """(the trusted canonical URL normalised, the same URL as the page wrote it)."""
    url = source.canonical_url(page_url) if source is not None else normalize_url(page_url)
    if not canonical:
        return url, page_url
    try:
        candidate = normalize_url(canonical)
    except ValueError:
        return url, page_url
    if source is not None:
        if source.language_of(candidate) != source.language_of(url):
            return url, page_url  # a canonical link into another language edition: a translation
        if source.trusts_canonical(candidate):
            return source.canonical_url(candidate), canonical
        return url, page_url
    # No registry entry (saved pages): same host, and not a homepage.
    same_host = candidate.split("/")[2] == url.split("/")[2]
    return (candidate, canonical) if same_host and not is_homepage(candidate) else (url, page_url)


def legacy_article_id(written: str, current: str) -> str | None:
    """The id the article had before URL identity was NFC (``urls.normalize_url``), when it
    differs: a published ``article_id`` never changes, so deduplication keeps that one for an
    article the dataset already holds under it."""
    try:
        legacy = article_id(written, nfc=False)
    except ValueError:
        return None
    return legacy if legacy != current else None


def _language(page: ParsedPage, url: str, source: Source | None) -> str | None:
    """A declared language edition (news.<paper> in English, vietnam.vn's /de/) decides; else
    what the page says; else the source's language."""
    if source is not None and source.edition_for(url) is not None:
        return source.language_of(url)
    return page.language or (source.language if source else None)


def article_from_page(
    page: ParsedPage,
    url: str,
    source: Source | None,
    crawled_at: datetime,
    first_seen_at: datetime | None = None,
    last_seen_at: datetime | None = None,
) -> dict[str, Any]:
    """All schema columns of one capture, before normalisation and enrichment."""
    canonical, written = _canonical(url, page.canonical_url, source)
    language = _language(page, url, source)
    row: dict[str, Any] = {f.name: None for f in FIELDS}
    identity = article_id(canonical)
    if legacy := legacy_article_id(written, identity):
        row[LEGACY_ARTICLE_ID] = legacy  # not a column: read by deduplication
    row.update(
        article_id=identity,
        url=normalize_url(url),
        canonical_url=canonical,
        source_id=source.id if source else "unregistered",
        source_name=source.name if source else "",
        publisher_id=source.publisher_id if source else "unregistered",
        province=source.province if source else "",
        language=language,
        content_type=page.content_type,
        title=page.title,
        sapo=page.sapo,
        body=page.body,
        authors=list(page.authors),
        published_at=page.published_at,
        published_precision=page.published_precision,
        modified_at=page.modified_at,
        category=page.category,
        tags=list(page.tags),
        images=[{"url": i.url, "caption": i.caption} for i in page.images],
        extractor=page.extractor,
        crawled_at=crawled_at,
        first_seen_at=first_seen_at or crawled_at,
        last_seen_at=last_seen_at or crawled_at,
        version=1,
    )
    row.update(copy_columns(page, canonical, language, source))
    return row
