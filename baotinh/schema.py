"""The Article schema, defined once.

Everything else derives from ``FIELDS``: the Scrapy item (``baotinh.item``), the explicit
``pyarrow.Schema`` (``ARTICLE_SCHEMA``), the quarantine schema, the great_expectations suite
(``baotinh.validation``), the JSON Schema in ``datasets/`` and the dataset card's field table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa

SCHEMA_VERSION = "2.0.0"
# Every schema version files were written in, oldest first (``baotinh migrate`` reads them all).
SCHEMA_HISTORY = ("1.0.0", "2.0.0")

UTC_TS = pa.timestamp("us", tz="UTC")
IMAGE = pa.struct([("url", pa.string()), ("caption", pa.string())])

CONTENT_TYPES = ("article", "video", "photo", "longform", "podcast", "infographic", "live")
PRECISIONS = ("second", "minute", "hour", "day", "month", "year")
STATUSES = ("discovered", "pending", "stored", "quarantined", "duplicate", "skipped", "failed")
# Where a capture's bytes came from.
CAPTURE_SOURCES = ("crawl", "commoncrawl", "wayback", "file")
# robots.txt as it stood for the page when it was fetched (a disallowed page is never fetched).
ROBOTS_TXT = ("allowed", "absent", "unreachable")


@dataclass(frozen=True)
class Field:
    """One column: its Arrow type, whether it may be null, what it means, and its checks."""

    name: str
    type: pa.DataType
    doc: str
    nullable: bool = True
    # Checks, turned into great_expectations expectations and JSON Schema keywords.
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    unique: bool = False
    later: bool = False  # declared now, filled by later work (always null for now)
    added: str = "1.0.0"  # the schema version that added the column
    # The schema version from which the column may be null (it was required before).
    nullable_since: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


FIELDS: tuple[Field, ...] = (
    Field(
        "article_id",
        pa.string(),
        "Stable id: first 32 hex digits of SHA-256 of the normalised canonical URL.",
        nullable=False,
        pattern=r"^[0-9a-f]{32}$",
    ),
    Field(
        "url",
        pa.string(),
        "Normalised URL the page was fetched from.",
        nullable=False,
        pattern=r"^https?://",
        max_length=4096,
    ),
    Field(
        "canonical_url",
        pa.string(),
        "Normalised canonical URL (the page's own canonical link when trusted, else `url`).",
        nullable=False,
        pattern=r"^https?://",
    ),
    Field(
        "source_id",
        pa.string(),
        "Registry id of the source (one site/domain family).",
        nullable=False,
        pattern=r"^[a-z0-9_]+$",
    ),
    Field("source_name", pa.string(), "Human name of the source.", nullable=False),
    Field(
        "publisher_id",
        pa.string(),
        "The paper, stable across its domains and the 2025 merger.",
        nullable=False,
        pattern=r"^[a-z0-9_]+$",
    ),
    Field(
        "province",
        pa.string(),
        "Current (post-July-2025) province-level unit (provinces.csv, level unit); null for "
        "national stories of no province.",
        nullable_since="2.0.0",
    ),
    Field(
        "province_at_publication",
        pa.string(),
        "Province-level unit at the publication instant: before 1 July 2025 00:00 +07:00 the "
        "former province as named that day (one of the 63), from then on the unit.",
    ),
    Field(
        "language",
        pa.string(),
        "BCP 47 language tag of the text.",
        nullable=False,
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    ),
    Field(
        "content_type",
        pa.string(),
        "article, video, photo, longform, ...",
        nullable=False,
        allowed=CONTENT_TYPES,
    ),
    Field(
        "title",
        pa.string(),
        "The page's own headline (no site-name suffix).",
        nullable=False,
        min_length=3,
        max_length=1000,
    ),
    Field("sapo", pa.string(), "Lead paragraph (sapo) as published."),
    Field(
        "body",
        pa.string(),
        "Article text, paragraphs joined by blank lines.",
        nullable=False,
        min_length=1,
    ),
    Field("authors", pa.list_(pa.string()), "Bylined people, in page order.", nullable=False),
    Field(
        "published_at",
        UTC_TS,
        "Publication instant in UTC (Vietnamese pages without an offset are read as +07:00).",
    ),
    Field(
        "published_precision",
        pa.string(),
        "What was known of `published_at`: second, minute, hour, day, month, year.",
        allowed=PRECISIONS,
    ),
    Field("modified_at", UTC_TS, "Last modification instant in UTC, when the page says."),
    Field("category", pa.string(), "Section of the site."),
    Field("tags", pa.list_(pa.string()), "Keywords/tags of the page.", nullable=False),
    Field("images", pa.list_(IMAGE), "Article images with captions.", nullable=False),
    Field(
        "extractor",
        pa.string(),
        "Parser and version that made this row, e.g. `family_b@2023`, `generic@1`.",
        nullable=False,
    ),
    Field("crawled_at", UTC_TS, "When this page was fetched.", nullable=False),
    Field("first_seen_at", UTC_TS, "When the URL was first discovered.", nullable=False),
    Field("last_seen_at", UTC_TS, "When the URL was last discovered.", nullable=False),
    Field(
        "version",
        pa.int32(),
        "1 for the first capture; +1 for each changed text.",
        nullable=False,
        min_value=1,
    ),
    Field(
        "content_sha256",
        pa.string(),
        "SHA-256 of NFC title + blank line + NFC body.",
        nullable=False,
        pattern=r"^[0-9a-f]{64}$",
    ),
    Field(
        "word_count", pa.int32(), "Unicode word tokens in the body.", nullable=False, min_value=0
    ),
    Field(
        "translation_key",
        pa.string(),
        "The story a row is a version of (vietnam.vn): the slug of its canonical path, "
        "percent-decoded, NFC, without host or language prefix, shared by the story's versions "
        "in every language; null where paths name no story.",
    ),
    Field(
        "is_translation",
        pa.bool_(),
        "A version in a translated edition (every non-Vietnamese vietnam.vn row).",
    ),
    Field(
        "original_url",
        pa.string(),
        "Normalised URL of the original article a copy credits (its source link or data).",
    ),
    Field(
        "original_article_id",
        pa.string(),
        "article_id of that original when it was archived before this row was stored (the "
        "alignment table links originals crawled later).",
    ),
    Field(
        "original_source_name",
        pa.string(),
        "The paper a copy credits, named as the page prints it.",
    ),
    Field(
        "original_source_id",
        pa.string(),
        "Registry id of the paper credited as the original source.",
        pattern=r"^[a-z0-9_]+$",
        added="2.0.0",
    ),
    Field(
        "original_publisher_id",
        pa.string(),
        "publisher_id of the paper credited as the original source.",
        pattern=r"^[a-z0-9_]+$",
        added="2.0.0",
    ),
    Field(
        "duplicate_of",
        pa.string(),
        "article_id of an earlier article with the same text (wire copies, republications).",
    ),
    Field("warc_file", pa.string(), "WARC file holding the raw capture."),
    Field("warc_record_id", pa.string(), "WARC-Record-ID of the response record."),
    Field("warc_offset", pa.int64(), "Byte offset of the record in `warc_file`."),
    Field(
        "warc_length",
        pa.int64(),
        "Length in bytes of the (compressed) record at `warc_offset`.",
        added="2.0.0",
    ),
    Field(
        "capture_source",
        pa.string(),
        "Where the captured bytes came from: crawl, commoncrawl, wayback, file.",
        allowed=CAPTURE_SOURCES,
        added="2.0.0",
    ),
    Field(
        "capture_uri",
        pa.string(),
        "Where the capture can be read again (a WARC file, an archive's URL of the capture).",
        added="2.0.0",
    ),
    Field("http_status", pa.int32(), "HTTP status of the captured response.", added="2.0.0"),
    Field(
        "extracted_at",
        UTC_TS,
        "When this row was extracted from its capture (after `crawled_at` when re-extracted).",
        added="2.0.0",
    ),
    # Rights: what the site and the page said about reuse when the page was fetched.
    Field(
        "robots_txt",
        pa.string(),
        "robots.txt for the page when fetched: allowed, absent (none), unreachable.",
        allowed=ROBOTS_TXT,
        added="2.0.0",
    ),
    Field(
        "robots_meta",
        pa.list_(pa.string()),
        "Directives of the page's robots meta tags (noarchive, noai, ...), lower case.",
        added="2.0.0",
    ),
    Field(
        "x_robots_tag",
        pa.list_(pa.string()),
        "Directives of the X-Robots-Tag response header, lower case.",
        added="2.0.0",
    ),
    Field(
        "tdm_reservation",
        pa.bool_(),
        "TDMRep: text and data mining rights reserved (header, meta or /.well-known/tdmrep.json);"
        " null when nothing was declared.",
        added="2.0.0",
    ),
    Field("tdm_policy", pa.string(), "TDMRep policy URL, when declared.", added="2.0.0"),
    # Hive partition values, stored in the files too so every reader sees one shape.
    Field("source", pa.string(), "Partition: equals `source_id`.", nullable=False),
    Field(
        "year",
        pa.int64(),
        "Partition: year of publication (or of the crawl when unknown) in +07:00.",
        nullable=False,
        min_value=1990,
    ),
    Field("month", pa.int64(), "Partition: month, as `year`.", nullable=False, min_value=1),
)

FIELD_BY_NAME = {f.name: f for f in FIELDS}
PARTITION_COLUMNS = ("source", "year", "month")

SCHEMA_VERSION_KEY = "baotinh.schema_version"
TABLE_KEY = "baotinh.table"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def fields_at(version: str) -> tuple[Field, ...]:
    """The columns as schema ``version`` declared them (for reading and migrating old files)."""
    if version not in SCHEMA_HISTORY:
        raise ValueError(f"unknown schema version {version!r}; known: {', '.join(SCHEMA_HISTORY)}")
    at = _version_key(version)
    result = []
    for f in FIELDS:
        if _version_key(f.added) > at:
            continue
        if f.nullable_since is not None and _version_key(f.nullable_since) > at:
            f = replace(f, nullable=False)
        result.append(f)
    return tuple(result)


def article_schema(version: str = SCHEMA_VERSION) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, f.type, nullable=f.nullable) for f in fields_at(version)],
        metadata={SCHEMA_VERSION_KEY: version, TABLE_KEY: "articles"},
    )


ARTICLE_SCHEMA = article_schema()

# Rows that failed validation: the article columns as they were (all nullable, so a broken
# row still fits), why they failed, and the raw page so they can be re-extracted later.
QUARANTINE_EXTRA = (
    pa.field("failed_expectations", pa.list_(pa.string()), nullable=False),
    pa.field("quarantined_at", UTC_TS, nullable=False),
    pa.field("raw_html_zstd", pa.binary()),
)


def quarantine_schema(version: str = SCHEMA_VERSION) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, f.type, nullable=True) for f in fields_at(version)]
        + list(QUARANTINE_EXTRA),
        metadata={SCHEMA_VERSION_KEY: version, TABLE_KEY: "quarantine"},
    )


QUARANTINE_SCHEMA = quarantine_schema()


def _json_type(t: pa.DataType) -> dict[str, Any]:
    if pa.types.is_string(t):
        return {"type": "string"}
    if pa.types.is_boolean(t):
        return {"type": "boolean"}
    if pa.types.is_integer(t):
        return {"type": "integer"}
    if pa.types.is_timestamp(t):
        return {"type": "string", "format": "date-time"}
    if pa.types.is_list(t):
        return {"type": "array", "items": _json_type(t.value_type)}
    if pa.types.is_struct(t):
        return {
            "type": "object",
            "properties": {c.name: _nullable(_json_type(c.type)) for c in t},
            "required": [c.name for c in t],
        }
    raise TypeError(f"no JSON Schema type for {t}")


def _nullable(spec: dict[str, Any]) -> dict[str, Any]:
    return {**spec, "type": [spec["type"], "null"]}


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one Article row, derived from FIELDS."""
    props: dict[str, Any] = {}
    for f in FIELDS:
        spec = _json_type(f.type)
        if f.allowed:
            spec["enum"] = list(f.allowed)
        if f.pattern:
            spec["pattern"] = f.pattern
        if f.min_length is not None:
            spec["minLength"] = f.min_length
        if f.max_length is not None:
            spec["maxLength"] = f.max_length
        if f.min_value is not None:
            spec["minimum"] = f.min_value
        if f.nullable:
            spec = _nullable(spec)
            if "enum" in spec:
                spec["enum"] = [*spec["enum"], None]
        props[f.name] = {"description": f.doc, **spec}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://github.com/baotinh/baotinh/datasets/article.schema.json#{SCHEMA_VERSION}",
        "title": "baotinh Article",
        "type": "object",
        "properties": props,
        "required": [f.name for f in FIELDS],
        "additionalProperties": False,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def card_table() -> str:
    """Markdown table of the fields for the dataset card."""
    rows = ["| field | type | nullable | meaning |", "|---|---|---|---|"]
    for f in FIELDS:
        note = " (filled by later work)" if f.later else ""
        if f.added != SCHEMA_HISTORY[0]:
            note += f" (since {f.added})"
        rows.append(
            f"| `{f.name}` | `{f.type}` | {'yes' if f.nullable else 'no'} | {f.doc}{note} |"
        )
    return "\n".join(rows) + "\n"
