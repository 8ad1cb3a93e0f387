"""Staging: a long job writes beside the dataset while a crawl holds it; a short locked step
merges its rows (versions decided again against what the crawl stored meanwhile), its WARC
files and its URL states into the dataset."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from baotinh.capture.warc import Exchange
from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.dataset.staging import StagingArea, staged_jobs
from baotinh.dataset.store import ParquetStore, latest_sql
from baotinh.text import content_sha256
from baotinh.validation import BatchValidator
from tests.conftest import REPO
from tests.rows import article_row

OLD = datetime(2019, 5, 1, 3, 0, tzinfo=UTC)
NEW = datetime(2025, 12, 1, 3, 0, tzinfo=UTC)


def _row(n: int, body: str, captured: datetime) -> dict:
    row = article_row(n, body=body)
    row.update(crawled_at=captured, first_seen_at=captured, last_seen_at=captured,
               extracted_at=captured)  # fmt: skip
    row["content_sha256"] = content_sha256(row["title"], body)
    return row


def _crawl_stores(out: Path, rows: list[dict]) -> None:
    """What a crawl does to the folder: rows published under its lock."""
    with WriterLock(out), Ledger.open(out) as ledger, ParquetStore(out, ledger) as store:
        store.add(rows)


def _hold_lock(out: Path) -> subprocess.Popen:
    code = ("import sys, time; from baotinh.dataset.ledger import WriterLock;"
            "WriterLock(sys.argv[1]).acquire(); print('held', flush=True);"
            "time.sleep(120)")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _rows(out: Path) -> list[tuple]:
    return duckdb.sql(
        f"SELECT url, version, body, warc_file FROM read_parquet('{out}/articles/**/*.parquet')"
        " ORDER BY url, version"
    ).fetchall()


def test_a_job_stages_while_a_crawl_holds_the_folder_and_merges_after(tmp_path: Path) -> None:
    out = tmp_path / "archive"
    _crawl_stores(out, [_row(1, "Bài một, bản của năm 2025.", NEW)])
    crawl = _hold_lock(out)
    try:
        with StagingArea(out, "backfill-test") as staging:
            writers = staging.start(BatchValidator(), run_id="backfill-run", keep_warc=True)
            location = writers.warc.write(Exchange(
                url="https://baohatinh.example.vn/tin-so-1.html", method="GET",
                request_headers=(), status=200,
                response_headers=(("Content-Type", "text/html"),),
                body=b"<html>2019</html>", captured_at=OLD))  # fmt: skip
            old_one = _row(1, "Bài một, bản của năm 2019.", OLD)
            old_one.update(warc_file=location.file, warc_record_id=location.record_id,
                           warc_offset=location.offset, warc_length=location.length)  # fmt: skip
            same_as_crawl = _row(1, "Bài một, bản của năm 2025.", NEW)  # nothing new
            writers.sink.add(old_one)
            writers.sink.add(_row(2, "Bài hai, bản của năm 2019.", OLD))
            writers.sink.add(same_as_crawl)
            assert staging.merge(wait_s=0.3, poll_s=0.1) is None  # the crawl holds the folder
            writers.close()
            assert writers.unchanged == 1  # known to the dataset already: never staged
    finally:
        os.kill(crawl.pid, signal.SIGTERM)
        crawl.wait()
    assert staged_jobs(out) == ["backfill-test"]
    assert [r[0] for r in _rows(out)] == ["https://baohatinh.example.vn/tin-so-1.html"]

    # Meanwhile the crawl stores article 2 (captured in 2025): the staged 2019 capture of it,
    # numbered 1 when staged, becomes version 2 when merged.
    _crawl_stores(out, [_row(2, "Bài hai, bản của năm 2025.", NEW)])
    done = subprocess.run([sys.executable, "-m", "baotinh.cli", "merge", str(out)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2 rows stored" in done.stdout and "1 WARC files" in done.stdout, done.stdout
    assert staged_jobs(out) == []
    rows = _rows(out)
    assert sorted((url[-13:], version, body[-5:-1]) for url, version, body, _ in rows) == [
        ("tin-so-1.html", 1, "2025"),
        ("tin-so-1.html", 2, "2019"),
        ("tin-so-2.html", 1, "2025"),
        ("tin-so-2.html", 2, "2019"),
    ]
    warc_file = next(w for *_, w in rows if w)
    assert warc_file.startswith("warc/") and (out / warc_file).is_file()
    with Ledger.open(out) as ledger:
        assert warc_file in ledger.warc_files()
        assert ledger.counts()["stored"] == 2
        versions = ledger.conn.execute("SELECT count(*) FROM versions").fetchone()[0]
        assert versions == 4
    # The latest version is the newest capture, not the last merged.
    latest = duckdb.sql(f"SELECT body FROM ({latest_sql(out)}) ORDER BY url").fetchall()
    assert [b[-5:-1] for (b,) in latest] == ["2025", "2025"]
    again = subprocess.run([sys.executable, "-m", "baotinh.cli", "merge", str(out)],
                           capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    assert again.returncode == 0 and again.stdout.startswith("0 staged jobs"), again.stdout
