"""Done-when of issue 9, end to end: a release cut from a real crawl of the fixture web passes
its validation and has its card, plots, Data Docs, manifest and index.html, checked in headless
Chromium; a download of it over HTTP yields exactly the matching rows."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import duckdb
import pytest

from baotinh.dataset.store import latest_sql
from baotinh.rights.policy import withheld_reason
from tests.chromium import Chromium, chromium_binary
from tests.conftest import require_datadocs_assets
from tests.releases import manifest
from tests.static_server import StaticServer
from tests.test_crawl_e2e import FAST, crawl_env, run_cli

pytestmark = pytest.mark.slow
SOURCES = ["--source", "baohatinh", "--source", "baokhanhhoa", "--source", "baocantho"]


@pytest.fixture(scope="module")
def demo_release(fixture_web, tmp_path_factory):
    require_datadocs_assets()
    root = tmp_path_factory.mktemp("demo")
    dataset, releases = root / "archive", root / "releases"
    fixture_web.reset()
    env = crawl_env(fixture_web)
    crawled = run_cli(["crawl", "--out", str(dataset), *SOURCES, *FAST], env)
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    released = run_cli(["release", str(dataset), "--version", "1.0.0", "--out", str(releases)], env)
    assert released.returncode == 0, released.stderr[-3000:]
    return {
        "dataset": dataset,
        "releases": releases,
        "release": releases / "1.0.0",
        "stdout": released.stdout,
    }


def test_the_demo_release_passed_validation_and_has_everything(demo_release):
    release = demo_release["release"]
    latest = duckdb.sql(latest_sql(demo_release["dataset"])).arrow().read_all().to_pylist()
    # The fixture web's pages that say noarchive/noai or reserve TDM rights are withheld.
    withheld = [row for row in latest if withheld_reason(row)]
    articles = len(latest) - len(withheld)
    assert articles > 10 and len(withheld) == 3
    assert demo_release["stdout"].startswith(f"release 1.0.0: {articles} articles")
    assert f"rights {len(withheld)}" in demo_release["stdout"]
    for name in (
        "README.md",
        "CITATION.cff",
        "LICENSE.md",
        "index.html",
        "manifest.json",
        "polling.csv",
        "tombstones.sha256.json",
        "data_docs/index.html",
        "plots/articles-per-province-month.png",
        "plots/articles-per-language.png",
        "plots/field-coverage-per-source.png",
    ):
        assert (release / name).is_file(), name
    data = manifest(release)
    assert sum(f["rows"] for f in data["files"] if f.get("config") == "latest") == articles
    sources = {f["partition"]["source"] for f in data["files"] if f["kind"] == "data"}
    assert sources == {"baohatinh", "baokhanhhoa", "baocantho"}
    polling = (release / "polling.csv").read_text().splitlines()[1:]
    assert len(polling) == 3 and all(line.endswith(",new articles") for line in polling)
    card = (release / "README.md").read_text("utf-8")
    assert f"**{articles}** articles" in card and "| baocantho | 1 | 0 | 0 | 0 | 0 |" in card
    # One validation batch per config: the demo's small files share a GX call.
    pages = sorted((release / "data_docs/validations").rglob("*.html"))
    assert [p.relative_to(release / "data_docs").as_posix() for p in pages] == [
        "validations/baotinh_articles/1.0.0/latest/batch-00001.html",
        "validations/baotinh_articles/1.0.0/versions/batch-00001.html",
    ]
    latest = json.loads((demo_release["releases"] / "latest.json").read_text())
    assert latest["version"] == "1.0.0"


@pytest.mark.skipif(
    chromium_binary() is None, reason="chromium not installed (make test installs it)"
)
def test_index_and_data_docs_render_offline_in_chromium(demo_release, tmp_path):
    release = demo_release["release"]
    with (
        StaticServer(demo_release["releases"]) as server,
        Chromium(tmp_path / "profile") as browser,
    ):
        base = f"{server.url}/1.0.0/"
        browser.open(base + "index.html")
        browser.screenshot(tmp_path / "index.png")
        images = browser.evaluate(
            "Array.from(document.images).map(i => [i.getAttribute('src'), i.complete,"
            " i.naturalWidth])"
        )
        assert len(images) >= 3 and all(ok and width > 100 for _src, ok, width in images), images
        links = browser.evaluate(
            "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
        )
        assert len(links) > 10
        assert all(u.startswith(server.url) for u in browser.requested_urls())
        assert browser.console_errors() == [] and browser.failed_requests() == []
        for link in sorted({u.split("#")[0] for u in links}):
            assert link.startswith(server.url), link  # nothing external
            with urllib.request.urlopen(link, timeout=10) as answer:  # every link resolves
                assert answer.status == 200, link

        # Data Docs: GX's page with its scripts, styles and fonts from the release itself.
        browser.open(base + "data_docs/index.html", settle=2.0)
        browser.screenshot(tmp_path / "data_docs.png")
        assert browser.evaluate("typeof jQuery === 'function' && typeof vegaEmbed === 'function'")
        rows = browser.evaluate(
            "document.querySelectorAll('.ge-index-page-validation-results-table tbody tr').length"
        )
        assert rows == len(list((release / "data_docs/validations").rglob("*.html")))
        requested = browser.requested_urls()
        assert any("static/vendor/bootstrap" in u for u in requested)
        assert any("webfonts" in u or "HKGrotesk" in u for u in requested)
        assert all(u.startswith(server.url) or u.startswith("data:") for u in requested), requested
        assert browser.failed_requests() == [] and browser.console_errors() == []
        page = next((release / "data_docs/validations").rglob("*.html"))
        browser.open(base + page.relative_to(release).as_posix())
        text = browser.evaluate("document.body.innerText")
        assert "Overview" in text and "baotinh_articles" in text and "Succeeded" in text
        assert all(
            u.startswith(server.url) or u.startswith("data:") for u in browser.requested_urls()
        )
        assert browser.failed_requests() == []


def test_an_http_download_of_the_demo_release_with_filters(demo_release, tmp_path):
    release = demo_release["release"]
    out = tmp_path / "out"
    with StaticServer(demo_release["releases"]) as server:
        done = run_cli(
            [
                "download",
                server.url,
                "--out",
                str(out),
                "--language",
                "vi",
                "--source",
                "baokhanhhoa",
            ],
            dict(os.environ),
        )
    assert done.returncode == 0, done.stderr
    query = (
        "SELECT article_id FROM read_parquet('{}/data/latest/**/*.parquet',"
        " hive_partitioning = false){} ORDER BY 1"
    )
    got = duckdb.sql(query.format(out, "")).fetchall()
    want = duckdb.sql(
        query.format(release, " WHERE source_id = 'baokhanhhoa' AND language = 'vi'")
    ).fetchall()
    assert got == want and got
    assert not any(Path(out, "data").rglob("source=baohatinh"))
