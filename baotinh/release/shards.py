"""Release shards: Parquet files per (language, source, year), rolled by size, with row groups
small enough for the Hugging Face viewer (it refuses row groups over 100 MiB uncompressed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from baotinh.release.manifest import CONFIG_DIRS, PARTITION_KEYS, FileEntry, sha256_file
from baotinh.schema import ARTICLE_SCHEMA, SCHEMA_VERSION

MiB = 1024 * 1024
HF_ROW_GROUP_LIMIT = 100 * MiB  # uncompressed bytes
DEFAULT_ROW_GROUP_BYTES = 64 * MiB  # target, well under the limit (Parquet adds page overhead)
DEFAULT_SHARD_BYTES = 256 * MiB  # compressed file size at which a shard rolls
COMPRESSION = "zstd"


def partition_path(config: str, key: tuple[Any, ...]) -> str:
    parts = []
    for name, value in zip(PARTITION_KEYS, key, strict=True):
        text = str(value)
        if not text or "/" in text or text.startswith(".") or "=" in text:
            raise ValueError(f"bad partition value {name}={value!r}")
        parts.append(f"{name}={text}")
    return "/".join([CONFIG_DIRS[config], *parts])


@dataclass
class _Shard:
    rel: str
    path: Path
    handle: BinaryIO
    writer: pq.ParquetWriter
    key: tuple[Any, ...]
    rows: int = 0
    first: Any = None
    last: Any = None


@dataclass
class ShardWriter:
    """Writes one config's rows into shard files, a group at a time.

    Rows of a group may come in any partition order (a month of a paper holds several
    languages): each partition key of the group has its buffer and open file; ``end_group()``
    closes them. Memory: one row group's buffer per open partition.
    """

    root: Path
    config: str
    release_version: str
    row_group_bytes: int = DEFAULT_ROW_GROUP_BYTES
    shard_bytes: int = DEFAULT_SHARD_BYTES
    entries: list[FileEntry] = field(default_factory=list)
    _open: dict[tuple[Any, ...], _Shard] = field(default_factory=dict)
    _buffers: dict[tuple[Any, ...], list[pa.Table]] = field(default_factory=dict)
    _buffered: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _serial: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _done: set[tuple[Any, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        metadata = dict(ARTICLE_SCHEMA.metadata or {})
        metadata[b"baotinh.release"] = self.release_version.encode()
        metadata[b"baotinh.config"] = self.config.encode()
        self.schema = ARTICLE_SCHEMA.with_metadata(metadata)

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        keys = list(zip(*(table[k].to_pylist() for k in PARTITION_KEYS), strict=True))
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                self._add(keys[start], table.slice(start, i - start))
                start = i

    def _add(self, key: tuple[Any, ...], part: pa.Table) -> None:
        if key in self._done:
            raise ValueError(f"partition {key} came back after its group ended")
        self._buffers.setdefault(key, []).append(part)
        self._buffered[key] = self._buffered.get(key, 0) + part.nbytes
        if self._buffered[key] >= self.row_group_bytes:
            self._flush(key)

    def _open_shard(self, key: tuple[Any, ...]) -> _Shard:
        serial = self._serial.get(key, 0)
        self._serial[key] = serial + 1
        rel = f"{partition_path(self.config, key)}/part-{serial:05d}.parquet"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # A Python file: tell() counts what the writer handed over (pyarrow's own file sink
        # may hold bytes back, so the size on disk lags).
        handle = open(path, "wb")  # noqa: SIM115 - closed in _finish_shard
        writer = pq.ParquetWriter(handle, self.schema, compression=COMPRESSION)
        return _Shard(rel, path, handle, writer, key)

    def _flush(self, key: tuple[Any, ...]) -> None:
        """Write a partition's buffered rows as row groups of about row_group_bytes, rolling
        its file whenever it reaches shard_bytes."""
        parts = self._buffers.pop(key, [])
        self._buffered.pop(key, None)
        if not parts:
            return
        data = pa.concat_tables(parts).cast(self.schema)
        per_row = max(1, data.nbytes // max(1, data.num_rows))
        rows_per_group = max(1, self.row_group_bytes // per_row)
        for start in range(0, data.num_rows, rows_per_group):
            shard = self._open.get(key) or self._open.setdefault(key, self._open_shard(key))
            group = data.slice(start, rows_per_group)
            shard.writer.write_table(group, row_group_size=group.num_rows)
            shard.rows += group.num_rows
            bounds = pc.min_max(group["published_at"]).as_py()
            low, high = bounds["min"], bounds["max"]
            if low is not None and (shard.first is None or low < shard.first):
                shard.first = low
            if high is not None and (shard.last is None or high > shard.last):
                shard.last = high
            if shard.handle.tell() >= self.shard_bytes:
                self._finish_shard(key)

    def _finish_shard(self, key: tuple[Any, ...]) -> None:
        shard = self._open.pop(key, None)
        if shard is None:
            return
        shard.writer.close()
        shard.handle.close()
        self.entries.append(
            FileEntry(
                path=shard.rel,
                bytes=shard.path.stat().st_size,
                sha256=sha256_file(shard.path),
                kind="data",
                rows=shard.rows,
                config=self.config,
                partition=dict(zip(PARTITION_KEYS, shard.key, strict=True)),
                schema_version=SCHEMA_VERSION,
                published={
                    "first": shard.first.isoformat() if shard.first else None,
                    "last": shard.last.isoformat() if shard.last else None,
                },
            )
        )

    def end_group(self) -> None:
        """Flush and close every partition of the group (none of them comes back)."""
        for key in sorted({*self._buffers, *self._open}, key=str):
            self._flush(key)
            self._finish_shard(key)
            self._done.add(key)

    def close(self) -> list[FileEntry]:
        self.end_group()
        return sorted(self.entries, key=lambda e: e.path)
