"""The fixture web: a local HTTP forward proxy that serves synthetic copies of the registered sites.

Crawls reach it through the standard proxy path (``http_proxy``/``https_proxy``, honoured by
Scrapy's HttpProxyMiddleware), so spiders run with their production URLs and no test-only code:

- ``GET http://host/path`` (absolute form) is answered from the files of ``host``;
- ``CONNECT host:443`` is answered 200, the socket is wrapped in TLS (a self-signed certificate
  made at start; Scrapy does not verify certificates by default) and the requests inside the
  tunnel are answered by their Host header.

Why our own proxy rather than a library: it must serve files (not forward), count requests per
URL and play scripted answers (429 then 200, 500, redirects); the standard library's
``http.server`` plus ``ssl`` does this in one small module.

File mapping (``sites/<host>/``, ``www.``/``m.`` stripped from the host):
- ``/a/b.html``            -> ``a/b.html``
- ``/a/`` and ``/``        -> ``a/index.html``, ``index.html``
- ``/a/?page=2``           -> ``a/index@page=2.html`` (the query, percent-encoded where needed,
                              goes before the extension after an ``@``)
- ``/rss`` (no extension)  -> ``rss``; its type is sniffed (``<?xml`` -> XML, else HTML)
Special answers per site in ``sites/<host>/_routes.toml`` (see README.md). Unknown paths -> 404;
unknown hosts -> 502 naming the host, so nothing silently reaches the real internet.

Conditional requests: every file is served with an ``ETag`` (a hash of its bytes) and a
``Last-Modified`` (its mtime), and ``If-None-Match`` / ``If-Modified-Since`` are answered ``304``
as RFC 9110 says (``If-None-Match`` wins when both are sent). A site's ``_routes.toml`` may set
``validators = ["last-modified"]`` (or ``[]``) to play a server that sends fewer.

Control endpoints on the pseudo host ``fixture.local``: ``/_stats`` (JSON: URL -> requests),
``/_responses`` (JSON: URL -> {status: responses}), ``/_reset`` (clears counts and
scripted-answer positions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import mimetypes
import os
import signal
import ssl
import sys
import tempfile
import threading
import tomllib
from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

SITES_DIR = Path(__file__).parent / "sites"
CONTROL_HOST = "fixture.local"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


def file_for(sites_dir: Path, host: str, path: str, query: str = "") -> Path | None:
    """The fixture file of ``host + path (+ query)`` (see the module doc), or None."""
    site = sites_dir / _site_name(host)
    path = unquote(path or "/")
    if path.endswith("/"):
        path += "index.html"
    rel = Path(path.lstrip("/"))
    if query:
        stem, ext = os.path.splitext(rel.name)
        rel = rel.with_name(f"{stem}@{quote(query, safe='=&')}{ext}")
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


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the fixture hosts (valid one day), as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "baotinh fixture web")])
    hosts = sorted(p.name for p in SITES_DIR.iterdir() if p.is_dir()) or ["localhost"]
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), False)
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
                self._answers[(host, route["path"])] = route["answers"]

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
        return etag is not None and (
            wanted.strip() == "*" or etag in wanted.replace(" ", "").split(",")
        )
    since = headers.get("If-Modified-Since")
    if since is None or modified is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    return int(modified) <= when.timestamp()


class FixtureProxy(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0, sites_dir: Path = SITES_DIR) -> None:
        self.sites_dir = sites_dir
        self.routes = Routes(sites_dir)
        self.counts: Counter[str] = Counter()
        self.statuses: dict[str, Counter[int]] = {}
        self.counts_lock = threading.Lock()
        self._certdir = tempfile.TemporaryDirectory(prefix="baotinh-fixtureweb-")
        cert, key = make_certificate(Path(self._certdir.name))
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        super().__init__(("127.0.0.1", port), ProxyHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def count(self, url: str) -> None:
        with self.counts_lock:
            self.counts[url] += 1

    def answered(self, url: str, status: int) -> None:
        with self.counts_lock:
            self.statuses.setdefault(url, Counter())[status] += 1

    def stats(self) -> dict[str, int]:
        with self.counts_lock:
            return dict(self.counts)

    def responses(self) -> dict[str, dict[str, int]]:
        with self.counts_lock:
            return {u: {str(k): n for k, n in c.items()} for u, c in self.statuses.items()}

    def reset(self) -> None:
        with self.counts_lock:
            self.counts.clear()
            self.statuses.clear()
        self.routes.reset()

    def server_close(self) -> None:
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
        self._url = f"{scheme}://{site}{target}"
        self.server.count(self._url)
        if not (self.server.sites_dir / site).is_dir():
            self._send(502, f"fixture web: no fixture site for {host}\n", head=head)
            return
        answer = self.server.routes.next_answer(site, target)
        status = int(answer.get("status", 200)) if answer else 200
        headers = {str(k): str(v) for k, v in (answer or {}).get("headers", {}).items()}
        if status != 200:
            self._send(status, f"fixture web: scripted {status} for {target}\n", headers, head)
            return
        file = file_for(self.server.sites_dir, site, path, query)
        if file is None:
            self._send(404, f"fixture web: no file for {site}{target}\n", head=head)
            return
        body = file.read_bytes()
        routes = self.server.routes
        etag = f'"{hashlib.sha1(body).hexdigest()[:20]}"' if routes.sends(site, "etag") else None
        modified = file.stat().st_mtime if routes.sends(site, "last-modified") else None
        if etag is not None:
            headers.setdefault("ETag", etag)
        if modified is not None:
            headers.setdefault("Last-Modified", formatdate(modified, usegmt=True))
        if not_modified(self.headers, etag, modified):
            self._send(304, b"", headers, head=True)
            return
        headers.setdefault("Content-Type", content_type(file, body))
        self._send(200, body, headers, head)

    def _control(self, path: str) -> None:
        if path == "/_stats":
            stats = json.dumps(self.server.stats(), indent=1, sort_keys=True)
            self._send(200, stats, {"Content-Type": "application/json"})
        elif path == "/_responses":
            answers = json.dumps(self.server.responses(), indent=1, sort_keys=True)
            self._send(200, answers, {"Content-Type": "application/json"})
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
        if self._url:
            self.server.answered(self._url, status)
            self._url = None
        self.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:  # a 304 has no body and keeps the representation's length unsaid
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)
        self.wfile.flush()


def _write_atomically(path: Path, text: str) -> None:
    # A reader polling for the file must never see it empty.
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text)
    partial.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fixtureweb.server",
        description="Serve the synthetic fixture web as an HTTP(S) forward proxy on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (0 = a free one)")
    parser.add_argument("--port-file", type=Path, help="write the chosen port here")
    parser.add_argument("--pid-file", type=Path, help="write this process id here")
    parser.add_argument("--sites", type=Path, default=SITES_DIR, help="the sites folder")
    args = parser.parse_args(argv)
    try:
        server = FixtureProxy(args.port, args.sites)
    except OSError as exc:
        print(f"fixture web: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
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
