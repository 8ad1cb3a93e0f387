"""Running unattended: ``baotinh status`` (flags against each source's own history, exit codes,
Prometheus textfile), ``baotinh schedule`` (cron and systemd, installed and run), and
``baotinh backup`` while a crawl writes."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.ops.backup import verify
from baotinh.ops.status import folder_status, prometheus_text
from baotinh.schema import ARTICLE_SCHEMA
from tests.conftest import REPO
from tests.fixtureweb.process import SOURCE_ARGS
from tests.rows import article_row

BAOTINH = [sys.executable, "-m", "baotinh.cli"]
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DATA = REPO / "tests" / "data" / "dataset-ledger-3"


def cli(*args: str, **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run([*BAOTINH, *args], capture_output=True, text=True, timeout=120, **kw)


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _history(db: sqlite3.Connection, source_id: str, per_week: list[int], tag: str) -> None:
    """New articles of ``source_id``: per_week[0] in the last 7 days, [1] the week before..."""
    for week, count in enumerate(per_week):
        for n in range(count):
            at = NOW - timedelta(days=7 * week + 1, hours=n % 24, minutes=n)
            url = f"https://{source_id}.vn/{tag}-{week}-{n}.html"
            db.execute(
                "INSERT INTO urls (url, source_id, status, first_seen_at, last_seen_at)"
                " VALUES (?, ?, 'stored', ?, ?)",
                (url, source_id, _ts(NOW - timedelta(days=80)), _ts(at)),
            )
            db.execute(
                "INSERT INTO versions (article_id, version, content_sha256, url, file,"
                " published_at) VALUES (?, 1, ?, ?, 'f', ?)",
                (f"{tag}{week}{n}", f"h{tag}{week}{n}", url, _ts(at)),
            )


def _run(db: sqlite3.Connection, at: datetime, sources: dict[str, bool], lost: int = 0) -> None:
    """A finished run in which each source answered (True) or got no answer (False)."""
    report = {
        "sources": {
            s: {"requests": 5, "responses": {"200": 5} if ok else {},
                "discovery_errors": {} if ok else {"dns": 5}, "probes_failed": {}}
            for s, ok in sources.items()
        },
        "total": {"lost": lost},
    }  # fmt: skip
    db.execute(
        "INSERT INTO runs (run_id, pid, started_at, finished_at, report) VALUES (?, 1, ?, ?, ?)",
        (at.isoformat(), _ts(at), _ts(at), json.dumps(report)),
    )


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A folder with ten weeks of history: ``steady`` publishes 20 a week throughout;
    ``quiet`` did too until its feed died last week; ``down`` has not answered for 8 runs;
    ``blip`` missed the last 2 runs (routine)."""
    Ledger.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        _history(db, "steady", [20] * 9, "s")
        _history(db, "quiet", [0, *[20] * 8], "q")
        _history(db, "down", [20] * 9, "d")
        _history(db, "blip", [20] * 9, "b")
        for n in range(10, 0, -1):
            at = NOW - timedelta(minutes=15 * n)
            _run(db, at, {"steady": True, "quiet": True, "down": n > 8, "blip": n > 2})
    return tmp_path


def test_status_flags_what_fell_below_its_own_history(history: Path) -> None:
    status = folder_status(history, now=NOW)
    flags = {s: source.flags for s, source in status.sources.items()}
    assert flags["steady"] == [] and flags["blip"] == []
    assert any("new articles fell to 0" in f for f in flags["quiet"]), flags["quiet"]
    assert flags["down"] == ["no answer for 8 runs in a row"]
    assert status.sources["blip"].notes[0] == "no answer in the last 2 run(s)"
    assert status.sources["steady"].articles_7d == 20
    assert status.sources["steady"].weekly_median == 20
    assert status.sources["steady"].last_success == _ts(NOW - timedelta(minutes=15))
    assert status.flagged and not status.flags  # per source, nothing folder-wide


def test_lost_rows_and_a_coverage_drop_are_flagged(tmp_path: Path) -> None:
    Ledger.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        _run(db, NOW - timedelta(days=2), {"cov": True}, lost=3)
    # 30 rows with bylines two weeks ago, 30 without in the last days: a redesign.
    rows = [article_row(n, source_id="cov", source="cov", crawled_at=NOW - timedelta(days=14),
                        authors=["Minh Anh"]) for n in range(30)]  # fmt: skip
    rows += [article_row(100 + n, source_id="cov", source="cov", authors=[],
                         crawled_at=NOW - timedelta(days=2)) for n in range(30)]  # fmt: skip
    folder = tmp_path / "articles" / "source=cov" / "year=2026" / "month=3"
    folder.mkdir(parents=True)
    table = pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)
    pq.write_table(table, folder / "part-x-00001.parquet")
    status = folder_status(tmp_path, now=NOW)
    assert status.flags == ["3 rows lost in the last 7 days (see runs/)"]
    cov = status.sources["cov"]
    assert cov.coverage_before["authors"] == 1.0 and cov.coverage_now["authors"] == 0.0
    assert any(f.startswith("authors coverage fell from 100% to 0%") for f in cov.flags)


def test_status_command_exit_codes_json_and_prometheus(history: Path, tmp_path: Path) -> None:
    # The fixture's runs are dated NOW; the command's clock is today's, which only ages them.
    prom = tmp_path / "textfile" / "baotinh.prom"
    done = cli("status", str(history), "--prometheus", str(prom))
    assert done.returncode == 1, done.stderr  # "down" needs a person
    assert "FLAG down: no answer for 8 runs in a row" in done.stdout
    quiet = cli("status", str(history), "--problems-only", "--source", "blip", "--source", "steady")
    assert quiet.returncode == 0 and quiet.stdout == "", quiet.stdout
    data = json.loads(cli("status", str(history), "--json").stdout)
    assert data["flagged"] and set(data["sources"]) == {"steady", "quiet", "down", "blip"}
    sample = re.compile(r'^[a-z_][a-z0-9_]*\{folder="[^"]+"(,[a-z]+="[^"]*")*\} -?[0-9.e+-]+$')
    lines = prom.read_text().splitlines()
    assert lines and all(line.startswith("# ") or sample.match(line) for line in lines), lines
    assert any(line.startswith('baotinh_source_runs_failing{') and 'source="down"' in line
               and line.endswith(" 8") for line in lines)  # fmt: skip
    assert prometheus_text(folder_status(history, now=NOW)).count("# TYPE baotinh_flagged") == 1
    bad = cli("status", str(tmp_path / "nowhere"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_schedule_prints_and_installs_cron_and_systemd(tmp_path: Path) -> None:
    out = tmp_path / "archive"
    cron = cli("schedule", "--cron", "--out", str(out), "--source", "baohatinh")
    assert cron.returncode == 0, cron.stderr
    jobs = [
        line for line in cron.stdout.splitlines() if line and not line.startswith(("#", "SHELL"))
    ]
    assert len(jobs) == 2
    assert jobs[0].split()[:5] == ["*/15", "*", "*", "*", "*"]
    assert "crawl --due --out" in jobs[0] and "--source baohatinh" in jobs[0]
    assert "compact --wait" in jobs[1] and "status" in jobs[1] and "--problems-only" in jobs[1]

    units = tmp_path / "units"
    done = cli("schedule", "--systemd", "--install", "--install-dir", str(units), "--out", str(out))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in units.iterdir())
    assert names == ["baotinh-crawl.service", "baotinh-crawl.timer", "baotinh-daily.service",
                     "baotinh-daily.timer"]  # fmt: skip
    for timer in ("baotinh-crawl.timer", "baotinh-daily.timer"):
        parsed = configparser.ConfigParser(strict=False, interpolation=None)
        parsed.read(units / timer)
        assert parsed["Timer"]["Persistent"] == "true"
        assert int(parsed["Timer"]["RandomizedDelaySec"]) > 0
        assert parsed["Install"]["WantedBy"] == "timers.target"
    service = (units / "baotinh-crawl.service").read_text()
    assert re.search(r"^ExecStart=\S+ crawl --due --out " + re.escape(str(out)), service, re.M)
    assert "Type=oneshot" in service
    installed = tmp_path / "cron.d"
    done = cli("schedule", "--install", "--install-dir", str(installed), "--out", str(out))
    assert done.returncode == 0 and (installed / "baotinh").is_file()
    user_field = [line.split()[5] for line in (installed / "baotinh").read_text().splitlines()
                  if line.startswith("*/15")]  # fmt: skip
    assert user_field and user_field[0] not in ("mkdir", "cd")  # /etc/cron.d has a user field


def test_the_daily_cron_line_runs_as_written(tmp_path: Path) -> None:
    """The upkeep line of the cron entry, run by /bin/sh as cron would, on a dataset folder."""
    out = tmp_path / "archive"
    shutil.copytree(DATA, out)
    entry = cli("schedule", "--out", str(out)).stdout.splitlines()
    daily = next(line for line in entry if line.startswith("17 4 "))
    command = daily.split(" ", 5)[5]
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True,
                          timeout=240, cwd="/")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""  # all well: cron mails nothing
    log = (out / "runs" / "cron.log").read_text()
    assert "nothing to compact" in log and "6 rows, 0 failed rows" in log, log


def test_backup_while_a_crawl_writes_then_restore(fixture_web, tmp_path: Path) -> None:
    out, dest, restored = tmp_path / "archive", tmp_path / "backup", tmp_path / "restored"
    env = {**os.environ, **fixture_web.proxy_env(), "PYTHONPATH": str(REPO)}
    slow = ["--set", "DOWNLOAD_DELAY=0.2", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "BAOTINH_VALIDATE_BATCH=1", "--set", "BAOTINH_FILE_TARGET_BYTES=1",
            "--set", "BAOTINH_BUFFER_ROWS=1",
            "--set", "BAOTINH_RETRY_AFTER_MAX=1", *SOURCE_ARGS]  # fmt: skip
    crawl = subprocess.Popen(
        [*BAOTINH, "crawl", "--out", str(out), *slow],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/",
    )  # fmt: skip
    during = 0
    try:
        while crawl.poll() is None:
            if (out / "state.sqlite").exists():
                done = cli("backup", str(out), str(dest), "--verify")
                assert done.returncode == 0, done.stdout + done.stderr
                if crawl.poll() is None and list((out / "articles").rglob("*.parquet")):
                    during += 1
            time.sleep(0.3)
    finally:
        if crawl.poll() is None:
            crawl.kill()
        crawl.wait()
    assert during >= 1, "no backup ran while the crawl was publishing: the test proves nothing"
    assert verify(dest) == []
    # Restore: the backup is a dataset folder; copy it back with the same command.
    done = cli("backup", str(dest), str(restored))
    assert done.returncode == 0, done.stderr
    with WriterLock(restored):
        ledger = Ledger.open(restored)
        recovery = ledger.recovery
        stored = {u for (u,) in ledger.conn.execute("SELECT url FROM urls WHERE status='stored'")}
        ledger.close()
    assert not recovery.missing_files, recovery
    files = f"{restored}/articles/**/*.parquet"
    in_files = {r for (r,) in duckdb.sql(f"SELECT url FROM read_parquet('{files}')").fetchall()}
    assert stored and stored <= in_files | _redirected(), stored - in_files
    shutil.rmtree(dest / "articles")
    assert verify(dest), "verify must notice missing files"


def _redirected() -> set[str]:
    expected = json.loads((REPO / "tests/fixtureweb/expected.json").read_text("utf-8"))
    from baotinh.urls import normalize_url

    return {normalize_url(e["url"]) for e in expected["articles"] if e.get("final_url")}


def test_backup_refuses_a_destination_inside_the_folder(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "archive")
    done = cli("backup", str(tmp_path / "archive"), str(tmp_path / "archive" / "bk"))
    assert done.returncode == 2 and "outside" in done.stderr and done.stderr.count("\n") == 1
