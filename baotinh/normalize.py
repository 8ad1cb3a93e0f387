"""Normalize: NFC everywhere, whitespace collapsed, boilerplate removed, times in UTC.

Runs first, so every later step (hashing, deduplication, validation) sees one spelling of
the text: Vietnamese pages arrive in both NFC and NFD.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from baotinh.dates import VN_TZ, parse_date
from baotinh.schema import FIELDS
from baotinh.text import clean_body, clean_line, nfc

# Whole paragraphs that are page furniture, not article text. List-driven on purpose: add a
# pattern when a new one is seen; each must match the *whole* (cleaned) paragraph.
BOILERPLATE_PARAGRAPHS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\[(?:ad|anzeige|advertisement|quảng cáo)_\d+\]",  # vietnam.vn ad placeholders
        r"(?:chia sẻ|share|teilen)(?: bài viết| on \w+)?\s*:?",  # share-button labels
        r"(?:facebook|zalo|twitter|x|email|in bài|print|copy link)(?:[\s|/,]+(?:facebook|zalo"
        r"|twitter|x|email|in bài|print|copy link))*",  # share bars flattened to text
        r"(?:xem thêm|đọc thêm|xem tiếp|mehr dazu|weiterlesen|siehe auch|read more)"
        r"(?:\s*[:>»›].*)?",  # "Xem thêm: <related headline>"
    )
)
# Placeholders that also occur inside a paragraph (vietnam.vn's translated bodies).
INLINE_BOILERPLATE = re.compile(r"\[(?:ad|anzeige|advertisement)_\d+\]", re.IGNORECASE)

LINE_FIELDS = ("title", "sapo", "category", "source_name")
TIMESTAMP_FIELDS = tuple(f.name for f in FIELDS if pa.types.is_timestamp(f.type))
LIST_OF_TEXT_FIELDS = ("authors", "tags")


def strip_boilerplate(body: str) -> str:
    """The body without furniture paragraphs and inline ad placeholders (input: clean_body)."""
    kept = []
    for paragraph in body.split("\n\n"):
        paragraph = clean_line(INLINE_BOILERPLATE.sub(" ", paragraph))
        if paragraph and not any(p.fullmatch(paragraph) for p in BOILERPLATE_PARAGRAPHS):
            kept.append(paragraph)
    return "\n\n".join(kept)


def clean_names(values: Any) -> Any:
    """Cleaned, non-empty, de-duplicated (case-insensitively, first spelling kept) strings.

    Anything that is not a list of strings is returned unchanged, so validation can name it.
    """
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        return values
    seen: set[str] = set()
    result = []
    for value in values:
        value = clean_line(value).strip(" ,;-–")
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def clean_images(values: Any) -> Any:
    """Images as ``{"url", "caption"}`` dicts (from dicts or parser ``Image`` objects), caption
    cleaned, the same url kept once."""
    if not isinstance(values, list | tuple):
        return values
    result: list[Any] = []
    seen: set[str] = set()
    for image in values:
        if not isinstance(image, dict) and hasattr(image, "url"):
            image = {"url": image.url, "caption": getattr(image, "caption", None)}
        if not isinstance(image, dict):
            result.append(image)  # left for validation to reject
            continue
        url, caption = image.get("url"), image.get("caption")
        if isinstance(url, str):
            url = url.strip()
            if url in seen:
                continue
            seen.add(url)
        if isinstance(caption, str):
            caption = clean_line(caption) or None
        result.append({"url": url, "caption": caption})
    return result


def to_utc(value: Any) -> Any:
    """A datetime in UTC; a naive one (or a date string) is read as Vietnamese time (+07:00).

    Values of other types are returned unchanged so validation quarantines them by name.
    """
    if isinstance(value, str) and value.strip():
        parsed, _ = parse_date(value)
        value = parsed if parsed is not None else value
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=VN_TZ)
        return value.astimezone(UTC)
    return value


def normalize_fields(item: Any) -> None:
    """Normalize an item (a Scrapy item or a dict) in place."""
    for name in LINE_FIELDS:
        if isinstance(item.get(name), str):
            item[name] = clean_line(item[name]) or None
    if isinstance(item.get("body"), str):
        item["body"] = strip_boilerplate(clean_body(item["body"]))
    for name in LIST_OF_TEXT_FIELDS:
        if name in item:
            item[name] = clean_names(item[name])
    if "images" in item:
        item["images"] = clean_images(item["images"])
    for name in TIMESTAMP_FIELDS:
        if item.get(name) is not None:
            item[name] = to_utc(item[name])
    # NFC for every other text column too (ids, urls: usually ASCII, but never trusted).
    handled = {*LINE_FIELDS, "body", *LIST_OF_TEXT_FIELDS, "images", *TIMESTAMP_FIELDS}
    for f in FIELDS:
        if f.name not in handled and isinstance(item.get(f.name), str):
            item[f.name] = nfc(item[f.name]).strip()
