"""The fault web, seen by plain clients (http.client, raw sockets, TLS through CONNECT).

Each fault of the fault site (``tests/fixtureweb/faults.json``) is checked on the wire: a reset
really resets, a truncated body really is shorter than its Content-Length, gzip really is gzip,
a held connection really says nothing. Then the fault share, the answer counts, and the fault
site's pages through the core decoder and the family parser.
"""

from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import socket
import ssl
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from baotinh.encoding import decode_page
from baotinh.parsers.families import parser_for
from tests.conftest import REPO
from tests.fixtureweb.process import FixtureWebProcess
from tests.fixtureweb.server import (
    LARGE_PAGE_BYTES,
    SHARE_FAULTS,
    SITES_DIR,
    FaultShare,
    Routes,
    file_for,
    large_page,
)

FAULTS = json.loads((REPO / "tests/fixtureweb/faults.json").read_text("utf-8"))
HOST = FAULTS["host"]
BY_ID = {entry["url"].rsplit("-post", 1)[1].split(".")[0]: entry for entry in FAULTS["articles"]}


def url_of(post_id: int) -> str:
    return BY_ID[str(post_id)]["url"]


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureWebProcess]:
    with FixtureWebProcess() as web:
        yield web


@pytest.fixture
def web(server: FixtureWebProcess) -> FixtureWebProcess:
    server.reset()  # scripted answers start from their first one
    return server


# -- clients --------------------------------------------------------------------------------


class Wire:
    """One connection to ``url``'s host through the proxy, read at the TCP level: plain for
    http, TLS through CONNECT for https, driven over the raw socket (``ssl.MemoryBIO``) because
    OpenSSL 3 reports a reset under TLS as an unexpected EOF, which would hide what the server
    did. ``read_all`` returns the decrypted bytes up to the server's close and raises
    ConnectionResetError if the connection was reset."""

    def __init__(self, web: FixtureWebProcess, url: str, timeout: float = 10) -> None:
        self.parts = urlsplit(url)
        self.url = url
        self.sock = socket.create_connection(("127.0.0.1", web.port), timeout=timeout)
        self.tls: ssl.SSLObject | None = None
        if self.parts.scheme == "https":
            host = self.parts.hostname or ""
            self.sock.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
            reply = b""
            while b"\r\n\r\n" not in reply:
                reply += self.sock.recv(1024)
            assert reply.startswith(b"HTTP/1.1 200"), reply
            self._in, self._out = ssl.MemoryBIO(), ssl.MemoryBIO()
            context = ssl._create_unverified_context()
            self.tls = context.wrap_bio(self._in, self._out, server_hostname=host)
            while True:
                try:
                    self.tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    self.sock.sendall(self._out.read())
                    self._in.write(self.sock.recv(65536))
            self.sock.sendall(self._out.read())

    def request(self, method: str = "GET") -> None:
        target = self.parts.path + (f"?{self.parts.query}" if self.parts.query else "")
        if self.tls is None:
            target = self.url  # absolute form, as to any forward proxy
        data = (f"{method} {target} HTTP/1.1\r\nHost: {self.parts.hostname}\r\n"
                "Connection: close\r\n\r\n").encode()  # fmt: skip
        if self.tls is None:
            self.sock.sendall(data)
        else:
            self.tls.write(data)
            self.sock.sendall(self._out.read())

    def recv(self) -> bytes:
        """The next bytes of the answer (b"" at the end)."""
        while True:
            raw = self.sock.recv(65536)
            if self.tls is None or not raw:
                return raw
            self._in.write(raw)
            plain = b""
            try:
                while chunk := self.tls.read(65536):
                    plain += chunk
            except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
                pass
            if plain:
                return plain

    def read_all(self) -> bytes:
        data = b""
        while chunk := self.recv():
            data += chunk
        return data

    def close(self) -> None:
        self.sock.close()


def exchange(web: FixtureWebProcess, url: str) -> bytes:
    wire = Wire(web, url)
    try:
        wire.request()
        return wire.read_all()
    finally:
        wire.close()


def get(web: FixtureWebProcess, url: str, method: str = "GET") -> http.client.HTTPResponse:
    """One request with http.client over the proxy (TLS tunnel for https); not redirected,
    not decompressed."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", web.port, timeout=10, context=ssl._create_unverified_context()
        )
        conn.set_tunnel(parts.hostname or "", 443)
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
    else:
        conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
        conn.request(method, url)
    return conn.getresponse()


def fetch(web: FixtureWebProcess, url: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    response = get(web, url)
    return response.status, response.headers, response.read()


# -- HTTP statuses and Retry-After ----------------------------------------------------------


@pytest.mark.parametrize(
    "post_id, status", [(400101, 500), (400102, 502), (400103, 503), (400104, 504)]
)
def test_5xx_once_then_the_page(web: FixtureWebProcess, post_id: int, status: int) -> None:
    assert fetch(web, url_of(post_id))[0] == status
    code, headers, body = fetch(web, url_of(post_id))
    assert code == 200 and BY_ID[str(post_id)]["title"].encode() in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_persistent_503(web: FixtureWebProcess) -> None:
    assert [fetch(web, url_of(400121))[0] for _ in range(5)] == [503] * 5


@pytest.mark.parametrize("post_id, status", [(400105, 429), (400107, 503)])
def test_retry_after_in_seconds(web: FixtureWebProcess, post_id: int, status: int) -> None:
    code, headers, _ = fetch(web, url_of(post_id))
    assert code == status and headers["Retry-After"] == "1"
    assert fetch(web, url_of(post_id))[0] == 200


@pytest.mark.parametrize("post_id, status", [(400106, 429), (400108, 503)])
def test_retry_after_as_an_http_date(web: FixtureWebProcess, post_id: int, status: int) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    code, headers, _ = fetch(web, url_of(post_id))
    when = email.utils.parsedate_to_datetime(headers["Retry-After"])
    assert code == status and headers["Retry-After"].endswith(" GMT")
    assert when.tzinfo is not None and 1 <= (when - before).total_seconds() <= 4
    assert fetch(web, url_of(post_id))[0] == 200


# -- connection faults ----------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_reset_really_resets(web: FixtureWebProcess, scheme: str) -> None:
    url = url_of(400122).replace("https:", f"{scheme}:")
    for _ in range(2):  # every time
        with pytest.raises(ConnectionResetError):
            exchange(web, url)


def test_reset_once_then_the_page(web: FixtureWebProcess) -> None:
    with pytest.raises(ConnectionResetError):
        exchange(web, url_of(400110))
    assert exchange(web, url_of(400110)).startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_truncation_really_truncates(web: FixtureWebProcess, scheme: str) -> None:
    url = url_of(400123).replace("https:", f"{scheme}:")
    data = exchange(web, url)  # ends with a plain close (FIN), not a reset
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length"))
                 .split(b":")[1])  # fmt: skip
    assert head.startswith(b"HTTP/1.1 200") and 0 < len(body) < length
    assert len(body) == length // 2
    with pytest.raises(http.client.IncompleteRead):
        get(web, url_of(400123)).read()


def test_truncation_once_then_the_page(web: FixtureWebProcess) -> None:
    with pytest.raises(http.client.IncompleteRead):
        get(web, url_of(400111)).read()
    assert fetch(web, url_of(400111))[0] == 200


def test_timeout_holds_the_connection_then_closes_without_a_word(web: FixtureWebProcess) -> None:
    wire = Wire(web, url_of(400124))
    wire.request()
    wire.sock.settimeout(1.5)
    with pytest.raises(TimeoutError):
        wire.recv()  # nothing within 1.5 s
    wire.sock.settimeout(10)
    started = time.monotonic()
    assert wire.read_all() == b""  # then closed, without a word
    assert time.monotonic() - started < 5  # at about 3 s
    wire.close()


# -- bodies ---------------------------------------------------------------------------------


def test_the_50_mb_page_is_generated_with_a_content_length(web: FixtureWebProcess) -> None:
    response = get(web, url_of(400131), method="HEAD")
    assert response.status == 200 and int(response.headers["Content-Length"]) == LARGE_PAGE_BYTES
    response = get(web, url_of(400131))
    size = 0
    while chunk := response.read(1 << 20):
        size += len(chunk)
    assert size == LARGE_PAGE_BYTES


def test_the_chunked_50_mb_page_has_no_length_up_front(web: FixtureWebProcess) -> None:
    response = get(web, url_of(400132))
    assert response.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in response.headers
    first = response.read(1 << 20)
    assert first.startswith(b"<!DOCTYPE html>") and len(first) == 1 << 20
    response.close()  # the client gives up, as a crawler with a size limit does


@pytest.mark.parametrize("size", [0, 10, 300, 65536, 1_000_003])
def test_generated_page_has_exactly_the_size(size: int) -> None:
    body = b"".join(large_page(size))
    assert len(body) == size
    if size > 1000:
        assert body.endswith(b"</html>\n") and b'<h1 class="article__title' in body


def test_empty_200(web: FixtureWebProcess) -> None:
    code, headers, body = fetch(web, url_of(400141))
    assert code == 200 and body == b"" and headers["Content-Length"] == "0"
    assert headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("post_id, status", [(400142, 200), (400143, 403), (400144, 503)])
def test_bot_walls(web: FixtureWebProcess, post_id: int, status: int) -> None:
    for _ in range(2):  # the same wall every time
        code, headers, body = fetch(web, url_of(post_id))
        assert code == status and b"<title>Just a moment...</title>" in body
        assert headers["cf-mitigated"] == "challenge" and headers["Server"] == "cloudflare"


def test_redirect_loop(web: FixtureWebProcess) -> None:
    url, seen = url_of(400133), []
    for _ in range(4):
        code, headers, _ = fetch(web, url)
        assert code == 302
        seen.append(url)
        url = headers["Location"]
    assert seen[0] == seen[2] != seen[1] == seen[3]


# -- gzip -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, root", [("/rss", b"<rss"), ("/sitemap.xml", b"<sitemapindex"),
                   ("/trien-lam-anh-que-huong-post400156.html", b"<html")],
)  # fmt: skip
def test_gzip_on_the_wire(web: FixtureWebProcess, path: str, root: bytes) -> None:
    code, headers, body = fetch(web, f"https://{HOST}{path}")
    assert code == 200 and headers["Content-Encoding"] == "gzip"
    assert body[:2] == b"\x1f\x8b" and root in gzip.decompress(body)
    assert int(headers["Content-Length"]) == len(body)


@pytest.mark.parametrize(
    "path, root",
    [("/feeds/tin-moi.xml.gz", b"<rss"), ("/sitemaps/tin-bai-2025-12.xml.gz", b"<urlset")],
)
def test_gzip_files(web: FixtureWebProcess, path: str, root: bytes) -> None:
    code, headers, body = fetch(web, f"https://{HOST}{path}")
    assert code == 200 and headers["Content-Type"] == "application/x-gzip"
    assert "Content-Encoding" not in headers
    assert root in gzip.decompress(body)


def test_route_sources_are_not_served_as_themselves(web: FixtureWebProcess) -> None:
    for path in ("/_routes.toml", "/_src/tin-moi.xml", "/_pages/cloudflare-challenge.html"):
        assert fetch(web, f"https://{HOST}{path}")[0] == 404
    assert file_for(SITES_DIR, HOST, "/_src/tin-moi.xml") is None


# -- encodings ------------------------------------------------------------------------------


def test_page_without_any_charset(web: FixtureWebProcess) -> None:
    code, headers, body = fetch(web, url_of(400151))
    assert code == 200 and headers["Content-Type"] == "text/html" and b"charset" not in body.lower()
    assert body.decode("utf-8")  # UTF-8 bytes, just not declared


@pytest.mark.parametrize(
    "post_id, encoding, content_type",
    [(400152, "windows-1258", "text/html"), (400153, "tcvn3", "text/html"),
     (400154, "tcvn3", "text/html"), (400155, "vni", "text/html; charset=iso-8859-1")],
)  # fmt: skip
def test_legacy_encoded_pages_are_sent_as_legacy_bytes(
    web: FixtureWebProcess, post_id: int, encoding: str, content_type: str
) -> None:
    code, headers, body = fetch(web, url_of(post_id))
    assert code == 200 and headers["Content-Type"] == content_type
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    title = BY_ID[str(post_id)]["title"]
    as_latin = body.decode("cp1252", errors="replace")
    assert title not in as_latin  # mojibake until decoded
    if encoding == "windows-1258":
        assert "\u0300" in body.decode("cp1258") or "\u0301" in body.decode("cp1258")
    if encoding == "tcvn3":
        assert "B¸o Thö NghiÖm" in as_latin  # "Báo Thử Nghiệm" in .VnTime
    if encoding == "vni":
        assert "Baùo Thöû Nghieäm" in as_latin


# -- the fault site through the core: decoder + family parser --------------------------------

PARSED_OUTCOMES = {"stored", "skipped:bot_wall", "skipped:empty_body"}


def _parse(web: FixtureWebProcess, url: str) -> object:
    for _ in range(3):  # past a transient fault
        try:
            code, headers, body = fetch(web, url)
        except (ConnectionError, http.client.IncompleteRead):
            continue
        if code == 200 or (body and b"Just a moment" in body):
            break
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    page = decode_page(body, headers.get("Content-Type"))
    return parser_for("B").parse(page.text, url)


@pytest.mark.parametrize(
    "entry",
    # (the held-connection page is an ordinary UTF-8 page behind a 3 s wait: left out)
    [e for e in FAULTS["articles"] if e["outcome"] in PARSED_OUTCOMES
     and "found only" not in e["fault"] and "empty body" not in e["fault"]
     and "held" not in e["fault"]],
    ids=lambda e: e["url"].rsplit("-", 1)[1],
)  # fmt: skip
def test_fault_site_pages_parse_to_the_expected_text(web: FixtureWebProcess, entry: dict) -> None:
    page = _parse(web, entry["url"])
    if entry["outcome"] == "skipped:bot_wall":
        assert page.skip_reason == "bot_wall"
        return
    assert page.skip_reason is None
    assert page.title == entry["title"]
    assert page.body.split("\n\n")[0] == entry["first_paragraph"]
    assert page.published_at.isoformat() == entry["published_at"]
    assert page.authors == entry["authors"]
    for text in (page.title, page.body):
        assert unicodedata.is_normalized("NFC", text)


def test_empty_200_parses_as_empty_body(web: FixtureWebProcess) -> None:
    assert _parse(web, url_of(400141)).skip_reason == "empty_body"


# -- faults.json against the site ------------------------------------------------------------


def test_faults_json_matches_the_site() -> None:
    routes = Routes(SITES_DIR)
    site = SITES_DIR / HOST
    listing = (site / "index.html").read_text("utf-8")
    feeds = "".join(
        p.read_text("utf-8") for p in (site / "rss", site / "_src/tin-moi.xml",
                                       site / "_src/tin-bai-2025-12.xml")
    )  # fmt: skip
    for entry in FAULTS["articles"]:
        path = urlsplit(entry["url"]).path
        assert routes.scripted(HOST, path) or file_for(SITES_DIR, HOST, path), entry["url"]
        found_in = listing if "found only" not in entry["fault"] else feeds
        assert entry["url"] in found_in, entry["url"]
        if "found only" in entry["fault"]:
            assert entry["url"] not in listing
        if entry["outcome"] == "stored":
            assert file_for(SITES_DIR, HOST, path), "a stored article needs its page"
    for item in FAULTS["discovery"]:
        path = urlsplit(item["url"]).path
        assert routes.scripted(HOST, path) or file_for(SITES_DIR, HOST, path), item["url"]
    listed = {u.split('"')[0] for u in listing.split('href="')[1:] if "-post" in u}
    assert listed <= {e["url"] for e in FAULTS["articles"]}


def test_discovery_documents_read_as_faults_json_says() -> None:
    """Cross-check with today's discovery parsers (spiders/discovery.py: repoint if it moves)."""
    from spiders import discovery

    site = SITES_DIR / HOST
    for item in FAULTS["discovery"]:
        path = urlsplit(item["url"]).path
        if path == "/":
            continue
        answer = Routes(SITES_DIR).next_answer(HOST, path) or {}
        source = site / answer.get("file", path.lstrip("/"))
        body = source.read_bytes()
        parse = discovery.parse_sitemap if "sitemap" in path else discovery.parse_feed
        if item["outcome"] == "discovery_error:unreadable":
            with pytest.raises(discovery.DiscoveryError):
                parse(body, item["url"])
            continue
        body = gzip.compress(body) if answer.get("compress") == "file" else body
        found = parse(body, item["url"])
        count = len(found) if isinstance(found, list) else len(found.urls or found.sitemaps)
        assert count == item.get("articles", item.get("sitemaps")), item["url"]


# -- the fault share ------------------------------------------------------------------------

# Plain http keeps the client's view simple (a reset is a ConnectionResetError); the TLS side of
# each fault is checked with Wire above.
SHARE_URLS = [f"http://baohatinh.vn/{name}" for name in (
    "rss", "feed", "sitemap.xml", "robots.txt", "ve-ha-tinh/", "ve-ha-tinh/?page=2",
    "nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html",
    "video-le-hoi-cau-ngu-o-thach-kim-post300102.html",
    "anh-hoang-hon-tren-bien-thien-cam-post300103.html",
    "ky-uc-nga-ba-dong-loc-post300111.html",
)] + [f"http://baocantho.com.vn/{name}" for name in (
    "rss/home.rss", "rss/the-gioi.rss", "thoi-su/dbscl/", "thoi-su/dbscl/page-2.html",
    "cho-noi-cai-rang-don-khach-dip-cuoi-nam-a190002.html",
    "video-mua-nuoc-noi-o-thoi-lai-a190003.html",
    "can-tho-khanh-thanh-cau-tran-hoang-na-moi-a190004.html",
    "nuoc-man-xam-nhap-som-o-soc-trang-cu-a190005.html",
)]  # fmt: skip
QUICK_KINDS = tuple(k for k in SHARE_FAULTS if k != "timeout")


def _first_then_second(web: FixtureWebProcess, url: str) -> tuple[object, int]:
    try:
        first: object = get(web, url).status
        response = get(web, url)
    except (ConnectionError, http.client.IncompleteRead) as exc:
        first = type(exc).__name__
        response = get(web, url)
    else:
        if first == 200:
            return first, response.status
    return first, response.status


def test_fault_share_faults_first_requests_deterministically_and_only_once() -> None:
    share, seed = 0.5, 7
    drawn = FaultShare(share=share, seed=seed, kinds=QUICK_KINDS)
    expected = {u: kind for u in SHARE_URLS if (kind := drawn.draw(u))}
    assert 0 < len(expected) < len(SHARE_URLS)
    with FixtureWebProcess(fault_share=share, fault_seed=seed, fault_kinds=QUICK_KINDS) as web:
        for url in SHARE_URLS:
            first, second = _first_then_second(web, url)
            assert second in (200, 404), (url, first, second)
            if url not in expected:
                assert first == second, url
        assert web.injected_faults() == expected
        answers = web.answers()
        for kind in set(expected.values()):
            name = kind if kind in ("reset", "truncate") else f"http_{SHARE_FAULTS[kind]['status']}"
            assert answers.get(name, 0) >= 1, (kind, answers)
        assert sum(web.stats().values()) == 2 * len(SHARE_URLS)
        web.reset()  # a new crawl: the same URLs fault again
        assert web.injected_faults() == {}
        _first_then_second(web, next(iter(expected)))
        assert web.injected_faults() == {next(iter(expected)): expected[next(iter(expected))]}


def test_fault_share_answers_match_their_kind() -> None:
    """One URL per kind: each kind's first answer is what its name says, the second is fine."""
    kinds_seen: dict[str, str] = {}
    for n in range(400):
        url = f"http://baohatinh.vn/robots.txt?n={n}"
        kind = FaultShare(share=1.0, seed=3).draw(url)
        if kind and kind not in kinds_seen:
            kinds_seen[kind] = url
    assert set(kinds_seen) == set(SHARE_FAULTS)
    with FixtureWebProcess(fault_share=1.0, fault_seed=3, fault_hold=1, fault_retry_after=2) as web:
        for kind, url in kinds_seen.items():
            if kind == "reset":
                with pytest.raises(ConnectionResetError):
                    get(web, url)
            elif kind == "truncate":
                with pytest.raises(http.client.IncompleteRead):
                    get(web, url).read()
            elif kind == "timeout":
                with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
                    get(web, url)
            else:
                response = get(web, url)
                assert response.status == SHARE_FAULTS[kind]["status"], kind
                if "retry_after" in SHARE_FAULTS[kind]:
                    assert response.headers["Retry-After"] == "2"
                if "retry_after_date" in SHARE_FAULTS[kind]:
                    assert response.headers["Retry-After"].endswith(" GMT")
            assert get(web, url).status == 404  # robots.txt?n=... has no file: a normal 404
        assert web.injected_faults() == {u: k for k, u in kinds_seen.items()}


def test_fault_share_spares_scripted_and_excluded_paths() -> None:
    scripted = "http://baohatinh.vn/khoi-cong-tuyen-duong-ven-bien-xuan-hoi-post300105.html"
    with FixtureWebProcess(fault_share=1.0, fault_seed=1, fault_kinds=("http_500",),
                           fault_exclude=r"^/robots\.txt$") as web:  # fmt: skip
        assert get(web, "http://baohatinh.vn/robots.txt").status == 200
        assert get(web, scripted).status == 429  # its script, not the share
        assert get(web, "http://baohatinh.vn/rss").status == 500
        assert set(web.injected_faults()) == {"http://baohatinh.vn/rss"}


def test_stats_keep_their_shape_and_count_answers(web: FixtureWebProcess) -> None:
    fetch(web, url_of(400101))
    fetch(web, url_of(400101))
    with pytest.raises(ConnectionResetError):
        exchange(web, url_of(400122))
    assert web.stats() == {url_of(400101): 2, url_of(400122): 1}
    assert web.answers() == {"http_500": 1, "http_200": 1, "reset": 1}


# -- bad configuration ----------------------------------------------------------------------


def test_a_bad_route_is_refused_with_one_line(tmp_path: Path) -> None:
    site = tmp_path / "baohatinh.vn"
    site.mkdir()
    (site / "_routes.toml").write_text('[[route]]\npath = "/x"\nanswers = [{ stauts = 500 }]\n')
    done = subprocess.run(
        [sys.executable, "-m", "tests.fixtureweb.server", "--sites", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "unknown answer keys ['stauts']" in done.stderr


@pytest.mark.parametrize(
    "args, message",
    [(["--fault-share", "1.5"], "not a share"), (["--fault-kinds", "http_500,boom"], "boom"),
     (["--fault-exclude", "("], "not a regular expression")],
)  # fmt: skip
def test_bad_fault_options_are_refused(args: list[str], message: str) -> None:
    done = subprocess.run([sys.executable, "-m", "tests.fixtureweb.server", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 2 and message in done.stderr
