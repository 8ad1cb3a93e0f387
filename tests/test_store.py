"""The Parquet store, read back with DuckDB, pandas and pyarrow; quarantine; compaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.dataset.store import (
    LATEST_SQL,
    ParquetStore,
    QuarantineStore,
    StoreError,
    compact,
    decompress_html,
    latest,
    latest_sql,
)
from baotinh.schema import ARTICLE_SCHEMA, QUARANTINE_SCHEMA, SCHEMA_VERSION
from tests.rows import article_row

REPO = Path(__file__).resolve().parent.parent


def spread_rows(count: int, months: int = 6, start: int = 0) -> list[dict[str, Any]]:
    """Rows over two sources and ``months`` months, interleaved (the worst case for writers)."""
    rows = []
    for n in range(start, start + count):
        source = ("baohatinh", "baokhanhhoa")[n % 2]
        published = datetime(2025, 1 + (n // 2) % months, 10, 3, tzinfo=UTC)
        rows.append(article_row(n, source_id=source, published_at=published))
    return rows


def glob_sql(out: Path) -> str:
    return f"read_parquet('{out}/articles/**/*.parquet')"


def one(sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
    """The single row of a query, on a fresh connection."""
    [row] = duckdb.connect().execute(sql, params or []).fetchall()
    return row


def files(out: Path, table: str = "articles") -> list[Path]:
    return sorted((out / table).rglob("*.parquet"))


DUCKDB_TYPES = {
    "string": "VARCHAR",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "bool": "BOOLEAN",
    "timestamp[us, tz=UTC]": "TIMESTAMP WITH TIME ZONE",
    "list<item: string>": "VARCHAR[]",
    "list<item: struct<url: string, caption: string>>": "STRUCT(url VARCHAR, caption VARCHAR)[]",
}


def test_partitions_types_and_readers(tmp_path: Path, ledger: Ledger) -> None:
    rows = spread_rows(600)
    with ParquetStore(tmp_path, ledger, buffer_rows=100) as store:
        store.add(rows)
    dirs = {p.parent.relative_to(tmp_path).as_posix() for p in files(tmp_path)}
    assert "articles/source=baohatinh/year=2025/month=1" in dirs  # unpadded month
    assert len(dirs) == 12

    con = duckdb.connect()
    described = con.sql(f"DESCRIBE SELECT * FROM {glob_sql(tmp_path)}").fetchall()
    assert [(name, kind) for name, kind, *_ in described] == [
        (f.name, DUCKDB_TYPES[str(f.type)]) for f in ARTICLE_SCHEMA
    ]
    assert one(f"SELECT count(*), count(DISTINCT article_id) FROM {glob_sql(tmp_path)}") == (
        600,
        600,
    )
    per_partition = con.sql(
        f"SELECT source, year, month, count(*) FROM {glob_sql(tmp_path)} GROUP BY ALL"
    ).fetchall()
    assert len(per_partition) == 12 and {r[3] for r in per_partition} == {50}
    text = one(f"SELECT body, authors FROM {glob_sql(tmp_path)} WHERE url = ?", [rows[5]["url"]])
    assert text == (rows[5]["body"], rows[5]["authors"])

    # pandas and pyarrow read the same files; partition values are columns in the files, so
    # no Hive partitioning inference is needed (and its int32/dictionary guesses would clash).
    frame = pd.read_parquet(tmp_path / "articles", partitioning=None)
    assert len(frame) == 600 and str(frame["year"].dtype) == "int64"
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    # A list of files too: pyarrow would otherwise infer Hive types from the paths.
    assert len(pd.read_parquet(files(tmp_path), partitioning=None)) == 600
    dataset = ds.dataset(tmp_path / "articles", format="parquet", partitioning=None)
    assert dataset.schema.remove_metadata().equals(ARTICLE_SCHEMA.remove_metadata())
    assert dataset.count_rows() == 600
    # The explicit schema, with its version, is in every file.
    meta = pq.read_schema(files(tmp_path)[0]).metadata
    assert meta[b"baotinh.schema_version"] == SCHEMA_VERSION.encode()
    assert pq.ParquetFile(files(tmp_path)[0]).metadata.row_group(0).column(0).compression == "ZSTD"
    assert ledger.counts()["stored"] == 600
    assert sum(ledger.known_files("articles").values()) == 600


def test_rolls_by_size_and_caps_open_writers(tmp_path: Path, ledger: Ledger) -> None:
    published: list[int] = []
    store = ParquetStore(
        tmp_path,
        ledger,
        target_bytes=40_000,
        max_open_writers=3,
        buffer_rows=60,
        on_publish=lambda rows: published.append(len(rows)),
    )
    for start in range(0, 3000, 60):
        store.add(spread_rows(60, start=start))
        assert store.open_writers <= 3
        # Readers never see a file in progress: the glob sees exactly the published rows.
        if start % 600 == 0 and files(tmp_path):
            seen = one(f"SELECT count(*) FROM {glob_sql(tmp_path)}")
            assert seen == (store.rows_published,)
    assert list(tmp_path.rglob(".*.parquet.tmp")), "some files are still being written"
    store.close()
    assert not list(tmp_path.rglob(".*.parquet.tmp"))
    assert store.max_writers_seen == 3
    assert sum(published) == store.rows_published == 3000
    sizes = [p.stat().st_size for p in files(tmp_path)]
    assert (
        len(sizes) == store.files_published == len(published) > 12
    )  # rolled, not one per partition
    # A file is closed at the first write that passes the target: one buffer over it at most.
    assert max(sizes) < 40_000 + 40_000
    assert one(f"SELECT count(*) FROM {glob_sql(tmp_path)}") == (3000,)


def test_publishes_files_open_too_long(tmp_path: Path, ledger: Ledger) -> None:
    store = ParquetStore(tmp_path, ledger, publish_after_s=0.0)
    store.add([article_row(1)])
    assert store.files_published == 1 and ledger.counts()["stored"] == 1
    store.close()


def test_bad_rows_get_one_clear_error(tmp_path: Path, ledger: Ledger) -> None:
    store = ParquetStore(tmp_path, ledger)
    row = article_row(1)
    del row["body"]
    with pytest.raises(StoreError, match="lacks columns: body"):
        store.add([row])
    with pytest.raises(StoreError, match="column 'title' may not be null"):
        store.add([article_row(2, title=None)])
        store.flush()
    with pytest.raises(StoreError, match=r"bad partition value source='\.\./x'"):
        store.add([article_row(3, source="../x")])
    with pytest.raises(StoreError, match="do not fit the schema"):
        store.add([article_row(4, version="two")])
        store.flush()
    store.close()
    assert ledger.counts()["stored"] == 0 and not files(tmp_path)


def test_quarantine_keeps_failures_and_raw_page(tmp_path: Path, ledger: Ledger) -> None:
    broken = article_row(1, title=None)
    del broken["body"]  # a broken row may lack columns
    page = "<html><body><h1>Tiêu đề</h1>" + "<p>Nội dung tiếng Việt.</p>" * 500 + "</body></html>"
    with QuarantineStore(tmp_path, ledger) as store:
        store.add(
            [broken, article_row(2)], [["title_not_null", "body_not_null"], ["x"]], [page, None]
        )
        with pytest.raises(StoreError, match="pair up"):
            store.add([article_row(3)], [], [None])
    [path] = files(tmp_path, "quarantine")
    assert path.parent.name == "source=baohatinh"
    data = pq.read_table(path)
    assert data.schema.remove_metadata().equals(QUARANTINE_SCHEMA.remove_metadata())
    got = data.to_pylist()
    assert got[0]["failed_expectations"] == ["title_not_null", "body_not_null"]
    assert got[0]["title"] is None and got[0]["body"] is None
    assert len(got[0]["raw_html_zstd"]) < len(page.encode()) / 10
    assert decompress_html(got[0]["raw_html_zstd"]) == page
    assert got[1]["raw_html_zstd"] is None
    assert ledger.counts()["quarantined"] == 2
    with pytest.raises(ValueError, match="not a zstd frame"):
        decompress_html(b"<html>")


def test_latest_keeps_the_newest_version(tmp_path: Path, ledger: Ledger) -> None:
    v1 = article_row(1)
    v2 = article_row(
        1, body="Bản đã sửa của bài.", version=2, crawled_at=v1["crawled_at"] + timedelta(days=1)
    )
    other = article_row(2)
    with ParquetStore(tmp_path, ledger) as store:
        store.add([v1, other])
    with ParquetStore(tmp_path, ledger) as store:
        store.add([v2])
    assert "PARTITION BY article_id ORDER BY crawled_at DESC, version DESC" in LATEST_SQL
    got = latest(tmp_path).order("url").fetchall()
    assert len(got) == 2
    rel = duckdb.connect().sql(latest_sql(tmp_path))
    versions = dict(rel.select("article_id, version").fetchall())
    assert versions == {v1["article_id"]: 2, other["article_id"]: 1}
    # An older capture stored later (version 3, captured before v1) is not the latest.
    old = article_row(1, body="Bản chụp cũ.", version=3, crawled_at=v1["crawled_at"] - timedelta(1))
    with ParquetStore(tmp_path, ledger) as store:
        store.add([old])
    versions = dict(
        duckdb.connect().sql(latest_sql(tmp_path)).select("article_id, version").fetchall()
    )
    assert versions[v1["article_id"]] == 2
    with pytest.raises(FileNotFoundError, match="no published articles"):
        latest(tmp_path / "empty")


def test_compaction_merges_small_files_and_keeps_rows(tmp_path: Path, ledger: Ledger) -> None:
    for start in range(0, 1200, 100):  # twelve small "runs", each its own files
        with ParquetStore(tmp_path, ledger) as store:
            store.add(spread_rows(100, months=2, start=start))
    ledger.close()  # compact() opens its own (we still hold the lock: it reuses it)
    before = files(tmp_path)
    ids = duckdb.sql(f"SELECT article_id FROM {glob_sql(tmp_path)} ORDER BY 1").fetchall()
    result = compact(tmp_path, target_bytes=10 * 1024 * 1024)
    after = files(tmp_path)
    assert (result.files_before, result.files_after, result.rows) == (len(before), 4, 1200)
    assert len(before) == 48 and len(result.partitions) == 4
    assert duckdb.sql(f"SELECT article_id FROM {glob_sql(tmp_path)} ORDER BY 1").fetchall() == ids
    with Ledger.open(tmp_path) as reopened:
        known = reopened.known_files("articles")
        assert sorted(known) == [p.relative_to(tmp_path).as_posix() for p in after]
        assert sum(known.values()) == 1200
        assert not reopened.recovery.repaired
        files_of_versions = {
            f for (f,) in reopened.conn.execute("SELECT DISTINCT file FROM versions")
        }
        assert files_of_versions == set(known)
    again = compact(tmp_path, target_bytes=10 * 1024 * 1024)
    assert again.files_after == again.files_before == 4 and again.rows == 0


COMPACT_AND_DIE = """
import os, signal, sys
from baotinh.dataset.ledger import Ledger
from baotinh.dataset.store import compact
original = Ledger.{method}
def die(self, *args):
    {before}
    os.kill(os.getpid(), signal.SIGKILL)
Ledger.{method} = die
compact(sys.argv[1], target_bytes=10 * 1024 * 1024)
"""


@pytest.mark.parametrize(
    ("method", "before", "finished"),
    [
        # Killed after journaling, before the new file is renamed into place: undone.
        ("begin_compaction", "original(self, *args)", False),
        # Killed after the rename, before the ledger swap: both visible on disk until recovery.
        ("swap_compacted", "pass", True),
        # Killed after the swap, before deleting the old files.
        ("end_compaction", "pass", True),
    ],
)
def test_compaction_killed_midway_is_finished_or_undone(
    tmp_path: Path, method: str, before: str, finished: bool
) -> None:
    with WriterLock(tmp_path), Ledger.open(tmp_path) as led:
        for start in range(0, 300, 100):
            with ParquetStore(tmp_path, led) as store:
                store.add(spread_rows(100, months=1, start=start))
    assert len(files(tmp_path)) == 6
    script = COMPACT_AND_DIE.format(method=method, before=before)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with WriterLock(tmp_path), Ledger.open(tmp_path) as led:
        result = led.recovery
        assert bool(result.compactions_finished) is finished
        assert bool(result.compactions_undone) is not finished
        assert not result.files_registered  # never counted twice
        on_disk = files(tmp_path)
        # Killed in the first of the two partitions: it is done (1 file) or intact (3).
        assert len(on_disk) == (4 if finished else 6)
        assert sorted(led.known_files()) == [p.relative_to(tmp_path).as_posix() for p in on_disk]
        assert not list(tmp_path.rglob(".*.tmp"))
        assert led.counts()["stored"] == 300
    assert one(f"SELECT count(*), count(DISTINCT url) FROM {glob_sql(tmp_path)}") == (300, 300)


def test_store_rejects_use_after_close(tmp_path: Path, ledger: Ledger) -> None:
    store = ParquetStore(tmp_path, ledger)
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.add([article_row(1)])
    assert pa.Codec.is_available("zstd")
