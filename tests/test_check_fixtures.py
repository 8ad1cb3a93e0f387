"""``baotinh check --save-fixtures DIR``: the fixture web is "the network"; what the check
fetched comes back as fixture web sites that serve the same check again."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from baotinh.crawl.fixtures import fixture_path
from tests.fixtureweb.process import FixtureWebProcess
from tests.fixtureweb.server import SITES_DIR, file_for
from tests.test_crawl_e2e import EXPECTED, FAST, crawl_env, run_cli

pytestmark = pytest.mark.slow


def test_the_fixture_path_is_the_file_the_fixture_web_serves():
    for url in ("https://baohatinh.vn/", "https://www.baohatinh.vn/ve-ha-tinh/?page=2",
                "https://baokhanhhoa.vn/xa-hoi/?p=2", "https://baohatinh.vn/rss",
                "https://baohatinh.vn/sitemaps/news-2025-12.xml"):  # fmt: skip
        parts = url.split("/", 3)
        path, _, query = ("/" + parts[3]).partition("?")
        served = file_for(SITES_DIR, parts[2], path, query)
        assert served is not None, url
        assert SITES_DIR / fixture_path(url) == served


def test_check_saves_what_it_fetched_as_fixtures(fixture_web, tmp_path: Path):
    fixture_web.reset()  # scripted answers (429 then 200, ...) from their first one
    saved = tmp_path / "fixtures"
    done = run_cli(["check", "--articles", "50", "--save-fixtures", str(saved), *FAST],
                   crawl_env(fixture_web))  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    lines = done.stdout.splitlines()
    table = lines[lines.index("field coverage of the extracted articles (stored and quarantined)")
                  + 1 :]  # fmt: skip
    assert table[0].split() == ["source", "articles", "title", "sapo", "body", "authors",
                                "published_at", "category"]  # fmt: skip
    assert {row.split()[0] for row in table[1:4]} == {"baohatinh", "baokhanhhoa", "baocantho"}

    # Every page that answered 200 is saved where the fixture web serves it, byte for byte.
    for entry in EXPECTED["articles"]:
        if entry["outcome"] != "stored":
            continue
        url = entry.get("final_url") or entry["url"]
        original = SITES_DIR / fixture_path(url)
        copy = saved / fixture_path(url)
        assert copy.read_bytes() == original.read_bytes(), url
        expected = json.loads(copy.with_name(copy.name + ".expected.json").read_text("utf-8"))
        assert expected["reviewed"] is False and expected["outcome"] == "stored"
        assert expected["title"] == entry["title"], url
    for feed in ("baohatinh.vn/rss", "baohatinh.vn/robots.txt", "baokhanhhoa.vn/rss/kinh-te.rss"):
        assert (saved / feed).read_bytes() == (SITES_DIR / feed).read_bytes(), feed

    # Answers other than a plain 200 become scripted routes, in the order they came.
    hatinh = tomllib.loads((saved / "baohatinh.vn/_routes.toml").read_text("utf-8"))["route"]
    khanhhoa = tomllib.loads((saved / "baokhanhhoa.vn/_routes.toml").read_text("utf-8"))["route"]
    routes = {r["path"]: r["answers"] for r in [*hatinh, *khanhhoa]}
    assert routes["/khoi-cong-tuyen-duong-ven-bien-xuan-hoi-post300105.html"] == [
        {"status": 429, "headers": {"Retry-After": "1"}}, {"status": 200}]  # fmt: skip
    assert routes["/kinh-te/202512/cang-cam-ranh-don-chuyen-hang-lon-d0e1f2a/"][0] == {
        "status": 500}  # fmt: skip
    redirect = routes["/the-gioi/202512/lhq-keu-goi-ho-tro-e3f4a5b/"]
    assert redirect == [{"status": 301, "headers": {"Location": (
        "https://baokhanhhoa.vn/the-gioi/202512/lien-hop-quoc-keu-goi-ho-tro-nan-nhan-bao-e3f4a5b/"
    )}}]  # fmt: skip
    quarantined = saved / "baohatinh.vn/thong-bao-lich-tiep-cong-dan-post300107.html.expected.json"
    assert json.loads(quarantined.read_text("utf-8"))["outcome"] == "quarantined"

    # The exchanges as WARC too.
    warcs = sorted((saved / "_warc").glob("*.warc.gz"))
    assert warcs
    with open(warcs[0], "rb") as handle:
        assert any(r.rec_type == "response" for r in ArchiveIterator(handle))

    # The saved sites are a fixture web of their own: the same check passes against them.
    with FixtureWebProcess(sites=saved) as web:
        again = run_cli(["check", "--articles", "50", *FAST], crawl_env(web))
    assert again.returncode == 0, again.stdout + again.stderr[-2000:]
    stored = [line for line in again.stdout.splitlines() if line.startswith("  stored  ")]
    first = [line for line in done.stdout.splitlines() if line.startswith("  stored  ")]
    assert sorted(stored) == sorted(first)


def test_without_network_one_line_per_source_and_exit_1(tmp_path: Path):
    import os

    dead = {**os.environ, "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    done = run_cli(["check", "--articles", "1", "--save-fixtures", str(tmp_path), *FAST], dead)
    assert done.returncode == 1
    assert done.stdout.strip() == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3 and all(" unreachable " in line for line in lines), done.stderr
