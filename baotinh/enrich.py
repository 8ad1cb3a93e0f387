"""Enrich: content hash, word count, language, source facts and partition columns.

Runs after normalize (the hash is over NFC text) and before dedupe (which needs the hash).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

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
    if source is not None:
        for name, value in (
            ("source_name", source.name),
            ("publisher_id", source.publisher_id),
            ("province", source.province),
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
    # Unknown publication date -> unknown province at publication (not guessed from the crawl).
    item["province_at_publication"] = (
        source.province_at(published.astimezone(VN_TZ))
        if published is not None and source is not None
        else None
    )
