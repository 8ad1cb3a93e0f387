"""The capture record: one HTTP exchange as the archive received it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from baotinh.encoding import decode_page
from baotinh.rights.tdmrep import TdmRule


@dataclass(frozen=True)
class WarcLocation:
    """Where the response record of a capture is stored."""

    file: str  # path relative to the dataset folder (or a URI for foreign archives)
    record_id: str  # WARC-Record-ID, e.g. "<urn:uuid:...>"
    offset: int  # byte offset of the (gzip member of the) record
    length: int  # bytes of the record as stored (compressed)


@dataclass(frozen=True)
class Capture:
    """One response as received: ``body`` is the payload with any Content-Encoding removed.

    ``url`` is the URL requested first (before redirects), ``final_url`` the one that answered.
    ``source`` says where the bytes came from (``crawl``, ``commoncrawl``, ``wayback``, ``file``)
    and ``uri`` where they can be read again.
    """

    url: str
    final_url: str
    status: int | None
    headers: tuple[tuple[str, str], ...]
    body: bytes
    captured_at: datetime
    source: str = "crawl"
    uri: str | None = None
    warc: WarcLocation | None = None
    # What the site said when the page was fetched, when the capturer knows it: its robots.txt
    # (``allowed``, ``absent``, ``unreachable``) and its /.well-known/tdmrep.json rules.
    robots_txt: str | None = None
    tdm_rules: tuple[TdmRule, ...] | None = None
    # Filled by whoever made the capture; not part of the exchange.
    meta: dict[str, object] = field(default_factory=dict, compare=False)

    def header(self, name: str) -> str | None:
        """The first value of a response header (case-insensitive)."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    def is_html(self) -> bool:
        kind = (self.content_type or "").split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return True
        if kind and kind != "application/octet-stream" and not kind.startswith("text/"):
            return False
        head = self.body[:1024].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head

    def text(self) -> str:
        """The body as Unicode NFC: HTTP charset, BOM, ``<meta>``, sniffing; windows-1258 and
        the legacy TCVN3/VNI font encodings converted (``baotinh.encoding``)."""
        return decode_page(self.body, self.content_type).text
