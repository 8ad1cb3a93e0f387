"""Replay: the crawl answered from archives, with no network.

The fixture web is crawled once (the module fixture of test_crawl_e2e); its WARC files are
kept, the dataset is not, and the same crawl is run again with a dead proxy and ``--replay``.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from baotinh.capture.archive import ArchiveError, ArchiveIndex
from tests.conftest import REPO
from tests.fixtureweb.process import FAST_SETTINGS, SOURCE_ARGS, set_args

DEAD_PROXY = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}


def offline_env() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **DEAD_PROXY}


def rows(out: Path) -> dict[str, dict]:
    rel = duckdb.sql(
        "SELECT article_id, version, content_sha256, title, body, extractor, crawled_at,"
        " warc_record_id, warc_offset, warc_length, duplicate_of, url"
        f" FROM read_parquet('{out}/articles/**/*.parquet')"
    )
    names = [c[0] for c in rel.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in rel.fetchall()}


def test_a_replay_with_no_network_stores_the_same_articles(kept_crawl, tmp_path):
    crawled, report = kept_crawl
    kept = tmp_path / "kept"
    shutil.copytree(crawled / "warc", kept)
    replayed = tmp_path / "replayed"
    replay_report = tmp_path / "replay.json"
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "crawl", "--out", str(replayed), "--replay",
         str(kept), "--report", str(replay_report), *SOURCE_ARGS, *set_args(FAST_SETTINGS)],
        capture_output=True, text=True, timeout=240, env=offline_env(), cwd="/",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    original, again = rows(crawled), rows(replayed)
    assert again.keys() == original.keys() and original
    for article_id, row in original.items():
        replay = again[article_id]
        for column in ("version", "content_sha256", "title", "body", "extractor",
                       "duplicate_of", "url"):  # fmt: skip
            assert replay[column] == row[column], (column, row["url"])
        # The capture's time and record, not the replay's: the rows point into the archive.
        assert replay["crawled_at"] == row["crawled_at"]
        assert (replay["warc_record_id"], replay["warc_offset"], replay["warc_length"]) == (
            row["warc_record_id"], row["warc_offset"], row["warc_length"])  # fmt: skip
    files = duckdb.sql(
        f"SELECT DISTINCT warc_file FROM read_parquet('{replayed}/articles/**/*.parquet')"
    ).fetchall()
    assert all(f.startswith(kept.resolve().as_uri()) for (f,) in files)
    assert not (replayed / "warc").exists()  # nothing was captured again
    total = json.loads(replay_report.read_text())["total"]
    assert total["stored"] == report["total"]["stored"] and total["balanced"]
    assert total["failed"] == report["total"]["failed"]  # the 404 and the 500 replay as such


def _warc(path: Path, records: list[tuple[str, str, bytes, str]]) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, status, body, date in records:
            http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")  # fmt: skip
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": date}))  # fmt: skip


def test_the_index_serves_the_latest_capture_and_reports_unknown_urls(tmp_path):
    old, new = b"<html>old</html>", b"<html>new</html>"
    _warc(tmp_path / "a.warc.gz", [
        ("https://baohatinh.vn/x-post1.html", "200 OK", old, "2019-01-01T00:00:00Z"),
        ("http://www.baohatinh.vn/x-post1.html", "200 OK", new, "2020-01-01T00:00:00Z"),
    ])  # fmt: skip
    index = ArchiveIndex.of([tmp_path], tmp_path)
    answer = index.lookup("https://baohatinh.vn/x-post1.html")
    assert answer is not None
    # Exact URL first: the https capture of 2019, then by SURT key the newer http://www. one.
    assert answer.body == old
    other = index.lookup("https://www.baohatinh.vn/x-post1.html")
    assert other is not None and other.body == new
    assert other.captured_at == datetime(2020, 1, 1, tzinfo=UTC)
    assert other.location.file == "a.warc.gz"
    with open(tmp_path / "a.warc.gz", "rb") as handle:
        handle.seek(other.location.offset)
        record = next(iter(ArchiveIterator(io.BytesIO(handle.read(other.location.length)))))
    assert record.rec_headers.get_header("WARC-Record-ID") == other.location.record_id
    assert index.lookup("https://baohatinh.vn/y-post2.html") is None
    (tmp_path / "notes.txt").write_text("not an archive")
    with pytest.raises(ArchiveError, match="not an archive"):
        ArchiveIndex.of([tmp_path / "notes.txt"])


def test_urls_missing_from_the_archives_fail_as_not_in_archive(kept_crawl, tmp_path):
    crawled, _ = kept_crawl
    missing = "https://baohatinh.vn/ky-uc-nga-ba-dong-loc-post300111.html"
    partial = tmp_path / "partial.warc.gz"
    with open(partial, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in sorted((crawled / "warc").glob("*.warc.gz")):
            with open(path, "rb") as handle:
                for record in ArchiveIterator(handle):
                    if record.rec_headers.get_header("WARC-Target-URI") != missing:
                        writer.write_record(record)
    report = tmp_path / "replay.json"
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "crawl", "--out", str(tmp_path / "replayed"),
         "--replay", str(partial), "--report", str(report), *SOURCE_ARGS,
         *set_args(FAST_SETTINGS)],
        capture_output=True, text=True, timeout=240, env=offline_env(), cwd="/",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    hatinh = json.loads(report.read_text())["sources"]["baohatinh"]
    assert hatinh["failed"].get("not_in_archive") == 1 and hatinh["balanced"]
    stored = rows(tmp_path / "replayed")
    assert missing not in {row["url"] for row in stored.values()}
