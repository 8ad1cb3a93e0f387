"""The two archives a backfill reads: Common Crawl and the Wayback Machine.

Each is a :class:`Service`: its CDX index answers which captures of a host exist (paged, the
page position kept so a run can resume), and its records are fetched one by one. Every request
goes through :class:`Http`, which keeps the service's pace (at most ``index_per_minute`` index
requests a minute, a pause between record fetches), retries what a network hiccup broke, and
at the first **429** drops the service for the rest of the run (:class:`ServiceDropped`): the
Wayback Machine blocks clients that go on after a 429.

Why this client and not the maintained ones whole: ``cdx_toolkit`` retries a 429 with backoff
(up to a hundred times), paces by host from environment variables read at import, hides the
page it is on inside its iterator (a days-long run could not resume) and refuses a collinfo
with fewer than 60 crawls; ``wayback`` hard-codes web.archive.org's URLs (no mirror or local
server can be named) and keeps the resume key inside its generator. This module uses
``cdx_toolkit`` where it fits: choosing the crawls of a date range from their names
(``filter_cc_endpoints``) and reading pywb's JSON-lines answers. The endpoint URLs are
settings (``BAOTINH_CC_COLLINFO_URL``, ``BAOTINH_CC_DATA_URL``, ``BAOTINH_WAYBACK_CDX_URL``,
``BAOTINH_WAYBACK_URL``), so a test or a mirror points the clients elsewhere.

Query forms:
- Common Crawl (pywb over ZipNum indexes, one per crawl): ``url=<host>&matchType=host
  &output=json&filter=status:200&collapse=digest&from=&to=&pageSize=&page=``; the page count
  from ``showNumPages=true``; resume position = (crawl, host, page).
- Wayback Machine CDX API: ``url=<host>&matchType=host&output=json&filter=statuscode:200
  &collapse=digest&from=&to=&limit=&showResumeKey=true[&resumeKey=]``; resume position = the
  resume key. A server that sends no key (pywb) has answered everything in one page.
- Records: Common Crawl ``GET <data>/<filename>`` with ``Range: bytes=<offset>-<end>`` (one
  gzip member, kept as it is); Wayback ``GET <wayback>/<timestamp>id_/<url>`` (the raw capture;
  the original headers arrive as ``X-Archive-Orig-*``).
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin

import requests
from warcio.archiveiterator import ArchiveIterator

from baotinh import PROJECT_URL, __version__
from baotinh.capture.archive import WIRE_HEADERS, warc_date

logger = logging.getLogger(__name__)

USER_AGENT = f"baotinh/{__version__} (+{PROJECT_URL}; backfill of Vietnamese provincial news)"
COMMONCRAWL, WAYBACK = "commoncrawl", "wayback"
RETRY_STATUSES = frozenset({500, 502, 503, 504})
_MEMENTO = re.compile(r"/(\d{14})id_/")
# Headers that belong to the archive's answer, not to the captured response.
_ARCHIVE_HEADERS = frozenset({
    "content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive",
    "memento-datetime", "link", "server", "date", "set-cookie", "x-archive-src",
    "x-archive-guessed-content-type", "x-archive-guessed-charset", "x-app-server",
    "x-ts", "x-tr", "x-location", "x-cache-key", "x-page-cache", "x-nid", "server-timing",
    "content-security-policy", "content-security-policy-report-only", "referrer-policy",
    "permissions-policy", "x-frame-options", "access-control-allow-origin", "accept-ranges",
    "content-range", "strict-transport-security",
})  # fmt: skip


class ServiceDropped(RuntimeError):
    """The service answered 429: it is not asked again in this run."""


class ServiceError(RuntimeError):
    """A request failed after its retries (the capture is counted failed, the run goes on)."""


@dataclass(frozen=True)
class Limits:
    index_per_minute: float = 20.0
    fetch_interval_s: float = 1.0
    retries: int = 3
    backoff_s: float = 5.0
    timeout_s: float = 60.0


class Http:
    """One service's requests: paced, retried, and dropped at the first 429."""

    def __init__(
        self, name: str, limits: Limits, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.name = name
        self.limits = limits
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT  # http(s)_proxy/no_proxy honoured
        self.dropped = False
        self.index_requests = 0
        self.fetches = 0
        self._next: dict[str, float] = {"index": 0.0, "fetch": 0.0}

    def _wait(self, kind: str) -> None:
        interval = (
            60.0 / self.limits.index_per_minute if kind == "index" else self.limits.fetch_interval_s
        )
        now = time.monotonic()
        if now < self._next[kind]:
            self.sleep(self._next[kind] - now)
        self._next[kind] = max(now, self._next[kind]) + interval

    def get(self, url: str, kind: str, **kwargs: Any) -> requests.Response:
        if self.dropped:
            raise ServiceDropped(f"{self.name} was dropped after a 429 earlier in this run")
        last: str = ""
        for attempt in range(self.limits.retries + 1):
            self._wait(kind)
            if kind == "index":
                self.index_requests += 1
            else:
                self.fetches += 1
            try:
                answer = self.session.get(url, timeout=self.limits.timeout_s, **kwargs)
            except requests.RequestException as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if answer.status_code == 429:
                    self.dropped = True
                    raise ServiceDropped(f"{self.name} answered 429 to {answer.url}")
                if answer.status_code not in RETRY_STATUSES:
                    return answer
                last = f"HTTP {answer.status_code}"
            if attempt < self.limits.retries:
                self.sleep(min(60.0, self.limits.backoff_s * 2**attempt))
        raise ServiceError(f"{self.name}: {url} failed {self.limits.retries + 1} times ({last})")


@dataclass(frozen=True)
class CdxCapture:
    """One capture an index lists (the fields both indexes give)."""

    url: str
    timestamp: str  # 14 digits, UTC
    status: str | None
    mime: str | None
    digest: str | None
    filename: str | None = None  # Common Crawl: the WARC file holding it
    offset: int | None = None
    length: int | None = None

    @property
    def captured_at(self) -> datetime:
        return datetime.strptime(self.timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(
            tzinfo=UTC
        )


@dataclass
class Page:
    captures: list[CdxCapture]
    next_cursor: str | None  # None: the query is exhausted


@dataclass(frozen=True)
class Query:
    """One index query of a host: ``key`` names it in the resume state."""

    service: str
    key: str
    endpoint: str
    params: dict[str, str] = field(hash=False)


@dataclass
class Fetched:
    """A capture's record as fetched: what to keep as WARC and what to extract from."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # decoded payload
    captured_at: datetime
    uri: str  # where it can be read again
    member: bytes | None = None  # Common Crawl: the record's gzip member as stored there
    extra: dict[str, str] = field(default_factory=dict)  # WARC headers of a record we write


def _stamp(day: date, end: bool = False) -> str:
    return day.strftime("%Y%m%d") + ("235959" if end else "000000")


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def parse_cdx(text: str) -> tuple[list[dict[str, Any]], str | None]:
    """Rows of a CDX answer in either form, and the resume key when one was sent.

    The Wayback Machine's ``output=json`` is a JSON array whose first row names the fields and
    whose resume key follows an empty row; pywb's is one JSON object a line (``cdx_toolkit``
    reads both the same way)."""
    text = text.strip()
    if not text:
        return [], None
    if text.startswith("["):
        rows = json.loads(text)
        if not rows:
            return [], None
        fields, resume, found = rows[0], None, []
        for number, row in enumerate(rows[1:], start=1):
            if not row:  # the resume key follows an empty row
                rest = rows[number + 1 :]
                resume = rest[0][0] if rest and rest[0] else None
                break
            found.append(dict(zip(fields, row, strict=False)))
        return found, resume
    return _json_lines(text), None


def to_capture(row: dict[str, Any]) -> CdxCapture:
    def number(name: str) -> int | None:
        value = row.get(name)
        return int(value) if value not in (None, "", "-") else None

    return CdxCapture(
        url=row.get("url") or row.get("original") or "",
        timestamp=str(row.get("timestamp", "")),
        status=str(row.get("status") or row.get("statuscode") or "") or None,
        mime=row.get("mime") or row.get("mimetype"),
        digest=row.get("digest"),
        filename=row.get("filename"),
        offset=number("offset"),
        length=number("length"),
    )


def _no_captures(answer: requests.Response) -> bool:
    """pywb answers a query without captures with 404 and a JSON error."""
    return answer.status_code == 404 and answer.text.lstrip().startswith("{")


class Service:
    name: str
    http: Http

    def queries(self, hosts: list[str], start: date, end: date) -> Iterator[Query]:
        raise NotImplementedError

    def page(self, query: Query, cursor: str | None) -> Page:
        raise NotImplementedError

    def fetch(self, capture: CdxCapture) -> Fetched:
        raise NotImplementedError

    def capture_key(self, capture: CdxCapture) -> str:
        raise NotImplementedError

    def capture_of(self, key: str, url: str) -> CdxCapture:
        """The capture a resume-state key names (to try a failed fetch again)."""
        raise NotImplementedError


class CommonCrawl(Service):
    name = COMMONCRAWL

    def __init__(self, collinfo_url: str, data_url: str, limits: Limits, page_size: int = 1):
        self.http = Http(self.name, limits)
        self.collinfo_url = collinfo_url
        self.data_url = data_url.rstrip("/") + "/"
        self.page_size = page_size
        self._crawls: list[dict[str, Any]] | None = None

    def crawls(self, start: date, end: date) -> list[dict[str, Any]]:
        """The crawls whose dates can hold captures of [start, end] (cdx_toolkit's choice by
        crawl name, which keeps one neighbour on each side: a crawl's name dates its end)."""
        from cdx_toolkit.commoncrawl import filter_cc_endpoints

        if self._crawls is None:
            answer = self.http.get(self.collinfo_url, "index")
            if answer.status_code != 200:
                raise ServiceError(f"{self.collinfo_url}: HTTP {answer.status_code}")
            self._crawls = answer.json()
        by_endpoint = {c["cdx-api"]: c for c in self._crawls}
        chosen = filter_cc_endpoints(
            sorted(by_endpoint), "ascending", {"from_ts": _stamp(start), "to": _stamp(end, True)}
        )
        return [by_endpoint[e] for e in chosen]

    def queries(self, hosts: list[str], start: date, end: date) -> Iterator[Query]:
        for crawl in self.crawls(start, end):
            for host in hosts:
                params = {
                    "url": host, "matchType": "host", "output": "json",
                    "filter": "status:200", "collapse": "digest",
                    "from": _stamp(start), "to": _stamp(end, True),
                    "pageSize": str(self.page_size),
                }  # fmt: skip
                key = f"{crawl['id']} {host} {start.isoformat()} {end.isoformat()}"
                yield Query(self.name, key, crawl["cdx-api"], params)

    def page(self, query: Query, cursor: str | None) -> Page:
        """One page of the query; the cursor is ``<next page>/<pages>``."""
        if cursor:
            number, pages = (int(x) for x in cursor.split("/"))
        else:
            number = 0
            answer = self.http.get(query.endpoint, "index",
                                   params={**query.params, "showNumPages": "true"})  # fmt: skip
            if _no_captures(answer):
                return Page([], None)
            if answer.status_code != 200:
                raise ServiceError(f"{query.endpoint}: HTTP {answer.status_code}")
            info = answer.json() if answer.text.lstrip().startswith("{") else {}
            pages = int(info.get("pages", 1)) if isinstance(info, dict) else 1
            if pages == 0:
                return Page([], None)
        answer = self.http.get(query.endpoint, "index", params={**query.params, "page": number})
        if _no_captures(answer) or answer.status_code == 400:  # pywb: past the last page
            return Page([], None)
        if answer.status_code != 200:
            raise ServiceError(f"{query.endpoint}: HTTP {answer.status_code}")
        rows, _ = parse_cdx(answer.text)
        following = number + 1
        return Page([to_capture(r) for r in rows],
                    f"{following}/{pages}" if following < pages else None)  # fmt: skip

    def capture_key(self, capture: CdxCapture) -> str:
        return f"{capture.timestamp} {capture.filename}:{capture.offset}:{capture.length}"

    def capture_of(self, key: str, url: str) -> CdxCapture:
        timestamp, location = key.split(" ", 1)
        filename, offset, length = location.rsplit(":", 2)
        return CdxCapture(url, timestamp, "200", None, None, filename, int(offset), int(length))

    def fetch(self, capture: CdxCapture) -> Fetched:
        if capture.filename is None or capture.offset is None or not capture.length:
            raise ServiceError(f"the index gives no record location for {capture.url}")
        first, last = capture.offset, capture.offset + capture.length - 1
        url = urljoin(self.data_url, capture.filename)
        answer = self.http.get(url, "fetch", headers={"Range": f"bytes={first}-{last}"},
                               stream=True)  # fmt: skip
        # The bytes as sent: a server that labels .gz files Content-Encoding: gzip must not
        # have the record's own compression undone on the way.
        member = answer.raw.read(decode_content=False)
        answer.close()
        if answer.status_code != 206 or len(member) != capture.length:
            raise ServiceError(f"{url} bytes {first}-{last}: HTTP {answer.status_code}, "
                               f"{len(member)} bytes")  # fmt: skip
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        http = record.http_headers
        if record.rec_type != "response" or http is None:
            raise ServiceError(f"{url} bytes {first}-{last} hold a {record.rec_type} record")
        status = http.get_statuscode()
        body = record.content_stream().read()
        headers = tuple((k, v) for k, v in http.headers if k.lower() not in WIRE_HEADERS)
        return Fetched(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            status=int(status) if status and status.isdigit() else 0,
            headers=headers,
            body=body,
            captured_at=warc_date(record.rec_headers.get_header("WARC-Date")),
            uri=f"{url}#bytes={first}-{last}",
            member=member,
        )


class Wayback(Service):
    name = WAYBACK

    def __init__(self, cdx_url: str, replay_url: str, limits: Limits, page_rows: int = 5000):
        self.http = Http(self.name, limits)
        self.cdx_url = cdx_url
        self.replay_url = replay_url.rstrip("/") + "/"
        self.page_rows = page_rows

    def queries(self, hosts: list[str], start: date, end: date) -> Iterator[Query]:
        for host in hosts:
            params = {
                "url": host, "matchType": "host", "output": "json",
                "filter": "statuscode:200", "collapse": "digest",
                "from": _stamp(start), "to": _stamp(end, True),
                "limit": str(self.page_rows), "showResumeKey": "true",
            }  # fmt: skip
            key = f"{host} {start.isoformat()} {end.isoformat()}"
            yield Query(self.name, key, self.cdx_url, params)

    def page(self, query: Query, cursor: str | None) -> Page:
        params = dict(query.params)
        if cursor:
            params["resumeKey"] = cursor
        answer = self.http.get(query.endpoint, "index", params=params)
        if _no_captures(answer):
            return Page([], None)
        if answer.status_code != 200:
            raise ServiceError(f"{query.endpoint}: HTTP {answer.status_code}")
        rows, resume = parse_cdx(answer.text)
        return Page([to_capture(r) for r in rows], resume)

    def capture_key(self, capture: CdxCapture) -> str:
        return f"{capture.timestamp} {capture.url}"

    def capture_of(self, key: str, url: str) -> CdxCapture:
        timestamp, original = key.split(" ", 1)
        return CdxCapture(original, timestamp, "200", None, None)

    def fetch(self, capture: CdxCapture) -> Fetched:
        memento = f"{self.replay_url}{capture.timestamp}id_/{capture.url}"
        answer = self.http.get(memento, "fetch")
        if answer.status_code != 200:
            raise ServiceError(f"{memento}: HTTP {answer.status_code}")
        # The Wayback Machine may send a request on to the nearest capture it can play: the
        # capture read is the one the final memento URL names.
        played = _MEMENTO.search(answer.url)
        captured_at = capture.captured_at
        if answer.url != memento and played:
            memento = answer.url
            captured_at = CdxCapture(capture.url, played[1], None, None, None).captured_at
        original = [
            (k[len("x-archive-orig-") :], v)
            for k, v in answer.headers.items()
            if k.lower().startswith("x-archive-orig-")
        ]
        if original:  # the Wayback Machine: the captured headers, prefixed
            headers = [(k, v) for k, v in original if k.lower() not in _ARCHIVE_HEADERS]
            if "Content-Type" in answer.headers:
                headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
                headers.append(("Content-Type", answer.headers["Content-Type"]))
        else:  # pywb's id_ mode: the captured headers as they were
            headers = [(k, v) for k, v in answer.headers.items()
                       if k.lower() not in _ARCHIVE_HEADERS]  # fmt: skip
        return Fetched(
            url=capture.url,
            status=int(capture.status) if (capture.status or "").isdigit() else 200,
            headers=tuple(headers),
            body=answer.content,  # requests removed any Content-Encoding
            captured_at=captured_at,
            uri=memento,
            extra={"WARC-Source-URI": memento},
        )
