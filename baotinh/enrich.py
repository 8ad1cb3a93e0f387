"""Enrich: content hash, word count, language, source facts and partition columns.

Runs after normalize (the hash is over NFC text) and before dedupe (which needs the hash).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from baotinh import registry
from baotinh.dates import VN_TZ
from baotinh.registry import Source
from baotinh.text import content_sha256, word_count


def enrich_fields(item: Any, source: Source | None, now: Callable[[], datetime]) -> None:
    """Fill the derived columns of a normalized item (a Scrapy item or a dict) in place."""
    title, body = item.get("title") or "", item.get("body") or ""
    item["content_sha256"] = content_sha256(title, body)
    item["word_count"] = word_count(body)
    item["language"] = item.get("language") or (source.language if source else "und")
    # Source facts the spider may leave to us; the registry is the authority for them.
    paper = _paper(item, source)
    if source is not None:
        for name, value in (
            ("source_name", source.name),
            ("publisher_id", source.publisher_id),
            ("province", paper.province if paper else None),
        ):
            if not item.get(name):
                item[name] = value
    if item.get("crawled_at") is None:
        item["crawled_at"] = now()
    for name in ("first_seen_at", "last_seen_at"):
        if item.get(name) is None:
            item[name] = item["crawled_at"]
    published = item.get("published_at")
    published = published if isinstance(published, datetime) else None
    # Partitions and the province use the local (+07:00) date: an article published at
    # 00:30 on 1 July 2025 in Vietnam is July's, and after the merger.
    crawled = item["crawled_at"] if isinstance(item["crawled_at"], datetime) else now()
    when = (published or crawled).astimezone(VN_TZ)
    item["source"] = item["source_id"]
    item["year"], item["month"] = when.year, when.month
    # The unit at the publication instant: the former province before 1 July 2025 00:00 +07:00
    # (named as on that day), the new unit from then on. An unknown publication date gives an
    # unknown province at publication (not guessed from the crawl).
    item["province_at_publication"] = (
        paper.province_at(published) if published is not None and paper is not None else None
    )


def _paper(item: Any, source: Source | None) -> Source | None:
    """Whose province a row takes: its source's, or for a national source's copy of a
    provincial article the credited paper's (``original_source_id``); a national source's own
    stories have none."""
    if source is None or not source.national:
        return source
    original = item.get("original_source_id")
    paper = registry.sources().get(original) if original else None
    return paper if paper is not None and not paper.national else None
