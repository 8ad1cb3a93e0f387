"""Extraction of saved pages (``baotinh extract``): one Article dict per file, in order.

Each file becomes a capture and goes through the crawl's own path (``baotinh.capture.rows``):
the parser version of the capture date, normalisation, enrichment. Parsers are created once per
family version and reused, so thousands of pages run quickly.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from baotinh.capture.record import Capture
from baotinh.capture.rows import Parsers, extract
from baotinh.registry import source_for_url

# Attribute values may be double-, single- or un-quoted (minified pages drop the quotes).
_VALUE = r"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
_TAG = re.compile(r"<(?:link|meta)\b[^>]*>", re.I)
_CANONICAL_ATTR = re.compile(
    r"""\b(?:rel\s*=\s*["']?canonical\b|property\s*=\s*["']?og:url\b)""", re.I
)
_URL_ATTR = re.compile(r"\b(?:href|content)\s*=\s*" + _VALUE, re.I)


class ExtractError(ValueError):
    """A saved page cannot be read; the message names the file."""


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix == ".gz" else data
    except FileNotFoundError:
        raise ExtractError(f"{path}: no such file") from None
    except (OSError, EOFError) as exc:
        raise ExtractError(f"{path}: cannot read: {exc}") from None


def read_page(path: Path) -> str:
    _, text = html_to_unicode(None, read_bytes(path))
    return text


def page_url(html: str) -> str | None:
    """The page's own canonical link or og:url, for pages saved without their URL."""
    for tag in _TAG.findall(html):
        if _CANONICAL_ATTR.search(tag) and (m := _URL_ATTR.search(tag)):
            return next(v for v in m.groups() if v is not None).strip() or None
    return None


def file_capture(path: Path, body: bytes, url: str, captured_at: datetime) -> Capture:
    """A saved page as a capture: no HTTP exchange is known beyond its bytes."""
    return Capture(
        url=url,
        final_url=url,
        status=None,
        headers=(("Content-Type", "text/html"),),
        body=body,
        captured_at=captured_at,
        source="file",
        uri=path.resolve().as_uri(),
    )


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def extract_files(
    paths: Sequence[Path], urls: Sequence[str] = (), captured_at: datetime | None = None
) -> Iterator[dict[str, Any] | ExtractError]:
    """One Article dict per file, in order, through the crawl's own capture -> row path; the
    parser is the version valid at ``captured_at`` (default: now). A file that cannot be read or
    placed yields its ExtractError in its position, so one bad page does not stop the others.
    A page that is not an article gives a dict with its ``skip_reason`` and no row columns."""
    parsers = Parsers()
    when = captured_at or datetime.now(UTC)
    for index, path in enumerate(paths):
        try:
            body = read_bytes(path)
            _, html = html_to_unicode(None, body)
            url = urls[index] if index < len(urls) else page_url(html)
            if not url:
                raise ExtractError(f"{path}: no --url given and the page has no canonical/og:url")
            capture = file_capture(path, body, url, when)
            result = extract(capture, source_for_url(url), parsers=parsers, now=lambda: when)
            row = result.row if result.row is not None else {"url": url}
            yield _jsonable({**row, "skip_reason": result.skip_reason})
        except ExtractError as exc:
            yield exc
