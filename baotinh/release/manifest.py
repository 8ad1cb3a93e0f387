"""The files of a release and how they are described: ``manifest.json``, ``latest.json``,
``releases.json``, the published tombstone list.

A releases folder::

    <releases>/
      latest.json                 {"version": "1.0.1", "manifest": "1.0.1/manifest.json", ...}
      releases.json               every version ever cut: current, or replaced by a re-cut
      tombstones.sha256.json      the takedown list as SHA-256 hashes (applied by download)
      1.0.1/                      one release, never rewritten
        manifest.json             every file: bytes, sha256; data files: rows, partition, schema
        README.md, CITATION.cff, LICENSE.md, index.html, plots/, data_docs/, polling.csv
        data/latest/language=vi/source=baohatinh/year=2025/part-00000.parquet
        data/versions/language=vi/source=baohatinh/year=2025/part-00000.parquet
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from baotinh.schema import SCHEMA_HISTORY

MANIFEST = "manifest.json"
LATEST = "latest.json"
HISTORY = "releases.json"
PUBLISHED_TOMBSTONES = "tombstones.sha256.json"
MANIFEST_FORMAT = "baotinh-release"
MANIFEST_VERSION = 1
DATA = "data"
# Configs: "latest" holds the latest version of each article, "versions" every version.
CONFIG_DIRS = {"latest": f"{DATA}/latest", "versions": f"{DATA}/versions"}
PARTITION_KEYS = ("language", "source", "year")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(ValueError):
    """A manifest (or latest.json) that cannot be trusted; the message says why."""


def parse_version(version: str) -> tuple[int, int, int]:
    match = _VERSION.match(version or "")
    if not match:
        raise ManifestError(f"not a release version (MAJOR.MINOR.PATCH): {version!r}")
    return int(match[1]), int(match[2]), int(match[3])


def safe_relpath(path: str) -> PurePosixPath:
    """A manifest path that stays inside the folder it is written to, or ManifestError."""
    if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
        raise ManifestError(f"bad path in manifest: {path!r}")
    p = PurePosixPath(path)
    if p.is_absolute() or any(part in ("..", ".", "") for part in path.split("/")):
        raise ManifestError(f"manifest path escapes the output folder: {path!r}")
    if p.parts[0].startswith("."):
        raise ManifestError(f"manifest path is hidden: {path!r}")
    return p


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class FileEntry:
    path: str
    bytes: int
    sha256: str
    kind: str = "doc"  # "data" (Parquet rows) or "doc" (card, plots, Data Docs, ...)
    rows: int | None = None
    config: str | None = None
    partition: dict[str, Any] | None = None
    schema_version: str | None = None
    published: dict[str, str | None] | None = None  # first and last published_at (UTC ISO)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Manifest:
    version: str
    schema_version: str
    created_at: str
    files: list[FileEntry] = field(default_factory=list)
    replaces: str | None = None  # the version this re-cut replaces
    notes: str | None = None

    @property
    def data_files(self) -> list[FileEntry]:
        return [f for f in self.files if f.kind == "data"]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "manifest_version": MANIFEST_VERSION,
            "dataset": "baotinh",
            "version": self.version,
            "schema_version": self.schema_version,
            "created_at": self.created_at,
            "replaces": self.replaces,
            "notes": self.notes,
            "configs": CONFIG_DIRS,
            "files": [f.to_json() for f in self.files],
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Check everything a downloader relies on before anything is written."""
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ManifestError("not a baotinh release manifest")
        if data.get("manifest_version") != MANIFEST_VERSION:
            raise ManifestError(
                f"unknown manifest version {data.get('manifest_version')!r} "
                f"(this baotinh reads {MANIFEST_VERSION}); upgrade baotinh"
            )
        schema = data.get("schema_version")
        if schema not in SCHEMA_HISTORY:
            raise ManifestError(
                f"unknown schema version {schema!r} (this baotinh knows "
                f"{', '.join(SCHEMA_HISTORY)}); upgrade baotinh"
            )
        parse_version(str(data.get("version")))
        files = []
        seen: set[str] = set()
        for raw in data.get("files") or []:
            if not isinstance(raw, dict):
                raise ManifestError(f"bad file entry in manifest: {raw!r}")
            path = raw.get("path")
            safe_relpath(path)
            if path in seen:
                raise ManifestError(f"file listed twice in manifest: {path!r}")
            seen.add(path)
            if not _SHA256.match(str(raw.get("sha256"))):
                raise ManifestError(f"bad sha256 for {path!r} in manifest")
            if not isinstance(raw.get("bytes"), int) or raw["bytes"] < 0:
                raise ManifestError(f"bad size for {path!r} in manifest")
            if raw.get("kind") == "data":
                if raw.get("schema_version") not in SCHEMA_HISTORY:
                    raise ManifestError(
                        f"unknown schema version {raw.get('schema_version')!r} for {path!r}"
                    )
                if raw.get("config") not in CONFIG_DIRS:
                    raise ManifestError(f"unknown config {raw.get('config')!r} for {path!r}")
            known = {f for f in FileEntry.__dataclass_fields__}
            files.append(FileEntry(**{k: v for k, v in raw.items() if k in known}))
        return cls(
            version=data["version"],
            schema_version=schema,
            created_at=str(data.get("created_at")),
            files=files,
            replaces=data.get("replaces"),
            notes=data.get("notes"),
        )


def write_json(path: Path, data: Any) -> None:
    """Write atomically (temporary name, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))
