"""Extraction of saved pages (``baotinh extract``): one Article dict per file, in order.

Runs the same parsers and the same normalisation as the crawl, in one process, so thousands
of pages run quickly (parsers are created once and reused).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from baotinh.article import article_from_page
from baotinh.enrich import enrich_fields
from baotinh.normalize import normalize_fields
from baotinh.parsers.base import PageParser
from baotinh.registry import Source, source_for_url

# Attribute values may be double-, single- or un-quoted (minified pages drop the quotes).
_VALUE = r"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
_TAG = re.compile(r"<(?:link|meta)\b[^>]*>", re.I)
_CANONICAL_ATTR = re.compile(
    r"""\b(?:rel\s*=\s*["']?canonical\b|property\s*=\s*["']?og:url\b)""", re.I
)
_URL_ATTR = re.compile(r"\b(?:href|content)\s*=\s*" + _VALUE, re.I)


class ExtractError(ValueError):
    """A saved page cannot be read; the message names the file."""


def read_page(path: Path) -> str:
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
    except FileNotFoundError:
        raise ExtractError(f"{path}: no such file") from None
    except (OSError, EOFError) as exc:
        raise ExtractError(f"{path}: cannot read: {exc}") from None
    _, text = html_to_unicode(None, data)
    return text


def page_url(html: str) -> str | None:
    """The page's own canonical link or og:url, for pages saved without their URL."""
    for tag in _TAG.findall(html):
        if _CANONICAL_ATTR.search(tag) and (m := _URL_ATTR.search(tag)):
            return next(v for v in m.groups() if v is not None).strip() or None
    return None


class Extractor:
    """Chooses the parser for a URL (family parser of a registered source, else generic)."""

    def __init__(self) -> None:
        self._parsers: dict[str, PageParser] = {}

    def parser(self, source: Source | None) -> PageParser:
        from baotinh.parsers.families import parser_for

        key = source.family if source else ""
        if key not in self._parsers:
            self._parsers[key] = parser_for(key)
        return self._parsers[key]

    def extract(self, html: str, url: str, captured_at: datetime | None = None) -> dict[str, Any]:
        source = source_for_url(url)
        page = self.parser(source).parse(html, url)
        now = captured_at or datetime.now(UTC)
        row = article_from_page(page, url, source, now)
        normalize_fields(row)
        enrich_fields(row, source, lambda: now)
        row["skip_reason"] = page.skip_reason
        return row


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def extract_files(
    paths: Sequence[Path], urls: Sequence[str] = ()
) -> Iterator[dict[str, Any] | ExtractError]:
    """One Article dict per file, in order; a file that cannot be read or placed yields its
    ExtractError in its position, so one bad page does not stop thousands of others."""
    extractor = Extractor()
    for index, path in enumerate(paths):
        try:
            html = read_page(path)
            url = urls[index] if index < len(urls) else page_url(html)
            if not url:
                raise ExtractError(f"{path}: no --url given and the page has no canonical/og:url")
            yield _jsonable(extractor.extract(html, url))
        except ExtractError as exc:
            yield exc
