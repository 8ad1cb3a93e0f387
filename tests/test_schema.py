"""The schema is defined once; every derived artefact must agree with it."""

import json

import pyarrow as pa

from baotinh.generated import expected_files
from baotinh.item import TRANSIENT_FIELDS, ArticleItem
from baotinh.schema import ARTICLE_SCHEMA, FIELDS, QUARANTINE_SCHEMA, SCHEMA_VERSION, json_schema

REQUIRED_BY_ISSUE = (
    "article_id",
    "url",
    "canonical_url",
    "source_id",
    "source_name",
    "publisher_id",
    "province",
    "province_at_publication",
    "language",
    "content_type",
    "title",
    "sapo",
    "body",
    "authors",
    "published_at",
    "published_precision",
    "modified_at",
    "category",
    "tags",
    "images",
    "extractor",
    "crawled_at",
    "first_seen_at",
    "last_seen_at",
    "version",
    "content_sha256",
    "word_count",
    "translation_key",
    "is_translation",
    "original_url",
    "original_article_id",
    "original_source_name",
    "duplicate_of",
    "warc_file",
    "warc_record_id",
    "warc_offset",
)


def test_every_required_field_is_declared_once():
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names))
    assert set(REQUIRED_BY_ISSUE) <= set(names)
    assert ARTICLE_SCHEMA.names == names


def test_later_work_columns_are_nullable():
    for f in FIELDS:
        if f.later:
            assert ARTICLE_SCHEMA.field(f.name).nullable, f.name


def test_arrow_types_are_explicit():
    assert ARTICLE_SCHEMA.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert ARTICLE_SCHEMA.field("images").type.value_type.names == ["url", "caption"]
    assert ARTICLE_SCHEMA.metadata[b"baotinh.schema_version"] == SCHEMA_VERSION.encode()
    assert QUARANTINE_SCHEMA.names[: len(FIELDS)] == ARTICLE_SCHEMA.names
    assert all(QUARANTINE_SCHEMA.field(f.name).nullable for f in FIELDS)


def test_item_has_schema_and_transient_fields():
    assert set(ArticleItem.fields) == {f.name for f in FIELDS} | set(TRANSIENT_FIELDS)


def test_json_schema_requires_non_nullable_types():
    schema = json_schema()
    assert schema["properties"]["title"]["type"] == "string"
    assert schema["properties"]["sapo"]["type"] == ["string", "null"]
    assert schema["properties"]["content_type"]["enum"][0] == "article"


def test_generated_files_are_current():
    stale = [
        str(path)
        for path, text in expected_files().items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    assert not stale, f"regenerate with `python -m baotinh.generated`: {stale}"
    json.loads(next(iter(expected_files().values())))
