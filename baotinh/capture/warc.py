"""WARC capture: every exchange the crawl receives, as it was sent, in gzipped WARC/1.1 files.

Written with warcio (the maintained WARC library of the web-archiving community). Layout:
``<out>/warc/baotinh-<run id>-<n>.warc.gz``, a ``warcinfo`` record first, then for each exchange
a ``response`` (or ``revisit``) record and its ``request``; files roll at ``max_bytes``.

- "As sent": the body is the payload before Content-Encoding is removed, ``Transfer-Encoding``
  is dropped (the chunks are already joined), each redirect hop is its own exchange.
- An unchanged payload of a URL already captured becomes a ``revisit`` record (profile
  identical-payload-digest) that refers to the first response; rows point at that response.
  A ``304 Not Modified`` becomes a ``revisit`` record (profile server-not-modified) that refers
  to the URL's latest response record.
- Every record is its own gzip member, flushed to the OS after it is written, so a ``kill -9``
  leaves each file readable up to its last complete record; ``recover_warc_files`` trims a torn
  tail. Before the Parquet store commits rows that point into a WARC file, ``sync()`` fsyncs it,
  so the ledger never counts a URL as archived whose capture is not on disk.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from baotinh import PROJECT_URL, __version__
from baotinh.capture.record import WarcLocation
from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import Ledger

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 1024 * MiB
# Hop-by-hop and proxy headers are not part of the exchange with the site.
DROP_RESPONSE_HEADERS = frozenset({"transfer-encoding"})
DROP_REQUEST_HEADERS = frozenset({"proxy-authorization", "proxy-connection"})
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response as they crossed the wire."""

    url: str
    method: str
    request_headers: tuple[tuple[str, str], ...]
    status: int
    response_headers: tuple[tuple[str, str], ...]
    body: bytes  # as received: chunks joined, Content-Encoding still applied
    captured_at: datetime
    protocol: str = "HTTP/1.1"
    reason: str | None = None
    ip_address: str | None = None


def payload_digest(body: bytes) -> str:
    """WARC-Payload-Digest form: ``sha1:<base32>``."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _reason(status: int, reason: str | None) -> str:
    if reason:
        return reason
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class WarcWriter:
    """Writes exchanges to rolling WARC files under ``<out>/warc/`` and lists them in the ledger."""

    def __init__(
        self,
        out_dir: str | os.PathLike[str],
        ledger: Ledger,
        run_id: str,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.layout = Layout.of(out_dir)
        self.ledger = ledger
        self.run_id = run_id
        self.max_bytes = max_bytes
        self._serial = 0
        self._file: IO[bytes] | None = None
        self._rel = ""
        self._writer: WARCWriter | None = None
        self._records = 0
        self._unsynced = False
        self.records_written = 0
        self.revisits_written = 0

    # -- files --------------------------------------------------------------------------------

    def _open(self) -> None:
        self._serial += 1
        folder = self.layout.warc
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"baotinh-{self.run_id}-{self._serial:05d}.warc.gz"
        self._rel = self.layout.relative(path)
        # Listed before the first byte is written: recovery knows every file a run opened.
        self.ledger.warc_file_opened(self._rel, self.run_id, datetime.now(UTC))
        self._file = open(path, "ab")  # noqa: SIM115 - closed in _close
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self._records = 0
        info = self._writer.create_warcinfo_record(
            path.name,
            {
                "software": f"baotinh/{__version__} ({PROJECT_URL}); warcio",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/",
                "robots": "obey",
            },
        )
        self._write(info)

    def _close(self) -> None:
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        size = self._file.tell()
        self._file.close()
        self.ledger.warc_file_closed(self._rel, size, self._records, datetime.now(UTC))
        self._file = self._writer = None

    def _write(self, record: object) -> tuple[int, int]:
        assert self._file is not None and self._writer is not None
        offset = self._file.tell()
        self._writer.write_record(record)
        self._file.flush()  # to the OS: a killed process loses nothing written so far
        self._records += 1
        self._unsynced = True
        return offset, self._file.tell() - offset

    def sync(self) -> None:
        """Make every record written so far durable (called before rows pointing here publish)."""
        if self._file is not None and self._unsynced:
            os.fsync(self._file.fileno())
            self.ledger.warc_file_synced(self._rel, self._file.tell(), self._records)
            self._unsynced = False

    def close(self) -> None:
        self._close()

    # -- exchanges ----------------------------------------------------------------------------

    def write(self, exchange: Exchange) -> WarcLocation:
        """Write one exchange; the location of the response record holding its payload."""
        if self._file is None or self._file.tell() >= self.max_bytes:
            self._close()
            self._open()
        assert self._writer is not None
        date = warc_date(exchange.captured_at)
        digest = payload_digest(exchange.body)
        http = StatusAndHeaders(
            f"{exchange.status} {_reason(exchange.status, exchange.reason)}",
            [
                (k, v)
                for k, v in exchange.response_headers
                if k.lower() not in DROP_RESPONSE_HEADERS
            ],
            protocol=exchange.protocol,
        )
        warc_headers = {"WARC-Date": date}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        earlier = self.ledger.warc_payload(exchange.url, digest) if exchange.body else None
        confirmed = self.ledger.warc_latest(exchange.url) if exchange.status == 304 else None
        if confirmed is not None:
            # A 304 to a conditional request: a revisit (server-not-modified) of the response
            # the validators came from; rows read from it point at that response.
            record = self._writer.create_warc_record(
                exchange.url,
                "revisit",
                http_headers=http,
                warc_headers_dict={
                    **warc_headers,
                    "WARC-Profile": SERVER_NOT_MODIFIED,
                    "WARC-Refers-To": confirmed.record_id,
                    "WARC-Refers-To-Target-URI": exchange.url,
                    "WARC-Refers-To-Date": confirmed.date,
                },
            )
            self._write(record)
            self.revisits_written += 1
            location = WarcLocation(
                confirmed.file, confirmed.record_id, confirmed.offset, confirmed.length
            )
        elif earlier is not None:
            record = self._writer.create_revisit_record(
                exchange.url,
                digest=digest,
                refers_to_uri=exchange.url,
                refers_to_date=earlier.date,
                http_headers=http,
                warc_headers_dict={**warc_headers, "WARC-Refers-To": earlier.record_id},
            )
            self._write(record)
            self.revisits_written += 1
            location = WarcLocation(earlier.file, earlier.record_id, earlier.offset, earlier.length)
        else:
            record = self._writer.create_warc_record(
                exchange.url,
                "response",
                payload=io.BytesIO(exchange.body),
                length=len(exchange.body),
                http_headers=http,
                warc_headers_dict=warc_headers,
            )
            offset, length = self._write(record)
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            location = WarcLocation(self._rel, record_id, offset, length)
            if exchange.body:
                self.ledger.warc_payload_add(exchange.url, digest, location, date)
        self._write(self._request_record(exchange, date, record.rec_headers))
        self.records_written += 1
        return location

    def _rotate_if_due(self) -> None:
        if self._file is None or self._file.tell() >= self.max_bytes:
            self._close()
            self._open()

    def write_member(self, member: bytes) -> WarcLocation:
        """Append a record fetched from another archive exactly as it was stored there: one
        gzip member holding one WARC record (a Common Crawl record read by byte range)."""
        from warcio.archiveiterator import ArchiveIterator

        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        self._rotate_if_due()
        assert self._file is not None
        offset = self._file.tell()
        self._file.write(member)
        self._file.flush()
        self._records += 1
        self._unsynced = True
        self.records_written += 1
        return WarcLocation(self._rel, record_id, offset, len(member))

    def write_response(
        self,
        url: str,
        status: int,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        captured_at: datetime,
        extra: dict[str, str] | None = None,
    ) -> WarcLocation:
        """A response record of a capture read from another archive (no request record: the
        request was not ours). ``extra`` WARC headers say where it came from."""
        self._rotate_if_due()
        assert self._writer is not None
        http = StatusAndHeaders(
            f"{status} {_reason(status, None)}",
            [(k, v) for k, v in headers if k.lower() not in DROP_RESPONSE_HEADERS],
            protocol="HTTP/1.1",
        )
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": warc_date(captured_at), **(extra or {})},
        )
        offset, length = self._write(record)
        self.records_written += 1
        return WarcLocation(self._rel, record.rec_headers.get_header("WARC-Record-ID"), offset,
                            length)  # fmt: skip

    def _request_record(self, exchange: Exchange, date: str, response_headers: object) -> object:
        assert self._writer is not None
        parts = urlsplit(exchange.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [
            (k, v) for k, v in exchange.request_headers if k.lower() not in DROP_REQUEST_HEADERS
        ]
        if not any(k.lower() == "host" for k, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        record = self._writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"{exchange.method} {target} {exchange.protocol}", headers, is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response_headers.get_header("WARC-Record-ID"),  # type: ignore[attr-defined]
            },
        )
        return record


def complete_length(path: Path) -> int:
    """Bytes of ``path`` made of complete gzip members (a member torn by a kill is excluded).

    Streams the file once; every WARC record is its own member, so this is where the last
    complete record ends."""
    good = consumed = 0
    inflater = zlib.decompressobj(wbits=31)
    with open(path, "rb") as handle:
        buffer = b""
        while True:
            if not buffer:
                buffer = handle.read(1 << 16)
                if not buffer:
                    return good
            try:
                inflater.decompress(buffer)
            except zlib.error:
                return good
            if inflater.eof:
                consumed += len(buffer) - len(inflater.unused_data)
                good = consumed
                buffer = inflater.unused_data
                inflater = zlib.decompressobj(wbits=31)
            else:
                consumed += len(buffer)
                buffer = b""


def recover_warc_files(out_dir: Path, ledger: Ledger) -> list[str]:
    """Trim the torn tail of WARC files a killed run left open; close them in the ledger."""
    layout = Layout.of(out_dir)
    trimmed = []
    for rel in ledger.open_warc_files():
        path = layout.root / rel
        if not path.exists():
            ledger.warc_file_closed(rel, 0, 0, datetime.now(UTC))
            continue
        good = complete_length(path)
        if good < path.stat().st_size:
            with open(path, "r+b") as handle:
                handle.truncate(good)
                os.fsync(handle.fileno())
            trimmed.append(rel)
        ledger.warc_file_closed(rel, good, None, datetime.now(UTC))
    return trimmed
