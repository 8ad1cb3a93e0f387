"""Scheduled crawls on a web that grows between runs (tests/growingweb.py, synthetic).

The second run stores exactly the new articles and the edited versions, repeats nothing and
downloads no unchanged document again (every unchanged feed, sitemap, listing and article
answers 304); the third run, on an unchanged web, downloads nothing. robots.txt, fetched once
per host by Scrapy's robots middleware outside our conditional requests, is counted apart.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from baotinh.dataset.ledger import WriterLock
from baotinh.urls import normalize_url
from tests.conftest import REPO
from tests.fixtureweb.process import FAST_SETTINGS, SOURCE_ARGS, FixtureWebProcess, set_args
from tests.growingweb import copy_sites, grow
from tests.test_crawl_e2e import stored_rows

BAOTINH = [sys.executable, "-m", "baotinh.cli"]
# Re-check every young article on every run (the default is every 6 hours): the edits of sites
# without a sitemap lastmod are found that way, and unchanged ones must cost a 304.
RECHECK_NOW = {"BAOTINH_RECHECK_INTERVAL": "0"}
NEW_PER_SITE = 10  # thirty new articles on the three sites


def crawl(
    web: FixtureWebProcess, out: Path, *extra: str
) -> tuple[subprocess.CompletedProcess, dict]:
    report = out.parent / f"{out.name}-report.json"
    env = {**os.environ, **web.proxy_env(), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [*BAOTINH, "crawl", "--out", str(out), "--report", str(report), *SOURCE_ARGS,
         *set_args({**FAST_SETTINGS, **RECHECK_NOW}), *extra],
        env=env, capture_output=True, text=True, timeout=240, cwd="/",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return done, json.loads(report.read_text())


def downloads(web: FixtureWebProcess) -> dict[str, int]:
    """200-responses per URL since the last reset, robots.txt apart."""
    return {
        url: by["200"]
        for url, by in web.responses().items()
        if by.get("200") and not url.endswith("/robots.txt")
    }


@pytest.fixture(scope="module")
def growing(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("growing")
    sites = copy_sites(root)
    with FixtureWebProcess(sites=sites) as web:
        out = root / "archive"
        first_out, first = crawl(web, out)
        yield web, sites, out, first, first_out


@pytest.mark.slow
def test_new_and_edited_articles_and_nothing_else(growing: Any) -> None:
    web, sites, out, _, _ = growing
    before = {(r["article_id"], r["version"]) for r in stored_rows(out)}
    growth = grow(sites, NEW_PER_SITE)
    web.reset()
    done, second = crawl(web, out)
    total = second["total"]
    rows = stored_rows(out)
    new_rows = [r for r in rows if (r["article_id"], r["version"]) not in before]
    new_urls = {normalize_url(u) for u in growth.new_articles}
    edited_urls = {normalize_url(u) for u in growth.edited}
    # Exactly the new articles (version 1) and the edited ones (version 2) are stored.
    assert sorted(r["url"] for r in new_rows if r["version"] == 1) == sorted(new_urls)
    assert sorted(r["url"] for r in new_rows if r["version"] == 2) == sorted(edited_urls)
    assert total["stored"] == len(new_rows) == 3 * NEW_PER_SITE + 3
    versions = [(r["article_id"], r["version"]) for r in rows]
    assert len(versions) == len(set(versions)), "a version was stored twice"
    assert total["balanced"] and total["lost"] == 0
    # No unchanged document was downloaded again: every 200 is a new or edited article, a
    # discovery document that changed, or a page still waiting for a fetch (the JS shell and
    # the bot wall answer 304 too, their skip confirmed).
    changed = new_urls | edited_urls | {normalize_url(u) for u in growth.changed_documents}
    fetched = downloads(web)
    assert {normalize_url(u) for u in fetched} <= changed, sorted(set(fetched) - changed)
    assert all(n == 1 for n in fetched.values()), fetched
    # Everything else answered 304, or what it answers every time (the removed page's 404, the
    # broken one's 500, the moved one's 301, the scripted 429 before its 304).
    answers = web.responses()
    unchanged = {u: answers[u] for u in answers if normalize_url(u) not in changed}
    other = {
        u: a for u, a in unchanged.items() if not set(a) <= {"304", "301", "404", "429", "500"}
    }
    assert unchanged and {u for u in other if not u.endswith("/robots.txt")} == set(), other
    # The run says what it cost: 200-responses per new article or version, robots.txt included.
    per_article = total["responses"]["200"] / total["stored"]
    assert f"200-responses per new article or version {per_article:.2f}" in done.stdout
    assert per_article <= 1.5, (per_article, fetched)
    print(f"\n200-responses per new article or version: {per_article:.2f} "
          f"({total['responses']['200']} / {total['stored']}, robots.txt included)")  # fmt: skip

    # A third run on the unchanged web downloads nothing again (robots.txt apart).
    web.reset()
    _, third = crawl(web, out)
    assert third["total"]["stored"] == 0
    assert downloads(web) == {}
    assert third["total"]["responses"].get("304", 0) > 0


@pytest.mark.slow
def test_due_polls_only_what_is_due_and_a_busy_folder_is_one_line(growing: Any) -> None:
    web, _, out, _, _ = growing
    web.reset()
    _, report = crawl(web, out, "--due")
    # Everything was polled moments ago: nothing is due, only young articles are re-checked.
    polled = {u for u in web.responses() if not u.endswith("/robots.txt")}
    feeds = {u for u in polled if "rss" in u or u.endswith("/feed")}
    assert not feeds, feeds
    assert report["total"]["stored"] == 0

    env = {**os.environ, **web.proxy_env(), "PYTHONPATH": str(REPO)}
    with WriterLock(out):
        busy = subprocess.run(
            [*BAOTINH, "crawl", "--due", "--out", str(out), *SOURCE_ARGS],
            env=env, capture_output=True, text=True, timeout=60, cwd="/",
        )  # fmt: skip
    assert busy.returncode == 0, busy.stderr
    lines = (busy.stdout + busy.stderr).strip().splitlines()
    assert len(lines) == 1 and "busy" in lines[0] and f"pid {os.getpid()}" in lines[0], lines
    with sqlite3.connect(out / "state.sqlite") as db:
        assert db.execute("SELECT count(*) FROM busy").fetchone()[0] == 1


@pytest.mark.slow
def test_the_full_log_goes_to_a_file_beside_the_report(growing: Any) -> None:
    _, _, out, first, first_out = growing
    run_id = first["run_id"]
    log = out / "runs" / f"{run_id}.log"
    assert (
        log.is_file() and "Scrapy" in log.read_text() and "Dumping Scrapy stats" in log.read_text()
    )
    # Not a terminal: no Scrapy log on stderr, a summary per source on stdout.
    assert "scrapy.core.engine" not in first_out.stderr
    for source_id in ("baohatinh", "baokhanhhoa", "baocantho"):
        assert any(line.startswith(source_id) for line in first_out.stdout.splitlines())
    assert len(first_out.stdout.splitlines()) <= 6
