"""``baotinh backup DIR DEST``: a consistent copy of a dataset folder, safe while a crawl runs.

The ledger is copied with SQLite's online backup API (a consistent snapshot even while the
crawl commits), then every file that snapshot lists: published Parquet files (immutable once
published), WARC files (up to the length the snapshot says was synced; a file still being
written is trimmed to its last complete record on restore) and run reports. ``manifest.json``
lists each file with its size and SHA-256. A second backup into the same DEST copies only what
is new or changed. DEST is itself a dataset folder: restoring is ``baotinh backup DEST NEWDIR``
(or copying DEST back); the next crawl's recovery registers files the snapshot did not know and
makes fetchable again what the snapshot lists but no file holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from baotinh import __version__
from baotinh.dataset.layout import LEDGER_FILE, Layout

MANIFEST = "manifest.json"


@dataclass
class BackupResult:
    dest: Path
    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already in DEST, unchanged
    missing: list[str] = field(default_factory=list)  # listed by the snapshot, gone from DIR
    bytes_copied: int = 0

    def __str__(self) -> str:
        text = (
            f"backup in {self.dest}: ledger snapshot, {len(self.copied)} files copied "
            f"({self.bytes_copied / 2**20:.1f} MiB), {len(self.kept)} unchanged"
        )
        if self.missing:
            text += f"; {len(self.missing)} listed files were gone (compacted meanwhile?)"
        return text


class BackupError(ValueError):
    """The folders cannot be backed up as asked (one line)."""


def _sha256(path: Path, length: int | None = None) -> str:
    digest = hashlib.sha256()
    left = length
    with open(path, "rb") as handle:
        while left is None or left > 0:
            chunk = handle.read(1 << 20 if left is None else min(1 << 20, left))
            if not chunk:
                break
            digest.update(chunk)
            if left is not None:
                left -= len(chunk)
    return digest.hexdigest()


def _copy(src: Path, dst: Path, length: int | None) -> None:
    """Copy ``length`` bytes (all when None) to a hidden name, fsync, rename into place."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    with open(src, "rb") as source, open(tmp, "wb") as target:
        if length is None:
            shutil.copyfileobj(source, target, 1 << 20)
        else:
            left = length
            while left > 0:
                chunk = source.read(min(1 << 20, left))
                if not chunk:
                    break
                target.write(chunk)
                left -= len(chunk)
        target.flush()
        os.fsync(target.fileno())
    tmp.replace(dst)


def snapshot_ledger(src: Path, dst: Path) -> None:
    """SQLite's online backup: a consistent copy while writers commit."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=60)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
        source.close()
    tmp.replace(dst)


def backup(out_dir: str | os.PathLike[str], dest_dir: str | os.PathLike[str]) -> BackupResult:
    src, dst = Layout.of(out_dir), Layout.of(dest_dir)
    if not src.ledger.is_file():
        raise BackupError(f"{src.root} has no ledger ({LEDGER_FILE}): not a dataset folder")
    if dst.root == src.root or src.root in dst.root.parents:
        raise BackupError(f"the backup {dst.root} must be outside the folder {src.root}")
    dst.root.mkdir(parents=True, exist_ok=True)
    result = BackupResult(dst.root)
    snapshot_ledger(src.ledger, dst.ledger)
    previous = _read_manifest(dst.root)
    with sqlite3.connect(f"file:{dst.ledger}?mode=ro", uri=True) as db:
        wanted: dict[str, int | None] = dict(db.execute("SELECT path, NULL FROM files"))
        for path, size in db.execute("SELECT path, bytes FROM warc_files"):
            wanted[path] = size
        meta = dict(db.execute("SELECT key, value FROM meta"))
    for report in sorted(src.runs.glob("*.json")):
        wanted[src.relative(report)] = None
    entries = []
    for rel, length in sorted(wanted.items()):
        source_file, target = src.root / rel, dst.root / rel
        if not source_file.is_file():
            result.missing.append(rel)
            continue
        size = (
            source_file.stat().st_size
            if length is None
            else min(length, source_file.stat().st_size)
        )
        known = previous.get(rel)
        if known and known["bytes"] == size and target.is_file() and target.stat().st_size == size:
            result.kept.append(rel)
            entries.append(known)
            continue
        _copy(source_file, target, size)
        result.copied.append(rel)
        result.bytes_copied += size
        entries.append({"path": rel, "bytes": size, "sha256": _sha256(target)})
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "source": str(src.root),
        "baotinh": __version__,
        "ledger_version": meta.get("ledger_version"),
        "schema_version": meta.get("schema_version"),
        "ledger_sha256": _sha256(dst.ledger),
        "files": entries,
    }
    tmp = dst.root / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", "utf-8")
    tmp.replace(dst.root / MANIFEST)
    return result


def _read_manifest(root: Path) -> dict[str, dict[str, object]]:
    path = root / MANIFEST
    if not path.is_file():
        return {}
    try:
        return {e["path"]: e for e in json.loads(path.read_text("utf-8")).get("files", [])}
    except (ValueError, KeyError, TypeError):
        return {}


def verify(dest_dir: str | os.PathLike[str]) -> list[str]:
    """Files of a backup whose size or SHA-256 differ from its manifest (empty: intact)."""
    root = Layout.of(dest_dir).root
    manifest = json.loads((root / MANIFEST).read_text("utf-8"))
    bad = []
    if _sha256(root / LEDGER_FILE) != manifest["ledger_sha256"]:
        bad.append(LEDGER_FILE)
    for entry in manifest["files"]:
        path = root / entry["path"]
        if (
            not path.is_file()
            or path.stat().st_size != entry["bytes"]
            or _sha256(path) != entry["sha256"]
        ):
            bad.append(entry["path"])
    return bad
