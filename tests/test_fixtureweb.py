"""The fixture proxy, driven by a real client (urllib) over http and https (CONNECT)."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtureweb.process import FixtureWebProcess as FixtureWeb
from tests.fixtureweb.server import SITES_DIR, file_for

ROOT = Path(__file__).resolve().parents[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as server:
        yield server


def _opener(web: FixtureWeb) -> urllib.request.OpenerDirector:
    proxies = {"http": web.proxy_url, "https": web.proxy_url}
    return urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies),
        urllib.request.HTTPSHandler(context=ssl._create_unverified_context()),
        _NoRedirect(),
    )


def _get(web: FixtureWeb, url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    try:
        with _opener(web).open(urllib.request.Request(url, method=method), timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_serves_https_through_connect_and_plain_http(web: FixtureWeb) -> None:
    status, headers, body = _get(web, "https://baohatinh.vn/rss")
    assert status == 200 and body.startswith(b"<?xml")
    assert headers["Content-Type"].startswith("application/xml")
    status, headers, body = _get(web, "http://baokhanhhoa.vn/rss/kinh-te.rss")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    status, headers, body = _get(web, "https://www.baocantho.com.vn/thoi-su/dbscl/")
    assert status == 200 and "ĐBSCL".encode() in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_query_string_maps_to_encoded_file(web: FixtureWeb) -> None:
    status, _, body = _get(web, "https://baohatinh.vn/ve-ha-tinh/?page=2")
    assert status == 200 and b"post300108" in body
    assert _get(web, "https://baohatinh.vn/ve-ha-tinh/?page=3")[0] == 404


def test_unknown_host_is_refused_with_502(web: FixtureWeb) -> None:
    status, _, body = _get(web, "http://example.com/")
    assert status == 502 and b"no fixture site for example.com" in body
    with pytest.raises(urllib.error.URLError, match="502"):
        _opener(web).open("https://example.com/", timeout=10)


def test_unknown_path_is_404_and_head_has_no_body(web: FixtureWeb) -> None:
    assert _get(web, "https://baohatinh.vn/bai-viet-da-go-post300110.html")[0] == 404
    status, headers, body = _get(web, "https://baohatinh.vn/robots.txt", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_scripted_answers(web: FixtureWeb) -> None:
    url = "https://baohatinh.vn/khoi-cong-tuyen-duong-ven-bien-xuan-hoi-post300105.html"
    status, headers, _ = _get(web, url)
    assert status == 429 and headers["Retry-After"] == "1"
    assert _get(web, url)[0] == 200
    assert _get(web, url)[0] == 200  # the last answer repeats
    assert (
        _get(
            web, "https://baokhanhhoa.vn/kinh-te/202512/cang-cam-ranh-don-chuyen-hang-lon-d0e1f2a/"
        )[0]
        == 500
    )
    status, headers, _ = _get(
        web, "https://baokhanhhoa.vn/the-gioi/202512/lhq-keu-goi-ho-tro-e3f4a5b/"
    )
    assert status == 301
    assert headers["Location"].endswith("/lien-hop-quoc-keu-goi-ho-tro-nan-nhan-bao-e3f4a5b/")
    web.reset()
    assert _get(web, url)[0] == 429  # reset rewinds the script


def test_stats_count_requests_per_url(web: FixtureWeb) -> None:
    for _ in range(2):
        _get(web, "https://baohatinh.vn/robots.txt")
    _get(web, "http://baocantho.com.vn/rss/home.rss")
    assert web.stats() == {
        "https://baohatinh.vn/robots.txt": 2,
        "http://baocantho.com.vn/rss/home.rss": 1,
    }
    status, _, body = _get(web, "http://fixture.local/_stats")
    assert status == 200 and json.loads(body) == web.stats()  # control calls are not counted
    _get(web, "http://fixture.local/_reset")
    assert web.stats() == {}


def test_file_mapping_stays_inside_the_site() -> None:
    assert file_for(SITES_DIR, "baohatinh.vn", "/../baokhanhhoa.vn/robots.txt") is None
    assert file_for(SITES_DIR, "baohatinh.vn", "/%2e%2e/baokhanhhoa.vn/robots.txt") is None
    assert file_for(SITES_DIR, "m.baohatinh.vn", "/") == SITES_DIR / "baohatinh.vn/index.html"
    assert file_for(SITES_DIR, "baokhanhhoa.vn", "/xa-hoi/", "p=2") == (
        SITES_DIR / "baokhanhhoa.vn/xa-hoi/index@p=2.html"
    )


def test_cli_writes_port_and_pid_files_and_stops_on_sigterm(tmp_path: Path) -> None:
    port_file, pid_file = tmp_path / "port", tmp_path / "pid"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fixtureweb.server", "--port-file", str(port_file),
         "--pid-file", str(pid_file)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        port = int(port_file.read_text())
        assert int(pid_file.read_text()) == proc.pid
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"})
        )
        with opener.open("http://baohatinh.vn/robots.txt", timeout=10) as response:
            assert b"Disallow: /tin-noi-bo/" in response.read()
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    assert not port_file.exists() and not pid_file.exists()


def _conditional_get(
    web: FixtureWeb, url: str, headers: dict[str, str]
) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener(web).open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_conditional_requests_are_answered_304_until_the_file_changes(tmp_path: Path) -> None:
    import shutil

    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR, sites)
    (sites / "baokhanhhoa.vn" / "_routes.toml").write_text(
        'validators = ["last-modified"]\n', "utf-8"
    )
    feed = "https://baohatinh.vn/rss"
    with FixtureWeb(sites=sites) as web:
        status, headers = _conditional_get(web, feed, {})
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert _conditional_get(web, feed, {"If-None-Match": etag})[0] == 304
        assert _conditional_get(web, feed, {"If-Modified-Since": modified})[0] == 304
        assert (
            _conditional_get(
                web, feed, {"If-None-Match": '"other"', "If-Modified-Since": modified}
            )[0]
            == 200
        )
        path = sites / "baohatinh.vn" / "rss"
        path.write_bytes(path.read_bytes().replace(b"</channel>", b"<item/></channel>"))
        assert _conditional_get(web, feed, {"If-None-Match": etag})[0] == 200
        # A site configured to send only Last-Modified never sends an ETag.
        status, headers = _conditional_get(web, "https://baokhanhhoa.vn/rss/kinh-te.rss", {})
        assert status == 200 and "ETag" not in headers and headers["Last-Modified"]
        assert web.responses()[feed] == {"200": 3, "304": 2}
