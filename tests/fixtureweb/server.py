"""The fixture web: a local HTTP forward proxy that serves synthetic copies of the registered sites.

Crawls reach it through the standard proxy path (``http_proxy``/``https_proxy``, honoured by
Scrapy's HttpProxyMiddleware), so spiders run with their production URLs and no test-only code:

- ``GET http://host/path`` (absolute form) is answered from the files of ``host``;
- ``CONNECT host:443`` is answered 200, the socket is wrapped in TLS (a self-signed certificate
  made at start; Scrapy does not verify certificates by default) and the requests inside the
  tunnel are answered by their Host header.

Why our own proxy rather than a library: it must serve files (not forward), count requests per
URL and play scripted answers, including the faults of a bad web day (5xx, 429 with
Retry-After, connections held, reset or cut short, 50 MB pages, gzip, legacy encodings); the
standard library's ``http.server`` plus ``ssl`` and ``socket`` does this in one module.

File mapping (``sites/<host>/``, ``www.``/``m.`` stripped from the host):
- ``/a/b.html``            -> ``a/b.html``
- ``/a/`` and ``/``        -> ``a/index.html``, ``index.html``
- ``/a/?page=2``           -> ``a/index@page=2.html`` (the query, percent-encoded where needed,
                              goes before the extension after an ``@``)
- ``/rss`` (no extension)  -> ``rss``; its type is sniffed (``<?xml`` -> XML, else HTML)
- a path with a component starting with ``_`` is never served as a file (``_routes.toml``,
  ``_pages/``: sources for scripted answers only)
Scripted answers per site in ``sites/<host>/_routes.toml``; ``--fault-share`` adds transient
faults to every site (see README.md). Unknown paths -> 404; unknown hosts -> 502 naming the
host, so nothing silently reaches the real internet.

Conditional requests: every file is served with an ``ETag`` (a hash of its bytes) and a
``Last-Modified`` (its mtime), and ``If-None-Match`` / ``If-Modified-Since`` are answered ``304``
as RFC 9110 says (``If-None-Match`` wins when both are sent). A site's ``_routes.toml`` may set
``validators = ["last-modified"]`` (or ``[]``) to play a server that sends fewer. ``/_responses``
on the control host gives URL -> {status: responses}.

Control endpoints on the pseudo host ``fixture.local``: ``/_stats`` (JSON: URL -> requests),
``/_stats/answers`` (answer kind -> count), ``/_stats/faults`` (URL -> the fault the fault
share injected), ``/_reset`` (clears counts, scripted-answer positions and the fault share's
memory of first requests).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email.utils
import gzip
import hashlib
import json
import math
import mimetypes
import os
import re
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from tests.fixtureweb.legacy import ENCODERS

SITES_DIR = Path(__file__).parent / "sites"
CONTROL_HOST = "fixture.local"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/x-gzip",
}
FAULTS = ("timeout", "reset", "truncate", "large")
ANSWER_KEYS = frozenset({
    "status", "headers", "body", "file", "encode", "content_type", "compress", "fault",
    "seconds", "fraction", "bytes", "chunked", "retry_after", "retry_after_date",
})  # fmt: skip
LARGE_PAGE_BYTES = 50 * 1024 * 1024


def file_for(sites_dir: Path, host: str, path: str, query: str = "") -> Path | None:
    """The fixture file of ``host + path (+ query)`` (see the module doc), or None."""
    site = sites_dir / _site_name(host)
    path = unquote(path or "/")
    if path.endswith("/"):
        path += "index.html"
    rel = Path(path.lstrip("/"))
    if any(part.startswith("_") for part in rel.parts):
        return None  # route sources, never served as themselves
    if query:
        stem, ext = os.path.splitext(rel.name)
        rel = rel.with_name(f"{stem}@{quote(query, safe='=&')}{ext}")
    return _inside(site, rel)


def _inside(site: Path, rel: Path) -> Path | None:
    candidate = (site / rel).resolve()
    if site.resolve() not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _site_name(host: str) -> str:
    host = host.split(":")[0].lower().rstrip(".")
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host


def content_type(path: Path, body: bytes) -> str:
    if path.suffix in _TYPES:
        return _TYPES[path.suffix]
    if body.lstrip().startswith(b"<?xml"):
        return "application/xml; charset=utf-8"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "text/html; charset=utf-8"


def make_certificate(directory: Path, hosts: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for the fixture hosts (valid one day), as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "baotinh fixture web")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts or ["localhost"]]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def check_answer(answer: dict[str, Any], where: str) -> None:
    """Refuse a scripted answer the server would not understand (a typo must not pass as 200)."""
    unknown = set(answer) - ANSWER_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown answer keys {sorted(unknown)}")
    if answer.get("fault") not in (None, *FAULTS):
        raise ValueError(f"{where}: fault must be one of {FAULTS}, not {answer['fault']!r}")
    if answer.get("compress") not in (None, "wire", "file"):
        raise ValueError(f"{where}: compress must be 'wire' or 'file'")
    encoding = answer.get("encode")
    if encoding is not None and encoding not in ENCODERS:
        try:
            "".encode(encoding)
        except LookupError:
            raise ValueError(f"{where}: unknown encoding {encoding!r}") from None


class Routes:
    """Scripted answers per URL from ``_routes.toml``: the n-th request of a path gets the n-th
    answer of its list; the last answer repeats."""

    def __init__(self, sites_dir: Path) -> None:
        self._answers: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._seen: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self.validators: dict[str, frozenset[str]] = {}  # host -> validators it sends
        for routes_file in sorted(sites_dir.glob("*/_routes.toml")):
            host = routes_file.parent.name
            try:
                config = tomllib.loads(routes_file.read_text("utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{routes_file}: {exc}") from None
            if "validators" in config:
                self.validators[host] = frozenset(v.lower() for v in config["validators"])
            routes = config.get("route", [])
            for route in routes:
                if "path" not in route or not route.get("answers"):
                    raise ValueError(f"{routes_file}: every [[route]] needs path and answers")
                for answer in route["answers"]:
                    check_answer(answer, f"{routes_file} {route['path']}")
                self._answers[(host, route["path"])] = route["answers"]

    def scripted(self, host: str, target: str) -> bool:
        return (_site_name(host), target) in self._answers

    def next_answer(self, host: str, target: str) -> dict[str, Any] | None:
        key = (_site_name(host), target)
        answers = self._answers.get(key)
        if answers is None:
            return None
        with self._lock:
            index = min(self._seen[key], len(answers) - 1)
            self._seen[key] += 1
        return answers[index]

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()

    def sends(self, host: str, validator: str) -> bool:
        return validator in self.validators.get(_site_name(host), ALL_VALIDATORS)


ALL_VALIDATORS = frozenset({"etag", "last-modified"})


def not_modified(headers: Any, etag: str | None, modified: float | None) -> bool:
    """RFC 9110 13.1: If-None-Match decides when sent; else If-Modified-Since."""
    wanted = headers.get("If-None-Match")
    if wanted is not None:
        tags = wanted.replace(" ", "").split(",")
        return etag is not None and (wanted.strip() == "*" or etag in tags)
    since = headers.get("If-Modified-Since")
    if since is None or modified is None:
        return False
    try:
        when = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    return int(modified) <= when.timestamp()


# The transient faults of the fault share, as scripted answers (see FaultShare).
SHARE_FAULTS: dict[str, dict[str, Any]] = {
    "http_500": {"status": 500},
    "http_502": {"status": 502},
    "http_503": {"status": 503},
    "http_504": {"status": 504},
    "http_429_retry_after": {"status": 429, "retry_after": 1},
    "http_503_retry_after_date": {"status": 503, "retry_after_date": 1},
    "reset": {"fault": "reset"},
    "truncate": {"fault": "truncate", "fraction": 0.5},
    "timeout": {"fault": "timeout", "seconds": 5},
}


@dataclass
class FaultShare:
    """Transient faults on every site: the first request of a deterministic ``share`` of URLs
    gets a fault drawn from ``kinds``; every later request of that URL is answered normally.

    Which URLs and which fault depend only on ``seed`` and the URL (SHA-256 of both), so a run
    can be repeated exactly. Paths with scripted answers are left to their script; paths
    matching ``exclude`` are never faulted.
    """

    share: float = 0.0
    seed: int = 0
    kinds: tuple[str, ...] = tuple(SHARE_FAULTS)
    hold: float = 5.0  # seconds a "timeout" holds the connection
    retry_after: int = 1  # seconds in the Retry-After of 429/503 faults
    exclude: re.Pattern[str] | None = None
    _first_seen: set[str] = field(default_factory=set)
    _injected: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def draw(self, url: str) -> str | None:
        """The fault this URL's first request gets (None: no fault), ignoring first-ness."""
        digest = hashlib.sha256(f"{self.seed}\x00{url}".encode()).digest()
        if int.from_bytes(digest[:8], "big") / 2**64 >= self.share:
            return None
        return self.kinds[int.from_bytes(digest[8:12], "big") % len(self.kinds)]

    def answer(self, url: str, path: str) -> dict[str, Any] | None:
        if self.share <= 0 or (self.exclude is not None and self.exclude.search(path)):
            return None
        with self._lock:
            if url in self._first_seen:
                return None
            self._first_seen.add(url)
            kind = self.draw(url)
            if kind is None:
                return None
            self._injected[url] = kind
        answer = dict(SHARE_FAULTS[kind])
        if "seconds" in answer:
            answer["seconds"] = self.hold
        for key in ("retry_after", "retry_after_date"):
            if key in answer:
                answer[key] = self.retry_after
        return answer

    def injected(self) -> dict[str, str]:
        with self._lock:
            return dict(self._injected)

    def reset(self) -> None:
        with self._lock:
            self._first_seen.clear()
            self._injected.clear()


class FixtureProxy(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, port: int = 0, sites_dir: Path = SITES_DIR, fault_share: FaultShare | None = None
    ) -> None:
        self.sites_dir = sites_dir
        self.routes = Routes(sites_dir)
        self.fault_share = fault_share or FaultShare()
        self.counts: Counter[str] = Counter()
        self.answers: Counter[str] = Counter()
        self.statuses: dict[str, Counter[int]] = {}
        self.counts_lock = threading.Lock()
        self.stopping = threading.Event()  # wakes connections held by "timeout" answers
        self._certdir = tempfile.TemporaryDirectory(prefix="baotinh-fixtureweb-")
        hosts = sorted(p.name for p in sites_dir.iterdir() if p.is_dir())
        # www. is stripped when a request is served: the certificate names both forms.
        hosts += [f"www.{h}" for h in hosts]
        cert, key = make_certificate(Path(self._certdir.name), hosts)
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        super().__init__(("127.0.0.1", port), ProxyHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def count(self, url: str) -> None:
        with self.counts_lock:
            self.counts[url] += 1

    def count_answer(self, kind: str) -> None:
        with self.counts_lock:
            self.answers[kind] += 1

    def answered(self, url: str, status: int) -> None:
        with self.counts_lock:
            self.statuses.setdefault(url, Counter())[status] += 1

    def responses(self) -> dict[str, dict[str, int]]:
        with self.counts_lock:
            return {u: {str(k): n for k, n in c.items()} for u, c in self.statuses.items()}

    def stats(self) -> dict[str, int]:
        with self.counts_lock:
            return dict(self.counts)

    def answer_stats(self) -> dict[str, int]:
        with self.counts_lock:
            return dict(self.answers)

    def reset(self) -> None:
        with self.counts_lock:
            self.counts.clear()
            self.answers.clear()
            self.statuses.clear()
        self.routes.reset()
        self.fault_share.reset()

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()

    def server_close(self) -> None:
        self.stopping.set()
        super().server_close()
        self._certdir.cleanup()


class ProxyHandler(BaseHTTPRequestHandler):
    server: FixtureProxy
    protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy's HTTP/1.1 client expects
    server_version = "baotinh-fixtureweb/1"
    tunnel_host: str | None = None
    _url: str | None = None  # the request being answered (counted by status)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and the benchmark read /_stats instead

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the client went away, or a fault closed the socket
            super().finish()
        if self.tunnel_host is not None:
            # The server closes the raw socket it accepted, which TLS has taken over (detached):
            # close the TLS socket here so the client sees the end now, not at garbage collection.
            with contextlib.suppress(OSError):
                self.connection.close()

    def do_CONNECT(self) -> None:
        host, _, port = self.path.partition(":")
        if not (self.server.sites_dir / _site_name(host)).is_dir():
            self._send(502, f"fixture web: no fixture site for {host} (CONNECT refused)\n")
            self.close_connection = True
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        try:
            tls_socket = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        # From here on the inherited request loop reads the tunnelled requests.
        self.connection = tls_socket
        self.rfile = tls_socket.makefile("rb")
        self.wfile = tls_socket.makefile("wb")
        self.tunnel_host = host if port in ("", "443") else f"{host}:{port}"
        self.close_connection = False

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _target(self) -> tuple[str, str, str, str]:
        """(scheme, host, path, query) of the request in either absolute or origin form."""
        if self.tunnel_host is not None:
            parts = urlsplit(self.path)
            host = self.headers.get("Host") or self.tunnel_host
            return "https", host, parts.path or "/", parts.query
        parts = urlsplit(self.path)
        if parts.scheme and parts.netloc:
            return parts.scheme, parts.netloc, parts.path or "/", parts.query
        return "http", self.headers.get("Host", ""), parts.path or "/", parts.query

    def _serve(self, head: bool) -> None:
        scheme, host, path, query = self._target()
        site = _site_name(host)
        if site == CONTROL_HOST:
            self._control(path)
            return
        target = path + (f"?{query}" if query else "")
        url = f"{scheme}://{site}{target}"
        self.server.count(url)
        self._url = url
        if not (self.server.sites_dir / site).is_dir():
            self.server.count_answer("http_502")
            self._send(502, f"fixture web: no fixture site for {host}\n", head=head)
            return
        answer = self.server.routes.next_answer(site, target)
        if answer is None:
            answer = self.server.fault_share.answer(url, path)
        self._answer(site, path, query, target, answer or {}, head)

    def _answer(
        self, site: str, path: str, query: str, target: str, answer: dict[str, Any], head: bool
    ) -> None:
        fault = answer.get("fault")
        if fault == "reset":
            self.server.count_answer("reset")
            self._reset()
            return
        if fault == "timeout":
            self.server.count_answer("timeout")
            self.server.stopping.wait(float(answer.get("seconds", 5)))
            self.close_connection = True  # then close without a word
            return
        status = int(answer.get("status", 200))
        headers = {str(k): str(v) for k, v in answer.get("headers", {}).items()}
        if "retry_after" in answer:
            headers["Retry-After"] = str(int(answer["retry_after"]))
        if "retry_after_date" in answer:
            when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=float(answer["retry_after_date"]))
            when = when.replace(microsecond=0) + dt.timedelta(seconds=1)  # never in the past
            headers["Retry-After"] = email.utils.format_datetime(when, usegmt=True)
        if fault == "large":
            self.server.count_answer("large")
            size = int(answer.get("bytes", LARGE_PAGE_BYTES))
            self._stream(status, large_page(size), size, headers, bool(answer.get("chunked")), head)
            return
        if status == 200 and not set(answer) & {"body", "file", "encode", "compress"}:
            file = file_for(self.server.sites_dir, site, path, query)
            if file is not None and self._validated(site, file, headers):
                self.server.count_answer("http_304")
                self._start(304, headers)
                self.end_headers()  # a 304 has no body and keeps the length unsaid
                self.wfile.flush()
                return
        body = self._body(site, path, query, target, answer, status, headers)
        if body is None:  # no such file: a 404, which a fault can still cut short
            status, body = 404, f"fixture web: no file for {site}{target}\n".encode()
            headers["Content-Type"] = "text/plain; charset=utf-8"
        if answer.get("compress"):
            body = gzip.compress(body, mtime=0)
            if answer["compress"] == "wire":
                headers["Content-Encoding"] = "gzip"
            elif "content_type" not in answer:
                headers["Content-Type"] = "application/x-gzip"
        if fault == "truncate":
            self.server.count_answer("truncate")
            self._send_truncated(status, body, headers, float(answer.get("fraction", 0.5)), head)
            return
        self.server.count_answer(f"http_{status}")
        self._send(status, body, headers, head)

    def _validated(self, site: str, file: Path, headers: dict[str, str]) -> bool:
        """Add the file's validators to ``headers``; True when the request's match them."""
        routes = self.server.routes
        etag = modified = None
        if routes.sends(site, "etag"):
            etag = f'"{hashlib.sha1(file.read_bytes()).hexdigest()[:20]}"'
            headers.setdefault("ETag", etag)
        if routes.sends(site, "last-modified"):
            modified = file.stat().st_mtime
            headers.setdefault("Last-Modified", email.utils.formatdate(modified, usegmt=True))
        return not_modified(self.headers, etag, modified)

    def _body(
        self,
        site: str,
        path: str,
        query: str,
        target: str,
        answer: dict[str, Any],
        status: int,
        headers: dict[str, str],
    ) -> bytes | None:
        """The answer's body (None: no such file), with its Content-Type set in ``headers``."""
        site_dir = self.server.sites_dir / site
        file: Path | None = None
        if "body" in answer:
            body = str(answer["body"]).encode()
        elif "file" in answer:
            file = _inside(site_dir, Path(answer["file"]))
            if file is None:
                return None
            body = file.read_bytes()
        elif status == 200:
            file = file_for(self.server.sites_dir, site, path, query)
            if file is None:
                return None
            body = file.read_bytes()
        else:
            body = f"fixture web: scripted {status} for {target}\n".encode()
        if encoding := answer.get("encode"):
            text = body.decode("utf-8")
            encoder = ENCODERS.get(encoding)
            body = encoder(text) if encoder else text.encode(encoding)
        if "content_type" in answer:
            headers["Content-Type"] = str(answer["content_type"])
        elif encoding:
            headers.setdefault("Content-Type", "text/html")  # the page itself declares, or not
        elif file is not None:
            headers.setdefault("Content-Type", content_type(file, body))
        return body

    def _reset(self) -> None:
        """Abort the connection: SO_LINGER 0 makes close() send RST instead of FIN."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket is really closed only when its file objects are closed too.
        for stream in (self.wfile, self.rfile, self.connection):
            with contextlib.suppress(OSError):
                stream.close()

    def _send_truncated(
        self, status: int, body: bytes, headers: dict[str, str], fraction: float, head: bool
    ) -> None:
        """Promise the whole body in Content-Length, send ``fraction`` of it, then close."""
        cut = min(max(int(len(body) * fraction), 0), max(len(body) - 1, 0))
        self._start(status, headers)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body[:cut])
        self.wfile.flush()
        self.close_connection = True

    def _stream(
        self,
        status: int,
        chunks: Iterator[bytes],
        size: int,
        headers: dict[str, str],
        chunked: bool,
        head: bool,
    ) -> None:
        """Send a generated body: with Content-Length, or chunked (its size known only to the
        client that reads it all)."""
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        self._start(status, headers)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        try:
            if not head:
                for chunk in chunks:
                    if chunked:
                        chunk = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                    self.wfile.write(chunk)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client refused the rest (too large): fine

    def _start(self, status: int, headers: dict[str, str]) -> None:
        """Status line and headers; a scripted ``Server`` (e.g. "cloudflare") replaces ours."""
        if self._url:
            self.server.answered(self._url, status)
            self._url = None
        self.send_response_only(status)
        headers.setdefault("Server", self.version_string())
        headers.setdefault("Date", self.date_time_string())
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)

    def _control(self, path: str) -> None:
        views = {
            "/_stats": self.server.stats,
            "/_responses": self.server.responses,
            "/_stats/answers": self.server.answer_stats,
            "/_stats/faults": self.server.fault_share.injected,
        }
        if path in views:
            stats = json.dumps(views[path](), indent=1, sort_keys=True)
            self._send(200, stats, {"Content-Type": "application/json"})
        elif path == "/_reset":
            self.server.reset()
            self._send(200, "reset\n")
        else:
            self._send(404, f"fixture web: unknown control path {path}\n")

    def _send(
        self,
        status: int,
        body: bytes | str,
        headers: dict[str, str] | None = None,
        head: bool = False,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self._start(status, dict(headers or {}))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)
        self.wfile.flush()


def large_page(size: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """An HTML article page of exactly ``size`` bytes, generated in ``chunk``-sized pieces (a
    50 MB page is never stored, nor held in memory)."""
    head = (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        "<title>Toàn văn báo cáo tổng kết năm (trang rất lớn)</title></head><body>"
        '<article class="article"><h1 class="article__title cms-title">'
        "Toàn văn báo cáo tổng kết năm</h1>"
        '<div class="article__body zce-content-body cms-body">\n'
    ).encode()
    tail = b"</div></article></body></html>\n"
    paragraph = (
        "<p>Báo cáo nêu rõ kết quả thực hiện các chỉ tiêu kinh tế - xã hội trong năm, "
        "những khó khăn còn tồn tại và giải pháp cho năm tới.</p>\n"
    ).encode()
    if size < len(head) + len(tail):
        yield (head + tail)[:size]
        return
    fill = size - len(head) - len(tail)
    block = paragraph * max(1, chunk // len(paragraph))
    yield head
    while fill >= len(block):
        yield block
        fill -= len(block)
    whole, rest = divmod(fill, len(paragraph))
    yield paragraph * whole + b" " * rest
    yield tail


def _write_atomically(path: Path, text: str) -> None:
    # A reader polling for the file must never see it empty.
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text)
    partial.replace(path)


def _share(value: str) -> float:
    share = float(value)
    if not 0 <= share <= 1 or math.isnan(share):
        raise argparse.ArgumentTypeError(f"{value} is not a share between 0 and 1")
    return share


def _kinds(value: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    unknown = [k for k in kinds if k not in SHARE_FAULTS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown fault kinds {unknown}; known: {', '.join(SHARE_FAULTS)}"
        )
    return kinds


def _regex(value: str) -> re.Pattern[str]:
    try:
        return re.compile(value)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a regular expression: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fixtureweb.server",
        description="Serve the synthetic fixture web as an HTTP(S) forward proxy on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (0 = a free one)")
    parser.add_argument("--port-file", type=Path, help="write the chosen port here")
    parser.add_argument("--pid-file", type=Path, help="write this process id here")
    parser.add_argument("--sites", type=Path, default=SITES_DIR, help="the sites folder")
    faults = parser.add_argument_group("fault share (transient faults on every site)")
    faults.add_argument(
        "--fault-share",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of URLs whose first request gets a fault (0-1; default 0)",
    )
    faults.add_argument("--fault-seed", type=int, default=0, help="which URLs and faults")
    faults.add_argument(
        "--fault-kinds",
        type=_kinds,
        default=tuple(SHARE_FAULTS),
        help=f"comma-separated subset of: {', '.join(SHARE_FAULTS)}",
    )
    faults.add_argument(
        "--fault-hold",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long a 'timeout' fault holds the connection (default 5)",
    )
    faults.add_argument(
        "--fault-retry-after",
        type=int,
        default=1,
        metavar="SECONDS",
        help="Retry-After of the 429/503 faults (default 1)",
    )
    faults.add_argument("--fault-exclude", type=_regex, metavar="REGEX",
                        help="paths never faulted, e.g. '^/robots\\.txt$'")  # fmt: skip
    args = parser.parse_args(argv)
    share = FaultShare(
        share=args.fault_share, seed=args.fault_seed, kinds=args.fault_kinds,
        hold=args.fault_hold, retry_after=args.fault_retry_after, exclude=args.fault_exclude,
    )  # fmt: skip
    try:
        server = FixtureProxy(args.port, args.sites, share)
    except OSError as exc:
        print(f"fixture web: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a bad _routes.toml
        print(f"fixture web: {exc}", file=sys.stderr)
        return 2
    if args.pid_file:
        _write_atomically(args.pid_file, f"{os.getpid()}\n")
    if args.port_file:  # written last: its presence means "ready"
        _write_atomically(args.port_file, f"{server.port}\n")
    print(f"fixture web: proxy on http://127.0.0.1:{server.port}", flush=True)

    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        for path in (args.port_file, args.pid_file):
            if path is not None:
                path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
