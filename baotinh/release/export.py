"""``baotinh export``: a dataset folder or a release as JSON lines or CSV, streamed.

Rows are read from DuckDB in batches (memory stays at one batch whatever the size). CSV cells of
list and struct columns hold JSON; timestamps are ISO 8601 in UTC.
"""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.compute as pc

from baotinh.dataset.layout import Layout
from baotinh.release.filters import RowFilter
from baotinh.release.manifest import CONFIG_DIRS, PUBLISHED_TOMBSTONES, read_json
from baotinh.release.source import (
    DatasetSource,
    ReleaseError,
    ReleaseFilesSource,
    duckdb_connection,
    snapshot,
)
from baotinh.rights.policy import release_mask
from baotinh.rights.tombstones import PublishedTombstones, TombstoneList
from baotinh.schema import ARTICLE_SCHEMA

FORMATS = ("jsonl", "csv")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _tables(folder: Path, all_versions: bool, memory_limit: str) -> Iterator[pa.Table]:
    """The folder's rows, without tombstoned rows or rows the rights policy withholds."""
    config = "versions" if all_versions else "latest"
    layout = Layout.of(folder)
    if layout.articles.is_dir():
        tmp = folder / f".export-{uuid.uuid4().hex[:8]}"
        con = duckdb_connection(tmp, memory_limit)
        try:
            with snapshot(folder) as snap:
                rows = DatasetSource(con, snap)
                tombstones = TombstoneList.load(layout.tombstones)
                # Patterns and publishers resolve to the articles they match, every version.
                removed = pa.array(
                    sorted(
                        {
                            article
                            for t in rows.identities()
                            for article in pc.filter(
                                t["article_id"], tombstones.mask(t)
                            ).to_pylist()
                        }
                        if tombstones
                        else set()
                    ),
                    pa.string(),
                )
                for group in rows.groups(config):
                    for table in group:
                        keep = pc.and_(
                            release_mask(table)[0],
                            pc.invert(pc.is_in(table["article_id"], removed)),
                        )
                        yield table.filter(keep)
        finally:
            con.close()
            shutil.rmtree(tmp, ignore_errors=True)
    elif (folder / CONFIG_DIRS[config]).is_dir():
        published = folder / PUBLISHED_TOMBSTONES
        listed = (
            PublishedTombstones.from_json(read_json(published))
            if published.exists()
            else PublishedTombstones()
        )
        for group in ReleaseFilesSource(folder).groups(config):
            for table in group:
                keep = release_mask(table)[0]
                if listed:
                    keep = pc.and_(keep, pc.invert(listed.mask(table)))
                yield table.filter(keep)
    else:
        raise ReleaseError(
            f"{folder} is neither a dataset folder (articles/) nor a release "
            f"({CONFIG_DIRS[config]}/)"
        )


def export(
    folder: Path,
    stream: TextIO,
    fmt: str,
    row_filter: RowFilter,
    *,
    all_versions: bool = False,
    memory_limit: str = "1GB",
) -> int:
    """Write the wanted rows to ``stream``; returns how many."""
    if fmt not in FORMATS:
        raise ReleaseError(f"unknown format {fmt!r} (jsonl or csv)")
    names = ARTICLE_SCHEMA.names
    writer = csv.writer(stream, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writerow(names)
    count = 0
    for table in _tables(folder, all_versions, memory_limit):
        chosen = table.filter(row_filter.mask(table))
        for row in chosen.to_pylist():
            if writer:
                writer.writerow([_csv_cell(row[n]) for n in names])
            else:
                stream.write(json.dumps(_plain(row), ensure_ascii=False) + "\n")
            count += 1
    return count
