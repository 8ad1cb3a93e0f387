"""``baotinh download``: fetch a release (or the part of it the filters need), verified.

SOURCE is an ``http(s)://`` URL, an ``s3://bucket/prefix`` URL or a local folder: a releases
folder (with ``latest.json``) or one release (with ``manifest.json``). The manifest is checked
whole before anything is written (its format, its schema version, that no path escapes the output
folder). Files are fetched into a hidden staging folder in the output (``.baotinh-download/``),
resumed from where an interrupted run stopped (HTTP ``Range``, S3 ranged GET), each verified
against its SHA-256; rows are then filtered (and tombstoned rows dropped, older releases
included), and only when every file is ready are they renamed into place. A checksum mismatch
removes everything the run wrote.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import pyarrow.compute as pc
import pyarrow.parquet as pq

from baotinh.release.filters import RowFilter
from baotinh.release.manifest import (
    HISTORY,
    LATEST,
    MANIFEST,
    PUBLISHED_TOMBSTONES,
    FileEntry,
    Manifest,
    ManifestError,
    parse_version,
    safe_relpath,
    sha256_file,
    write_json,
)
from baotinh.rights.tombstones import PublishedTombstones, TombstoneError

STAGING = ".baotinh-download"
RECORD = "download.json"
CHUNK = 1 << 20
HTTP_CHUNK = 16 * 1024
DOCS_WANTED = ("README.md", "LICENSE.md", "CITATION.cff", PUBLISHED_TOMBSTONES)


class DownloadError(RuntimeError):
    """A download refused or failed; the message is one line."""


class ChecksumError(DownloadError):
    pass


class Transport(Protocol):
    def describe(self, rel: str) -> str: ...
    def read(self, rel: str) -> bytes: ...  # FileNotFoundError when absent
    def stream(self, rel: str, offset: int) -> tuple[int, Iterator[bytes]]: ...


def _join(base: str, rel: str) -> str:
    return f"{base.rstrip('/')}/{rel}" if base else rel


class LocalTransport:
    def __init__(self, root: str) -> None:
        self.root = Path(root).expanduser()

    def describe(self, rel: str) -> str:
        return str(self.root / rel)

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def stream(self, rel: str, offset: int) -> tuple[int, Iterator[bytes]]:
        def chunks() -> Iterator[bytes]:
            with open(self.root / rel, "rb") as handle:
                handle.seek(offset)
                while block := handle.read(CHUNK):
                    yield block

        return offset, chunks()


class HttpTransport:
    """HTTP(S) with ``requests``: ranged GETs resume a file; a server that ignores ``Range``
    (200 instead of 206) sends it again from the start."""

    def __init__(self, base: str, timeout: float = 60.0) -> None:
        import requests

        self.base = base if base.endswith("/") else base + "/"
        self.session = requests.Session()
        self.timeout = timeout

    def describe(self, rel: str) -> str:
        return _join(self.base, rel)

    def read(self, rel: str) -> bytes:
        response = self.session.get(_join(self.base, rel), timeout=self.timeout)
        if response.status_code == 404:
            raise FileNotFoundError(_join(self.base, rel))
        response.raise_for_status()
        return response.content

    def stream(self, rel: str, offset: int) -> tuple[int, Iterator[bytes]]:
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        response = self.session.get(
            _join(self.base, rel), headers=headers, stream=True, timeout=self.timeout
        )
        if response.status_code == 404:
            raise FileNotFoundError(_join(self.base, rel))
        if response.status_code == 416:  # nothing after offset: the file is complete already
            return offset, iter(())
        response.raise_for_status()
        start = offset if response.status_code == 206 else 0
        # Small reads: a connection that drops loses at most one read's bytes.
        return start, response.iter_content(HTTP_CHUNK)


class S3Transport:
    """``s3://bucket/prefix`` with boto3 (credentials and endpoint from the usual AWS variables,
    e.g. ``AWS_ENDPOINT_URL`` for an S3-compatible store)."""

    def __init__(self, url: str) -> None:
        import boto3

        parts = urlsplit(url)
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        self.client = boto3.client("s3")

    def _key(self, rel: str) -> str:
        return _join(self.prefix, rel)

    def describe(self, rel: str) -> str:
        return f"s3://{self.bucket}/{self._key(rel)}"

    def read(self, rel: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(rel))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(self.describe(rel)) from None

    def stream(self, rel: str, offset: int) -> tuple[int, Iterator[bytes]]:
        from botocore.exceptions import ClientError

        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(rel)}
        if offset:
            kwargs["Range"] = f"bytes={offset}-"
        try:
            answer = self.client.get_object(**kwargs)
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(self.describe(rel)) from None
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "InvalidRange":
                return offset, iter(())
            raise
        start = offset if answer.get("ContentRange") else 0
        return start, answer["Body"].iter_chunks(CHUNK)


def transport_for(source: str) -> Transport:
    scheme = urlsplit(source).scheme
    if scheme in ("http", "https"):
        return HttpTransport(source)
    if scheme == "s3":
        return S3Transport(source)
    if scheme and len(scheme) > 1:
        raise DownloadError(f"unsupported source {source!r} (http(s)://, s3:// or a folder)")
    return LocalTransport(source)


# -- Resolving the release -----------------------------------------------------------------


@dataclass
class Resolved:
    transport: Transport
    prefix: str  # the release folder, relative to the transport's root ("" or "1.0.1")
    manifest: Manifest
    tombstones: PublishedTombstones
    notes: list[str] = field(default_factory=list)


def _json(transport: Transport, rel: str) -> Any:
    try:
        return json.loads(transport.read(rel))
    except ValueError as exc:
        raise DownloadError(f"{transport.describe(rel)} is not JSON: {exc}") from None


def resolve(source: str, version: str | None = None) -> Resolved:
    transport = transport_for(source)
    notes: list[str] = []
    try:
        try:
            raw_manifest = _json(transport, MANIFEST)
            prefix = ""
            if version and raw_manifest.get("version") != version:
                raise DownloadError(
                    f"{transport.describe(MANIFEST)} is release {raw_manifest.get('version')}, "
                    f"not {version}"
                )
        except FileNotFoundError:
            if version:
                parse_version(version)
                version = _follow_replacements(transport, version, notes)
            else:
                latest = _json(transport, LATEST)
                if not isinstance(latest, dict) or latest.get("format") != "baotinh-latest":
                    raise DownloadError(
                        f"{transport.describe(LATEST)} is not a latest.json"
                    ) from None
                version = str(latest.get("version"))
                parse_version(version)
            prefix = version
            raw_manifest = _json(transport, f"{prefix}/{MANIFEST}")
        manifest = Manifest.from_json(raw_manifest)
        tombstones = PublishedTombstones()
        for rel in (PUBLISHED_TOMBSTONES, _join(prefix, PUBLISHED_TOMBSTONES)):
            try:
                tombstones = tombstones.merged(PublishedTombstones.from_json(_json(transport, rel)))
            except FileNotFoundError:
                continue
    except FileNotFoundError as exc:
        raise DownloadError(f"no baotinh release at {source} ({exc} not found)") from None
    except (ManifestError, TombstoneError) as exc:
        raise DownloadError(str(exc)) from None
    except Exception as exc:
        if _is_network(exc):
            raise DownloadError(f"cannot read {source}: {_network_reason(exc)}") from None
        raise
    return Resolved(transport, prefix, manifest, tombstones, notes)


def _is_network(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("requests", "urllib3", "botocore", "boto3"))


def _network_reason(exc: BaseException) -> str:
    """The useful end of a transport error (``Connection refused``, ``404 Client Error``)."""
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return found[1].strip() if found else (text.splitlines() or [type(exc).__name__])[0][:200]


def _follow_replacements(transport: Transport, version: str, notes: list[str]) -> str:
    try:
        history = _json(transport, HISTORY)
    except FileNotFoundError:
        return version
    by_version = {r.get("version"): r for r in history.get("releases") or []}
    seen = set()
    while by_version.get(version, {}).get("status") == "replaced" and version not in seen:
        seen.add(version)
        new = by_version[version]["replaced_by"]
        notes.append(f"release {version} was withdrawn after a takedown; using its re-cut {new}")
        version = new
    return version


# -- Fetching -------------------------------------------------------------------------------


def _inside(out: Path, rel: str) -> Path:
    target = (out / safe_relpath(rel)).resolve()
    if not target.is_relative_to(out):
        raise ManifestError(f"manifest path escapes the output folder: {rel!r}")
    return target


def _fetch(resolved: Resolved, entry: FileEntry, staged: Path, say: Callable[[str], None]) -> None:
    """``staged`` holds the verified file afterwards (resuming ``<staged>.part``)."""
    if (
        staged.exists()
        and staged.stat().st_size == entry.bytes
        and sha256_file(staged) == entry.sha256
    ):
        return
    part = staged.with_name(staged.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    offset = part.stat().st_size if part.exists() else 0
    if offset > entry.bytes:
        part.unlink()
        offset = 0
    start, chunks = resolved.transport.stream(_join(resolved.prefix, entry.path), offset)
    if start and start != offset:
        raise DownloadError(f"{entry.path}: the server resumed at {start}, not {offset}")
    if offset:
        say(f"{entry.path}: resuming at {offset} of {entry.bytes} bytes")
    with open(part, "ab" if start else "wb") as handle:
        for block in chunks:
            handle.write(block)
            if handle.tell() > entry.bytes:
                break
        handle.flush()
        os.fsync(handle.fileno())
    if part.stat().st_size != entry.bytes or sha256_file(part) != entry.sha256:
        raise ChecksumError(
            f"checksum mismatch for {entry.path} from {resolved.transport.describe(entry.path)}: "
            "refused, nothing written"
        )
    part.replace(staged)


def _filter_file(
    path: Path, entry: FileEntry, row_filter: RowFilter, tombstones: PublishedTombstones
) -> int:
    """Filter a verified data file in place (batch by batch); returns the rows kept."""
    if row_filter.keeps_whole_file(entry.partition) and not tombstones:
        return int(entry.rows or 0)
    source = pq.ParquetFile(path)
    tmp = path.with_name(path.name + ".filtered")
    kept = 0
    writer = pq.ParquetWriter(tmp, source.schema_arrow, compression="zstd")
    try:
        for batch in source.iter_batches(batch_size=8192):
            mask = row_filter.mask(batch)
            if tombstones:
                mask = pc.and_(mask, pc.invert(tombstones.mask(batch)))
            chosen = batch.filter(mask)
            if chosen.num_rows:
                writer.write_batch(chosen)
                kept += chosen.num_rows
    finally:
        writer.close()
    tmp.replace(path)
    return kept


@dataclass
class DownloadResult:
    version: str
    files: int = 0
    rows: int = 0
    bytes_fetched: int = 0
    dropped_by_tombstones: bool = False
    notes: list[str] = field(default_factory=list)


def download(
    source: str,
    out: Path,
    row_filter: RowFilter,
    version: str | None = None,
    say: Callable[[str], None] = lambda m: print(f"baotinh: {m}", file=sys.stderr, flush=True),
) -> DownloadResult:
    resolved = resolve(source, version)
    for note in resolved.notes:
        say(note)
    manifest = resolved.manifest
    created_out = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    staging = out / STAGING / manifest.version
    wanted = [f for f in manifest.data_files if row_filter.wants_partition(f.partition)]
    wanted += [f for f in manifest.files if f.kind != "data" and f.path in DOCS_WANTED]
    try:
        targets = {f.path: _inside(out, f.path) for f in wanted}  # all checked before any fetch
    except ManifestError as exc:
        if created_out:
            shutil.rmtree(out, ignore_errors=True)
        raise DownloadError(str(exc)) from None
    result = DownloadResult(manifest.version, notes=resolved.notes)
    total = sum(f.bytes for f in wanted)
    say(
        f"release {manifest.version}: {len(wanted)} of {len(manifest.files)} files, "
        f"{total / 1024 / 1024:.1f} MiB"
    )
    kept: dict[str, int] = {}
    try:
        for number, entry in enumerate(wanted, 1):
            staged = staging / entry.path
            say(f"[{number}/{len(wanted)}] {entry.path} ({entry.bytes / 1024:.0f} KiB)")
            _fetch(resolved, entry, staged, say)
            result.bytes_fetched += entry.bytes
        for entry in wanted:
            if entry.kind == "data":
                kept[entry.path] = _filter_file(
                    staging / entry.path, entry, row_filter, resolved.tombstones
                )
    except ChecksumError:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(out / STAGING)
        if created_out:
            shutil.rmtree(out, ignore_errors=True)
        raise
    except OSError as exc:
        raise DownloadError(f"download interrupted ({exc}); run it again to resume") from None
    except Exception as exc:
        if _is_network(exc):
            raise DownloadError(
                f"download interrupted ({_network_reason(exc)}); run it again to resume"
            ) from None
        raise
    # Every file is verified and filtered: put them in place, then the record of what this is.
    records = []
    for entry in wanted:
        staged, target = staging / entry.path, targets[entry.path]
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.kind == "data" and kept.get(entry.path, 0) == 0:
            staged.unlink()
            continue
        staged.replace(target)
        record = {"path": entry.path, "bytes": target.stat().st_size}
        if entry.kind == "data":
            record.update(
                rows=kept[entry.path],
                config=entry.config,
                partition=entry.partition,
                source_sha256=entry.sha256,
                sha256=sha256_file(target),
            )
            result.rows += kept[entry.path]
        records.append(record)
        result.files += 1
    # The release's own manifest, for provenance (the files here may be filtered subsets).
    write_json(out / f"release-{MANIFEST}", manifest.to_json())
    write_json(
        out / RECORD,
        {
            "format": "baotinh-download",
            "source": source,
            "version": manifest.version,
            "schema_version": manifest.schema_version,
            "filters": row_filter.describe(),
            "tombstones_applied": len(resolved.tombstones.entries),
            "files": records,
        },
    )
    shutil.rmtree(staging, ignore_errors=True)
    _remove_empty(out / STAGING)
    return result


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
