"""``baotinh release``: cut a versioned, validated, documented release of a dataset folder; and
the re-cut of releases a takedown affects.

A release is built in a hidden staging folder beside the releases and renamed into
``<releases>/<version>/`` only once it passed validation; a release folder is never rewritten.
``latest.json`` then points at the newest current version.
"""

from __future__ import annotations

import shutil
import sys
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import WriterLock
from baotinh.release import card as cards
from baotinh.release import datadocs, plots, site
from baotinh.release.manifest import (
    CONFIG_DIRS,
    HISTORY,
    LATEST,
    MANIFEST,
    PUBLISHED_TOMBSTONES,
    FileEntry,
    Manifest,
    ManifestError,
    parse_version,
    read_json,
    sha256_file,
    write_json,
)
from baotinh.release.shards import DEFAULT_ROW_GROUP_BYTES, DEFAULT_SHARD_BYTES, ShardWriter
from baotinh.release.source import (
    DatasetSource,
    ReleaseError,
    ReleaseFilesSource,
    RowSource,
    duckdb_connection,
    polling_table,
    snapshot,
)
from baotinh.release.stats import release_stats
from baotinh.rights.policy import release_mask
from baotinh.rights.tombstones import PublishedTombstones, TombstoneList
from baotinh.schema import SCHEMA_VERSION

HISTORY_FORMAT = "baotinh-releases"
LATEST_FORMAT = "baotinh-latest"


@dataclass
class ReleaseOptions:
    row_group_bytes: int = DEFAULT_ROW_GROUP_BYTES
    shard_bytes: int = DEFAULT_SHARD_BYTES
    batch_rows: int = 5_000  # rows per validation batch (GX holds a few copies of them)
    memory_limit: str = "512MB"  # DuckDB's cap (only narrow keys and one month at a time)


@dataclass
class ReleaseResult:
    version: str
    path: Path
    manifest: Manifest
    rows: dict[str, int]
    withheld: dict[str, int] = field(default_factory=dict)
    tombstoned: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        data = self.manifest.data_files
        return (
            f"release {self.version}: {self.rows.get('latest', 0)} articles, "
            f"{self.rows.get('versions', 0)} versions in {len(data)} data files "
            f"({sum(f.bytes for f in data) / 1024 / 1024:.1f} MiB); {len(self.manifest.files)} "
            f"files in {self.path} ({self.seconds:.1f} s); left out: tombstones "
            f"{self.tombstoned}, rights {sum(self.withheld.values())}"
        )


# -- The releases folder ---------------------------------------------------------------------


def _history(out: Path) -> list[dict[str, Any]]:
    path = out / HISTORY
    if not path.exists():
        return []
    data = read_json(path)
    if not isinstance(data, dict) or data.get("format") != HISTORY_FORMAT:
        raise ReleaseError(f"{path} is not a baotinh releases list")
    return list(data.get("releases") or [])


def _write_history(out: Path, releases: list[dict[str, Any]]) -> None:
    releases = sorted(releases, key=lambda r: parse_version(r["version"]))
    write_json(out / HISTORY, {"format": HISTORY_FORMAT, "releases": releases})


def current_versions(out: Path) -> list[str]:
    return [r["version"] for r in _history(out) if r.get("status") == "current"]


def _update_latest(out: Path) -> str | None:
    current = sorted(current_versions(out), key=parse_version)
    if not current:
        (out / LATEST).unlink(missing_ok=True)
        return None
    version = current[-1]
    manifest_path = out / version / MANIFEST
    manifest = read_json(manifest_path)
    write_json(
        out / LATEST,
        {
            "format": LATEST_FORMAT,
            "version": version,
            "path": f"{version}/",
            "manifest": f"{version}/{MANIFEST}",
            "manifest_sha256": sha256_file(manifest_path),
            "schema_version": manifest["schema_version"],
            "created_at": manifest["created_at"],
        },
    )
    return version


def published_tombstones(out: Path) -> PublishedTombstones:
    path = out / PUBLISHED_TOMBSTONES
    if not path.exists():
        return PublishedTombstones()
    return PublishedTombstones.from_json(read_json(path))


# -- Cutting -------------------------------------------------------------------------------


def _removed_ids(rows: RowSource, tombstones: TombstoneList) -> tuple[set[str], set[str]]:
    """Article ids any tombstone matches (any version), and those URL patterns matched."""
    removed: set[str] = set()
    by_pattern: set[str] = set()
    if not tombstones:
        return removed, by_pattern
    patterns = TombstoneList([e for e in tombstones.entries if e.kind == "url"])
    for table in rows.identities():
        hit = tombstones.mask(table)
        removed.update(pc.filter(table["article_id"], hit).to_pylist())
        if patterns:
            by_pattern.update(pc.filter(table["article_id"], patterns.mask(table)).to_pylist())
    return removed, by_pattern


def _build(
    out: Path,
    version: str,
    rows: RowSource,
    con: duckdb.DuckDBPyConnection,
    *,
    polling: list[dict[str, Any]],
    tombstones: TombstoneList,
    options: ReleaseOptions,
    replaces: str | None = None,
    carried: dict[str, Any] | None = None,
    progress: Callable[[str], None],
) -> ReleaseResult:
    started = datetime.now(UTC)
    parse_version(version)
    if (out / version).exists() or version in {r["version"] for r in _history(out)}:
        raise ReleaseError(f"release {version} exists in {out}; releases are never rewritten")
    staging = out / f".{version}.staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        removed, by_pattern = _removed_ids(rows, tombstones)
        withheld: Counter[str] = Counter((carried or {}).get("withheld") or {})
        tombstoned = int((carried or {}).get("tombstoned") or 0)
        entries: list[FileEntry] = []
        removed_array = pa.array(sorted(removed), pa.string())
        for config in CONFIG_DIRS:
            progress(f"writing {config} rows")
            writer = ShardWriter(
                staging, config, version, options.row_group_bytes, options.shard_bytes
            )
            for group in rows.groups(config):
                for table in group:
                    gone = pc.is_in(table["article_id"], removed_array)
                    remaining = table.filter(pc.invert(gone))
                    allowed, reasons = release_mask(remaining)
                    if config == "latest":  # the card counts articles, not versions
                        tombstoned += table.num_rows - remaining.num_rows
                        withheld.update(reasons)
                    writer.write(remaining.filter(allowed))
                writer.end_group()
            entries += writer.close()
        if not entries:
            raise ReleaseError("nothing to release: every row was left out")

        progress(f"validating {len(entries)} data files with great_expectations")
        validation, results = datadocs.validate_release(
            staging, entries, version, batch_rows=options.batch_rows
        )
        validation.problems += _uniqueness_problems(con, staging)
        if not validation.ok:
            raise ReleaseError(
                f"release {version} failed validation, nothing published:\n{validation.summary()}"
            )
        progress("writing Data Docs, plots and the card")
        datadocs.write_data_docs(staging, validation, results, f"baotinh release {version}")
        stats = release_stats(staging, con)
        plots.draw_plots(stats, staging)
        from baotinh.registry import sources

        facts = {s.id: {"name": s.name, "terms": s.terms} for s in sources().values()}
        created = started.date()
        card = cards.card_markdown(
            cards.CardInputs(
                version, created, stats, polling, facts, dict(withheld), tombstoned, replaces
            )
        )
        (staging / "README.md").write_text(card, "utf-8")
        (staging / "CITATION.cff").write_text(cards.citation_cff(version, created), "utf-8")
        (staging / "LICENSE.md").write_text(cards.license_markdown(), "utf-8")
        (staging / "polling.csv").write_text(cards.polling_csv(polling), "utf-8")
        published = published_tombstones(out).merged(tombstones.published(by_pattern))
        write_json(staging / PUBLISHED_TOMBSTONES, published.to_json())

        doc_entries = [
            FileEntry(p.relative_to(staging).as_posix(), p.stat().st_size, sha256_file(p))
            for p in sorted(staging.rglob("*"))
            if p.is_file()
            and not p.relative_to(staging).as_posix().startswith(f"{CONFIG_DIRS['latest']}/")
            and not p.relative_to(staging).as_posix().startswith(f"{CONFIG_DIRS['versions']}/")
        ]
        files = entries + doc_entries
        site.write_index(
            staging / "index.html",
            title=cards.PRETTY_NAME,
            version=version,
            schema_version=SCHEMA_VERSION,
            created_at=started.isoformat(timespec="seconds"),
            card=card,
            files=files,
            articles=stats.rows.get("latest", 0),
            versions_rows=stats.rows.get("versions", 0),
            validation=f"passed ({validation.rows} rows, {len(validation.shards)} files)",
            replaces=replaces,
        )
        index = staging / "index.html"
        files.append(FileEntry("index.html", index.stat().st_size, sha256_file(index)))
        manifest = Manifest(
            version=version,
            schema_version=SCHEMA_VERSION,
            created_at=started.isoformat(timespec="seconds"),
            files=sorted(files, key=lambda f: (f.kind != "data", f.path)),
            replaces=replaces,
            notes=None,
        )
        manifest_json = manifest.to_json()
        manifest_json["left_out"] = {"withheld": dict(withheld), "tombstoned": tombstoned}
        write_json(staging / MANIFEST, manifest_json)
        staging.rename(out / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # Publish: the history, the cumulative tombstone list, latest.json (in that order: a reader
    # following latest.json always finds a complete release).
    history = [r for r in _history(out) if r["version"] != version]
    history.append(
        {
            "version": version,
            "created_at": manifest.created_at,
            "status": "current",
            "replaces": replaces,
        }
    )
    _write_history(out, history)
    write_json(out / PUBLISHED_TOMBSTONES, published.to_json())
    _update_latest(out)
    return ReleaseResult(
        version,
        out / version,
        manifest,
        stats.rows,
        dict(withheld),
        tombstoned,
        (datetime.now(UTC) - started).total_seconds(),
    )


def _uniqueness_problems(con: duckdb.DuckDBPyConnection, release_dir: Path) -> list[str]:
    problems = []
    for config, key in (("latest", "article_id"), ("versions", "article_id, version")):
        glob = (release_dir / CONFIG_DIRS[config]).as_posix().replace("'", "''")
        rows = con.execute(
            f"SELECT {key}, count(*) FROM read_parquet('{glob}/**/*.parquet',"
            f" hive_partitioning = false) GROUP BY ALL HAVING count(*) > 1 LIMIT 5"
        ).fetchall()
        for row in rows:
            problems.append(f"{config}: ({', '.join(map(str, row[:-1]))}) appears {row[-1]} times")
    return problems


def _say(message: str) -> None:
    print(f"baotinh: {message}", file=sys.stderr, flush=True)


def cut_release(
    dataset: Path,
    out: Path,
    version: str,
    options: ReleaseOptions | None = None,
    progress: Callable[[str], None] = _say,
) -> ReleaseResult:
    """Cut release ``version`` of the dataset folder ``dataset`` into ``out/<version>``."""
    options = options or ReleaseOptions()
    parse_version(version)
    out.mkdir(parents=True, exist_ok=True)
    layout = Layout.of(dataset)
    tombstones = TombstoneList.load(layout.tombstones)
    with WriterLock(out), snapshot(dataset) as snap:
        _clean_temp(out)
        con = duckdb_connection(out / f".duckdb-{uuid.uuid4().hex[:8]}", options.memory_limit)
        try:
            progress(f"cutting release {version} of {dataset}")
            return _build(
                out,
                version,
                DatasetSource(con, snap),
                con,
                polling=polling_table(dataset),
                tombstones=tombstones,
                options=options,
                progress=progress,
            )
        finally:
            con.close()
            _clean_temp(out)


def _clean_temp(out: Path) -> None:
    """DuckDB's spill folders, and staging folders a killed release left (we hold the lock)."""
    for tmp in [*out.glob(".duckdb-*"), *out.glob(".*.staging-*")]:
        shutil.rmtree(tmp, ignore_errors=True)


def _next_patch(out: Path, version: str) -> str:
    major, minor, patch = parse_version(version)
    taken = {r["version"] for r in _history(out)} | {p.name for p in out.iterdir()}
    while True:
        patch += 1
        candidate = f"{major}.{minor}.{patch}"
        if candidate not in taken:
            return candidate


def affected_releases(out: Path, tombstones: TombstoneList) -> list[str]:
    """Current releases holding at least one row a tombstone matches."""
    affected = []
    for version in sorted(current_versions(out), key=parse_version):
        rows = ReleaseFilesSource(out / version)
        if any(pc.any(tombstones.mask(t)).as_py() for t in rows.identities()):
            affected.append(version)
    return affected


def recut_releases(
    out: Path,
    tombstones: TombstoneList,
    options: ReleaseOptions | None = None,
    progress: Callable[[str], None] = _say,
) -> list[tuple[str, str]]:
    """Re-cut every current release a tombstone affects as its next patch version (the same
    rows minus the removed ones), then delete the old release's files. Returns (old, new)."""
    options = options or ReleaseOptions()
    done = []
    with WriterLock(out):
        _clean_temp(out)
        for old in affected_releases(out, tombstones):
            old_dir = out / old
            try:
                manifest = read_json(old_dir / MANIFEST)
                Manifest.from_json(manifest)
            except (OSError, ValueError, ManifestError) as exc:
                raise ReleaseError(f"cannot re-cut release {old}: {exc}") from None
            new = _next_patch(out, old)
            polling_file = old_dir / "polling.csv"
            polling = (
                cards.read_polling_csv(polling_file.read_text("utf-8"))
                if polling_file.exists()
                else []
            )
            con = duckdb_connection(out / f".duckdb-{uuid.uuid4().hex[:8]}", options.memory_limit)
            try:
                progress(f"re-cutting release {old} as {new}")
                _build(
                    out,
                    new,
                    ReleaseFilesSource(old_dir),
                    con,
                    polling=polling,
                    tombstones=tombstones,
                    options=options,
                    replaces=old,
                    carried=manifest.get("left_out"),
                    progress=progress,
                )
            finally:
                con.close()
                _clean_temp(out)
            history = _history(out)
            for entry in history:
                if entry["version"] == old:
                    entry.update(
                        status="replaced",
                        replaced_by=new,
                        replaced_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    )
            _write_history(out, history)
            _update_latest(out)
            shutil.rmtree(old_dir)
            progress(f"deleted the files of release {old}")
            done.append((old, new))
    return done


def describe(result: ReleaseResult) -> dict[str, Any]:
    return {**asdict(result.manifest), "path": str(result.path)}
