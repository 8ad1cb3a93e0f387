"""The state ledger and the writer lock, with real SQLite, real files and real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from baotinh.dataset.ledger import Ledger, LockedError, WriterLock
from baotinh.dataset.store import ParquetStore, QuarantineStore
from tests.rows import article_row, article_rows

REPO = Path(__file__).resolve().parent.parent  # on the children's path, for tests.rows
T0 = datetime(2025, 12, 1, 0, 0, tzinfo=UTC)


def python(script: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_line(proc: subprocess.Popen[str], expected: str) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != expected:
        proc.kill()
        raise AssertionError(
            f"child said {line!r}; stderr: {proc.stderr.read() if proc.stderr else ''}"
        )


# -- the writer lock ---------------------------------------------------------------------------


def test_second_writer_gets_one_line_naming_the_running_pid(tmp_path: Path) -> None:
    holder = python(f"""
        import time
        from baotinh.dataset.ledger import WriterLock
        lock = WriterLock({str(tmp_path)!r}).acquire()
        print("locked", flush=True)
        time.sleep(60)
    """)
    try:
        wait_line(holder, "locked")
        with pytest.raises(LockedError) as err:
            WriterLock(tmp_path).acquire()
        message = str(err.value)
        assert message == (
            f"another crawl (pid {holder.pid}) is writing to {tmp_path.resolve()}; "
            "wait for it or stop it"
        )
        assert "\n" not in message
        # Ledger.open recovers (deletes temp files) only under the lock, so it refuses too.
        with pytest.raises(LockedError):
            Ledger.open(tmp_path)
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_writer_is_taken_over(tmp_path: Path) -> None:
    holder = python(f"""
        import time
        from baotinh.dataset.ledger import WriterLock
        WriterLock({str(tmp_path)!r}).acquire()
        print("locked", flush=True)
        time.sleep(60)
    """)
    wait_line(holder, "locked")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert (tmp_path / ".lock").read_text().strip() == str(holder.pid)  # stale pid left behind
    lock = WriterLock(tmp_path).acquire()
    try:
        assert lock.took_over_pid == holder.pid
        assert (tmp_path / ".lock").read_text().strip() == str(os.getpid())
    finally:
        lock.release()
    assert (tmp_path / ".lock").read_text() == ""


def test_garbled_stale_lock_file_and_reentry(tmp_path: Path) -> None:
    (tmp_path / ".lock").write_text("not a pid\n")
    with WriterLock(tmp_path) as lock:
        assert lock.took_over_pid is None
        assert lock.held
        with pytest.raises(LockedError, match=f"pid {os.getpid()}"):
            WriterLock(tmp_path).acquire()  # the same process twice is a bug, not a wait
    WriterLock(tmp_path).acquire().release()  # released: free again


# -- URL states --------------------------------------------------------------------------------


def test_seen_keeps_first_seen_and_never_downgrades(ledger: Ledger) -> None:
    url = "https://baohatinh.vn/a-1.html"
    assert ledger.seen(url, "baohatinh", None, T0) == T0
    later = T0 + timedelta(days=3)
    assert ledger.seen(url, "baohatinh", T0 + timedelta(days=1), later) == T0
    state = ledger.url_state(url)
    assert state is not None
    assert state["status"] == "discovered"
    assert state["last_seen_at"] == later.isoformat(timespec="microseconds")
    ledger.set_status(url, "failed", reason="http_500", fetched_at=later)
    ledger.seen(url, "baohatinh", None, later + timedelta(days=1))
    assert ledger.url_state(url)["status"] == "failed"  # type: ignore[index]
    assert ledger.url_state(url)["attempts"] == 1  # type: ignore[index]
    with pytest.raises(ValueError, match="naive"):
        ledger.seen(url, "baohatinh", None, datetime(2025, 1, 1))


def test_should_fetch_by_status(ledger: Ledger) -> None:
    def url(name: str) -> str:
        return f"https://baohatinh.vn/{name}.html"

    assert ledger.should_fetch(url("new"), None) == (True, None)
    for name in ("discovered", "pending", "failed", "bot_wall", "not_article", "unchanged"):
        ledger.seen(url(name), "baohatinh", None, T0)
    ledger.set_status(url("pending"), "pending")
    ledger.set_status(url("failed"), "failed", reason="timeout")
    ledger.set_status(url("bot_wall"), "skipped", reason="bot_wall")
    ledger.set_status(url("not_article"), "skipped", reason="not_article")
    ledger.set_status(url("unchanged"), "duplicate", reason="unchanged", fetched_at=T0)
    assert ledger.should_fetch(url("discovered"), None) == (True, None)
    assert ledger.should_fetch(url("pending"), None) == (True, None)  # left by a crash
    assert ledger.should_fetch(url("failed"), None) == (False, "backoff")  # a timeout waits
    assert ledger.should_fetch(url("failed"), None, now=T0 + timedelta(days=400)) == (True, None)
    assert ledger.should_fetch(url("bot_wall"), None) == (True, None)  # transient
    assert ledger.should_fetch(url("not_article"), None) == (False, "not_article")
    assert ledger.should_fetch(url("unchanged"), None) == (False, "archived")
    # Our clock is never the reference: a lastmod after the fetch is no edit by itself ...
    ledger.seen(url("unchanged"), "baohatinh", T0 + timedelta(hours=1), T0)
    assert ledger.should_fetch(url("unchanged"), T0 + timedelta(hours=1)) == (False, "archived")

    row = article_row(1, crawled_at=T0)
    ledger.publish_rows("articles", "articles/x/part-a.parquet", [row])
    assert ledger.should_fetch(row["url"], None) == (False, "archived")
    ledger.seen(row["url"], "baohatinh", T0 + timedelta(days=1), T0)
    assert ledger.should_fetch(row["url"], T0 + timedelta(days=1)) == (False, "archived")


def test_an_edit_is_a_lastmod_other_than_the_one_seen_before(ledger: Ledger) -> None:
    """Sites write local times labelled UTC: an edit whose lastmod is older than our fetch is
    still an edit, and a lastmod in our future is none while it stays the same."""
    page = "https://baohatinh.vn/sua-bai-post1.html"
    ledger.seen(page, "baohatinh", T0 + timedelta(hours=7), T0)  # "future": local as UTC
    ledger.set_status(page, "duplicate", "unchanged", fetched_at=T0 + timedelta(hours=1))
    ledger.seen(page, "baohatinh", T0 + timedelta(hours=7), T0 + timedelta(hours=2))
    assert ledger.should_fetch(page, T0 + timedelta(hours=7)) == (False, "archived")
    edited = T0 - timedelta(hours=3)  # the edit's stamp is before our fetch
    ledger.seen(page, "baohatinh", edited, T0 + timedelta(hours=3))
    assert ledger.should_fetch(page, edited) == (True, None)
    ledger.seen(page, "baohatinh", None, T0 + timedelta(hours=4), from_feed=True)
    assert ledger.should_fetch(page, None) == (True, None)  # until it is fetched again
    ledger.set_status(page, "duplicate", "unchanged", fetched_at=T0 + timedelta(hours=5))
    assert ledger.should_fetch(page, edited) == (False, "archived")
    # Feeds and sitemaps keep their own values: the two disagreeing is no edit.
    ledger.seen(page, "baohatinh", T0 + timedelta(days=9), T0 + timedelta(hours=6), from_feed=True)
    ledger.seen(page, "baohatinh", edited, T0 + timedelta(hours=6))
    ledger.seen(page, "baohatinh", T0 + timedelta(days=9), T0 + timedelta(hours=7), from_feed=True)
    assert ledger.should_fetch(page, None) == (False, "archived")
    bad = article_row(2, crawled_at=T0)
    ledger.publish_rows(
        "quarantine",
        "quarantine/x/part-q.parquet",
        [{**bad, "quarantined_at": T0, "failed_expectations": ["title_length"]}],
    )
    assert ledger.should_fetch(bad["url"], None) == (False, "quarantined_before")
    assert ledger.url_state(bad["url"])["reason"] == "title_length"  # type: ignore[index]


def test_set_status_rejects_published_and_unknown_statuses(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="publish_rows"):
        ledger.set_status("https://x.vn/a", "stored")
    with pytest.raises(ValueError, match="unknown status 'done'"):
        ledger.set_status("https://x.vn/a", "done")


def test_publish_rows_tracks_versions_and_hashes(ledger: Ledger) -> None:
    v1 = article_row(1, crawled_at=T0, first_seen_at=T0)
    v2 = article_row(
        1, body="Bài đã sửa.", version=2, crawled_at=T0 + timedelta(days=1), first_seen_at=T0
    )
    copy = article_row(7, body=v1["body"], title=v1["title"], first_seen_at=T0 + timedelta(days=2))
    ledger.publish_rows("articles", "articles/a/part-1.parquet", [v1])
    ledger.publish_rows("articles", "articles/a/part-2.parquet", [v2, copy])
    ledger.publish_rows("articles", "articles/a/part-2.parquet", [v2, copy])  # idempotent
    state = ledger.article(v1["article_id"])
    assert state is not None
    assert (state.latest_version, state.content_sha256, state.first_seen_at) == (
        2,
        v2["content_sha256"],
        T0,
    )
    # The old text is still found under the earliest article, not the later copy.
    assert ledger.article_with_hash(v1["content_sha256"]) == v1["article_id"]
    assert ledger.article_with_hash(v2["content_sha256"]) == v1["article_id"]
    assert ledger.article_with_hash("0" * 64) is None
    assert ledger.article("f" * 32) is None
    assert ledger.counts()["stored"] == 2
    assert ledger.known_files() == {"articles/a/part-1.parquet": 1, "articles/a/part-2.parquet": 2}


def test_state_survives_reopen(tmp_path: Path) -> None:
    with WriterLock(tmp_path):
        with Ledger.open(tmp_path) as led:
            led.seen("https://x.vn/a", "x", None, T0)
            led.set_status("https://x.vn/a", "skipped", reason="not_article")
        with Ledger.open(tmp_path) as led:
            assert led.should_fetch("https://x.vn/a", None) == (False, "not_article")
            assert led.counts()["skipped"] == 1


# -- crash safety ------------------------------------------------------------------------------

WRITER = """
import os, signal, sys
from datetime import UTC, datetime
from tests.rows import article_row
from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.dataset.store import ParquetStore
out = sys.argv[1]
lock = WriterLock(out).acquire()
ledger = Ledger.open(out)
{setup}
store = ParquetStore(out, ledger, target_bytes=30_000, buffer_rows=50, max_open_writers=3)
said = False
for start in range(0, 10**6, 50):
    # Six partitions (months), so several files are open at any moment.
    rows = [article_row(n, published_at=datetime(2025, 1 + n % 6, 5, tzinfo=UTC))
            for n in range(start, start + 50)]
    for r in rows:
        ledger.seen(r["url"], r["source_id"], None, r["crawled_at"])
        ledger.set_status(r["url"], "pending")
    store.add(rows)
    if store.files_published >= 3 and store.rows_published >= 150 and not said:
        print("published", flush=True)
        said = True
"""


def run_writer(out: Path, setup: str = "") -> subprocess.Popen[str]:
    script = WRITER.format(setup=setup)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", script, str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def urls_in_files(out: Path) -> set[str]:
    urls: set[str] = set()
    for path in (out / "articles").rglob("*.parquet"):
        urls.update(pq.read_table(path, columns=["url"]).column("url").to_pylist())
    return urls


def check_consistent(out: Path) -> tuple[Ledger, set[str]]:
    ledger = Ledger.open(out)
    assert not list(out.rglob(".*.tmp")), "recover leaves no temporary file"
    in_files = urls_in_files(out)
    stored = {u for (u,) in ledger.conn.execute("SELECT url FROM urls WHERE status = 'stored'")}
    assert stored == in_files  # nothing stored that is not in a file, no file row unaccounted
    for (url,) in ledger.conn.execute("SELECT url FROM urls WHERE status = 'pending'"):
        assert ledger.should_fetch(url, None) == (True, None)  # unsaved work is done again
    return ledger, in_files


def test_kill_9_mid_run_leaves_a_consistent_ledger(tmp_path: Path) -> None:
    proc = run_writer(tmp_path)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "published", proc.stderr.read() if proc.stderr else ""
    time.sleep(0.3)  # let it run on: open writers, temp files, commits in flight
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(tmp_path.rglob(".*.parquet.tmp")), "the killed run had files in progress"
    ledger, in_files = check_consistent(tmp_path)
    try:
        assert len(in_files) >= 150
        counts = ledger.counts()
        assert counts["pending"] > 0  # rows that were buffered or in unpublished files
        assert counts["stored"] == len(in_files)
    finally:
        ledger.close()


def test_kill_between_rename_and_commit_is_repaired(tmp_path: Path) -> None:
    # The child dies exactly after its first file is renamed into place, before the ledger commit.
    setup = "ledger.publish_rows = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)"
    proc = run_writer(tmp_path, setup)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    published = list((tmp_path / "articles").rglob("*.parquet"))
    assert len(published) == 1
    ledger, in_files = check_consistent(tmp_path)
    try:
        assert ledger.recovery.files_registered == [published[0].relative_to(tmp_path).as_posix()]
        assert ledger.recovery.rows_registered == len(in_files) > 0
        assert ledger.recovery.temp_files_removed  # the other open partitions
        assert all(ledger.should_fetch(u, None) == (False, "archived") for u in in_files)
        # Versions and hashes are registered too, so dedupe works after the repair.
        row = pq.read_table(published[0]).slice(0, 1).to_pylist()[0]
        assert ledger.article_with_hash(row["content_sha256"]) == row["article_id"]
    finally:
        ledger.close()


def test_quarantine_publication_marks_urls(tmp_path: Path) -> None:
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        rows = article_rows(3)
        with QuarantineStore(tmp_path, ledger) as q:
            q.add(rows, [["title_length"], ["body_not_null", "language"], []], ["<p>x</p>"] * 3)
        with ParquetStore(tmp_path, ledger) as store:
            store.add(article_rows(2, start=10))
        assert ledger.counts()["quarantined"] == 3
        assert ledger.counts()["stored"] == 2
        assert ledger.url_state(rows[1]["url"])["reason"] == "body_not_null,language"  # type: ignore[index]
        assert set(ledger.known_files("quarantine").values()) == {3}


def test_a_page_that_stays_gone_is_no_longer_fetched(ledger: Ledger) -> None:
    url = "https://baohatinh.vn/bai-da-go-post1.html"
    now = datetime(2025, 12, 1, tzinfo=UTC)
    ledger.seen(url, "baohatinh", now, now)
    for attempt in range(1, 4):
        assert ledger.should_fetch(url, now) == (True, None), attempt
        ledger.set_status(url, "failed", "http_404", fetched_at=now)
    assert ledger.should_fetch(url, now) == (False, "gone")
    # A sitemap that says the page changed since brings it back.
    ledger.seen(url, "baohatinh", datetime(2025, 12, 2, tzinfo=UTC), now)
    assert ledger.should_fetch(url, datetime(2025, 12, 2, tzinfo=UTC)) == (True, None)
    # Server errors never make a page gone: they back off, and are asked again when due.
    ledger.set_status("https://baohatinh.vn/x-post2.html", "failed", "http_500", fetched_at=now)
    for _ in range(5):
        ledger.set_status("https://baohatinh.vn/x-post2.html", "failed", "http_500")
    later = datetime.now(UTC) + timedelta(days=8)
    assert ledger.should_fetch("https://baohatinh.vn/x-post2.html", None, later) == (True, None)


def test_a_file_lost_from_disk_makes_its_urls_fetchable_again(tmp_path: Path) -> None:
    rows = article_rows(4)
    with WriterLock(tmp_path):
        ledger = Ledger.open(tmp_path)
        with ParquetStore(tmp_path, ledger) as store:
            store.add(rows)
        ledger.close()
    lost = next((tmp_path / "articles").rglob("*.parquet"))
    in_lost = set(pq.read_table(lost, columns=["url"]).column("url").to_pylist())
    lost.unlink()
    with WriterLock(tmp_path):
        ledger = Ledger.open(tmp_path)
        assert ledger.recovery.missing_files and ledger.recovery.repaired
        for row in rows:
            fetch, reason = ledger.should_fetch(row["url"], None)
            assert fetch is (row["url"] in in_lost), (row["url"], reason)
            assert (ledger.article(row["article_id"]) is None) is (row["url"] in in_lost)
        ledger.close()


def test_gone_only_after_three_404s_in_a_row(ledger: Ledger) -> None:
    url = "https://baohatinh.vn/bai-da-xoa-post1.html"
    ledger.seen(url, "baohatinh", T0, T0)
    later = datetime.now(UTC) + timedelta(days=30)  # past any back-off
    for outcome in ("http_404", "http_404", "http_500", "http_404", "http_410"):
        ledger.set_status(url, "failed", reason=outcome, fetched_at=T0)
        assert ledger.should_fetch(url, None, now=later) == (True, None), outcome
    ledger.set_status(url, "failed", reason="http_404", fetched_at=T0)  # the third in a row
    assert ledger.should_fetch(url, None, now=later) == (False, "gone")
    # A feed saying the page changed asks again; any answer but 404/410 starts the count anew.
    ledger.seen(url, "baohatinh", T0 + timedelta(days=1), T0)
    assert ledger.should_fetch(url, T0 + timedelta(days=1), now=later)[0]
    ledger.set_status(url, "skipped", reason="bot_wall", fetched_at=T0)
    ledger.set_status(url, "failed", reason="http_404", fetched_at=T0)
    assert ledger.url_state(url)["gone_streak"] == 1  # type: ignore[index]


def test_server_failures_back_off_across_runs_doubling(ledger: Ledger) -> None:
    from baotinh.dataset.ledger import BACKOFF_FIRST, BACKOFF_MAX, backoff_delay

    url = "https://baohatinh.vn/may-chu-loi-post2.html"
    ledger.seen(url, "baohatinh", None, T0)
    waits = []
    for _ in range(12):
        ledger.set_status(url, "failed", reason="http_503", fetched_at=T0)
        state = ledger.url_state(url)
        waits.append(datetime.fromisoformat(state["retry_at"]) - datetime.now(UTC))  # type: ignore[index]
    assert waits[0] <= BACKOFF_FIRST and waits[1] > BACKOFF_FIRST  # it doubles
    assert max(waits) <= BACKOFF_MAX and backoff_delay(30) == BACKOFF_MAX
    assert ledger.should_fetch(url, None) == (False, "backoff")
    assert list(ledger.unfinished("baohatinh")) == []  # not yet due
    assert list(ledger.unfinished("baohatinh", now=datetime.now(UTC) + BACKOFF_MAX)) == [url]
    ledger.set_status(url, "pending", fetched_at=T0)  # it answered: the back-off is over
    assert ledger.url_state(url)["retry_at"] is None  # type: ignore[index]


def test_deleting_a_file_makes_exactly_its_urls_fetchable(tmp_path: Path) -> None:
    a, b, c = (article_row(n, crawled_at=T0) for n in range(3))
    q = {**article_row(4, crawled_at=T0), "quarantined_at": T0, "failed_expectations": ["x"]}
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        for name, rows in (("one", [a, b]), ("two", [c])):
            path = tmp_path / f"articles/p/{name}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
            ledger.publish_rows("articles", str(path), rows)
        qpath = tmp_path / "quarantine/p/q.parquet"
        qpath.parent.mkdir(parents=True)
        qpath.write_bytes(b"")
        ledger.publish_rows("quarantine", str(qpath), [q])
        # b was fetched again, unchanged: a duplicate of the article whose only row is in one
        ledger.set_status(b["url"], "duplicate", reason="unchanged", article_id=b["article_id"])
        copy_url = "https://baohatinh.vn/ban-sao-cung-bai-post9.html"
        ledger.set_status(copy_url, "duplicate", reason="unchanged", article_id=a["article_id"])
    (tmp_path / "articles/p/one.parquet").unlink()
    qpath.unlink()
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        status = {u: ledger.url_state(u)["status"] for u in (a["url"], b["url"], c["url"],
                                                             q["url"], copy_url)}  # fmt: skip
        assert status == {
            a["url"]: "discovered",
            b["url"]: "discovered",  # whatever its status: its only row was in that file
            c["url"]: "stored",  # in another file: untouched
            q["url"]: "discovered",  # a deleted quarantine file too
            copy_url: "discovered",  # booked as a copy of an article no file holds now
        }
        assert sorted(ledger.unfinished(a["source_id"])) == sorted([a["url"], b["url"], q["url"]])
