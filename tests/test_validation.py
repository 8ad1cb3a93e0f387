"""great_expectations validation: the suite derived from FIELDS, run for real on DataFrames."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from baotinh.schema import ARTICLE_SCHEMA, FIELD_BY_NAME, FIELDS
from baotinh.validation import (
    LENGTHS,
    NOT_NULL,
    BatchValidator,
    checks,
    suite_json,
    validate_dataset,
)
from tests.rows import article_row, article_rows

NOW = datetime(2025, 12, 12, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def validator() -> BatchValidator:
    return BatchValidator(now=lambda: NOW)


def test_checks_follow_the_schema() -> None:
    names = {c.name for c in checks()}
    for f in FIELDS:
        scalar_name = f.name if not pa.types.is_list(f.type) else f"_{f.name}_count"
        assert (f"{NOT_NULL}({scalar_name})" in names) == (not f.nullable), f.name
        if f.pattern:
            assert f"expect_column_values_to_match_regex({f.name})" in names
        if f.allowed:
            assert f"expect_column_values_to_be_in_set({f.name})" in names
    # Length checks skip nulls, so each is paired with a not-null check.
    for check in checks():
        if check.kind == LENGTHS:
            assert f"{NOT_NULL}({check.column})" in names
            assert not FIELD_BY_NAME[check.column].nullable


def test_valid_rows_pass(validator: BatchValidator) -> None:
    rows = article_rows(20)
    result = validator.validate(rows)
    assert result.failures == [[] for _ in rows]
    assert result.good == rows


def test_bad_rows_get_the_names_of_what_they_failed(validator: BatchValidator) -> None:
    rows = article_rows(10)
    rows[1]["title"] = None
    rows[2]["title"] = "ab"  # too short
    rows[3]["article_id"] = "not-a-hash"
    rows[4]["content_type"] = "blog"
    rows[5]["published_at"] = NOW + timedelta(days=3)  # more than 2 days ahead
    rows[6]["published_at"] = datetime(1989, 12, 31, tzinfo=UTC)
    rows[7]["images"] = [{"url": "", "caption": "Ảnh"}]
    rows[8]["authors"] = None
    rows[8]["month"] = 0
    result = validator.validate(rows)
    assert result.failures == [
        [],
        ["expect_column_values_to_not_be_null(title)"],
        ["expect_column_value_lengths_to_be_between(title)"],
        ["expect_column_values_to_match_regex(article_id)"],
        ["expect_column_values_to_be_in_set(content_type)"],
        ["expect_column_values_to_be_between(published_at)"],
        ["expect_column_values_to_be_between(published_at)"],
        ["expect_column_values_to_be_between(_images_blank)"],
        [
            "expect_column_values_to_not_be_null(_authors_count)",
            "expect_column_values_to_be_between(month)",
        ],
        [],
    ]
    assert [i for i, _, _ in result.bad] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert result.good == [rows[0], rows[9]]


def test_near_future_and_unknown_dates_pass(validator: BatchValidator) -> None:
    rows = [
        article_row(0, published_at=NOW + timedelta(days=1)),
        article_row(1, published_at=None, published_precision=None),
    ]
    assert validator.validate(rows).failures == [[], []]


def test_values_that_do_not_fit_the_schema_are_named_not_coerced(
    validator: BatchValidator,
) -> None:
    rows = article_rows(5)
    rows[0]["version"] = 1.5  # pyarrow would truncate it to 1
    rows[1]["authors"] = "Nguyễn Văn A"  # pyarrow would make a list of characters
    rows[2]["published_at"] = datetime(2025, 7, 1, 10, 0)  # naive: pyarrow would read it as UTC
    rows[3]["word_count"] = 2**40  # over int32
    result = validator.validate(rows)
    assert result.failures == [
        ["schema:version"],
        ["schema:authors"],
        ["schema:published_at"],
        ["schema:word_count"],
        [],
    ]
    # The quarantined copy has the offending value cleared, so it fits the quarantine table.
    assert result.rows[0]["version"] is None and result.rows[0]["title"] == rows[0]["title"]
    assert result.rows[1]["authors"] is None
    assert result.rows[4] == rows[4]


def test_suite_json_lists_every_check() -> None:
    suite = suite_json()
    assert suite["name"] == "baotinh_articles"
    got = {f"{e['type']}({e['kwargs']['column']})" for e in suite["expectations"]}
    assert got == {c.name for c in checks()}


def test_great_expectations_is_imported_lazily() -> None:
    code = (
        "import sys, pipelines.store, pipelines.extract, baotinh.validation;"
        "assert 'great_expectations' not in sys.modules, 'imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


def _write(path: Path, rows: list[dict], schema: pa.Schema = ARTICLE_SCHEMA) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def test_validate_dataset_counts_rows_and_failures(tmp_path: Path) -> None:
    part = tmp_path / "articles" / "source=baohatinh" / "year=2025" / "month=7"
    rows = article_rows(30)
    rows[4]["title"] = "ab"
    _write(part / "a.parquet", rows[:20])
    # The same (article_id, version) again in another file: a version was written twice.
    _write(part / "b.parquet", [*rows[20:], article_row(0)])
    # An unpublished temporary file is not part of the dataset.
    bad = article_row(99, title="ab")
    _write(part / ".c.parquet.tmp", [bad])
    _write(part / ".d.parquet", [bad])
    report = validate_dataset(tmp_path, batch_rows=7, validator=BatchValidator(now=lambda: NOW))
    assert (report.files, report.rows, report.failed_rows) == (2, 31, 2)
    assert report.failures == {
        "expect_column_value_lengths_to_be_between(title)": 1,
        "unique(article_id, version, extractor, content_sha256)": 1,
    }
    assert not report.ok
    assert "a.parquet#4" in report.examples[0]


def test_validate_dataset_ok_and_wrong_file_schema(tmp_path: Path) -> None:
    part = tmp_path / "articles" / "source=baohatinh" / "year=2025" / "month=7"
    _write(part / "a.parquet", article_rows(3))
    assert validate_dataset(tmp_path).ok
    other = pa.schema([pa.field("url", pa.string())])
    _write(part / "b.parquet", [{"url": "https://x.vn/"}], schema=other)
    report = validate_dataset(tmp_path)
    assert report.failures == {"file:schema": 1} and report.failed_rows == 1


def test_validate_dataset_without_articles_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no articles/ folder"):
        validate_dataset(tmp_path)
