"""End to end: the real `baotinh crawl` (and `scrapy`) over the fixture web.

The production URLs (https://baohatinh.vn/...) reach the fixture server through the ordinary
https_proxy path; nothing in the crawl knows it is a test.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from baotinh.dataset.ledger import WriterLock
from baotinh.dates import VN_TZ as VN
from baotinh.schema import ARTICLE_SCHEMA
from baotinh.urls import normalize_url
from tests.conftest import REPO
from tests.fixtureweb.process import FAST_SETTINGS, FIXTURE_SOURCES, SOURCE_ARGS, set_args

EXPECTED = json.loads((REPO / "tests/fixtureweb/expected.json").read_text("utf-8"))
FAST = [*SOURCE_ARGS, *set_args(FAST_SETTINGS)]
BAOTINH = [sys.executable, "-m", "baotinh.cli"]


def crawl_env(web: Any) -> dict[str, str]:
    return {**os.environ, **web.proxy_env(), "PYTHONPATH": str(REPO)}


def run_cli(args: list[str], env: dict[str, str], **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BAOTINH, *args], env=env, capture_output=True, text=True, timeout=240, cwd="/", **kw
    )


def ledger_states(out: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(out / "state.sqlite") as db:
        return {u: (s, r) for u, s, r in db.execute("SELECT url, status, reason FROM urls")}


def stored_rows(out: Path) -> list[dict[str, Any]]:
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{out}/articles/**/*.parquet')")
    return rel.arrow().read_all().to_pylist()


@pytest.fixture(scope="module")
def first_crawl(fixture_web, tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    fixture_web.reset()
    report = out / "report.json"
    done = run_cli(["crawl", "--out", str(out), "--report", str(report), *FAST],
                   crawl_env(fixture_web))  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out, json.loads(report.read_text()), fixture_web.stats()


def test_report_accounting_holds(first_crawl):
    _, report, _ = first_crawl
    for source_id, counts in [*report["sources"].items(), ("total", report["total"])]:
        accounted = (
            counts["stored"] + counts["quarantined"] + counts["duplicates"]
            + sum(counts["skipped"].values()) + sum(counts["failed"].values())
            + sum(counts["left"].values()) + counts["lost"]
        )  # fmt: skip
        assert counts["discovered"] == accounted, source_id
        assert counts["balanced"], source_id
        assert counts["lost"] == 0 and not counts["left"], source_id
    assert set(report["sources"]) == {"baohatinh", "baokhanhhoa", "baocantho"}
    assert all(c["stored"] > 0 for c in report["sources"].values())
    assert report["total"]["requests"] >= report["total"]["discovered"]


def test_every_article_url_ends_as_expected(first_crawl):
    out, _, _ = first_crawl
    states = ledger_states(out)
    for entry in EXPECTED["articles"]:
        key = normalize_url(entry["url"])
        bucket, _, reason = entry["outcome"].partition(":")
        status = {"duplicates": "duplicate"}.get(bucket, bucket)
        assert key in states, f"{key} never reached the ledger"
        assert states[key][0] == status, (key, states[key], entry["outcome"])
        if reason and bucket in ("skipped", "failed"):
            assert states[key][1] == reason, (key, states[key])


def test_stored_fields_match_the_pages(first_crawl):
    out, _, _ = first_crawl
    rows = {r["canonical_url"]: r for r in stored_rows(out)}
    groups: dict[str, list[dict]] = {}
    for entry in EXPECTED["articles"]:
        if entry["outcome"] != "stored":
            continue
        row = rows[entry["canonical_url"]]
        assert row["title"] == entry["title"]
        assert row["authors"] == entry["authors"]
        assert row["content_type"] == entry["content_type"]
        expected_at = entry["published_at"]
        assert row["published_at"].isoformat() == _utc_iso(expected_at), row["url"]
        if entry.get("duplicate_group"):
            groups.setdefault(entry["duplicate_group"], []).append(row)
    for members in groups.values():  # one original, the copies link to it
        originals = [r for r in members if r["duplicate_of"] is None]
        assert len(originals) == 1
        assert all(r["duplicate_of"] == originals[0]["article_id"] for r in members
                   if r is not originals[0])  # fmt: skip


def _utc_iso(value: str) -> str:
    from datetime import UTC, datetime

    return datetime.fromisoformat(value).astimezone(UTC).isoformat()


def test_duckdb_reads_the_declared_schema(first_crawl):
    out, report, _ = first_crawl
    described = duckdb.sql(
        f"DESCRIBE SELECT * FROM read_parquet('{out}/articles/**/*.parquet')"
    ).fetchall()
    assert [name for name, *_ in described] == ARTICLE_SCHEMA.names
    counted = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/articles/**/*.parquet')")
    assert counted.fetchall()[0][0] == report["total"]["stored"]
    for path in (out / "articles").rglob("*.parquet"):
        schema = pq.read_schema(path)
        assert schema.remove_metadata() == ARTICLE_SCHEMA.remove_metadata()


def test_quarantine_keeps_the_reason_and_the_page(first_crawl):
    out, report, _ = first_crawl
    rows = duckdb.sql(
        f"SELECT url, failed_expectations, raw_html_zstd IS NOT NULL AS has_page "
        f"FROM read_parquet('{out}/quarantine/**/*.parquet')"
    ).fetchall()
    assert len(rows) == report["total"]["quarantined"] > 0
    assert all(failed and has_page for _, failed, has_page in rows)


def test_validate_passes_on_the_crawled_dataset(first_crawl):
    out, _, _ = first_crawl
    done = run_cli(["validate", str(out)], os.environ.copy())
    assert done.returncode == 0, done.stdout + done.stderr


def test_later_crawls_store_nothing_and_refetch_no_archived_page(first_crawl, fixture_web):
    out, _, _ = first_crawl
    for later in ("report2.json", "report3.json"):  # not fetching must not change the ledger
        fixture_web.reset()
        report = out / later
        done = run_cli(["crawl", "--out", str(out), "--report", str(report), *FAST],
                       crawl_env(fixture_web))  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        again = json.loads(report.read_text())
        assert again["total"]["stored"] == 0
        assert again["total"]["balanced"]
        # Every discovery document was asked for with its validators and answered 304; only
        # the URLs still waiting for a fetch (the 404, the 500, ...) are offered again.
        answers = fixture_web.responses()
        robots = {u for u in answers if u.endswith("/robots.txt")}
        downloaded = {u for u, by in answers.items() if by.get("200") and u not in robots}
        archived = {r["url"] for r in stored_rows(out)}
        assert not {u for u in downloaded if normalize_url(u) in archived}, later
        waiting = {k for k, (status, _) in ledger_states(out).items() if status != "stored"}
        assert {normalize_url(u) for u in downloaded} <= waiting, (later, downloaded)


def test_a_second_writer_is_refused_with_the_running_pid(fixture_web, tmp_path):
    with WriterLock(tmp_path):
        done = run_cli(["crawl", "--out", str(tmp_path), *FAST], crawl_env(fixture_web))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"pid {os.getpid()}" in lines[0], done.stderr


def test_scrapy_list_and_crawl_work_from_the_project_root(fixture_web, tmp_path):
    env = crawl_env(fixture_web)
    scrapy = [sys.executable, "-m", "scrapy"]
    listed = subprocess.run([*scrapy, "list"], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    from baotinh.registry import sources

    assert sorted(listed.stdout.split()) == sorted(["archive", *sources()])
    settings = ["-s", f"BAOTINH_OUT={tmp_path}", *set_args(FAST_SETTINGS, "-s")]
    done = subprocess.run([*scrapy, "crawl", "baocantho", *settings], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    sources = duckdb.sql(
        f"SELECT DISTINCT source FROM read_parquet('{tmp_path}/articles/**/*.parquet')"
    ).fetchall()
    assert sources == [("baocantho",)]


def test_a_killed_crawl_loses_nothing_it_marked_done(fixture_web, tmp_path):
    """kill -9 mid-run: every URL the ledger calls stored is in a published file, and the
    next run finishes the work without storing any version twice."""
    env = crawl_env(fixture_web)
    slow = ["--set", "DOWNLOAD_DELAY=0.3", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "BAOTINH_VALIDATE_BATCH=1", "--set", "BAOTINH_BUFFER_ROWS=1",
            "--set", "BAOTINH_FILE_TARGET_BYTES=1",
            "--set", "BAOTINH_RETRY_AFTER_MAX=1", *SOURCE_ARGS]  # fmt: skip
    proc = subprocess.Popen(
        [*BAOTINH, "crawl", "--out", str(tmp_path), *slow],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/",
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((tmp_path / "articles").rglob("*.parquet")):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    published = list((tmp_path / "articles").rglob("*.parquet"))
    assert published, "nothing was published before the kill: the test proves nothing"
    in_files = {r["url"] for r in stored_rows(tmp_path)}
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        marked = {u for (u,) in db.execute("SELECT url FROM urls WHERE status = 'stored'")}
    assert marked <= in_files | _redirect_sources(), "the ledger marks unsaved work done"

    done = run_cli(["crawl", "--out", str(tmp_path), *FAST], env)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = stored_rows(tmp_path)
    versions = [(r["article_id"], r["version"]) for r in rows]
    assert len(versions) == len(set(versions)), "a version was stored twice"
    expected = {e["canonical_url"] for e in EXPECTED["articles"] if e["outcome"] == "stored"}
    assert expected <= {r["canonical_url"] for r in rows}


def _redirect_sources() -> set[str]:
    return {normalize_url(e["url"]) for e in EXPECTED["articles"] if e.get("final_url")}


def test_the_dataset_opens_in_pandas_polars_and_hugging_face(first_crawl, tmp_path):
    import pandas as pd
    import polars as pl

    out, report, _ = first_crawl
    stored = report["total"]["stored"]
    frame = pd.read_parquet(out / "articles", partitioning=None)
    assert len(frame) == stored and list(frame.columns) == ARTICLE_SCHEMA.names
    assert pl.read_parquet(f"{out}/articles/**/*.parquet").height == stored
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    code = (
        "import sys; from datasets import load_dataset;"
        "ds = load_dataset('parquet', data_files=sys.argv[1], split='train');"
        "print(len(ds), ds.features['published_at'].dtype.replace(' ', ''))"
    )
    done = subprocess.run([sys.executable, "-c", code, f"{out}/articles/**/*.parquet"],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    count, dtype = done.stdout.strip().splitlines()[-1].split(" ")
    assert int(count) == stored and dtype == "timestamp[us,tz=UTC]"


def test_since_and_max_articles_keep_the_accounting(fixture_web, tmp_path):
    env = crawl_env(fixture_web)
    report = tmp_path / "r.json"
    done = run_cli(["crawl", "--out", str(tmp_path / "a"), "--since", "2025-12-12",
                    "--report", str(report), *FAST], env)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    total = json.loads(report.read_text())["total"]
    assert total["balanced"] and total["left"].get("since", 0) > 0 and total["lost"] == 0
    for row in stored_rows(tmp_path / "a"):
        assert row["published_at"].astimezone(VN).date().isoformat() >= "2025-12-12"

    done = run_cli(["crawl", "--out", str(tmp_path / "b"), "--max-articles", "3",
                    "--report", str(report), *FAST], env)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    total = json.loads(report.read_text())["total"]
    assert total["balanced"] and total["stored"] <= 3 and total["left"]["max_articles"] > 0
    assert total["lost"] == 0


def test_every_fixture_site_is_a_registered_source_with_expectations():
    """Adding a source to the fixture web is a registry entry plus fixtures: this walks the
    fixture web's sites and the sources the crawls above name."""
    from baotinh.registry import get, load_registry, source_for_url
    from tests.fixtureweb.server import SITES_DIR

    expected_sources = {e["source_id"] for e in EXPECTED["articles"] if e["outcome"] == "stored"}
    # The fault site is no real paper: it is registered the way an operator adds one.
    fault_site = REPO / "tests/fixtureweb/fault-site.toml"
    with_faults = load_registry(extra=[fault_site])
    assert with_faults.source_for_url("https://baothunghiem.vn/").id == "baothunghiem"
    sites = {p.name for p in SITES_DIR.iterdir() if p.is_dir()} - {"baothunghiem.vn"}
    owners = {site: source_for_url(f"https://{site}/") for site in sites}
    portal = {host: "vietnamvn" for host in ("vietnam.vn", "thongtin.vietnam.vn", "vjs.vietnam.vn")}
    assert {site: s.id if s else None for site, s in owners.items()} == {
        **{get(s).domains[0]: s for s in FIXTURE_SOURCES},
        **portal,
    }
    for source in map(get, FIXTURE_SOURCES):
        assert (SITES_DIR / source.domains[0] / "robots.txt").is_file(), source.id
        assert source.id in expected_sources, f"{source.id}: no stored article in expected.json"


def test_check_describes_every_source_from_a_few_articles(fixture_web):
    # More articles than a fixture site holds: which pages a small sample draws depends on
    # download order, and a sample of only the quarantined page would (rightly) fail the check.
    done = run_cli(["check", "--articles", "50", *FAST], crawl_env(fixture_web))
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    report = done.stdout
    for source_id, feed in (("baohatinh", "https://baohatinh.vn/rss"),
                            ("baokhanhhoa", "https://baokhanhhoa.vn/rss/kinh-te.rss"),
                            ("baocantho", "https://baocantho.com.vn/rss/home.rss")):  # fmt: skip
        section = report.split(f"\n{source_id}: ")[1].split("\n\n")[0]
        feed_line = next(line for line in section.splitlines() if line.endswith(feed))
        assert "entries" in feed_line and "  stored  " in section, section


def test_rows_record_what_site_and_page_said_about_reuse(first_crawl):
    out, _, _ = first_crawl
    rows = {r["url"]: r for r in stored_rows(out)}
    assert {r["robots_txt"] for r in rows.values()} == {"allowed"}  # every site has one
    gallery = rows["https://baohatinh.vn/anh-hoang-hon-tren-bien-thien-cam-post300103.html"]
    assert gallery["robots_meta"] == ["noarchive", "max-image-preview:large"]
    noai = next(r for u, r in rows.items() if u.endswith("-a1b2c3d"))
    assert noai["x_robots_tag"] == ["noai"] and noai["robots_meta"] == []
    # baocantho's /.well-known/tdmrep.json reserves one article and frees the rest.
    cantho = {u: r for u, r in rows.items() if "baocantho" in u}
    reserved = [u for u, r in cantho.items() if r["tdm_reservation"]]
    assert reserved == [
        "https://baocantho.com.vn/lien-minh-chau-au-thong-qua-goi-ho-tro-moi-a190006.html"
    ]
    assert cantho[reserved[0]]["tdm_policy"] == "https://baocantho.com.vn/tdm/chinh-sach.json"
    assert all(r["tdm_reservation"] is False for u, r in cantho.items() if u not in reserved)
    assert all(r["tdm_reservation"] is None for u, r in rows.items() if "baocantho" not in u)


def test_a_tombstoned_article_is_never_fetched_again(fixture_web, tmp_path):
    from baotinh.rights.tombstones import Tombstone, TombstoneList

    taken_down = "https://baohatinh.vn/nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html"
    TombstoneList.append(
        tmp_path / "tombstones.jsonl",
        Tombstone(kind="url", value=taken_down, reason="the paper asked", date="2026-11-29"),
    )
    fixture_web.reset()
    report = tmp_path / "r.json"
    done = run_cli(["crawl", "--out", str(tmp_path), "--source", "baohatinh", "--report",
                    str(report), *FAST], crawl_env(fixture_web))  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(report.read_text())["sources"]["baohatinh"]
    assert counts["skipped"].get("tombstoned") == 1
    assert not [u for u in fixture_web.stats() if "post300101" in u]
    assert taken_down not in {r["url"] for r in stored_rows(tmp_path)}
