"""Figures about a release, computed from its own files with DuckDB (the card, the plots and
index.html describe exactly what was written)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from baotinh.release.manifest import CONFIG_DIRS
from baotinh.schema import FIELDS

NO_PROVINCE = "(none: national)"


@dataclass
class ReleaseStats:
    rows: dict[str, int] = field(default_factory=dict)  # per config
    articles: int = 0
    words: int = 0
    duplicates: int = 0
    translations: int = 0
    first_published: str | None = None
    last_published: str | None = None
    no_date: int = 0
    per_source: list[dict[str, Any]] = field(default_factory=list)
    per_province: list[dict[str, Any]] = field(default_factory=list)
    per_language: list[dict[str, Any]] = field(default_factory=list)
    province_month: list[dict[str, Any]] = field(default_factory=list)
    language_month: list[dict[str, Any]] = field(default_factory=list)
    coverage: dict[str, dict[str, float]] = field(default_factory=dict)  # source -> field -> share
    languages: list[str] = field(default_factory=list)


def _glob(release_dir: Path, config: str) -> str:
    return (release_dir / CONFIG_DIRS[config]).as_posix().replace("'", "''") + "/**/*.parquet"


def _records(rel: duckdb.DuckDBPyRelation) -> list[dict[str, Any]]:
    table: pa.Table = rel.arrow()
    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    return table.to_pylist()


def _coverage_sql(glob: str) -> str:
    parts = []
    for f in FIELDS:
        name = f'"{f.name}"'
        if pa.types.is_list(f.type):
            test = f"coalesce(len({name}), 0) > 0"
        elif pa.types.is_string(f.type):
            test = f"coalesce(length({name}), 0) > 0"
        else:
            test = f"{name} IS NOT NULL"
        parts.append(f'avg(CASE WHEN {test} THEN 1.0 ELSE 0.0 END) AS "{f.name}"')
    return (
        f"SELECT source AS __group, {', '.join(parts)}"
        f" FROM read_parquet('{glob}', hive_partitioning = false) GROUP BY source ORDER BY source"
    )


def release_stats(release_dir: Path, con: duckdb.DuckDBPyConnection) -> ReleaseStats:
    stats = ReleaseStats()
    have = {c for c in CONFIG_DIRS if any((release_dir / CONFIG_DIRS[c]).rglob("*.parquet"))}
    for config in CONFIG_DIRS:
        stats.rows[config] = 0
        if config in have:
            stats.rows[config] = con.execute(
                f"SELECT count(*) FROM read_parquet('{_glob(release_dir, config)}',"
                " hive_partitioning = false)"
            ).fetchall()[0][0]
    if "latest" not in have:
        return stats
    src = f"read_parquet('{_glob(release_dir, 'latest')}', hive_partitioning = false)"
    local = "(published_at AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    total = con.execute(
        f"SELECT count(*), coalesce(sum(word_count), 0), count(duplicate_of),"
        f" count(*) FILTER (WHERE is_translation), min({local})::DATE::VARCHAR,"
        f" max({local})::DATE::VARCHAR, count(*) FILTER (WHERE published_at IS NULL) FROM {src}"
    ).fetchall()[0]
    (
        stats.articles,
        stats.words,
        stats.duplicates,
        stats.translations,
        stats.first_published,
        stats.last_published,
        stats.no_date,
    ) = total
    stats.per_source = _records(
        con.sql(
            f"SELECT source, any_value(source_name) AS name, any_value(province) AS province,"
            f" count(*) AS rows, sum(word_count) AS words, min({local})::DATE::VARCHAR AS first,"
            f" max({local})::DATE::VARCHAR AS last FROM {src} GROUP BY source ORDER BY source"
        )
    )
    stats.per_province = _records(
        con.sql(
            f"SELECT coalesce(province, '{NO_PROVINCE}') AS province, count(*) AS rows,"
            f" count(*) FILTER (WHERE province_at_publication IS DISTINCT FROM province)"
            f" AS merged FROM {src} GROUP BY 1 ORDER BY rows DESC, 1"
        )
    )
    stats.per_language = _records(
        con.sql(
            f"SELECT language, count(*) AS rows, count(*) FILTER (WHERE is_translation)"
            f" AS translations FROM {src} GROUP BY 1 ORDER BY rows DESC, 1"
        )
    )
    stats.languages = [r["language"] for r in stats.per_language]
    stats.province_month = _records(
        con.sql(
            f"SELECT coalesce(province, '{NO_PROVINCE}') AS province,"
            f" strftime({local}, '%Y-%m') AS month, count(*) AS rows FROM {src}"
            " WHERE published_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
        )
    )
    stats.language_month = _records(
        con.sql(
            f"SELECT language, strftime({local}, '%Y-%m') AS month, count(*) AS rows FROM {src}"
            " WHERE published_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
        )
    )
    for row in _records(con.sql(_coverage_sql(_glob(release_dir, "latest")))):
        source = row.pop("__group")
        stats.coverage[source] = {k: float(v) for k, v in row.items()}
    return stats
