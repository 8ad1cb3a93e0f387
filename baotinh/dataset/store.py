"""The Parquet store: rolling, publishing writers, the quarantine table, latest view, compaction.

Layout: ``<out>/articles/source=<id>/year=<int>/month=<int>/part-<run>-<n>.parquet`` (Hive
partitions with an unpadded month, so DuckDB's autodetection types them BIGINT like the int64
columns that also hold them) and ``<out>/quarantine/source=<id>/part-<run>-<n>.parquet``.

Publication: a file is written under ``.<name>.parquet.tmp`` in its final folder (a name no
``*.parquet`` glob matches), closed, fsynced, renamed into place (atomic on POSIX), its folder
fsynced, and only then recorded in the ledger (``Ledger.publish_rows``), which marks its URLs
stored. A killed run keeps every file it published; ``Ledger.recover`` deletes the temporary ones.

Read the latest version of every article with ``LATEST_SQL`` / :func:`latest`.
"""

from __future__ import annotations

import os
import struct
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from baotinh import faults
from baotinh.dataset.layout import ARTICLES, QUARANTINE, TABLES, Layout, parquet_files, temp_path
from baotinh.dataset.ledger import RECEIPT_COLUMNS as LEDGER_RECEIPTS
from baotinh.dataset.ledger import Ledger, writer_lock
from baotinh.schema import ARTICLE_SCHEMA, PARTITION_COLUMNS, QUARANTINE_SCHEMA

if TYPE_CHECKING:
    import duckdb

MiB = 1024 * 1024
DEFAULT_TARGET_BYTES = 64 * MiB
COMPRESSION = "zstd"
SCHEMAS = {ARTICLES: ARTICLE_SCHEMA, QUARANTINE: QUARANTINE_SCHEMA}
PARTITIONS = {ARTICLES: PARTITION_COLUMNS, QUARANTINE: ("source",)}

# What a published file's rows tell the ledger and the on_publish callback: small, so the store
# keeps them for every row of an open file without holding the article text in memory.
RECEIPT_COLUMNS = tuple(
    dict.fromkeys([*LEDGER_RECEIPTS["articles"], *LEDGER_RECEIPTS["quarantine"], "duplicate_of",
                   "source", "year", "month"])
)  # fmt: skip

# The latest version of each article. ``{glob}`` is the articles glob (quote-escaped).
LATEST_SQL = """
SELECT * FROM read_parquet('{glob}')
QUALIFY row_number() OVER (
    PARTITION BY article_id ORDER BY crawled_at DESC, version DESC, extracted_at DESC NULLS LAST
) = 1
"""


class StoreError(ValueError):
    """Rows that do not fit the table's schema or partitioning; the message says which."""


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def default_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


@dataclass
class _OpenFile:
    final: Path
    tmp: Path
    handle: BinaryIO
    writer: pq.ParquetWriter
    opened_at: float
    receipts: list[dict[str, Any]] = field(default_factory=list)


class ParquetStore:
    """Partitioned Parquet writer that rolls files by size and publishes them during the run.

    ``add(rows)`` buffers at most ``buffer_rows`` rows in total, then writes them to one
    ParquetWriter per partition (at most ``max_open_writers`` open; the least recently used is
    published to make room). A file is published when it reaches ``target_bytes``, when it has
    been open ``publish_after_s`` seconds (so a long run killed midway keeps its work), and on
    ``flush()``/``close()``. Rows are dicts holding every schema column (extra keys, such as an
    item's transient fields, are ignored); the explicit schema is never inferred.
    """

    def __init__(
        self,
        out_dir: str | os.PathLike[str],
        ledger: Ledger,
        *,
        table: str = ARTICLES,
        schema: pa.Schema = ARTICLE_SCHEMA,
        partition_by: tuple[str, ...] | None = None,
        target_bytes: int = DEFAULT_TARGET_BYTES,
        max_open_writers: int = 16,
        buffer_rows: int = 2000,
        publish_after_s: float | None = 900.0,
        run_id: str | None = None,
        on_publish: Callable[[list[dict[str, Any]]], None] | None = None,
        before_publish: Callable[[], None] | None = None,
    ) -> None:
        if max_open_writers < 1 or buffer_rows < 1 or target_bytes < 1:
            raise ValueError("max_open_writers, buffer_rows and target_bytes must be positive")
        self.out_dir = Path(out_dir).resolve()
        self.root = self.out_dir / table
        self.ledger = ledger
        self.table = table
        self.schema = schema
        self.partition_by = partition_by or PARTITIONS.get(table, PARTITION_COLUMNS)
        self.target_bytes = target_bytes
        self.max_open_writers = max_open_writers
        self.buffer_rows = buffer_rows
        self.publish_after_s = publish_after_s
        self.run_id = run_id or default_run_id()
        self.on_publish = on_publish
        # Made durable before a file becomes visible: what its rows point at (WARC records).
        self.before_publish = before_publish
        self._names = frozenset(schema.names)
        self._required = [f.name for f in schema if not f.nullable]
        self._receipt_columns = [c for c in RECEIPT_COLUMNS if c in self._names]
        self._buffers: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        self._buffered = 0
        self._buffered_since = 0.0
        self._open: OrderedDict[tuple[Any, ...], _OpenFile] = OrderedDict()  # LRU order
        self._dirs: dict[tuple[Any, ...], Path] = {}
        self._serial = 0
        self._closed = False
        self.files_published = 0
        self.rows_published = 0
        self.max_writers_seen = 0

    # -- public ------------------------------------------------------------------------------

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        if self._closed:
            raise RuntimeError(f"the {self.table} store is closed")
        for row in rows:
            missing = self._names - row.keys()
            if missing:
                names = ", ".join(sorted(missing))
                raise StoreError(f"{self.table} row {row.get('url')!r} lacks columns: {names}")
            key = tuple(row[c] for c in self.partition_by)
            if key not in self._dirs:
                self._dirs[key] = self._partition_dir(key, row)
            self._buffers.setdefault(key, []).append(row)
            if not self._buffered:
                self._buffered_since = time.monotonic()
            self._buffered += 1
            if self._buffered >= self.buffer_rows:
                self._drain()
        self.publish_due()

    def flush(self) -> None:
        """Write the buffered rows and publish every open file."""
        self._drain()
        while self._open:
            self._publish(next(iter(self._open)))

    def close(self) -> None:
        if not self._closed:
            self.flush()
            self._closed = True

    def __enter__(self) -> ParquetStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def open_writers(self) -> int:
        return len(self._open)

    # -- internals -----------------------------------------------------------------------------

    def _partition_dir(self, key: tuple[Any, ...], row: dict[str, Any]) -> Path:
        parts = []
        for name, value in zip(self.partition_by, key, strict=True):
            text = str(value) if value is not None else ""
            # Unpadded ints (month=7) and path-safe names: a bad value must not escape the tree.
            if not text or "/" in text or text.startswith(".") or "=" in text:
                raise StoreError(
                    f"{self.table} row {row.get('url')!r}: bad partition value {name}={value!r}"
                )
            parts.append(f"{name}={text}")
        return self.root.joinpath(*parts)

    def _to_table(self, rows: list[dict[str, Any]]) -> pa.Table:
        try:
            data = pa.Table.from_pylist(rows, schema=self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            raise StoreError(f"{self.table} rows do not fit the schema: {exc}") from exc
        # from_pylist does not enforce nullability; a null here would make an invalid file.
        for name in self._required:
            if data.column(name).null_count:
                bad = next(r.get("url") for r in rows if r[name] is None)
                raise StoreError(f"{self.table} row {bad!r}: column {name!r} may not be null")
        return data

    def _drain(self) -> None:
        buffers, self._buffers, self._buffered = self._buffers, {}, 0
        for key, rows in buffers.items():
            self._write(key, rows)

    def _receipt(self, row: dict[str, Any]) -> dict[str, Any]:
        receipt = {c: row[c] for c in self._receipt_columns}
        # The URL as discovered (before redirects) is what the ledger and report know it by.
        if row.get("discovered_url") and row["discovered_url"] != row.get("url"):
            receipt["discovered_url"] = row["discovered_url"]
        return receipt

    def _write(self, key: tuple[Any, ...], rows: list[dict[str, Any]]) -> None:
        data = self._to_table(rows)  # validate before opening anything
        f = self._open_file(key)
        f.writer.write_table(data)
        f.receipts.extend(self._receipt(r) for r in rows)
        self._open.move_to_end(key)
        if f.handle.tell() >= self.target_bytes:
            self._publish(key)

    def _open_file(self, key: tuple[Any, ...]) -> _OpenFile:
        f = self._open.get(key)
        if f is not None:
            return f
        while len(self._open) >= self.max_open_writers:
            self._publish(next(iter(self._open)))  # least recently written
        folder = self._dirs[key]
        folder.mkdir(parents=True, exist_ok=True)
        self._serial += 1
        final = folder / f"part-{self.run_id}-{self._serial:05d}.parquet"
        tmp = temp_path(final)
        handle = open(tmp, "wb")  # noqa: SIM115 - closed in _publish
        writer = pq.ParquetWriter(handle, self.schema, compression=COMPRESSION)
        f = _OpenFile(final, tmp, handle, writer, time.monotonic())
        self._open[key] = f
        self.max_writers_seen = max(self.max_writers_seen, len(self._open))
        return f

    def publish_due(self) -> None:
        """Publish everything once the oldest unpublished row waited publish_after_s."""
        if self.publish_after_s is None or not (self._buffered or self._open):
            return
        since = [f.opened_at for f in self._open.values()]
        if self._buffered:
            since.append(self._buffered_since)
        if time.monotonic() - min(since) >= self.publish_after_s:
            self.flush()

    def _publish(self, key: tuple[Any, ...]) -> None:
        faults.kill_point("publish")
        f = self._open.pop(key)
        f.writer.close()
        f.handle.flush()
        os.fsync(f.handle.fileno())
        f.handle.close()
        if self.before_publish is not None:
            self.before_publish()
        os.rename(f.tmp, f.final)
        fsync_dir(f.final.parent)
        faults.kill_point("after_rename")  # published, the ledger not yet told
        self.ledger.publish_rows(self.table, str(f.final), f.receipts)
        self.files_published += 1
        self.rows_published += len(f.receipts)
        if self.on_publish is not None:
            self.on_publish(f.receipts)


def publish_file(ledger: Ledger, table: str, final: Path, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` as one published file at ``final`` (hidden name, fsync, rename, fsync
    the folder, then the ledger), as the rolling store publishes its files. A merge of a
    staging area uses it: its files keep their names, so a repeated merge finds them done."""
    schema = SCHEMAS[table]
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(final)
    data = pa.Table.from_pylist(rows, schema=schema)
    with open(tmp, "wb") as handle:
        writer = pq.ParquetWriter(handle, schema, compression=COMPRESSION)
        writer.write_table(data)
        writer.close()
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(tmp, final)
    fsync_dir(final.parent)
    columns = [c for c in RECEIPT_COLUMNS if c in schema.names]
    ledger.publish_rows(table, str(final), [{c: r[c] for c in columns} for r in rows])


def compress_html(html: str | None) -> bytes | None:
    """zstd frame of the UTF-8 page (pyarrow's codec; the frame records its content size)."""
    if html is None:
        return None
    return pa.Codec(COMPRESSION).compress(html.encode("utf-8"), asbytes=True)


def decompress_html(blob: bytes | None) -> str | None:
    """Inverse of :func:`compress_html`. pyarrow's zstd codec needs the decompressed size,
    which we read from the frame header (RFC 8878 §3.1.1.1) rather than add a dependency."""
    if blob is None:
        return None
    if len(blob) < 6 or blob[:4] != b"\x28\xb5\x2f\xfd":
        raise ValueError("not a zstd frame")
    descriptor = blob[4]
    fcs_flag, single_segment, dict_flag = descriptor >> 6, (descriptor >> 5) & 1, descriptor & 3
    pos = 5 + (0 if single_segment else 1) + (0, 1, 2, 4)[dict_flag]
    fcs_len = (1 if single_segment else 0, 2, 4, 8)[fcs_flag]
    if fcs_len == 0:
        raise ValueError("zstd frame without a content size")
    raw = blob[pos : pos + fcs_len]
    size = struct.unpack({1: "<B", 2: "<H", 4: "<I", 8: "<Q"}[fcs_len], raw)[0]
    if fcs_len == 2:
        size += 256
    data = pa.Codec(COMPRESSION).decompress(blob, decompressed_size=size, asbytes=True)
    return data.decode("utf-8")


class QuarantineStore(ParquetStore):
    """Rows that failed validation, with the expectations they failed and the raw page.

    Same publication mechanism as the articles (table ``quarantine``, partitioned by source);
    publishing marks their URLs ``quarantined``.
    """

    def __init__(self, out_dir: str | os.PathLike[str], ledger: Ledger, **kwargs: Any) -> None:
        kwargs.setdefault("table", QUARANTINE)
        kwargs.setdefault("schema", QUARANTINE_SCHEMA)
        super().__init__(out_dir, ledger, **kwargs)
        self._article_columns = [n for n in self.schema.names if n in ARTICLE_SCHEMA.names]

    def add(  # type: ignore[override]
        self,
        rows: list[dict[str, Any]],
        failed: list[list[str]],
        raw_html: list[str | None],
    ) -> None:
        if not len(rows) == len(failed) == len(raw_html):
            raise StoreError(
                f"quarantine: {len(rows)} rows, {len(failed)} failure lists and "
                f"{len(raw_html)} pages; they must pair up"
            )
        now = datetime.now(UTC)
        out = []
        for row, names, html in zip(rows, failed, raw_html, strict=True):
            # A broken row may lack columns: quarantine keeps what there is (all nullable).
            q = {c: row.get(c) for c in self._article_columns}
            q["source"] = q.get("source") or q.get("source_id")
            q["failed_expectations"] = list(names)
            q["quarantined_at"] = now
            q["raw_html_zstd"] = compress_html(html)
            out.append(q)
        super().add(out)


def latest_sql(out_dir: str | os.PathLike[str]) -> str:
    return LATEST_SQL.format(glob=Layout.of(out_dir).glob(ARTICLES))


def latest(
    out_dir: str | os.PathLike[str], con: duckdb.DuckDBPyConnection | None = None
) -> duckdb.DuckDBPyRelation:
    """DuckDB relation of the latest version of every article under ``out_dir``."""
    import duckdb

    layout = Layout.of(out_dir)
    if not any(parquet_files(layout.articles)):
        raise FileNotFoundError(f"no published articles under {layout.articles}")
    return (con or duckdb.default_connection()).sql(latest_sql(out_dir))


@dataclass
class CompactResult:
    files_before: int = 0
    files_after: int = 0
    rows: int = 0  # rows rewritten
    bytes_before: int = 0
    bytes_after: int = 0
    partitions: list[str] = field(default_factory=list)  # partitions that were compacted

    def __str__(self) -> str:
        if not self.partitions:
            return f"nothing to compact ({self.files_before} files)"
        return (
            f"compacted {len(self.partitions)} partitions: {self.files_before} -> "
            f"{self.files_after} files, {self.rows} rows rewritten, "
            f"{self.bytes_before / MiB:.1f} -> {self.bytes_after / MiB:.1f} MiB"
        )


def compact(
    out_dir: str | os.PathLike[str],
    target_bytes: int = DEFAULT_TARGET_BYTES,
    min_files: int = 2,
    *,
    small_fraction: float = 0.5,
) -> CompactResult:
    """Merge small published files of each partition into files of about ``target_bytes``.

    Files under ``small_fraction * target_bytes`` are merged when a partition has at least
    ``min_files`` of them. Takes the writer lock (LockedError while a crawl writes).

    The swap, step by step (each step survives a crash; ``Ledger.recover`` finishes or undoes):
    1. write the merged rows to ``.<new>.parquet.tmp``, fsync (invisible to readers);
    2. journal "new replaces olds" in the ledger;
    3. rename the new file into place;
    4. in one ledger transaction replace the old file records by the new one;
    5. delete the old files; 6. clear the journal.
    Between 3 and 5 (microseconds, or until recovery after a crash there) a reader globbing
    ``*.parquet`` sees the rows twice. We accept that rather than the opposite order (hide the
    old files first), which would let a reader see the rows in *neither*: a duplicate is harmless
    to ``LATEST_SQL`` (the row_number() window keeps one copy of each article version), a
    missing row is not. The ledger never counts both: the files table swaps in one transaction.
    """
    out = Path(out_dir).resolve()
    result = CompactResult()
    with writer_lock(out):
        ledger = Ledger.open(out)
        try:
            ledger.require_current_schema()
            for table in TABLES:
                root = out / table
                by_dir: dict[Path, list[Path]] = {}
                for path in parquet_files(root):
                    by_dir.setdefault(path.parent, []).append(path)
                for folder, files in sorted(by_dir.items()):
                    result.files_before += len(files)
                    result.bytes_before += sum(p.stat().st_size for p in files)
                    groups = _plan(files, target_bytes, small_fraction, min_files)
                    for group in groups:
                        result.rows += _merge(ledger, out, table, folder, group)
                    if groups:
                        result.partitions.append(folder.relative_to(out).as_posix())
                    after = list(folder.glob("*.parquet"))
                    result.files_after += len(after)
                    result.bytes_after += sum(p.stat().st_size for p in after)
        finally:
            ledger.close()
    return result


def _plan(
    files: list[Path], target_bytes: int, small_fraction: float, min_files: int
) -> list[list[Path]]:
    """Greedy groups of small files, each up to about target_bytes, oldest names first."""
    sizes = {p: p.stat().st_size for p in files}
    small = sorted((p for p in files if sizes[p] < small_fraction * target_bytes), key=str)
    if len(small) < min_files:
        return []
    groups: list[list[Path]] = [[]]
    total = 0
    for p in small:
        if groups[-1] and total + sizes[p] > target_bytes:
            groups.append([])
            total = 0
        groups[-1].append(p)
        total += sizes[p]
    return [g for g in groups if len(g) >= 2]


def _merge(ledger: Ledger, out: Path, table: str, folder: Path, group: list[Path]) -> int:
    schema = SCHEMAS[table]
    final = folder / f"part-compact-{default_run_id()}.parquet"
    tmp = temp_path(final)
    rows = 0
    # Stream batch by batch: memory stays at one batch, however large the partition.
    with open(tmp, "wb") as handle:
        writer = pq.ParquetWriter(handle, schema, compression=COMPRESSION)
        for path in group:
            source = pq.ParquetFile(path)
            for batch in source.iter_batches(batch_size=8192):
                data = pa.Table.from_batches([batch]).cast(schema)
                writer.write_table(data)
                rows += data.num_rows
        writer.close()
        handle.flush()
        os.fsync(handle.fileno())
    ledger.begin_compaction(str(final), [str(p) for p in group])
    os.rename(tmp, final)
    fsync_dir(folder)
    faults.kill_point("compaction")  # the new file in place, the old ones not yet swapped out
    ledger.swap_compacted(str(final))
    for path in group:
        path.unlink()
    fsync_dir(folder)
    ledger.end_compaction(str(final))
    return rows
