"""End to end: `baotinh crawl --since D --until D` over the provincial papers and the simulated
vietnam.vn (every language), then vietnam.vn alone with `--language de`; `baotinh check`.

The production URLs reach the fixture web through https_proxy; ``expected_vietnam.json``
(written by ``tests/fixtureweb/portal.py`` with the pages) says what each URL must end as.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest

from baotinh.alignment.table import read_alignments
from baotinh.dates import VN_TZ
from baotinh.urls import normalize_url
from tests.conftest import REPO
from tests.fixtureweb.process import (
    FAST_SETTINGS,
    PORTAL_ARGS,
    SOURCE_ARGS,
    set_args,
)

EXPECTED = json.loads((REPO / "tests/fixtureweb/expected_vietnam.json").read_text("utf-8"))
SINCE, UNTIL = EXPECTED["range"]
RANGE = ["--since", SINCE, "--until", UNTIL]
BAOTINH = [sys.executable, "-m", "baotinh.cli"]
FAST = set_args(FAST_SETTINGS)
VERSIONS = [(story, v) for story in EXPECTED["stories"] for v in story["versions"]]
STORED = [(story, v) for story, v in VERSIONS if v["outcome"] == "stored"]
# Page furniture, in any language: none of it may reach a body.
FURNITURE = re.compile(
    r"\[[^\W\d_][\w ]*_\d+\]|^(?:Nguồn|Quelle|Source|출처|来源)\b.{0,90}$|\((?:0|\d+)\)$"
    r"|Vietnam\.vn|Nền tảng quảng bá|\d{2}/\d{2}/\d{4}$|^(?:Bình luận|Kommentar|Comment|댓글|评论)",
    re.M,
)

pytestmark = pytest.mark.slow


def _env(web: Any) -> dict[str, str]:
    return {**os.environ, **web.proxy_env(), "PYTHONPATH": str(REPO)}


def _crawl(web: Any, out: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    report = out.parent / f"{out.name}-{len(list(out.parent.glob('*.json')))}.json"
    done = subprocess.run(
        [*BAOTINH, "crawl", "--out", str(out), "--report", str(report), *args, *FAST],
        env=_env(web), capture_output=True, text=True, timeout=240, cwd="/",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done, json.loads(report.read_text("utf-8"))


def _rows(out: Path, where: str = "true") -> list[dict[str, Any]]:
    rel = duckdb.sql(
        f"SELECT * FROM read_parquet('{out}/articles/**/*.parquet') WHERE {where} ORDER BY url"
    )
    return rel.arrow().read_all().to_pylist()


def _requested(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {url for url, n in after.items() if n > before.get(url, 0)}


@pytest.fixture(scope="module")
def crawls(fixture_web, tmp_path_factory):
    """The range over papers and portal in every language; then the portal with --language de."""
    out = tmp_path_factory.mktemp("vietnam") / "archive"
    fixture_web.reset()
    _, first = _crawl(fixture_web, out, *SOURCE_ARGS, *PORTAL_ARGS, *RANGE)
    after_first = fixture_web.stats()
    rows_first = _rows(out)
    _, second = _crawl(fixture_web, out, *PORTAL_ARGS, *RANGE, "--language", "de")
    after_second = fixture_web.stats()
    return {
        "out": out,
        "first": first,
        "second": second,
        "rows_first": rows_first,
        "requested_first": set(after_first),
        "requested_second": _requested(after_first, after_second),
    }


def test_vietnam_every_language_of_the_range_is_stored_as_the_pages_say(crawls):
    rows = {r["canonical_url"]: r for r in crawls["rows_first"] if r["source"] == "vietnamvn"}
    assert len(rows) == len(STORED)
    for story, version in STORED:
        row = rows[version["canonical_url"]]
        where = version["url"]
        assert row["language"] == version["language"], where
        assert row["is_translation"] == (version["language"] != "vi"), where
        assert row["title"] == version["title"], where
        assert row["sapo"] == version["sapo"], where
        assert row["body"] == "\n\n".join(version["body"]), where
        assert row["published_at"].astimezone(VN_TZ).date().isoformat() == story["published"]
        assert row["published_precision"] == "day"
        assert row["url"] == normalize_url(where), where  # fetched as linked (mirror, portal)
        expected_original = normalize_url(story["original_url"]) if story["original_url"] else None
        assert row["original_url"] == expected_original, where
        assert row["original_source_id"] == story["original_source_id"], where
        if story["original_source_id"] is None:
            assert row["province"] is None and row["province_at_publication"] is None
        else:
            assert row["province"] is not None, where
    assert crawls["first"]["sources"]["vietnamvn"]["stored"] == len(STORED)


def test_vietnam_one_key_per_story_never_shared(crawls):
    portal = [r for r in crawls["rows_first"] if r["source"] == "vietnamvn"]
    story_of = {v["canonical_url"]: s["translation_key"] for s, v in STORED}
    keys: dict[str, set[str]] = {}
    for row in portal:
        keys.setdefault(story_of[row["canonical_url"]], set()).add(row["translation_key"])
    assert all(len(found) == 1 for found in keys.values()), keys
    assert {k: next(iter(v)) for k, v in keys.items()} == {k: k for k in keys}
    # Mirror and sub-portal pages are the www page: one row per story and language.
    pairs = Counter((r["translation_key"], r["language"]) for r in portal)
    assert max(pairs.values()) == 1


def test_vietnam_no_furniture_in_any_body(crawls):
    for row in crawls["rows_first"]:
        if row["source"] != "vietnamvn":
            continue
        for text in (row["body"], row["sapo"] or ""):
            assert not FURNITURE.search(text), (row["url"], FURNITURE.search(text))


def test_vietnam_discovery_reads_only_the_days_of_the_range(crawls):
    requested = crawls["requested_first"]
    daily = {u.rsplit("/", 1)[-1] for u in requested if "/sitemap-post/" in u}
    assert daily == {"2025-12-11.xml", "2025-12-12.xml", "2025-12-13.xml"}
    for _, version in VERSIONS:
        url = version["url"].replace("://www.", "://")
        assert (url in requested) == version["fetched"], (url, version["outcome"])
    for story in EXPECTED["stories"]:  # language homes from switchers are never articles
        for home in story["language_homes"]:
            assert home.replace("://www.", "://") not in requested
    # The www forms of mirror and sub-portal pages were not fetched a second time.
    for url in ("https://vietnam.vn/de/lam-dong-don-10-trieu-luot-khach-du-lich",
                "https://vietnam.vn/lam-dong-don-10-trieu-luot-khach-du-lich"):  # fmt: skip
        assert url not in requested


def test_vietnam_pages_outside_the_range_are_not_left_in_the_backlog(crawls):
    import sqlite3

    from baotinh.dataset.ledger import Ledger

    outside = {
        v["url"].replace("://www.", "://"): v["outcome"].split(":")[1]
        for _, v in VERSIONS
        if v["fetched"] and ":" in v["outcome"]
    }
    assert outside  # the story pages of the 11th and the 13th
    with sqlite3.connect(crawls["out"] / "state.sqlite") as db:
        states = dict(
            ((u, (s, r)) for u, s, r in db.execute("SELECT url, status, reason FROM urls"))
        )
    for url, reason in outside.items():
        assert states[url] == ("skipped", reason), url
    with Ledger.open(crawls["out"], recover=False) as ledger:
        assert not set(outside) & set(ledger.unfinished("vietnamvn"))


def test_vietnam_accounting_holds_with_the_range_and_the_languages(crawls):
    for report in (crawls["first"], crawls["second"]):
        for counts in [*report["sources"].values(), report["total"]]:
            assert counts["balanced"] and counts["lost"] == 0
    portal = crawls["first"]["sources"]["vietnamvn"]
    left = Counter(v["outcome"].split(":")[1] for _, v in VERSIONS if ":" in v["outcome"])
    assert portal["left"] == dict(left)  # translations of stories outside: left, not fetched


def test_vietnam_copies_link_to_their_originals_never_the_other_way(crawls):
    rows = crawls["rows_first"]
    portal_ids = {r["article_id"] for r in rows if r["source"] == "vietnamvn"}
    papers = {r["url"]: r for r in rows if r["source"] != "vietnamvn"}
    assert all(r["duplicate_of"] not in portal_ids for r in papers.values())
    table = read_alignments(crawls["out"])
    assert table is not None
    aligned = {(r["translation_key"], r["language"]): r for r in table.to_pylist()}
    assert len(aligned) == len(STORED)
    for story, version in STORED:
        row = aligned[(story["translation_key"], version["language"])]
        original = story["original_url"] and papers.get(normalize_url(story["original_url"]))
        if original:
            assert row["original_article_id"] == original["article_id"], story["translation_key"]
            assert row["original_found_by"] == "url"
            assert row["original_match"] in ("exact", "near")
        else:
            assert row["original_article_id"] is None
    # A copy stored after its original links it in its own row (else the table does).
    for copy in (r for r in rows if r["source"] == "vietnamvn" and r["original_article_id"]):
        assert copy["original_article_id"] in {p["article_id"] for p in papers.values()}


def test_vietnam_a_second_crawl_in_german_stores_the_regenerated_text_as_version_2(crawls):
    regenerated = EXPECTED["regenerated"]
    second = crawls["second"]["sources"]["vietnamvn"]
    assert second["stored"] == 1 and second["left"].get("language", 0) > 0
    rows = _rows(crawls["out"], f"translation_key = '{regenerated['translation_key']}'")
    german = sorted((r for r in rows if r["language"] == "de"), key=lambda r: r["version"])
    assert [r["version"] for r in german] == [1, 2]
    assert len({r["article_id"] for r in german}) == 1
    story = next(
        s for s in EXPECTED["stories"] if s["translation_key"] == german[0]["translation_key"]
    )
    version = next(v for v in story["versions"] if v["language"] == "de")
    assert german[0]["body"] == "\n\n".join(version["body"])  # the old text is kept
    assert german[1]["body"] == "\n\n".join(version["regenerated_body"])
    # No other translation was fetched; the story page was, as its lastmod moved.
    requested = crawls["requested_second"]
    translations = {u for u in requested if re.search(r"vietnam\.vn/[a-z]{2}/[^/]+-", u)}
    assert translations == {f"https://vietnam.vn/de/{regenerated['translation_key']}"}
    assert f"https://vietnam.vn/{regenerated['translation_key']}" in requested


def test_vietnam_the_seed_story_of_2024_in_its_own_range(fixture_web, tmp_path):
    _, report = _crawl(fixture_web, tmp_path / "seed", *PORTAL_ARGS, "--since", "2024-01-18",
                       "--until", "2024-01-18")  # fmt: skip
    rows = {r["language"]: r for r in _rows(tmp_path / "seed")}
    assert set(rows) == {"vi", "de", "en"} and report["total"]["stored"] == 3
    german = rows["de"]
    assert german["body"].startswith("BTO - Im Rückblick auf das Jahr 2023")
    assert (german["original_source_id"], german["province_at_publication"]) == (
        "baobinhthuan",
        "Bình Thuận",
    )
    assert len({r["translation_key"] for r in rows.values()}) == 1


def test_vietnam_bad_range_and_language_are_one_line_errors(tmp_path):
    for args in (["--since", "2025-12-13", "--until", "2025-12-12"], ["--language", "de,xx x"]):
        done = subprocess.run([*BAOTINH, "crawl", "--out", str(tmp_path), *PORTAL_ARGS, *args],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_vietnam_check_measures_how_lastmod_stands_to_publication(fixture_web):
    done = subprocess.run(
        [*BAOTINH, "check", *PORTAL_ARGS, "--articles", "50", *FAST],
        env=_env(fixture_web), capture_output=True, text=True, timeout=240, cwd="/",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    section = done.stdout.split("\nvietnamvn: ")[1]
    assert "lastmod - published_at over" in section, section
