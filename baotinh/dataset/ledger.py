"""The state ledger (``<out>/state.sqlite``) and the one-writer lock (``<out>/.lock``).

The ledger is the source of truth for what is done (Scrapy's JOBDIR does not survive ``kill -9``).
A URL is *archived* when it is ``stored`` or ``duplicate``; it only becomes ``stored`` (or
``quarantined``) through :meth:`Ledger.publish_rows`, which the Parquet store calls after the file
holding the row has been fsynced and renamed into place. So a crash can leave a published file the
ledger does not know (repaired by :meth:`Ledger.recover` on open), never a "stored" URL whose row is
in no file.

Tables (timestamps are UTC ISO-8601 text with microseconds, so they compare as strings):

- ``urls(url PK, source_id, status, reason, article_id, content_sha256, first_seen_at,
  last_seen_at, fetched_at, lastmod, attempts, gone_streak, fail_streak, retry_at, fetch_url)``
  — every discovered URL (by its identity form) and its outcome; ``gone_streak`` counts
  consecutive 404/410 answers, ``fail_streak`` consecutive server/network failures, which back
  off until ``retry_at``; ``fetch_url`` is the URL as the site wrote it (what to request).
- ``file_urls(file, url)`` — which URLs each published file (articles or quarantine) holds, so
  deleting a file makes exactly its URLs fetchable again.
- ``articles(article_id PK, latest_version, content_sha256, first_seen_at)`` — the newest
  published version of each article.
- ``versions(article_id, version, content_sha256, url, file, published_at, captured_at, capture,
  extractor)`` — every published row of an article (a version, or a re-extraction of one): the
  history deduplication reads (ordered by capture time), the hash index for ``duplicate_of``,
  and the file that holds it.
- ``files(path PK, table_name, rows, bytes, published_at)`` — published Parquet files, paths
  relative to the output folder.
- ``compactions(new_path PK, old_paths, started_at)`` — the journal of a compaction in progress
  (see ``baotinh.dataset.store.compact``), so a crash mid-swap is finished or undone by ``recover``.
- ``runs(run_id PK, pid, started_at, finished_at, report)`` — one row per crawl.
- ``backfill_queries(service, query, cursor, done, captures, updated_at)`` and
  ``backfill_captures(service, capture, url, source_id, outcome, reason, captured_at,
  done_at)`` — a backfill's resume state: where each index query is (its next page or resume
  key) and every archived capture already handled (``baotinh.backfill``).
- ``warc_files(path PK, run_id, opened_at, closed_at, bytes, records)`` — WARC files, listed
  when opened (``closed_at`` NULL: a killed run's file, trimmed by the next run).
- ``warc_payloads(url, payload_digest, record_id, file, offset, length, warc_date)`` — the first
  response record of each payload of a URL (a later identical payload is written as a revisit).
- ``documents(url PK, source_id, kind, parent, etag, last_modified, listed_lastmod, polled_at,
  changed_at, answer, content)`` — every discovery document (feed, robots.txt, sitemap, sitemap
  index, listing page, TDMRep file): the validators it last answered with, the ``lastmod`` its
  parent index listed for it, when it was polled and last changed (``content``: the body of a
  TDMRep file, which a 304 must give back). Written in the same transaction as the URLs found
  under it (``urls.found_in``), so a 304 never hides a URL that was never fetched.
- ``polls_daily(source_id, day, polls, changed, not_modified, failed)`` — discovery polls per
  source and local day: a day without articles is told apart from a day the paper was unreachable.
- ``busy(at, pid, holder_pid, command)`` — scheduled runs that found the folder locked.

``urls`` also keeps, per URL: ``lastmod`` (as a sitemap last listed it) and ``feed_lastmod`` (as
a feed did), ``edited`` (one of them changed since the page was fetched: fetch it again),
``found_in`` (the discovery document that last listed it), ``fetch_url`` (the URL to request: the
identity form may differ from what the site serves) and ``etag``/``last_modified`` (the
validators of the capture the archive holds, for conditional re-checks).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from baotinh.dataset.dedupe import VersionState
from baotinh.dataset.layout import (
    ARTICLES,
    LEDGER_FILE,
    LOCK_FILE,
    TABLES,
    Layout,
    parquet_files,
    temp_files,
)
from baotinh.schema import SCHEMA_VERSION, STATUSES

LEDGER_VERSION = 5

# Skip reasons that will not change on a later visit unless the page does (fetched again only
# when a feed or sitemap says it changed); any other skip (bot wall, JS-only page, empty body)
# may be a transient state of the site and is tried again.
PERMANENT_SKIPS = frozenset({"not_article"})
# Failures that mean "removed": after this many in a row the URL is skipped as "gone" (any
# other outcome starts the count again).
GONE_REASONS = frozenset({"http_404", "http_410"})
GONE_AFTER_ATTEMPTS = 3
# Failures of the server or the network: the URL is tried again after a back-off that doubles
# with each failure in a row (from BACKOFF_FIRST up to BACKOFF_MAX), across runs.
BACKOFF_REASONS = frozenset({"timeout", "connection", "dns", "tunnel", "tls"})
BACKOFF_FIRST = timedelta(minutes=30)
BACKOFF_MAX = timedelta(days=7)


def backs_off(reason: str | None) -> bool:
    return bool(reason) and (reason in BACKOFF_REASONS or reason.startswith("http_5"))


def backoff_delay(streak: int) -> timedelta:
    """How long to wait after the ``streak``-th failure in a row (1 -> BACKOFF_FIRST)."""
    return min(BACKOFF_FIRST * (2 ** max(streak - 1, 0)), BACKOFF_MAX)


# Statuses that only publish_rows may set: they promise the row is in a published file.
PUBLISHED_STATUSES = frozenset({"stored", "quarantined"})
# Statuses that count as one fetch attempt when set.
ATTEMPT_STATUSES = frozenset({"pending", "duplicate", "skipped", "failed"})

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    source_id TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    article_id TEXT,
    content_sha256 TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    fetched_at TEXT,
    lastmod TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    gone_streak INTEGER NOT NULL DEFAULT 0,
    fail_streak INTEGER NOT NULL DEFAULT 0,
    retry_at TEXT,
    feed_lastmod TEXT,
    edited INTEGER NOT NULL DEFAULT 0,
    found_in TEXT,
    etag TEXT,
    last_modified TEXT,
    fetch_url TEXT
);
CREATE INDEX IF NOT EXISTS urls_status ON urls (source_id, status);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    latest_version INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    first_seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    article_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    url TEXT,
    file TEXT NOT NULL,
    published_at TEXT NOT NULL,
    captured_at TEXT,
    capture TEXT,
    extractor TEXT
);
CREATE INDEX IF NOT EXISTS versions_article ON versions (article_id, version);
CREATE INDEX IF NOT EXISTS versions_hash ON versions (content_sha256);
CREATE INDEX IF NOT EXISTS versions_file ON versions (file);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    rows INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    published_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS file_urls (
    file TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (file, url)
);
CREATE INDEX IF NOT EXISTS file_urls_url ON file_urls (url);
CREATE TABLE IF NOT EXISTS compactions (
    new_path TEXT PRIMARY KEY,
    old_paths TEXT NOT NULL,
    started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS warc_files (
    path TEXT PRIMARY KEY,
    run_id TEXT,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    bytes INTEGER,
    records INTEGER
);
CREATE TABLE IF NOT EXISTS warc_payloads (
    url TEXT NOT NULL,
    payload_digest TEXT NOT NULL,
    record_id TEXT NOT NULL,
    file TEXT NOT NULL,
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    warc_date TEXT NOT NULL,
    PRIMARY KEY (url, payload_digest)
);
CREATE TABLE IF NOT EXISTS backfill_queries (
    service TEXT NOT NULL,
    query TEXT NOT NULL,
    cursor TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    captures INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (service, query)
);
CREATE TABLE IF NOT EXISTS backfill_captures (
    service TEXT NOT NULL,
    capture TEXT NOT NULL,
    url TEXT NOT NULL,
    source_id TEXT,
    outcome TEXT NOT NULL,
    reason TEXT,
    captured_at TEXT,
    done_at TEXT NOT NULL,
    PRIMARY KEY (service, capture)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    report TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY,
    source_id TEXT,
    kind TEXT NOT NULL,
    parent TEXT,
    etag TEXT,
    last_modified TEXT,
    listed_lastmod TEXT,
    polled_at TEXT,
    changed_at TEXT,
    answer TEXT,
    content TEXT
);
CREATE INDEX IF NOT EXISTS documents_parent ON documents (parent);
CREATE TABLE IF NOT EXISTS polls_daily (
    source_id TEXT NOT NULL,
    day TEXT NOT NULL,
    polls INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, day)
);
CREATE TABLE IF NOT EXISTS busy (
    at TEXT NOT NULL,
    pid INTEGER NOT NULL,
    holder_pid INTEGER,
    command TEXT
);
"""


# Indexes on columns later ledger versions added: created after the upgrade steps ran (an upgrade
# step that recreates tables runs _SCHEMA_SQL before those columns exist).
_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS urls_found_in ON urls (found_in)",
    "CREATE INDEX IF NOT EXISTS urls_first_seen ON urls (source_id, first_seen_at)",
)


class LockedError(RuntimeError):
    """Another process is writing to the output folder."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid  # the holder's pid, when its lock file says


# Output folders this process holds the writer lock on. flock() locks belong to an open file
# description, so a second flock() from this same process would fail: code that needs the lock
# (recovery, compaction) asks here first.
_HELD: dict[Path, WriterLock] = {}


def holds_lock(out_dir: str | os.PathLike[str]) -> bool:
    return Path(out_dir).resolve() in _HELD


def held_lock(out_dir: str | os.PathLike[str]) -> WriterLock | None:
    """The writer lock this process holds on ``out_dir``, if any."""
    return _HELD.get(Path(out_dir).resolve())


class WriterLock:
    """One writer per output folder: ``fcntl.flock`` on ``<out>/.lock`` holding the writer's pid.

    The kernel drops a flock when its holder dies, so a lock left by a killed crawl is simply
    taken over; the pid in the file is only for the message (a stale or garbled pid is ignored).
    """

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.out_dir = Path(out_dir).resolve()
        self.path = self.out_dir / LOCK_FILE
        self._fd: int | None = None
        self.took_over_pid: int | None = None  # pid of a dead holder whose lock we took over

    def acquire(self, wait_s: float = 0.0, poll_s: float = 2.0) -> WriterLock:
        """Take the lock; while another process holds it, retry every ``poll_s`` for up to
        ``wait_s`` seconds (a job that runs after a crawl), then raise ``LockedError``."""
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return self._try_acquire()
            except LockedError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                time.sleep(min(poll_s, left))

    def _try_acquire(self) -> WriterLock:
        if self.out_dir in _HELD:
            raise LockedError(self._message(os.getpid()), os.getpid())
        self.out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise LockedError(self._message(pid), pid) from None
        except BaseException:
            os.close(fd)
            raise
        self.took_over_pid = _read_pid(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        os.fsync(fd)
        self._fd = fd
        _HELD[self.out_dir] = self
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        # Empty the pid but keep the file: unlinking a lock file races with a process that has
        # just opened it and would then lock a deleted inode.
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
        _HELD.pop(self.out_dir, None)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _message(self, pid: int | None) -> str:
        who = f"pid {pid}" if pid else "pid unknown"
        return f"another crawl ({who}) is writing to {self.out_dir}; wait for it or stop it"

    def __enter__(self) -> WriterLock:
        return self if self.held else self.acquire()  # `with WriterLock(d).acquire(wait_s):`

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


@contextlib.contextmanager
def writer_lock(out_dir: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the writer lock for the block, unless this process already holds it."""
    if holds_lock(out_dir):
        yield
        return
    with WriterLock(out_dir):
        yield


@dataclass(frozen=True)
class WarcPayload:
    """The response record that first held a URL's payload."""

    record_id: str
    file: str
    offset: int
    length: int
    date: str


@dataclass(frozen=True)
class DocumentState:
    """A discovery document as the ledger last saw it."""

    url: str
    source_id: str | None
    kind: str
    parent: str | None
    etag: str | None
    last_modified: str | None
    listed_lastmod: str | None
    polled_at: datetime | None
    changed_at: datetime | None
    answer: str | None


@dataclass(frozen=True)
class LeftUrl:
    """A URL found earlier that still waits to be fetched (or re-fetched)."""

    url: str  # the identity (normalised) form
    lastmod: datetime | None
    fetch_url: str  # the URL to request


@dataclass(frozen=True)
class Recheck:
    """An archived article young enough to be re-checked, with its capture's validators."""

    url: str
    etag: str | None
    last_modified: str | None
    first_seen_at: datetime
    fetch_url: str


@dataclass(frozen=True)
class Validators:
    """What to send for a conditional request of a page, and the outcome a 304 confirms."""

    etag: str | None
    last_modified: str | None
    status: str
    reason: str | None


# Statuses of a URL whose page the archive holds: a conditional request can confirm it.
ARCHIVED_STATUSES = ("stored", "duplicate")


@dataclass(frozen=True)
class ArticleState:
    article_id: str
    latest_version: int
    content_sha256: str
    first_seen_at: datetime


@dataclass
class RecoveryResult:
    temp_files_removed: list[str] = field(default_factory=list)
    files_registered: list[str] = field(default_factory=list)
    rows_registered: int = 0
    compactions_finished: list[str] = field(default_factory=list)
    compactions_undone: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)  # in the ledger, not on disk

    @property
    def repaired(self) -> bool:
        return bool(
            self.missing_files
            or self.temp_files_removed
            or self.files_registered
            or self.compactions_finished
            or self.compactions_undone
        )


def _urls_of(row: dict[str, Any]) -> list[str]:
    """The stored URL and, after a redirect, the URL it was discovered as."""
    return [u for u in (row["url"], row.get("discovered_url")) if u]


def _ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}: {value!r}")
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: the ledger stores timezone-aware times only")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def timestamp_text(value: datetime | None) -> str | None:
    """A time as the ledger stores it (UTC ISO-8601 with microseconds: compares as text)."""
    return _ts(value)


def _document(row: tuple[Any, ...]) -> DocumentState:
    url, source_id, kind, parent, etag, modified, listed, polled, changed, answer = row
    return DocumentState(url, source_id, kind, parent, etag, modified, listed,
                         _dt(polled) if polled else None, _dt(changed) if changed else None,
                         answer)  # fmt: skip


class LedgerVersionError(RuntimeError):
    """The ledger was written by a newer baotinh than this one."""


class SchemaVersionError(RuntimeError):
    """The folder's files are in another Article schema version than the one written now."""


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def _to_v2(conn: sqlite3.Connection) -> None:
    # Ledger 1 predates the schema-version key: its files were written in schema 1.0.0.
    has_files = conn.execute("SELECT 1 FROM files LIMIT 1").fetchone() is not None
    _set_meta(conn, "schema_version", "1.0.0" if has_files else SCHEMA_VERSION)


def _to_v3(conn: sqlite3.Connection) -> None:
    # versions: one row per published row (a re-extraction shares its capture's version), with
    # the capture time, capture identity and parser that deduplication reads.
    conn.execute("ALTER TABLE versions RENAME TO versions_v2")
    conn.execute("DROP INDEX IF EXISTS versions_hash")
    conn.execute("DROP INDEX IF EXISTS versions_file")
    _create_tables(conn)
    conn.execute(
        "INSERT INTO versions (article_id, version, content_sha256, url, file, published_at,"
        " captured_at) SELECT article_id, version, content_sha256, url, file, published_at,"
        " published_at FROM versions_v2"
    )
    conn.execute("DROP TABLE versions_v2")


def _to_v4(conn: sqlite3.Connection) -> None:
    # Consecutive-failure counters and back-off; which URLs each file holds (articles: from the
    # versions table; older quarantine files are not known per URL).
    for column in ("gone_streak INTEGER NOT NULL DEFAULT 0",
                   "fail_streak INTEGER NOT NULL DEFAULT 0", "retry_at TEXT",
                   "fetch_url TEXT"):  # fmt: skip
        conn.execute(f"ALTER TABLE urls ADD COLUMN {column}")
    conn.execute(
        "UPDATE urls SET gone_streak = attempts WHERE status = 'failed'"
        " AND reason IN ('http_404', 'http_410')"
    )
    _create_tables(conn)
    conn.execute("INSERT OR IGNORE INTO file_urls (file, url) SELECT file, url FROM versions")


def _to_v5(conn: sqlite3.Connection) -> None:
    # Scheduled crawls: per-URL lastmods by origin, the edit flag, where a URL was found and the
    # validators of its archived capture (new tables come from _SCHEMA_SQL).
    for column in ("feed_lastmod TEXT", "edited INTEGER NOT NULL DEFAULT 0", "found_in TEXT",
                   "etag TEXT", "last_modified TEXT"):  # fmt: skip
        conn.execute(f"ALTER TABLE urls ADD COLUMN {column}")


# Steps from ledger version N-1 to N, applied in order when an older ledger is opened. Columns
# added to an existing table need a step here (ALTER TABLE ... ADD COLUMN); new tables and
# indexes need only _SCHEMA_SQL, which runs after the steps.
LEDGER_UPGRADES: dict[int, Callable[[sqlite3.Connection], None]] = {
    2: _to_v2,
    3: _to_v3,
    4: _to_v4,
    5: _to_v5,
}


def _create_tables(conn: sqlite3.Connection) -> None:
    # Statement by statement: executescript() would commit the transaction we are in.
    for statement in _SCHEMA_SQL.split(";"):
        if statement.strip():
            conn.execute(statement)


def _upgrade(conn: sqlite3.Connection, out: Path) -> None:
    """Create a new ledger, or bring an older one to LEDGER_VERSION, in one transaction."""
    fresh = (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'urls'"
        ).fetchone()
        is None
    )
    conn.execute("BEGIN IMMEDIATE")
    try:
        if fresh:
            _create_tables(conn)
            _set_meta(conn, "ledger_version", str(LEDGER_VERSION))
            _set_meta(conn, "schema_version", SCHEMA_VERSION)
        else:
            row = conn.execute("SELECT value FROM meta WHERE key = 'ledger_version'").fetchone()
            version = int(row[0]) if row else 1
            if version > LEDGER_VERSION:
                raise LedgerVersionError(
                    f"the ledger {out / LEDGER_FILE} is version {version}, written by a newer "
                    f"baotinh (this one reads up to {LEDGER_VERSION}); upgrade baotinh"
                )
            for step in range(version + 1, LEDGER_VERSION + 1):
                LEDGER_UPGRADES[step](conn)
            _create_tables(conn)
            _set_meta(conn, "ledger_version", str(LEDGER_VERSION))
        for statement in _INDEX_SQL:
            conn.execute(statement)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Ledger:
    """SQLite state beside the dataset. Open with :meth:`open`; single writer (hold WriterLock)."""

    def __init__(self, out_dir: Path, conn: sqlite3.Connection) -> None:
        self.out_dir = out_dir
        self.conn = conn
        self.recovery = RecoveryResult()

    @classmethod
    def open(cls, out_dir: str | os.PathLike[str], *, recover: bool = True) -> Ledger:
        """Open (creating) ``<out>/state.sqlite``; with ``recover`` repair what a crash left.

        Recovery deletes temporary files, so it runs under the writer lock: the caller's, or
        one taken for the duration (LockedError while another crawl writes).
        """
        out = Path(out_dir).resolve()
        out.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one small transaction each.
        conn = sqlite3.connect(out / LEDGER_FILE, isolation_level=None, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL survives a killed process; after a power cut the last commits may be
            # lost, which recover() repairs because files are fsynced before their commit.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            _upgrade(conn, out)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise sqlite3.DatabaseError(
                f"cannot open the ledger {out / LEDGER_FILE}: {exc}"
            ) from exc
        except LedgerVersionError:
            conn.close()
            raise
        ledger = cls(out, conn)
        if recover:
            with writer_lock(out):
                ledger.recovery = ledger.recover(out)
        return ledger

    @classmethod
    def open_readonly(cls, out_dir: str | os.PathLike[str]) -> Ledger:
        """A read-only view of a ledger another process may be writing (SQLite WAL lets
        readers in while one writer commits). No upgrade and no recovery: the ledger must be
        of this baotinh's version (``Ledger.open`` brings it there)."""
        out = Path(out_dir).resolve()
        path = out / LEDGER_FILE
        if not path.is_file():
            raise FileNotFoundError(f"no ledger at {path}")
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None,
                               timeout=30)  # fmt: skip
        row = conn.execute("SELECT value FROM meta WHERE key = 'ledger_version'").fetchone()
        if row is None or int(row[0]) != LEDGER_VERSION:
            conn.close()
            raise LedgerVersionError(
                f"the ledger {path} is version {row[0] if row else 1}, not {LEDGER_VERSION}: "
                "open it once for writing (a crawl or `baotinh merge`) to upgrade it"
            )
        return cls(out, conn)

    def has_table(self, name: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
            ).fetchone()
            is not None
        )

    def close(self) -> None:
        self.conn.close()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        _set_meta(self.conn, key, value)

    @property
    def schema_version(self) -> str:
        """The Article schema version of the folder's published files."""
        return self.meta("schema_version") or SCHEMA_VERSION

    def require_current_schema(self) -> None:
        """Refuse to add files of the current schema beside files of another one."""
        if self.schema_version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.out_dir} holds files of schema {self.schema_version}; this baotinh "
                f"writes {SCHEMA_VERSION}: run `baotinh migrate {self.out_dir}` first"
            )

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction; inside another (the spider books what a feed listed together with
        its validators) a savepoint of it, committed with the outer one."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                raise
            self.conn.execute("RELEASE nested")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- URLs -------------------------------------------------------------------------------

    def seen(
        self,
        url: str,
        source_id: str,
        lastmod: datetime | None,
        now: datetime,
        fetch_url: str | None = None,
        *,
        found_in: str | None = None,
        from_feed: bool = False,
    ) -> datetime:
        """Record a discovery of ``url`` (the identity form; ``fetch_url``: as the site wrote
        it, what a later run requests); return when it was first seen. Never changes a status.

        ``lastmod`` is kept per origin (sitemaps in ``lastmod``, feeds in ``feed_lastmod``: the
        two seldom agree for one page). When it differs from the value the same origin gave
        before and the page was fetched, the URL is flagged ``edited`` until it is fetched again:
        an edit is told by the site's own earlier value, never by our clock.
        """
        now_s, new = _ts(now), _ts(lastmod)
        column = "feed_lastmod" if from_feed else "lastmod"
        row = self.conn.execute(
            f"""
            INSERT INTO urls (url, source_id, status, first_seen_at, last_seen_at, {column},
                              found_in, fetch_url)
            VALUES (?, ?, 'discovered', ?, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET
                source_id = coalesce(urls.source_id, excluded.source_id),
                last_seen_at = max(urls.last_seen_at, excluded.last_seen_at),
                edited = CASE WHEN excluded.{column} IS NOT NULL AND urls.{column} IS NOT NULL
                    AND excluded.{column} != urls.{column} AND urls.fetched_at IS NOT NULL
                    THEN 1 ELSE urls.edited END,
                {column} = coalesce(excluded.{column}, urls.{column}),
                found_in = coalesce(excluded.found_in, urls.found_in),
                fetch_url = coalesce(excluded.fetch_url, urls.fetch_url)
            RETURNING first_seen_at
            """,
            (url, source_id, now_s, now_s, new, found_in, fetch_url),
        ).fetchone()
        return _dt(row[0])

    def should_fetch(
        self, url: str, lastmod: datetime | None, now: datetime | None = None
    ) -> tuple[bool, str | None]:
        """Whether to fetch ``url`` now, and the skip reason when not.

        Archived (stored/duplicate) and quarantined URLs are fetched again only when a feed or
        sitemap changed its ``lastmod`` since we fetched them (``seen`` flags them ``edited``;
        never our clock: sites write local times labelled UTC); a quarantined page may have been
        fixed. A URL that answered 404/410 three times in a row is ``gone``; one whose server
        failed waits out its back-off (``retry_at``).
        """
        row = self.conn.execute(
            "SELECT status, reason, edited, gone_streak, retry_at FROM urls WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return True, None
        status, reason, edited, gone_streak, retry_at = row
        modified = bool(edited)
        if status in ("stored", "duplicate"):
            return (True, None) if modified else (False, "archived")
        if status == "quarantined":
            return (True, None) if modified else (False, "quarantined_before")
        if status == "skipped" and reason in PERMANENT_SKIPS:
            # A page read as a listing is asked again only when a feed or sitemap says it
            # changed: a misread article is not lost for ever, a tag page costs nothing.
            return (True, None) if modified else (False, reason)
        if status == "failed" and gone_streak >= GONE_AFTER_ATTEMPTS:
            # Removed articles answer 404/410 for ever: stop asking unless a feed or sitemap
            # says the page changed.
            return (True, None) if modified else (False, "gone")
        if status == "failed" and retry_at and retry_at > _ts(now or datetime.now(UTC)):
            return False, "backoff"
        return True, None

    def set_status(
        self,
        url: str,
        status: str,
        reason: str | None = None,
        article_id: str | None = None,
        content_sha256: str | None = None,
        fetched_at: datetime | None = None,
    ) -> None:
        """Record an outcome that is not a publication (pending, duplicate, skipped, failed)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        if status in PUBLISHED_STATUSES:
            raise ValueError(
                f"status {status!r} is set only by publish_rows(), once the row is in a "
                "published file"
            )
        fetched = _ts(fetched_at)
        attempt = 1 if status in ATTEMPT_STATUSES else 0
        now = datetime.now(UTC)
        first_seen = fetched or _ts(now)
        gone = 1 if status == "failed" and reason in GONE_REASONS else 0
        fails = 1 if status == "failed" and backs_off(reason) else 0
        with self.transaction() as db:
            cursor = db.execute(
                """
                INSERT INTO urls (url, status, reason, article_id, content_sha256, first_seen_at,
                                  last_seen_at, fetched_at, attempts, gone_streak, fail_streak)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET
                    status = excluded.status,
                    reason = excluded.reason,
                    article_id = coalesce(excluded.article_id, urls.article_id),
                    content_sha256 = coalesce(excluded.content_sha256, urls.content_sha256),
                    fetched_at = coalesce(excluded.fetched_at, urls.fetched_at),
                    attempts = urls.attempts + excluded.attempts,
                    edited = CASE WHEN excluded.attempts > 0 THEN 0 ELSE urls.edited END,
                    gone_streak = CASE WHEN excluded.gone_streak
                        THEN urls.gone_streak + 1 ELSE 0 END,
                    fail_streak = CASE WHEN excluded.fail_streak
                        THEN urls.fail_streak + 1 ELSE 0 END
                RETURNING fail_streak
                """,
                (url, status, reason, article_id, content_sha256, first_seen, first_seen, fetched,
                 attempt, gone, fails),
            )  # fmt: skip
            (streak,) = cursor.fetchone()
            retry_at = _ts(now + backoff_delay(streak)) if fails else None
            db.execute("UPDATE urls SET retry_at = ? WHERE url = ?", (retry_at, url))

    def url_state(self, url: str) -> dict[str, Any] | None:
        cur = self.conn.execute("SELECT * FROM urls WHERE url = ?", (url,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def counts(self, source_id: str | None = None) -> dict[str, int]:
        """URLs by status (every status present, zero when none)."""
        sql = "SELECT status, count(*) FROM urls"
        args: tuple[Any, ...] = ()
        if source_id is not None:
            sql += " WHERE source_id = ?"
            args = (source_id,)
        result = dict.fromkeys(STATUSES, 0)
        result.update(dict(self.conn.execute(sql + " GROUP BY status", args).fetchall()))
        return result

    # -- Validators of archived pages ------------------------------------------------------

    def validators(self, url: str) -> Validators | None:
        """The validators of the page the ledger holds an outcome of (archived, or skipped for a
        reason that may pass), with that outcome: a 304 confirms it. None when there are none."""
        row = self.conn.execute(
            "SELECT status, reason, etag, last_modified FROM urls WHERE url = ?", (url,)
        ).fetchone()
        if row is None or not (row[2] or row[3]):
            return None
        status, reason, etag, last_modified = row
        if status in ARCHIVED_STATUSES or (status == "skipped" and reason not in PERMANENT_SKIPS):
            return Validators(etag, last_modified, status, reason)
        return None

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """The validators of the capture the archive now holds for ``url`` (set once its row is
        published, or once its text was found unchanged)."""
        self.conn.execute(
            "UPDATE urls SET etag = ?, last_modified = ? WHERE url = ?", (etag, last_modified, url)
        )

    def recheck_candidates(
        self,
        source_id: str,
        first_seen_after: datetime,
        checked_before: datetime,
        limit: int,
        now: datetime | None = None,
    ) -> list[Recheck]:
        """Archived articles first seen after ``first_seen_after``, last fetched before
        ``checked_before`` and at least as long ago as they were old then (oldest check first):
        young pages are re-checked for edits at ages that double (6 h, 12 h, 1 d, 2 d with the
        defaults), when edits are most likely, at a few requests per article."""
        rows = self.conn.execute(
            "SELECT url, etag, last_modified, first_seen_at, coalesce(fetch_url, url) FROM urls"
            " WHERE source_id = ? AND first_seen_at > ?"
            " AND status IN ('stored', 'duplicate') AND fetched_at < ?"
            " AND julianday(?) - julianday(fetched_at)"
            " >= julianday(fetched_at) - julianday(first_seen_at)"
            " ORDER BY fetched_at LIMIT ?",
            (
                source_id,
                _ts(first_seen_after),
                _ts(checked_before),
                _ts(now or datetime.now(UTC)),
                limit,
            ),
        )
        return [Recheck(u, e, m, _dt(first), f) for u, e, m, first, f in rows]

    # -- Discovery documents ------------------------------------------------------------------

    def document(self, url: str) -> DocumentState | None:
        row = self.conn.execute(
            "SELECT url, source_id, kind, parent, etag, last_modified, listed_lastmod, polled_at,"
            " changed_at, answer FROM documents WHERE url = ?",
            (url,),
        ).fetchone()
        return _document(row) if row else None

    def document_content(self, url: str) -> str | None:
        """The body kept with a document's last 200 (``document_polled(content=...)``)."""
        row = self.conn.execute("SELECT content FROM documents WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def child_documents(self, parent: str) -> list[DocumentState]:
        rows = self.conn.execute(
            "SELECT url, source_id, kind, parent, etag, last_modified, listed_lastmod, polled_at,"
            " changed_at, answer FROM documents WHERE parent = ? ORDER BY url",
            (parent,),
        )
        return [_document(row) for row in rows]

    def document_listed(self, url: str, source_id: str, kind: str, parent: str) -> None:
        """A document found under ``parent`` (a sitemap in an index, a next listing page);
        its validators and listed lastmod are written when it is polled."""
        self.conn.execute(
            "INSERT INTO documents (url, source_id, kind, parent) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET parent = excluded.parent",
            (url, source_id, kind, parent),
        )

    def document_polled(
        self,
        url: str,
        source_id: str,
        kind: str,
        now: datetime,
        *,
        answer: str,
        parent: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        listed_lastmod: datetime | None = None,
        content: str | None = None,
    ) -> None:
        """A poll of a discovery document: ``answer`` "200" (its validators replace the old ones:
        call inside the transaction that records what was found under it), "304" (kept), or a
        failure reason (nothing changes but the time and the answer). ``content``: the body of
        a small document a 304 must give back (a site's TDMRep rules), kept with a 200."""
        changed = answer == "200"
        polled = answer in ("200", "304")
        self.conn.execute(
            """
            INSERT INTO documents (url, source_id, kind, parent, etag, last_modified,
                                   listed_lastmod, polled_at, changed_at, answer, content)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET
                source_id = coalesce(documents.source_id, excluded.source_id),
                kind = CASE WHEN ? THEN excluded.kind ELSE documents.kind END,
                parent = coalesce(excluded.parent, documents.parent),
                etag = CASE WHEN ? THEN excluded.etag
                    ELSE coalesce(excluded.etag, documents.etag) END,
                last_modified = CASE WHEN ? THEN excluded.last_modified
                    ELSE coalesce(excluded.last_modified, documents.last_modified) END,
                listed_lastmod = CASE WHEN ? AND excluded.listed_lastmod IS NOT NULL
                    THEN excluded.listed_lastmod ELSE documents.listed_lastmod END,
                polled_at = CASE WHEN ? THEN excluded.polled_at ELSE documents.polled_at END,
                changed_at = coalesce(excluded.changed_at, documents.changed_at),
                answer = excluded.answer,
                content = CASE WHEN ? THEN excluded.content ELSE documents.content END
            """,
            (url, source_id, kind, parent, etag if polled else None,
             last_modified if polled else None, _ts(listed_lastmod), _ts(now) if polled else None,
             _ts(now) if changed else None, answer, content if changed else None,
             changed, changed, changed, polled, polled, changed),
        )  # fmt: skip
        self.poll_outcome(
            source_id, now, "changed" if changed else "not_modified" if polled else "failed"
        )

    def left_under(self, document: str) -> list[LeftUrl]:
        """URLs last found in ``document`` that still wait for a fetch: never fetched, left by a
        run, failed (not yet gone) or flagged edited. A 304 of the document re-offers these."""
        rows = self.conn.execute(
            "SELECT url, coalesce(lastmod, feed_lastmod), coalesce(fetch_url, url) FROM urls"
            " WHERE found_in = ? AND"
            " (status NOT IN ('stored', 'duplicate', 'quarantined') OR edited = 1)",
            (document,),
        )
        return [LeftUrl(u, _dt(m) if m else None, f) for u, m, f in rows]

    def left_of_source(self, source_id: str, limit: int) -> list[LeftUrl]:
        """URLs of a source discovered and never fetched (a run stopped, capped or killed before
        their turn, a row lost, a file deleted): offered again whatever lists them now."""
        rows = self.conn.execute(
            "SELECT url, coalesce(lastmod, feed_lastmod), coalesce(fetch_url, url) FROM urls"
            " WHERE source_id = ? AND"
            " status IN ('discovered', 'pending') LIMIT ?",
            (source_id, limit),
        )
        return [LeftUrl(u, _dt(m) if m else None, f) for u, m, f in rows]

    # -- Polls per source and day, busy runs ------------------------------------------------

    def poll_outcome(self, source_id: str, at: datetime, outcome: str) -> None:
        """Count one discovery poll (``changed``, ``not_modified`` or ``failed``) on its local
        (+07:00) day."""
        if outcome not in ("changed", "not_modified", "failed"):
            raise ValueError(f"unknown poll outcome {outcome!r}")
        from baotinh.dates import local_date

        day = local_date(at).date().isoformat()
        self.conn.execute(
            f"INSERT INTO polls_daily (source_id, day, polls, {outcome}) VALUES (?, ?, 1, 1)"
            f" ON CONFLICT (source_id, day) DO UPDATE SET polls = polls + 1,"
            f" {outcome} = {outcome} + 1",
            (source_id, day),
        )

    def polls_by_day(self, since_day: str) -> list[tuple[str, str, int, int, int, int]]:
        """(source_id, day, polls, changed, not_modified, failed) from ``since_day`` on."""
        rows = self.conn.execute(
            "SELECT source_id, day, polls, changed, not_modified, failed FROM polls_daily"
            " WHERE day >= ? ORDER BY source_id, day",
            (since_day,),
        )
        return list(rows)

    def record_busy(self, at: datetime, holder_pid: int | None, command: str) -> None:
        self.conn.execute(
            "INSERT INTO busy (at, pid, holder_pid, command) VALUES (?, ?, ?, ?)",
            (_ts(at), os.getpid(), holder_pid, command),
        )

    def busy_since(self, since: datetime) -> int:
        row = self.conn.execute("SELECT count(*) FROM busy WHERE at >= ?", (_ts(since),))
        return int(row.fetchone()[0])

    # -- Articles -----------------------------------------------------------------------------

    def article(self, article_id: str) -> ArticleState | None:
        row = self.conn.execute(
            "SELECT article_id, latest_version, content_sha256, first_seen_at FROM articles"
            " WHERE article_id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        return ArticleState(row[0], row[1], row[2], _dt(row[3]))

    def version_history(self, article_id: str) -> list[VersionState]:
        """Every published row of an article (deduplication's view of its history)."""
        rows = self.conn.execute(
            "SELECT version, content_sha256, captured_at, capture, extractor FROM versions"
            " WHERE article_id = ?",
            (article_id,),
        )
        return [
            VersionState(v, h, _dt(at) if at else None, capture, extractor)
            for v, h, at, capture, extractor in rows
        ]

    def article_with_hash(self, content_sha256: str) -> str | None:
        """The earliest-seen article whose any published version has this text hash."""
        row = self.conn.execute(
            """
            SELECT v.article_id FROM versions v JOIN articles a USING (article_id)
            WHERE v.content_sha256 = ? ORDER BY a.first_seen_at, v.article_id LIMIT 1
            """,
            (content_sha256,),
        ).fetchone()
        return row[0] if row else None

    def latest_location(self, article_id: str) -> tuple[str | None, str] | None:
        """(url, file) of an article's newest published version: where to read its row."""
        row = self.conn.execute(
            "SELECT url, file FROM versions WHERE article_id = ?"
            " ORDER BY version DESC, captured_at DESC LIMIT 1",
            (article_id,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    # -- Publication -------------------------------------------------------------------------

    def relpath(self, path: str | os.PathLike[str]) -> str:
        return Layout(self.out_dir).relative(path)

    def publish_rows(self, table_name: str, path: str, rows: list[dict[str, Any]]) -> None:
        """Record a published file and its rows, in one transaction.

        ``rows`` need ``url``, ``source_id``, ``article_id``, ``content_sha256`` and, for the
        articles table, ``version``, ``crawled_at`` and ``first_seen_at`` (for quarantine:
        ``quarantined_at`` and ``failed_expectations``). Publishing a known file is a no-op.
        """
        if table_name not in TABLES:
            raise ValueError(f"unknown table {table_name!r}; expected one of {TABLES}")
        rel = self.relpath(path)
        full = self.out_dir / rel
        size = full.stat().st_size if full.exists() else 0
        now = _ts(datetime.now(UTC))
        with self.transaction() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO files (path, table_name, rows, bytes, published_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (rel, table_name, len(rows), size, now),
            ).rowcount
            if not inserted:
                return
            if table_name == ARTICLES:
                self._publish_articles(db, rel, rows, now)
            else:
                self._publish_quarantine(db, rel, rows, now)

    def _publish_articles(
        self, db: sqlite3.Connection, rel: str, rows: list[dict[str, Any]], now: str | None
    ) -> None:
        for r in rows:
            fetched = _ts(r["crawled_at"])
            first_seen = _ts(r.get("first_seen_at")) or fetched
            for url in _urls_of(r):
                db.execute(
                    """
                    INSERT INTO urls (url, source_id, status, article_id, content_sha256,
                                      first_seen_at, last_seen_at, fetched_at)
                    VALUES (?, ?, 'stored', ?, ?, ?, ?, ?)
                    ON CONFLICT (url) DO UPDATE SET
                        status = 'stored', reason = NULL,
                        gone_streak = 0, fail_streak = 0, retry_at = NULL,
                        source_id = coalesce(urls.source_id, excluded.source_id),
                        article_id = excluded.article_id,
                        content_sha256 = excluded.content_sha256,
                        fetched_at = max(coalesce(urls.fetched_at, ''), excluded.fetched_at),
                        edited = 0
                    """,
                    (url, r["source_id"], r["article_id"], r["content_sha256"], first_seen,
                     first_seen, fetched),
                )  # fmt: skip
                db.execute("INSERT OR IGNORE INTO file_urls (file, url) VALUES (?, ?)", (rel, url))
            db.execute(
                "INSERT INTO versions (article_id, version, content_sha256, url, file,"
                " published_at, captured_at, capture, extractor)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (r["article_id"], int(r["version"]), r["content_sha256"], r["url"], rel, now,
                 fetched, r.get("warc_record_id"), r.get("extractor")),
            )  # fmt: skip
            # SQLite evaluates every SET expression against the old row, so the CASE sees the
            # old latest_version.
            db.execute(
                """
                INSERT INTO articles (article_id, latest_version, content_sha256, first_seen_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (article_id) DO UPDATE SET
                    content_sha256 = CASE WHEN excluded.latest_version > articles.latest_version
                        THEN excluded.content_sha256 ELSE articles.content_sha256 END,
                    latest_version = max(articles.latest_version, excluded.latest_version),
                    first_seen_at = min(articles.first_seen_at, excluded.first_seen_at)
                """,
                (r["article_id"], int(r["version"]), r["content_sha256"], first_seen),
            )

    def _publish_quarantine(
        self, db: sqlite3.Connection, rel: str, rows: list[dict[str, Any]], now: str | None
    ) -> None:
        for r in rows:
            if not r.get("url"):
                continue  # a row without a URL cannot be tracked; it is still in the file
            at = _ts(r.get("quarantined_at")) or now
            reason = ",".join(r.get("failed_expectations") or []) or None
            for url in _urls_of(r):
                db.execute(
                    """
                    INSERT INTO urls (url, source_id, status, reason, article_id, content_sha256,
                                      first_seen_at, last_seen_at, fetched_at)
                    VALUES (?, ?, 'quarantined', ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (url) DO UPDATE SET
                        status = 'quarantined', reason = excluded.reason,
                        gone_streak = 0, fail_streak = 0, retry_at = NULL,
                        source_id = coalesce(urls.source_id, excluded.source_id),
                        article_id = coalesce(excluded.article_id, urls.article_id),
                        content_sha256 = coalesce(excluded.content_sha256, urls.content_sha256),
                        fetched_at = max(coalesce(urls.fetched_at, ''), excluded.fetched_at)
                    """,
                    (url, r.get("source_id"), reason, r.get("article_id"),
                     r.get("content_sha256"), at, at, _ts(r.get("crawled_at")) or at),
                )  # fmt: skip
                db.execute("INSERT OR IGNORE INTO file_urls (file, url) VALUES (?, ?)", (rel, url))

    def file_rewritten(self, rel: str, size: int) -> None:
        """A published file was rewritten in place with the same rows (a migration)."""
        self.conn.execute("UPDATE files SET bytes = ? WHERE path = ?", (size, rel))

    def known_files(self, table_name: str | None = None) -> dict[str, int]:
        """Published files (relative path -> rows)."""
        sql, args = "SELECT path, rows FROM files", ()
        if table_name:
            sql, args = sql + " WHERE table_name = ?", (table_name,)
        return dict(self.conn.execute(sql, args).fetchall())

    # -- Compaction journal (used by baotinh.dataset.store.compact) ----------------------------

    def begin_compaction(self, new_path: str, old_paths: list[str]) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO compactions (new_path, old_paths, started_at) VALUES (?, ?, ?)",
                (self.relpath(new_path), json.dumps([self.relpath(p) for p in old_paths]),
                 _ts(datetime.now(UTC))),
            )  # fmt: skip

    def swap_compacted(self, new_path: str) -> None:
        """Replace the old file records by the new file's (idempotent; the journal stays)."""
        rel = self.relpath(new_path)
        with self.transaction() as db:
            row = db.execute(
                "SELECT old_paths FROM compactions WHERE new_path = ?", (rel,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no compaction in progress for {rel}")
            old = json.loads(row[0])
            marks = ",".join("?" * len(old))
            got = db.execute(
                f"SELECT table_name, sum(rows) FROM files WHERE path IN ({marks})", old
            ).fetchone()
            if got[0] is not None:  # not yet swapped
                size = (self.out_dir / rel).stat().st_size
                db.execute(
                    "INSERT OR REPLACE INTO files (path, table_name, rows, bytes, published_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (rel, got[0], got[1], size, _ts(datetime.now(UTC))),
                )
                db.execute(f"DELETE FROM files WHERE path IN ({marks})", old)
                db.execute(f"UPDATE versions SET file = ? WHERE file IN ({marks})", [rel, *old])
                db.execute(
                    f"INSERT OR IGNORE INTO file_urls (file, url) SELECT ?, url FROM file_urls"
                    f" WHERE file IN ({marks})",
                    [rel, *old],
                )
                db.execute(f"DELETE FROM file_urls WHERE file IN ({marks})", old)

    def end_compaction(self, new_path: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM compactions WHERE new_path = ?", (self.relpath(new_path),))

    def pending_compactions(self) -> list[tuple[str, list[str]]]:
        rows = self.conn.execute("SELECT new_path, old_paths FROM compactions").fetchall()
        return [(new, json.loads(old)) for new, old in rows]

    # -- WARC files (used by baotinh.capture.warc) --------------------------------------------

    def warc_file_opened(self, rel: str, run_id: str, at: datetime) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO warc_files (path, run_id, opened_at) VALUES (?, ?, ?)",
            (rel, run_id, _ts(at)),
        )

    def warc_file_synced(self, rel: str, size: int, records: int) -> None:
        self.conn.execute(
            "UPDATE warc_files SET bytes = ?, records = ? WHERE path = ?", (size, records, rel)
        )

    def warc_file_closed(self, rel: str, size: int, records: int | None, at: datetime) -> None:
        self.conn.execute(
            "UPDATE warc_files SET bytes = ?, records = coalesce(?, records), closed_at = ?"
            " WHERE path = ?",
            (size, records, _ts(at), rel),
        )

    def open_warc_files(self) -> list[str]:
        """WARC files a run opened and never closed (it was killed)."""
        rows = self.conn.execute("SELECT path FROM warc_files WHERE closed_at IS NULL")
        return [path for (path,) in rows]

    def warc_files(self) -> dict[str, int]:
        """Every WARC file of the folder (relative path -> bytes)."""
        rows = self.conn.execute("SELECT path, coalesce(bytes, 0) FROM warc_files ORDER BY path")
        return dict(rows.fetchall())

    def warc_payload(self, url: str, digest: str) -> WarcPayload | None:
        row = self.conn.execute(
            "SELECT record_id, file, offset, length, warc_date FROM warc_payloads"
            " WHERE url = ? AND payload_digest = ?",
            (url, digest),
        ).fetchone()
        return WarcPayload(*row) if row else None

    def warc_latest(self, url: str) -> WarcPayload | None:
        """The latest response record holding a payload of ``url``."""
        row = self.conn.execute(
            "SELECT record_id, file, offset, length, warc_date FROM warc_payloads"
            " WHERE url = ? ORDER BY warc_date DESC, rowid DESC LIMIT 1",
            (url,),
        ).fetchone()
        return WarcPayload(*row) if row else None

    def warc_payload_add(self, url: str, digest: str, location: Any, warc_date: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO warc_payloads (url, payload_digest, record_id, file, offset,"
            " length, warc_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (url, digest, location.record_id, location.file, location.offset, location.length,
             warc_date),
        )  # fmt: skip

    # -- Merging a staging area (used by baotinh.dataset.staging) -------------------------------

    def warc_file_rows(self, closed_only: bool = True) -> list[dict[str, Any]]:
        sql = "SELECT path, run_id, opened_at, closed_at, bytes, records FROM warc_files"
        if closed_only:
            sql += " WHERE closed_at IS NOT NULL"
        cur = self.conn.execute(sql + " ORDER BY path")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def warc_payload_rows(self, rel: str) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "SELECT url, payload_digest, record_id, file, offset, length, warc_date"
            " FROM warc_payloads WHERE file = ?",
            (rel,),
        ).fetchall()

    def import_warc_file(self, row: dict[str, Any], payloads: list[tuple[Any, ...]]) -> None:
        """List a WARC file moved in from a staging area, with its payload records
        (idempotent: a merge repeated after a crash changes nothing)."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO warc_files (path, run_id, opened_at, closed_at, bytes,"
                " records) VALUES (:path, :run_id, :opened_at, :closed_at, :bytes, :records)",
                row,
            )
            db.executemany(
                "INSERT OR IGNORE INTO warc_payloads (url, payload_digest, record_id, file,"
                " offset, length, warc_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                payloads,
            )

    def forget_warc_file(self, rel: str) -> None:
        """Drop a WARC file's records from this ledger (it moved to another folder)."""
        with self.transaction() as db:
            db.execute("DELETE FROM warc_payloads WHERE file = ?", (rel,))
            db.execute("DELETE FROM warc_files WHERE path = ?", (rel,))

    def published_files(self, table_name: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT path FROM files WHERE table_name = ? ORDER BY path", (table_name,)
        )
        return [path for (path,) in rows]

    def forget_file(self, rel: str) -> None:
        """Drop a published file's records (it moved to another folder); unlike a lost file,
        its URLs keep their state."""
        with self.transaction() as db:
            db.execute("DELETE FROM versions WHERE file = ?", (rel,))
            db.execute("DELETE FROM files WHERE path = ?", (rel,))

    def merge_url(self, url: str, source_id: str | None, status: str, reason: str | None,
                  article_id: str | None, content_sha256: str | None,
                  fetched_at: datetime | str | None) -> None:  # fmt: skip
        """Add what another ledger knows of a URL without undoing what this one knows: an
        archived state is never replaced by a lesser one, and ``fetched_at`` only moves on."""
        now = _ts(datetime.now(UTC))
        if isinstance(fetched_at, datetime):
            fetched_at = _ts(fetched_at)
        self.conn.execute(
            """
            INSERT INTO urls (url, source_id, status, reason, article_id, content_sha256,
                              first_seen_at, last_seen_at, fetched_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET
                status = CASE WHEN urls.status IN ('stored', 'duplicate', 'quarantined')
                    THEN urls.status ELSE excluded.status END,
                reason = CASE WHEN urls.status IN ('stored', 'duplicate', 'quarantined')
                    THEN urls.reason ELSE excluded.reason END,
                source_id = coalesce(urls.source_id, excluded.source_id),
                article_id = coalesce(urls.article_id, excluded.article_id),
                content_sha256 = coalesce(urls.content_sha256, excluded.content_sha256),
                fetched_at = max(coalesce(urls.fetched_at, ''), coalesce(excluded.fetched_at, ''))
            """,
            (url, source_id, status, reason, article_id, content_sha256,
             fetched_at or now, fetched_at or now, fetched_at),
        )  # fmt: skip

    def urls_with_status(self, status: str) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "SELECT url, source_id, status, reason, article_id, content_sha256, fetched_at"
            " FROM urls WHERE status = ?",
            (status,),
        ).fetchall()

    def prune_merged(self) -> None:
        """After a merge: drop the URL states and article rows the dataset's ledger now holds
        (the staging ledger keeps only its resume state and what is still staged)."""
        with self.transaction() as db:
            db.execute(
                "DELETE FROM urls WHERE status IN ('stored', 'quarantined', 'duplicate', 'pending')"
            )
            db.execute(
                "DELETE FROM articles WHERE article_id NOT IN (SELECT article_id FROM versions)"
            )

    # -- Backfill resume state (used by baotinh.backfill) ---------------------------------------

    def backfill_query(self, service: str, query: str) -> tuple[str | None, bool] | None:
        """(cursor, done) of an index query, None when never started."""
        if not self.has_table("backfill_queries"):
            return None
        row = self.conn.execute(
            "SELECT cursor, done FROM backfill_queries WHERE service = ? AND query = ?",
            (service, query),
        ).fetchone()
        return (row[0], bool(row[1])) if row else None

    def set_backfill_query(self, service: str, query: str, cursor: str | None, done: bool,
                           captures: int = 0) -> None:  # fmt: skip
        self.conn.execute(
            """
            INSERT INTO backfill_queries (service, query, cursor, done, captures, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (service, query) DO UPDATE SET cursor = excluded.cursor,
                done = excluded.done, captures = backfill_queries.captures + excluded.captures,
                updated_at = excluded.updated_at
            """,
            (service, query, cursor, int(done), captures, _ts(datetime.now(UTC))),
        )

    def backfill_capture_done(self, service: str, capture: str) -> bool:
        if not self.has_table("backfill_captures"):
            return False
        return (
            self.conn.execute(
                "SELECT 1 FROM backfill_captures WHERE service = ? AND capture = ?",
                (service, capture),
            ).fetchone()
            is not None
        )

    def set_backfill_capture(self, service: str, capture: str, url: str, source_id: str | None,
                             outcome: str, reason: str | None,
                             captured_at: datetime | None) -> None:  # fmt: skip
        self.conn.execute(
            "INSERT OR REPLACE INTO backfill_captures (service, capture, url, source_id, outcome,"
            " reason, captured_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (service, capture, url, source_id, outcome, reason, _ts(captured_at),
             _ts(datetime.now(UTC))),
        )  # fmt: skip

    def backfill_failed(self, service: str, source_id: str) -> dict[str, str]:
        """Captures whose fetch failed (capture key -> URL), to be tried again."""
        if not self.has_table("backfill_captures"):
            return {}
        rows = self.conn.execute(
            "SELECT capture, url FROM backfill_captures WHERE service = ? AND source_id = ?"
            " AND outcome = 'failed'",
            (service, source_id),
        )
        return dict(rows.fetchall())

    def backfill_rows(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        queries = self.conn.execute(
            "SELECT service, query, cursor, done, captures, updated_at FROM backfill_queries"
        ).fetchall()
        captures = self.conn.execute(
            "SELECT service, capture, url, source_id, outcome, reason, captured_at, done_at"
            " FROM backfill_captures"
        ).fetchall()
        return queries, captures

    def import_backfill_rows(
        self, queries: list[tuple[Any, ...]], captures: list[tuple[Any, ...]]
    ) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO backfill_queries (service, query, cursor, done, captures,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                queries,
            )
            db.executemany(
                "INSERT OR REPLACE INTO backfill_captures (service, capture, url, source_id,"
                " outcome, reason, captured_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                captures,
            )

    def clear_backfill_rows(self) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM backfill_captures")

    # -- Runs --------------------------------------------------------------------------------

    def start_run(self, run_id: str, now: datetime) -> None:
        self.conn.execute(
            "INSERT INTO runs (run_id, pid, started_at) VALUES (?, ?, ?)",
            (run_id, os.getpid(), _ts(now)),
        )

    def finish_run(self, run_id: str, now: datetime, report: dict[str, Any] | None = None) -> None:
        self.conn.execute(
            "UPDATE runs SET finished_at = ?, report = ? WHERE run_id = ?",
            (_ts(now), json.dumps(report, ensure_ascii=False) if report else None, run_id),
        )

    # -- Recovery ------------------------------------------------------------------------------

    def recover(self, out_dir: str | os.PathLike[str]) -> RecoveryResult:
        """Repair what a crash left: finish or undo a compaction, delete temporary files, and
        register published files the ledger does not know (killed between rename and commit).

        Call with the writer lock held (``Ledger.open`` does).
        """
        out = Path(out_dir).resolve()
        result = RecoveryResult()
        for new, old in self.pending_compactions():
            if (out / new).exists():  # the new file is in place: finish the swap
                self.swap_compacted(new)
                for p in old:
                    (out / p).unlink(missing_ok=True)
                result.compactions_finished.append(new)
            else:  # the new file never appeared: the old files are still the data
                result.compactions_undone.append(new)
            self.end_compaction(new)
        known = self.known_files()
        for table in TABLES:
            root = out / table
            if not root.is_dir():
                continue
            for tmp in sorted(temp_files(root)):
                tmp.unlink(missing_ok=True)
                result.temp_files_removed.append(tmp.relative_to(out).as_posix())
            for path in sorted(parquet_files(root)):
                rel = path.relative_to(out).as_posix()
                if rel in known:
                    continue
                rows = _receipts_of(path, table)
                self.publish_rows(table, rel, rows)
                result.files_registered.append(rel)
                result.rows_registered += len(rows)
        result.missing_files = sorted(p for p in known if not (out / p).exists())
        for rel in result.missing_files:
            self._forget_file(rel)
        return result

    def _forget_file(self, rel: str) -> None:
        """A published file is gone from disk (deleted by hand, lost): exactly the URLs it held
        (and no other file holds) are no longer archived, whatever their status, and neither are
        URLs booked as unchanged copies of an article it held the only rows of. The next crawl
        fetches them again instead of trusting a promise the dataset cannot keep."""
        with self.transaction() as db:
            held = [u for (u,) in db.execute("SELECT url FROM file_urls WHERE file = ?", (rel,))]
            affected = [a for (a,) in db.execute(
                "SELECT DISTINCT article_id FROM versions WHERE file = ?", (rel,))]  # fmt: skip
            db.execute("DELETE FROM file_urls WHERE file = ?", (rel,))
            db.execute("DELETE FROM versions WHERE file = ?", (rel,))
            db.execute("DELETE FROM files WHERE path = ?", (rel,))
            reset = (
                "UPDATE urls SET status = 'discovered', reason = 'file_missing', gone_streak = 0,"
                " fail_streak = 0, retry_at = NULL"
            )
            for url in held:
                db.execute(
                    f"{reset} WHERE url = ? AND NOT EXISTS (SELECT 1 FROM file_urls WHERE url = ?)",
                    (url, url),
                )
            for article in affected:
                latest = db.execute(
                    "SELECT version, content_sha256 FROM versions WHERE article_id = ?"
                    " ORDER BY version DESC LIMIT 1",
                    (article,),
                ).fetchone()
                if latest is None:
                    db.execute("DELETE FROM articles WHERE article_id = ?", (article,))
                    db.execute(f"{reset} WHERE article_id = ? AND status = 'duplicate'", (article,))
                else:
                    db.execute(
                        "UPDATE articles SET latest_version = ?, content_sha256 = ?"
                        " WHERE article_id = ?",
                        (*latest, article),
                    )

    # -- Work left for later -----------------------------------------------------------------

    def unfinished(
        self, source_id: str, now: datetime | None = None, page: int = 500
    ) -> Iterator[str]:
        """URLs (as the site wrote them) of a source that a run found and no run finished:
        never fetched (left by a cap or a stop), lost, in a file since deleted, or failed and
        past their back-off.

        Read in pages by key, each query finished before the caller writes: nothing per URL is
        held in memory, and writes made meanwhile cannot disturb the reading."""
        after = ""
        due = _ts(now or datetime.now(UTC))
        while True:
            rows = self.conn.execute(
                "SELECT url, coalesce(fetch_url, url) FROM urls WHERE source_id = ? AND url > ?"
                " AND (status IN"
                " ('discovered', 'pending') OR (status = 'failed' AND gone_streak < ?"
                " AND coalesce(retry_at, '') <= ?)) ORDER BY url LIMIT ?",
                (source_id, after, GONE_AFTER_ATTEMPTS, due, page),
            ).fetchall()
            yield from (fetch for _, fetch in rows)
            if len(rows) < page:
                return
            after = rows[-1][0]


# What the ledger records of each published row (``publish_rows``; ``recover`` reads them back
# from a file it finds on disk). The store keeps these for every row of an open file.
RECEIPT_COLUMNS = {
    "articles": ("url", "source_id", "article_id", "content_sha256", "version", "crawled_at",
                 "first_seen_at", "warc_record_id", "extractor"),
    "quarantine": ("url", "source_id", "article_id", "content_sha256", "crawled_at",
                   "quarantined_at", "failed_expectations"),
}  # fmt: skip


def _receipts_of(path: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq  # only needed when repairing

    try:
        data = pq.read_table(path, columns=list(RECEIPT_COLUMNS[table]), partitioning=None)
    except Exception as exc:
        raise RuntimeError(
            f"cannot read published file {path} ({exc}); move it out of the dataset and rerun"
        ) from exc
    return data.to_pylist()
