"""Valid Article rows for tests, built from the schema (``from tests.rows import article_row``).

Every column of ``ARTICLE_SCHEMA`` gets a value that passes the schema's checks; pass keyword
overrides for what a test cares about. Identity columns are derived like the pipelines do it:
``article_id`` from the URL, ``content_sha256`` from title + body, partitions from the +07:00
publication date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from baotinh.schema import ARTICLE_SCHEMA
from baotinh.text import content_sha256, word_count
from baotinh.urls import article_id, normalize_url

VN = timezone(timedelta(hours=7))
CRAWLED_AT = datetime(2025, 12, 12, 8, 0, tzinfo=UTC)


def article_row(n: int = 0, **overrides: Any) -> dict[str, Any]:
    """Row number ``n`` of a synthetic source; overrides win (identity is derived after them)."""
    source_id = overrides.get("source_id", "baohatinh")
    url = normalize_url(overrides.get("url", f"https://{source_id}.example.vn/tin-so-{n}.html"))
    title = overrides.get("title", f"Tin tức số {n} của tỉnh")
    body = overrides.get(
        "body", f"Đoạn một của bài {n}, viết bằng tiếng Việt có dấu.\n\nĐoạn hai của bài {n}."
    )
    published_at = overrides.get("published_at", datetime(2025, 7, 1 + n % 28, 3, 0, tzinfo=UTC))
    local = (published_at or CRAWLED_AT).astimezone(VN)
    row: dict[str, Any] = {
        "article_id": article_id(url),
        "url": url,
        "canonical_url": url,
        "source_id": source_id,
        "source_name": "Báo Hà Tĩnh",
        "publisher_id": source_id,
        "province": "Hà Tĩnh",
        "province_at_publication": "Hà Tĩnh",
        "language": "vi",
        "content_type": "article",
        "title": title,
        "sapo": "Tóm tắt.",
        "body": body,
        "authors": ["Nguyễn Văn A"],
        "published_at": published_at,
        "published_precision": "minute",
        "modified_at": None,
        "category": "Thời sự",
        "tags": ["tỉnh"],
        "images": [{"url": f"https://{source_id}.example.vn/{n}.jpg", "caption": "Ảnh"}],
        "extractor": "test@1",
        "crawled_at": CRAWLED_AT,
        "first_seen_at": CRAWLED_AT,
        "last_seen_at": CRAWLED_AT,
        "version": 1,
        # Broken rows (title or body None, for quarantine tests) get a placeholder hash.
        "content_sha256": content_sha256(title, body) if title and body else "0" * 64,
        "word_count": word_count(body or ""),
        "translation_key": None,
        "is_translation": None,
        "original_url": None,
        "original_article_id": None,
        "original_source_name": None,
        "duplicate_of": None,
        "warc_file": None,
        "warc_record_id": None,
        "warc_offset": None,
        "original_source_id": None,
        "original_publisher_id": None,
        "warc_length": None,
        "capture_source": "crawl",
        "capture_uri": None,
        "http_status": 200,
        "extracted_at": CRAWLED_AT,
        "robots_txt": None,
        "robots_meta": None,
        "x_robots_tag": None,
        "tdm_reservation": None,
        "tdm_policy": None,
        "source": source_id,
        "year": local.year,
        "month": local.month,
    }
    row.update(overrides)
    row["url"] = url
    mismatch = set(ARTICLE_SCHEMA.names) ^ set(row)
    assert not mismatch, f"not the schema's columns (schema changed?): {sorted(mismatch)}"
    return row


def article_rows(count: int, start: int = 0, **overrides: Any) -> list[dict[str, Any]]:
    return [article_row(n, **overrides) for n in range(start, start + count)]
