"""What a release is cut from: a frozen snapshot of a dataset folder (``DatasetSource``), or an
earlier release (``ReleaseFilesSource``), read group by group in bounded memory.

A dataset folder keeps changing while a crawl runs (files published, compacted away). The
release reads a *snapshot*: hard links to the published files at one moment, under the folder's
``staging/`` (published files are never rewritten in place, so a link is a consistent copy at no
cost), so no lock is held while the release is cut.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from baotinh.dataset.layout import Layout
from baotinh.dataset.store import latest_sql
from baotinh.dates import VN_TZ
from baotinh.release.manifest import CONFIG_DIRS, PARTITION_KEYS
from baotinh.schema import ARTICLE_SCHEMA, SCHEMA_VERSION, SCHEMA_VERSION_KEY

COLUMNS = ", ".join(f'"{name}"' for name in ARTICLE_SCHEMA.names)
ORDER = "language, source, year, published_at NULLS LAST, article_id, version"
BATCH_ROWS = 8192


class ReleaseError(ValueError):
    """A release that cannot be cut; the message says why (one line)."""


def duckdb_connection(temp_dir: Path, memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    """DuckDB with a memory cap: sorts and windows spill to ``temp_dir`` instead of growing."""
    temp_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": 2})
    con.execute(f"SET temp_directory = '{temp_dir.as_posix()}'")
    con.execute("SET TimeZone = 'UTC'")
    return con


def _file_schema_version(path: Path) -> str | None:
    metadata = pq.read_schema(path).metadata or {}
    value = metadata.get(SCHEMA_VERSION_KEY.encode())
    return value.decode() if value else None


@contextmanager
def snapshot(dataset: Path) -> Iterator[Layout]:
    """Hard links to the dataset's published article files, removed on exit."""
    layout = Layout.of(dataset)
    if not layout.articles.is_dir():
        raise ReleaseError(f"{dataset}: no articles/ folder (not a baotinh dataset?)")
    _remove_dead_snapshots(layout)
    snap = Layout.of(layout.staging / f"release-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        for _attempt in range(5):
            files = layout.parquet_files()
            try:
                for path in files:
                    target = snap.articles / path.relative_to(layout.articles)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(path, target)
                    except OSError as exc:
                        if isinstance(exc, FileNotFoundError):
                            raise
                        shutil.copy2(path, target)  # a file system without hard links
                break
            except FileNotFoundError:
                # Compaction swapped files while we linked: start again.
                shutil.rmtree(snap.root, ignore_errors=True)
        else:
            raise ReleaseError(f"{dataset}: files kept changing while the snapshot was taken")
        linked = snap.parquet_files()
        if not linked:
            raise ReleaseError(f"{dataset}: no published articles to release")
        versions = {_file_schema_version(p) for p in linked}
        if versions != {SCHEMA_VERSION}:
            other = ", ".join(sorted(str(v) for v in versions - {SCHEMA_VERSION}))
            raise ReleaseError(
                f"{dataset} holds files of schema {other}; a release is written in one schema "
                f"version ({SCHEMA_VERSION}): run `baotinh migrate {dataset}` first"
            )
        yield snap
    finally:
        shutil.rmtree(snap.root, ignore_errors=True)


def _remove_dead_snapshots(layout: Layout) -> None:
    """Snapshots of releases that were killed (their pid is gone): hard links, cheap to drop."""
    for folder in layout.staging.glob("release-*-*"):
        pid = folder.name.split("-")[1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass  # alive, another user's


class RowSource(Protocol):
    """Where a release's rows come from, in groups that fit in memory one at a time."""

    def identities(self) -> Iterator[pa.Table]:
        """article_id, url, canonical_url, publisher_id, source_id of every row (narrow)."""
        ...

    def groups(self, config: str) -> Iterator[Iterator[pa.Table]]:
        """The rows of a config, group by group: no (language, source, year) partition spans
        two groups, so the shard writer closes its files at the end of each."""
        ...


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + p.as_posix().replace("'", "''") + "'" for p in paths) + "]"


def _by_folder(files: list[Path]) -> dict[Path, list[Path]]:
    folders: dict[Path, list[Path]] = {}
    for path in sorted(files):
        folders.setdefault(path.parent, []).append(path)
    return folders


def _hive_values(folder: Path, root: Path) -> tuple[str, ...]:
    return tuple(part.split("=", 1)[-1] for part in folder.relative_to(root).parts)


class DatasetSource:
    """A dataset snapshot, read a month folder at a time (DuckDB sorts and windows do not spill
    wide rows reliably: whole-dataset queries would need memory in proportion to the text).

    ``latest`` keeps the rows ``latest_sql`` picks (their narrow keys are computed once over the
    whole snapshot: an article's versions may sit in different months); ``versions`` keeps every
    (article_id, version) once (a compaction caught mid-swap may show a file's rows twice).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, snap: Layout) -> None:
        self.con = con
        self.snap = snap
        self.folders = _by_folder(snap.parquet_files())
        # Only the key columns survive the projection: this stays narrow.
        con.execute(
            "CREATE OR REPLACE TEMP TABLE latest_keys AS SELECT article_id, version, crawled_at"
            f" FROM ({latest_sql(snap.root)})"
        )

    def identities(self) -> Iterator[pa.Table]:
        sql = (
            "SELECT DISTINCT article_id, url, canonical_url, publisher_id, source_id"
            f" FROM read_parquet('{self.snap.glob()}', hive_partitioning = false)"
        )
        yield from _stream(self.con, sql)

    def groups(self, config: str) -> Iterator[Iterator[pa.Table]]:
        # A dataset folder is source=/year=/month=: one (source, year) is one group.
        by_year: dict[tuple[str, ...], list[list[Path]]] = {}
        for folder, files in self.folders.items():
            key = _hive_values(folder, self.snap.articles)[:2]
            by_year.setdefault(key, []).append(files)
        for key in sorted(by_year):
            yield self._group(config, by_year[key])

    def _group(self, config: str, months: list[list[Path]]) -> Iterator[pa.Table]:
        for files in months:
            src = f"read_parquet({_sql_list(files)}, hive_partitioning = false)"
            if config == "latest":
                sql = (
                    f"SELECT {COLUMNS} FROM {src} t SEMI JOIN latest_keys k"
                    " ON t.article_id = k.article_id AND t.version = k.version"
                    " AND t.crawled_at = k.crawled_at"
                    " QUALIFY row_number() OVER (PARTITION BY article_id) = 1"
                    f" ORDER BY {ORDER}"
                )
            else:
                sql = (
                    f"SELECT {COLUMNS} FROM {src} QUALIFY row_number() OVER"
                    " (PARTITION BY article_id, version ORDER BY crawled_at DESC) = 1"
                    f" ORDER BY {ORDER}"
                )
            yield from _stream(self.con, sql)


class ReleaseFilesSource:
    """An earlier release's own files (for a re-cut): already one config per folder tree,
    partitioned and sorted, so they are read as they are, a partition folder at a time."""

    def __init__(self, release_dir: Path) -> None:
        self.release_dir = release_dir

    def _files(self, config: str) -> list[Path]:
        return sorted((self.release_dir / CONFIG_DIRS[config]).rglob("*.parquet"))

    def identities(self) -> Iterator[pa.Table]:
        columns = ["article_id", "url", "canonical_url", "publisher_id", "source_id"]
        for path in self._files("versions"):
            for batch in pq.ParquetFile(path).iter_batches(BATCH_ROWS, columns=columns):
                yield pa.Table.from_batches([batch])

    def groups(self, config: str) -> Iterator[Iterator[pa.Table]]:
        for files in _by_folder(self._files(config)).values():
            yield self._read(files)

    @staticmethod
    def _read(files: list[Path]) -> Iterator[pa.Table]:
        for path in files:
            for batch in pq.ParquetFile(path).iter_batches(BATCH_ROWS):
                yield pa.Table.from_batches([batch]).cast(ARTICLE_SCHEMA)


def _stream(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[pa.Table]:
    """The query's rows in tables of at most BATCH_ROWS rows (a streamed Arrow reader)."""
    for batch in con.sql(sql).to_arrow_reader(BATCH_ROWS):
        if batch.num_rows:
            table = pa.Table.from_batches([batch])
            if table.schema.names == ARTICLE_SCHEMA.names:
                table = table.cast(ARTICLE_SCHEMA)
            yield table


# -- The per-source, per-day polling table (from the ledger's runs) ----------------------------

POLLING_COLUMNS = (
    "date",
    "source",
    "runs",
    "requests",
    "responses",
    "responses_2xx",
    "responses_304",
    "responses_4xx",
    "responses_5xx",
    "discovery_errors",
    "new_rows",
    "failed",
    "outcome",
)


def _day_outcome(row: dict[str, Any]) -> str:
    if row["runs"] == 0:
        return "not polled"
    if row["requests"] and not row["responses"]:
        return "unreachable"
    if row["new_rows"]:
        return "new articles"
    if row["discovery_errors"] or row["responses_5xx"]:
        return "reached, errors"
    return "reached, nothing new"


def polling_table(dataset: Path) -> list[dict[str, Any]]:
    """One row per source and local (+07:00) day, from the first run to the last: what the
    crawler asked and got. A day with answers and no new rows is a silent paper; a day whose
    requests got no answer is an unreachable one; a day without runs was not polled."""
    ledger = Layout.of(dataset).ledger
    if not ledger.exists():
        return []
    uri = f"file:{ledger.as_posix()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        runs = db.execute(
            "SELECT started_at, report FROM runs WHERE report IS NOT NULL ORDER BY started_at"
        ).fetchall()
    days: dict[tuple[date, str], dict[str, Any]] = {}
    for started_at, report_text in runs:
        try:
            report = json.loads(report_text)
            day = datetime.fromisoformat(started_at).astimezone(VN_TZ).date()
        except (ValueError, TypeError):
            continue
        for source_id, counts in (report.get("sources") or {}).items():
            row = days.setdefault((day, source_id), _empty_day(day, source_id))
            row["runs"] += 1
            row["requests"] += int(counts.get("requests") or 0)
            for status, n in (counts.get("responses") or {}).items():
                n = int(n)
                row["responses"] += n
                code = str(status)
                if code == "304":
                    row["responses_304"] += n
                elif code.startswith("2"):
                    row["responses_2xx"] += n
                elif code.startswith("4"):
                    row["responses_4xx"] += n
                elif code.startswith("5"):
                    row["responses_5xx"] += n
            row["discovery_errors"] += sum(
                int(v) for v in (counts.get("discovery_errors") or {}).values()
            )
            row["new_rows"] += int(counts.get("stored") or 0)
            row["failed"] += sum(int(v) for v in (counts.get("failed") or {}).values())
    # Days between a source's first and last polled day without a run are "not polled".
    by_source: dict[str, list[date]] = {}
    for day, source_id in days:
        by_source.setdefault(source_id, []).append(day)
    for source_id, polled in by_source.items():
        day, last = min(polled), max(polled)
        while day < last:
            day = date.fromordinal(day.toordinal() + 1)
            days.setdefault((day, source_id), _empty_day(day, source_id))
    rows = [days[k] for k in sorted(days, key=lambda k: (k[1], k[0]))]
    for row in rows:
        row["outcome"] = _day_outcome(row)
        row["date"] = row["date"].isoformat()
    return rows


def _empty_day(day: date, source_id: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(POLLING_COLUMNS, 0)
    row.update(date=day, source=source_id, outcome="")
    return row


def partition_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in PARTITION_KEYS)
