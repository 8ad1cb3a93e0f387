"""A dataset written by the previous release: opened, refused for writing, migrated."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from baotinh.dataset.ledger import LEDGER_VERSION, Ledger, SchemaVersionError, WriterLock
from baotinh.dataset.migrate import MigrationError, migrate_dataset
from baotinh.dataset.store import compact
from baotinh.schema import (
    ARTICLE_SCHEMA,
    QUARANTINE_SCHEMA,
    SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
    article_schema,
    fields_at,
)
from baotinh.validation import validate_dataset
from tests.conftest import REPO

OLD = REPO / "tests/data/dataset-schema-1.0.0"


@pytest.fixture
def old_dataset(tmp_path: Path) -> Path:
    out = tmp_path / "old"
    shutil.copytree(OLD, out)
    return out


def _versions(out: Path) -> set[str]:
    return {
        pq.read_schema(p).metadata[SCHEMA_VERSION_KEY.encode()].decode()
        for p in out.rglob("*.parquet")
    }


def test_the_old_files_are_what_the_previous_schema_declared(old_dataset):
    assert _versions(old_dataset) == {"1.0.0"}
    files = list((old_dataset / "articles").rglob("*.parquet"))
    assert (
        pq.read_schema(files[0]).remove_metadata().equals(article_schema("1.0.0").remove_metadata())
    )
    assert {f.name for f in fields_at("1.0.0")} < {f.name for f in fields_at(SCHEMA_VERSION)}
    assert not next(f for f in fields_at("1.0.0") if f.name == "province").nullable


def test_a_new_release_opens_the_old_ledger_and_refuses_to_mix_schemas(old_dataset):
    with WriterLock(old_dataset), Ledger.open(old_dataset) as ledger:
        assert ledger.meta("ledger_version") == str(LEDGER_VERSION)
        assert ledger.schema_version == "1.0.0"
        assert sum(ledger.known_files().values()) == 6
        with pytest.raises(SchemaVersionError, match="baotinh migrate"):
            ledger.require_current_schema()
    with pytest.raises(SchemaVersionError):
        compact(old_dataset)


def test_crawl_on_an_old_dataset_says_migrate_in_one_line(old_dataset):
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "crawl", "--out", str(old_dataset)],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "baotinh migrate" in done.stderr


def test_migrate_rewrites_every_file_and_keeps_every_value(old_dataset):
    before = {
        p.relative_to(old_dataset): pq.read_table(p, partitioning=None).to_pylist()
        for p in old_dataset.rglob("*.parquet")
    }
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "migrate", str(old_dataset)],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "migrated 2 of 2 files (2 from 1.0.0), 6 rows" in done.stdout
    assert _versions(old_dataset) == {SCHEMA_VERSION}
    for rel, rows in before.items():
        new = pq.read_table(old_dataset / rel, partitioning=None)
        wanted = ARTICLE_SCHEMA if rel.parts[0] == "articles" else QUARANTINE_SCHEMA
        assert new.schema.remove_metadata().equals(wanted.remove_metadata())
        for old_row, new_row in zip(rows, new.to_pylist(), strict=True):
            assert {k: new_row[k] for k in old_row} == old_row
            assert all(new_row[k] is None for k in set(new_row) - set(old_row))
    # One schema: pyarrow reads the folder as one dataset; the ledger agrees; the rows validate.
    assert ds.dataset(old_dataset / "articles", format="parquet").to_table().num_rows == 5
    with WriterLock(old_dataset), Ledger.open(old_dataset) as ledger:
        ledger.require_current_schema()
        sizes = dict(ledger.conn.execute("SELECT path, bytes FROM files"))
    assert sizes == {str(rel): (old_dataset / rel).stat().st_size for rel in before}
    assert validate_dataset(old_dataset).ok
    again = migrate_dataset(old_dataset)
    assert not again.migrated and again.files == 2


def test_a_file_of_an_unknown_version_is_refused_by_name(old_dataset):
    path = next((old_dataset / "articles").rglob("*.parquet"))
    table = pq.read_table(path, partitioning=None)
    pq.write_table(table.replace_schema_metadata({SCHEMA_VERSION_KEY: "9.0.0"}), path)
    with pytest.raises(MigrationError, match=r"9\.0\.0.*newer baotinh"):
        migrate_dataset(old_dataset)


def test_a_ledger_from_a_newer_release_is_refused(old_dataset):
    with sqlite3.connect(old_dataset / "state.sqlite") as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'ledger_version'")
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "migrate", str(old_dataset)],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 2 and "newer baotinh" in done.stderr, done.stderr
