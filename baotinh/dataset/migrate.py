"""``baotinh migrate DIR``: bring a dataset written in an older schema to the current one.

Readers do not union schemas (pyarrow and Hugging Face ``datasets`` refuse files of differing
shape), so a folder holds one schema version. The ledger is upgraded when it is opened
(``baotinh.dataset.ledger.LEDGER_UPGRADES``); the Parquet files are rewritten here, one at a
time: the new file is written under a hidden name, fsynced and renamed over the old one (an
atomic replace), and its size recorded. A killed migration leaves every file whole in one
version or the other; running it again finishes the job. Columns a version added are null in
migrated rows; values are never invented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from baotinh.dataset.layout import ARTICLES, TABLES, Layout, temp_path
from baotinh.dataset.ledger import Ledger, writer_lock
from baotinh.dataset.store import COMPRESSION, fsync_dir
from baotinh.schema import (
    SCHEMA_HISTORY,
    SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
    article_schema,
    quarantine_schema,
)


class MigrationError(ValueError):
    """A file cannot be migrated (unknown or newer schema version); the message names it."""


@dataclass
class MigrationResult:
    files: int = 0
    migrated: dict[str, int] = field(default_factory=dict)  # from version -> files
    rows: int = 0

    def __str__(self) -> str:
        if not self.migrated:
            return f"nothing to migrate: {self.files} files in schema {SCHEMA_VERSION}"
        done = ", ".join(f"{n} from {v}" for v, n in sorted(self.migrated.items()))
        return f"migrated {sum(self.migrated.values())} of {self.files} files ({done}), " \
            f"{self.rows} rows, to schema {SCHEMA_VERSION}"  # fmt: skip


def file_schema_version(path: Path) -> str:
    metadata = pq.read_schema(path).metadata or {}
    version = metadata.get(SCHEMA_VERSION_KEY.encode(), b"").decode()
    if version not in SCHEMA_HISTORY:
        raise MigrationError(
            f"{path}: schema version {version or 'none'!r} is not one this baotinh knows "
            f"({', '.join(SCHEMA_HISTORY)}); a newer baotinh wrote it?"
        )
    return version


def _target(table: str) -> pa.Schema:
    return article_schema() if table == ARTICLES else quarantine_schema()


def migrate_table(data: pa.Table, table: str) -> pa.Table:
    """``data`` (any known older version) in the current schema; added columns are null."""
    schema = _target(table)
    columns = []
    for target in schema:
        if target.name in data.column_names:
            columns.append(data.column(target.name).cast(target.type))
        else:
            columns.append(pa.nulls(data.num_rows, target.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _rewrite(path: Path, table: str) -> int:
    data = migrate_table(pq.read_table(path, partitioning=None), table)
    tmp = temp_path(path)
    with open(tmp, "wb") as handle:
        pq.write_table(data, handle, compression=COMPRESSION)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return data.num_rows


def migrate_dataset(out_dir: str | os.PathLike[str]) -> MigrationResult:
    """Rewrite every older file of the folder in the current schema (under the writer lock)."""
    layout = Layout.of(out_dir)
    result = MigrationResult()
    with writer_lock(layout.root):
        ledger = Ledger.open(layout.root)  # upgrades the ledger itself
        try:
            for table in TABLES:
                for path in layout.parquet_files(table):
                    result.files += 1
                    version = file_schema_version(path)
                    if version == SCHEMA_VERSION:
                        continue
                    result.rows += _rewrite(path, table)
                    ledger.file_rewritten(layout.relative(path), path.stat().st_size)
                    result.migrated[version] = result.migrated.get(version, 0) + 1
            ledger.set_meta("schema_version", SCHEMA_VERSION)
        finally:
            ledger.close()
    return result
