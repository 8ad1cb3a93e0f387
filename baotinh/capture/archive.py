"""Reading kept captures back: WARC files and WACZ packages, and an index of their responses.

``baotinh crawl --replay`` answers every request from an :class:`ArchiveIndex` instead of the
network; ``baotinh reprocess`` and ``export-wacz`` read the same files. A WACZ is a ZIP whose
``archive/`` members are WARC files stored uncompressed (WACZ 1.1.1), so a record inside one is
read like a record of a plain file: at the member's data offset plus the record's offset.

How rows name a record they were read from (``warc_file``): the path relative to the dataset
folder when the file is inside it, else the file's URI; a WARC inside a WACZ is
``<wacz path or URI>#<member>`` and offsets count from the start of that member.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from baotinh.capture.record import WarcLocation

WARC_SUFFIXES = (".warc", ".warc.gz")
WACZ_SUFFIX = ".wacz"
ARCHIVE_SUFFIXES = (*WARC_SUFFIXES, WACZ_SUFFIX)
# Headers that described the bytes on the wire; a served or extracted body is decoded.
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_ZIP_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")


class ArchiveError(ValueError):
    """An input is not a WARC file, WACZ package or folder of them; the message names it."""


def archive_files(
    inputs: Iterable[Path], suffixes: tuple[str, ...] = ARCHIVE_SUFFIXES
) -> list[Path]:
    """The archives named, or found under the folders named, in name order."""
    found: list[Path] = []
    kinds = " or ".join(suffixes)
    for path in inputs:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.name.endswith(suffixes))
        elif path.is_file() and path.name.endswith(suffixes):
            found.append(path)
        elif not path.exists():
            raise ArchiveError(f"{path}: no such file or folder")
        else:
            raise ArchiveError(f"{path}: not an archive ({kinds})")
    return found


def name_in(root: Path | None, path: Path) -> str:
    """How rows name an archive file: relative to the dataset folder ``root`` when inside it,
    else its URI."""
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root):
        return resolved.relative_to(root).as_posix()
    return resolved.as_uri()


def warc_date(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WarcStream:
    """One WARC's bytes: a whole file, or a stored member of a WACZ at ``base``."""

    path: Path  # the file on disk
    name: str  # how rows name this WARC
    base: int = 0  # where the WARC's first byte is in ``path``
    size: int | None = None  # bytes of the WARC (None: to the end of the file)

    def open(self) -> io.BufferedIOBase:
        handle = open(self.path, "rb")  # noqa: SIM115 - handed to the caller
        if self.size is None:
            return handle
        handle.seek(self.base)
        data = handle.read(self.size)  # a member is read whole only while indexing
        handle.close()
        return io.BytesIO(data)

    def read(self, offset: int, length: int) -> bytes:
        with open(self.path, "rb") as handle:
            handle.seek(self.base + offset)
            return handle.read(length)

    def record_at(self, offset: int, length: int) -> ArcWarcRecord:
        records = ArchiveIterator(io.BytesIO(self.read(offset, length)))
        return next(iter(records))


def warc_streams(path: Path, name: str) -> list[WarcStream]:
    """The WARCs of an archive file: itself, or the ``archive/`` members of a WACZ."""
    if not path.name.endswith(WACZ_SUFFIX):
        return [WarcStream(path, name)]
    try:
        with zipfile.ZipFile(path) as package, open(path, "rb") as raw:
            streams = []
            for info in package.infolist():
                if not (info.filename.startswith("archive/") and
                        info.filename.endswith(WARC_SUFFIXES)):  # fmt: skip
                    continue
                if info.compress_type != zipfile.ZIP_STORED:
                    raise ArchiveError(
                        f"{path}: {info.filename} is compressed inside the package; WACZ keeps "
                        "WARC files stored (uncompressed) so records can be read in place"
                    )
                raw.seek(info.header_offset)
                header = _ZIP_LOCAL_HEADER.unpack(raw.read(_ZIP_LOCAL_HEADER.size))
                base = info.header_offset + _ZIP_LOCAL_HEADER.size + header[9] + header[10]
                streams.append(
                    WarcStream(path, f"{name}#{info.filename}", base, info.compress_size)
                )
            return streams
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"{path}: not a WACZ package ({exc})") from None


@dataclass(frozen=True)
class IndexedRecord:
    """Where one response or revisit record is, and what the index needs to choose it."""

    url: str
    date: datetime
    kind: str  # response or revisit
    stream: int  # index into ArchiveIndex.streams
    offset: int
    length: int
    record_id: str
    refers_to: str | None = None  # a revisit's WARC-Refers-To
    digest: str | None = None  # WARC-Payload-Digest


@dataclass(frozen=True)
class ArchivedResponse:
    """A response as an archive holds it, ready to be served: ``body`` is decoded (chunks
    joined, Content-Encoding removed) and ``headers`` no longer describe the wire encoding."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    captured_at: datetime  # the WARC-Date of the record answering (a revisit's own date)
    location: WarcLocation  # the response record holding the payload
    protocol: str = "HTTP/1.1"


def url_key(url: str) -> str:
    """The looser lookup key of a URL (SURT: no scheme, no ``www.``, sorted query)."""
    try:
        return str(surt.surt(url))
    except Exception:
        return url


class ArchiveIndex:
    """Every response and revisit record of some archives, by URL.

    ``lookup(url)`` answers with the latest capture of the URL (exact URL first, then the same
    SURT key, so ``http://www.x`` finds ``https://x``); a revisit is served with the payload of
    the response it refers to.
    """

    def __init__(self, streams: list[WarcStream]) -> None:
        self.streams = streams
        self.by_url: dict[str, IndexedRecord] = {}
        self.by_key: dict[str, IndexedRecord] = {}
        self.by_id: dict[str, IndexedRecord] = {}
        self.by_digest: dict[tuple[str, str], IndexedRecord] = {}
        self.records = 0
        for number, stream in enumerate(streams):
            self._scan(number, stream)

    @classmethod
    def of(cls, inputs: Iterable[Path], root: Path | None = None) -> ArchiveIndex:
        streams: list[WarcStream] = []
        for path in archive_files(inputs):
            streams += warc_streams(path, name_in(root, path))
        return cls(streams)

    def _scan(self, number: int, stream: WarcStream) -> None:
        with stream.open() as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if record.rec_type not in ("response", "revisit"):
                    continue
                headers = record.rec_headers
                url = headers.get_header("WARC-Target-URI")
                if not url:
                    continue
                entry = IndexedRecord(
                    url=url,
                    date=warc_date(headers.get_header("WARC-Date")),
                    kind=record.rec_type,
                    stream=number,
                    # Reads past the record: its payload is not needed to index it.
                    offset=records.get_record_offset(),
                    length=records.get_record_length(),
                    record_id=headers.get_header("WARC-Record-ID"),
                    refers_to=headers.get_header("WARC-Refers-To"),
                    digest=headers.get_header("WARC-Payload-Digest"),
                )
                self.records += 1
                self.by_id[entry.record_id] = entry
                if entry.kind == "response" and entry.digest:
                    self.by_digest.setdefault((url, entry.digest), entry)
                for table, key in ((self.by_url, url), (self.by_key, url_key(url))):
                    known = table.get(key)
                    if known is None or entry.date >= known.date:
                        table[key] = entry

    def __len__(self) -> int:
        return self.records

    def find(self, url: str) -> IndexedRecord | None:
        return self.by_url.get(url) or self.by_key.get(url_key(url))

    def _payload_of(self, entry: IndexedRecord) -> IndexedRecord | None:
        if entry.kind == "response":
            return entry
        if entry.refers_to and entry.refers_to in self.by_id:
            return self.by_id[entry.refers_to]
        if entry.digest:
            return self.by_digest.get((entry.url, entry.digest))
        return None

    def lookup(self, url: str) -> ArchivedResponse | None:
        entry = self.find(url)
        if entry is None:
            return None
        payload = self._payload_of(entry)
        if payload is None:
            return None  # a revisit whose response is not in these archives
        head = self.streams[entry.stream].record_at(entry.offset, entry.length)
        body_record = head
        if payload is not entry:
            body_record = self.streams[payload.stream].record_at(payload.offset, payload.length)
        http = head.http_headers or body_record.http_headers
        if http is None:
            return None  # a response record without HTTP headers (e.g. a DNS record)
        status = http.get_statuscode()
        body = body_record.content_stream().read()
        headers = tuple((k, v) for k, v in http.headers if k.lower() not in WIRE_HEADERS)
        stream = self.streams[payload.stream]
        return ArchivedResponse(
            url=entry.url,
            status=int(status) if status and status.isdigit() else 200,
            headers=(*headers, ("Content-Length", str(len(body)))),
            body=body,
            captured_at=entry.date,
            location=WarcLocation(stream.name, payload.record_id, payload.offset, payload.length),
            protocol=http.protocol or "HTTP/1.1",
        )

    def urls(self) -> Iterator[str]:
        return iter(self.by_url)
