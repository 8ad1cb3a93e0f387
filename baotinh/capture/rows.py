"""From a capture and its source to an Article row: the one extraction path.

Steps, in order: the page is decoded; the parser version valid at the *capture* time reads it
(an old capture is read with the markup of its time); its fields become a row (identity, trusted
canonical link, source facts, capture provenance); the row is normalised (NFC, whitespace,
boilerplate, UTC) and enriched (hash, word count, partitions, province at publication).
Deduplication needs the dataset's history and is added by ``baotinh.capture.process``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from baotinh.article import article_from_page
from baotinh.capture.record import Capture
from baotinh.enrich import enrich_fields
from baotinh.normalize import normalize_fields
from baotinh.parsers.base import PageParser, ParsedPage
from baotinh.parsers.families import parser_for
from baotinh.registry import Source
from baotinh.rights.directives import robots_meta_from, x_robots_tag_directives
from baotinh.rights.tdmrep import resolve_tdm

NOT_HTML = "not_html"


@dataclass
class Extraction:
    """A row, or the reason there is none (``skip_reason``), and the page it came from."""

    row: dict[str, Any] | None
    skip_reason: str | None
    html: str | None = None
    page: ParsedPage | None = None


class Parsers:
    """The parser for a source and a capture date, created once per (family, version)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], PageParser] = {}

    def for_capture(self, source: Source | None, captured_at: datetime) -> PageParser:
        family = source.family_at(captured_at) if source is not None else ""
        parser = parser_for(family, captured_at)
        key = (family, parser.extractor_id())
        return self._cache.setdefault(key, parser)


def extract(
    capture: Capture,
    source: Source | None,
    *,
    parsers: Parsers | None = None,
    first_seen_at: datetime | None = None,
    last_seen_at: datetime | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Extraction:
    """The row of one capture (normalised and enriched), or why there is none."""
    if not capture.is_html():
        return Extraction(None, NOT_HTML)
    html = capture.text()
    parser = (parsers or Parsers()).for_capture(source, capture.captured_at)
    page = parser.parse(html, capture.final_url)
    if page.skip_reason:
        return Extraction(None, page.skip_reason, html, page)
    row = article_from_page(
        page,
        capture.final_url,
        source,
        crawled_at=capture.captured_at,
        first_seen_at=first_seen_at,
        last_seen_at=last_seen_at,
    )
    row.update(provenance(capture, now()))
    row.update(rights(capture, page))
    normalize_fields(row)
    enrich_fields(row, source, now)
    return Extraction(row, None, html, page)


def rights(capture: Capture, page: ParsedPage) -> dict[str, Any]:
    """The row columns that record what the site and the page said about reuse."""
    tdm = resolve_tdm(
        capture.final_url,
        headers=dict(capture.headers),
        meta=page.rights_meta,
        well_known=capture.tdm_rules,
    )
    return {
        "robots_txt": capture.robots_txt,
        "robots_meta": robots_meta_from(page.rights_meta),
        "x_robots_tag": x_robots_tag_directives(
            [value for name, value in capture.headers if name.lower() == "x-robots-tag"]
        ),
        "tdm_reservation": tdm.reservation,
        "tdm_policy": tdm.policy,
    }


def provenance(capture: Capture, extracted_at: datetime) -> dict[str, Any]:
    """The row columns that say where its capture came from and when it was read."""
    warc = capture.warc
    return {
        "http_status": capture.status,
        "capture_source": capture.source,
        "capture_uri": capture.uri,
        "extracted_at": extracted_at,
        "warc_file": warc.file if warc else None,
        "warc_record_id": warc.record_id if warc else None,
        "warc_offset": warc.offset if warc else None,
        "warc_length": warc.length if warc else None,
    }
