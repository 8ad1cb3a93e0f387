"""The fault web crawled for real: one outcome per fault (tests/fixtureweb/faults.json), and a
crawl of every registered fixture site with a share of transient faults on every site.

The fault site is registered the way an operator adds a paper of their own
(``BAOTINH_SOURCES``); it is reached, like every site, through ``https_proxy``."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from tests.fixtureweb.process import FAST_SETTINGS, SOURCE_ARGS, FixtureWebProcess, set_args
from tests.test_crawl_e2e import crawl_env, run_cli

FAULTS = json.loads((REPO / "tests/fixtureweb/faults.json").read_text("utf-8"))
FAULT_SITE = REPO / "tests/fixtureweb/fault-site.toml"


def _crawl(web, out: Path, *args: str, env: dict | None = None) -> tuple[object, dict]:
    report = out / "report.json"
    done = run_cli(
        ["crawl", "--out", str(out), "--report", str(report), *args],
        {**crawl_env(web), **(env or {})},
    )
    return done, json.loads(report.read_text()) if report.exists() else {}


@pytest.fixture(scope="module")
def fault_crawl(fixture_web, tmp_path_factory):
    out = tmp_path_factory.mktemp("faults")
    fixture_web.reset()
    settings = {**FAST_SETTINGS, **FAULTS["settings"]}
    done, report = _crawl(
        fixture_web, out, "--source", "baothunghiem", *set_args(settings),
        env={"BAOTINH_SOURCES": str(FAULT_SITE)},
    )  # fmt: skip
    assert report, done.stderr[-3000:]
    with sqlite3.connect(out / "state.sqlite") as db:
        states = {u: (s, r) for u, s, r in db.execute("SELECT url, status, reason FROM urls")}
    rows = {
        r["url"]: r
        for r in duckdb.sql(f"SELECT * FROM read_parquet('{out}/articles/**/*.parquet')")
        .arrow()
        .read_all()
        .to_pylist()
    }
    return done, report["sources"]["baothunghiem"], states, rows


@pytest.mark.slow
@pytest.mark.parametrize("entry", FAULTS["articles"], ids=lambda e: e["url"].rsplit("-", 1)[-1])
def test_each_fault_ends_as_expected(fault_crawl, entry):
    _, _, states, rows = fault_crawl
    url = entry["url"]
    if entry["outcome"] == "stored":
        assert url in rows, f"{entry['fault']}: not stored; ledger says {states.get(url)}"
        row = rows[url]
        for field in ("title", "body"):
            assert unicodedata.is_normalized("NFC", row[field]), field
        assert row["title"] == entry["title"], entry["fault"]
        if entry.get("first_paragraph"):
            assert row["body"].split("\n\n")[0] == entry["first_paragraph"], entry["fault"]
        if entry.get("authors") is not None:
            assert row["authors"] == entry["authors"], entry["fault"]
        if entry.get("published_at"):
            assert row["published_at"] == datetime.fromisoformat(entry["published_at"])
    else:
        bucket, reason = entry["outcome"].split(":", 1)
        status = {"skipped": "skipped", "failed": "failed"}[bucket]
        assert states.get(url) == (status, reason), entry["fault"]
        assert url not in rows


@pytest.mark.slow
def test_the_fault_crawl_loses_nothing_and_reads_every_discovery_page(fault_crawl):
    done, counts, _, _ = fault_crawl
    assert counts["lost"] == 0, counts
    assert done.returncode == 0, done.stderr[-2000:]
    for page in FAULTS["discovery"]:
        found = counts["discovery_pages"].get(page["url"], "")
        if page["outcome"] == "read":
            assert found and "unreadable" not in found and "http_" not in found, page
        else:
            assert found == page["outcome"].split(":", 1)[1], page
    assert counts["discovery_errors"] == {"unreadable": 2}


@pytest.mark.slow
def test_a_share_of_every_fault_on_every_site_loses_nothing(tmp_path):
    # Retry-After waits (up to 2 s here) are honoured, not past the cap: nothing is deferred.
    settings = set_args({**FAST_SETTINGS, "DOWNLOAD_TIMEOUT": "2", "BAOTINH_RETRY_AFTER_MAX": "5"})
    with FixtureWebProcess() as web:
        clean, clean_report = _crawl(web, tmp_path / "clean", *SOURCE_ARGS, *settings)
    assert clean.returncode == 0, clean.stderr[-2000:]
    with FixtureWebProcess(fault_share=0.4, fault_seed=8, fault_hold=3.0) as web:
        faulty, report = _crawl(web, tmp_path / "faulty", *SOURCE_ARGS, *settings)
        injected = json.loads(web._control("/_stats/faults"))
    assert faulty.returncode == 0, faulty.stderr[-3000:]
    assert len(injected) >= 10, injected  # the share was real
    assert report["total"]["lost"] == 0
    for source_id, counts in clean_report["sources"].items():
        assert report["sources"][source_id]["stored"] >= 0.95 * counts["stored"], source_id
    keys = duckdb.sql(
        f"SELECT article_id, version, count(*) FROM read_parquet('{tmp_path}/faulty/articles/"
        f"**/*.parquet') GROUP BY 1, 2 HAVING count(*) > 1"
    ).fetchall()
    assert keys == []  # no row stored twice
