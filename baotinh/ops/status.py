"""``baotinh status DIR``: is every source still delivering, and does anything need a person?

Read from the ledger (runs, versions, daily polls, busy runs) and the published Parquet files
(field coverage, through DuckDB); nothing here writes to the dataset. Per source: the last run
in which it answered, the last new article, articles in the last 7 days against its own weekly
history, field coverage now and before, discovery errors and failed probes of its last run, and
its polls per day. A source is *flagged* when its new-article rate or a field's coverage fell
well below its own history (a redesign, a dead feed) or when it has failed for
``failing_runs`` runs in a row; lost rows and a disk about to fill are flagged for the folder.
Routine trouble (one source unreachable this hour) is reported, not flagged.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from baotinh.dataset.layout import ARTICLES, Layout
from baotinh.dataset.ledger import Ledger
from baotinh.dates import local_date

WEEK = timedelta(days=7)
HISTORY_WEEKS = 8  # the history a source's last week is compared with
MIN_HISTORY_WEEKS = 3  # weeks with articles needed before a rate drop is judged
MIN_WEEKLY_MEDIAN = 7  # a source publishing less than one article a day is not judged on rate
RATE_DROP = 0.3  # flagged below this share of the weekly median
COVERAGE_DROP = 0.25  # flagged when a field's coverage fell by this much (absolute share)
MIN_ROWS_FOR_COVERAGE = 20  # rows needed in both windows to compare coverage
FAILING_RUNS = 6  # runs in a row without an answer before a source needs a person
RECENT_RUNS = 500  # runs read for the per-source history of failures
DISK_DAYS_LEFT = 30  # flagged when the free space lasts fewer days than this at the current rate
DISK_MIN_FREE_SHARE = 0.05  # ... or less than this share of the filesystem is free

# Fields whose coverage says whether a parser still reads a site: the share of new rows with it.
COVERAGE_SQL = {
    "sapo": "sapo IS NOT NULL AND length(sapo) > 0",
    "authors": "len(authors) > 0",
    "published_at": "published_at IS NOT NULL",
    "category": "category IS NOT NULL AND length(category) > 0",
    "images": "len(images) > 0",
    "body_50_words": "word_count >= 50",
}


@dataclass
class SourceStatus:
    source_id: str
    last_success: str | None = None  # started_at of the last run in which it answered
    runs_failing: int = 0  # the latest runs in a row in which it got no answer
    last_new_article: str | None = None  # publication time of its newest version-1 row
    articles_7d: int = 0
    weekly_median: float | None = None  # of the HISTORY_WEEKS weeks before
    history_weeks: int = 0
    coverage_now: dict[str, float] = field(default_factory=dict)
    coverage_before: dict[str, float] = field(default_factory=dict)
    discovery_errors: dict[str, int] = field(default_factory=dict)  # of its last run
    probes_failed: dict[str, int] = field(default_factory=dict)  # of its last run
    polls_by_day: dict[str, dict[str, int]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)  # needs a person
    notes: list[str] = field(default_factory=list)  # routine


@dataclass
class FolderStatus:
    folder: str
    generated_at: str
    sources: dict[str, SourceStatus]
    runs: int = 0
    last_run: str | None = None
    lost_7d: int = 0
    busy_24h: int = 0
    disk_free_bytes: int = 0
    disk_total_bytes: int = 0
    growth_bytes_per_day: float = 0.0
    dataset_bytes: dict[str, int] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags) or any(s.flags for s in self.sources.values())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["flagged"] = self.flagged
        return data


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _answered(counts: dict[str, Any]) -> bool:
    """The source got at least one HTTP answer from its site in that run."""
    return any(counts.get("responses", {}).values())


def _runs(db: sqlite3.Connection) -> list[tuple[str, dict[str, Any]]]:
    rows = db.execute(
        "SELECT started_at, report FROM runs WHERE report IS NOT NULL"
        " ORDER BY started_at DESC LIMIT ?",
        (RECENT_RUNS,),
    )
    return [(started, json.loads(report)) for started, report in rows]


def _weekly_counts(db: sqlite3.Connection, now: datetime) -> dict[str, tuple[int, list[int], int]]:
    """Per source: version-1 rows published in the last 7 days, in each of the HISTORY_WEEKS
    weeks before, and how many of those weeks the source already existed in the ledger."""
    start = now - WEEK * (HISTORY_WEEKS + 1)
    rows = db.execute(
        "SELECT u.source_id, v.published_at FROM versions v JOIN urls u ON u.url = v.url"
        " WHERE v.version = 1 AND v.published_at >= ?",
        (_ts(start),),
    )
    current: Counter[str] = Counter()
    weeks: dict[str, list[int]] = {}
    for source_id, published in rows:
        age = now - datetime.fromisoformat(published)
        if age < WEEK:
            current[source_id] += 1
            continue
        week = int(age / WEEK) - 1
        if 0 <= week < HISTORY_WEEKS:
            weeks.setdefault(source_id, [0] * HISTORY_WEEKS)[week] += 1
    first_seen = dict(
        db.execute("SELECT source_id, min(first_seen_at) FROM urls GROUP BY source_id").fetchall()
    )
    result = {}
    for source_id in set(current) | set(weeks) | set(first_seen):
        history = weeks.get(source_id, [0] * HISTORY_WEEKS)
        known_since = first_seen.get(source_id)
        age_weeks = 0
        if known_since:
            age_weeks = int((now - datetime.fromisoformat(known_since)) / WEEK) - 1
        existed = max(0, min(HISTORY_WEEKS, age_weeks))
        result[source_id] = (current[source_id], history[:existed], existed)
    return result


def _coverage(
    layout: Layout, now: datetime
) -> dict[str, tuple[dict[str, float], dict[str, float], int, int]]:
    """Per source: the share of rows with each COVERAGE_SQL field in the last 7 days and in the
    HISTORY_WEEKS weeks before (latest versions' rows as crawled), and the row counts."""
    if not layout.parquet_files(ARTICLES):
        return {}
    import duckdb

    cut = now - WEEK
    start = now - WEEK * (HISTORY_WEEKS + 1)
    shares = ", ".join(f"avg(CASE WHEN {sql} THEN 1.0 ELSE 0.0 END) AS {name}"
                       for name, sql in COVERAGE_SQL.items())  # fmt: skip
    sql = (
        f"SELECT source_id, crawled_at >= ? AS recent, count(*) AS n, {shares} "
        f"FROM read_parquet('{layout.glob(ARTICLES)}', hive_partitioning = false) "
        "WHERE crawled_at >= ? GROUP BY source_id, recent"
    )
    result: dict[str, tuple[dict[str, float], dict[str, float], int, int]] = {}
    for source_id, recent, n, *values in duckdb.execute(sql, [cut, start]).fetchall():
        now_cov, before_cov, n_now, n_before = result.get(source_id, ({}, {}, 0, 0))
        shares_of = {name: round(float(v), 3) for name, v in zip(COVERAGE_SQL, values, strict=True)}
        if recent:
            result[source_id] = (shares_of, before_cov, n, n_before)
        else:
            result[source_id] = (now_cov, shares_of, n_now, n)
    return result


def _folder_bytes(layout: Layout) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for name, path in (("articles", layout.articles), ("quarantine", layout.quarantine),
                       ("warc", layout.warc), ("runs", layout.runs)):  # fmt: skip
        total = 0
        if path.is_dir():
            for root, _, files in os.walk(path):
                total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
        sizes[name] = total
    ledger = layout.ledger
    sizes["ledger"] = sum(
        p.stat().st_size for p in (ledger, ledger.with_name(ledger.name + "-wal")) if p.exists()
    )
    return sizes


def _growth_per_day(db: sqlite3.Connection, now: datetime) -> float:
    """Bytes a day the folder grew by over the last 7 days: Parquet and WARC files published."""
    since = _ts(now - WEEK)
    parquet = db.execute(
        "SELECT coalesce(sum(bytes), 0) FROM files WHERE published_at >= ?", (since,)
    ).fetchone()[0]
    warc = db.execute(
        "SELECT coalesce(sum(bytes), 0) FROM warc_files WHERE opened_at >= ?", (since,)
    ).fetchone()[0]
    first = db.execute("SELECT min(started_at) FROM runs").fetchone()[0]
    days = 7.0
    if first:
        days = min(7.0, max((now - datetime.fromisoformat(first)).total_seconds() / 86400, 1 / 24))
    return float(parquet + warc) / days


def folder_status(
    out_dir: str | os.PathLike[str],
    *,
    now: datetime | None = None,
    failing_runs: int = FAILING_RUNS,
    sources: list[str] | None = None,
) -> FolderStatus:
    """The status of a dataset folder (read only; safe while a crawl runs)."""
    layout = Layout.of(out_dir)
    if not layout.ledger.exists():
        raise FileNotFoundError(
            f"{layout.root} has no ledger ({layout.ledger.name}): not a dataset folder"
        )
    now = now or datetime.now(UTC)
    # A ledger of an earlier release is brought up to date first (no recovery: that needs the
    # writer lock, and status must run beside a crawl); then everything is read only.
    Ledger.open(layout.root, recover=False).close()
    uri = f"file:{layout.ledger}?mode=ro"
    db = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        runs = _runs(db)
        weekly = _weekly_counts(db, now)
        seen_sources = {s for (s,) in db.execute("SELECT DISTINCT source_id FROM urls") if s}
        polls: dict[str, dict[str, dict[str, int]]] = {}
        since_day = local_date(now - WEEK).date().isoformat()
        for source_id, day, n, changed, not_modified, failed in db.execute(
            "SELECT source_id, day, polls, changed, not_modified, failed FROM polls_daily"
            " WHERE day >= ? ORDER BY day",
            (since_day,),
        ):
            polls.setdefault(source_id, {})[day] = {
                "polls": n, "changed": changed, "not_modified": not_modified, "failed": failed,
            }  # fmt: skip
        last_new = dict(
            db.execute(
                "SELECT u.source_id, max(v.published_at) FROM versions v JOIN urls u"
                " ON u.url = v.url WHERE v.version = 1 GROUP BY u.source_id"
            ).fetchall()
        )
        busy = db.execute(
            "SELECT count(*) FROM busy WHERE at >= ?", (_ts(now - timedelta(days=1)),)
        )
        busy_24h = int(busy.fetchone()[0])
        growth = _growth_per_day(db, now)
    finally:
        db.close()
    coverage = _coverage(layout, now)

    ids = sources or sorted(seen_sources | {s for _, r in runs for s in r.get("sources", {})})
    statuses: dict[str, SourceStatus] = {}
    for source_id in ids:
        status = SourceStatus(source_id)
        in_runs = [(started, r["sources"][source_id]) for started, r in runs
                   if source_id in r.get("sources", {})]  # fmt: skip
        for started, counts in in_runs:  # newest first
            if _answered(counts):
                status.last_success = started
                break
            status.runs_failing += 1
        if in_runs:
            _, latest = in_runs[0]
            status.discovery_errors = dict(latest.get("discovery_errors", {}))
            status.probes_failed = dict(latest.get("probes_failed", {}))
        status.last_new_article = last_new.get(source_id)
        current, history, existed = weekly.get(source_id, (0, [], 0))
        status.articles_7d = current
        status.history_weeks = existed
        if history:
            status.weekly_median = float(statistics.median(history))
        now_cov, before_cov, n_now, n_before = coverage.get(source_id, ({}, {}, 0, 0))
        status.coverage_now, status.coverage_before = now_cov, before_cov
        status.polls_by_day = polls.get(source_id, {})
        _judge(status, failing_runs, n_now, n_before)
        statuses[source_id] = status

    disk = shutil.disk_usage(layout.root)
    folder = FolderStatus(
        folder=str(layout.root),
        generated_at=now.isoformat(),
        sources=statuses,
        runs=len(runs),
        last_run=runs[0][0] if runs else None,
        busy_24h=busy_24h,
        disk_free_bytes=disk.free,
        disk_total_bytes=disk.total,
        growth_bytes_per_day=growth,
        dataset_bytes=_folder_bytes(layout),
    )
    week_ago = _ts(now - WEEK)
    folder.lost_7d = sum(int(r.get("total", {}).get("lost", 0)) for started, r in runs
                         if started >= week_ago)  # fmt: skip
    if folder.lost_7d:
        folder.flags.append(f"{folder.lost_7d} rows lost in the last 7 days (see runs/)")
    if disk.free < disk.total * DISK_MIN_FREE_SHARE:
        folder.flags.append(f"disk nearly full: {disk.free / 2**30:.1f} GiB free of "
                            f"{disk.total / 2**30:.1f} GiB")  # fmt: skip
    elif growth > 0 and disk.free / growth < DISK_DAYS_LEFT:
        folder.flags.append(f"disk fills in {disk.free / growth:.0f} days at "
                            f"{growth / 2**20:.1f} MiB/day")  # fmt: skip
    return folder


def _judge(status: SourceStatus, failing_runs: int, n_now: int, n_before: int) -> None:
    if status.runs_failing >= failing_runs:
        status.flags.append(f"no answer for {status.runs_failing} runs in a row")
    elif status.runs_failing:
        status.notes.append(f"no answer in the last {status.runs_failing} run(s)")
    median = status.weekly_median
    if (
        median is not None
        and status.history_weeks >= MIN_HISTORY_WEEKS
        and median >= MIN_WEEKLY_MEDIAN
        and status.articles_7d < RATE_DROP * median
    ):
        status.flags.append(
            f"new articles fell to {status.articles_7d} in 7 days (weekly median {median:g}): "
            "a dead feed or a redesign?"
        )
    if n_now >= MIN_ROWS_FOR_COVERAGE and n_before >= MIN_ROWS_FOR_COVERAGE:
        for name, before in status.coverage_before.items():
            now_share = status.coverage_now.get(name, 0.0)
            if before - now_share >= COVERAGE_DROP:
                status.flags.append(
                    f"{name} coverage fell from {before:.0%} to {now_share:.0%}: a redesign?"
                )
    if status.discovery_errors:
        errors = ", ".join(f"{k} {v}" for k, v in sorted(status.discovery_errors.items()))
        status.notes.append(f"discovery errors in its last run: {errors}")
    if status.probes_failed:
        probes = ", ".join(f"{k} {v}" for k, v in sorted(status.probes_failed.items()))
        status.notes.append(f"probes failed in its last run: {probes}")


def text_report(status: FolderStatus, *, problems_only: bool = False) -> str:
    lines = []
    if not problems_only:
        last = status.last_run or "never"
        lines.append(f"{status.folder}: {status.runs} recent runs, last {last}; "
                     f"busy skips in 24 h: {status.busy_24h}")  # fmt: skip
        sizes = ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in status.dataset_bytes.items())
        lines.append(f"size: {sizes}; growth {status.growth_bytes_per_day / 2**20:.2f} MiB/day; "
                     f"disk free {status.disk_free_bytes / 2**30:.1f} GiB")  # fmt: skip
    for flag in status.flags:
        lines.append(f"FLAG {flag}")
    for source in status.sources.values():
        if problems_only and not source.flags:
            continue
        if not problems_only:
            polls = Counter[str]()
            for day in source.polls_by_day.values():
                polls.update(day)
            median = f"{source.weekly_median:g}" if source.weekly_median is not None else "-"
            lines.append(
                f"{source.source_id}: last answer {source.last_success or 'never'}, last new "
                f"article {source.last_new_article or 'never'}, 7 days {source.articles_7d} "
                f"(weekly median {median}), polls 7 days {polls['polls']} "
                f"(304 {polls['not_modified']}, failed {polls['failed']})"
            )
        for flag in source.flags:
            lines.append(f"FLAG {source.source_id}: {flag}")
        if not problems_only:
            for note in source.notes:
                lines.append(f"  note: {note}")
    return "\n".join(lines)


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def prometheus_text(status: FolderStatus) -> str:
    """node_exporter's textfile collector format (one gauge per line, HELP and TYPE once)."""
    folder = _label(status.folder)
    metrics: dict[str, tuple[str, list[tuple[str, float]]]] = {}

    def gauge(name: str, help_text: str, labels: str, value: float | None) -> None:
        if value is None:
            return
        metrics.setdefault(name, (help_text, []))[1].append((labels, value))

    def stamp(text: str | None) -> float | None:
        return datetime.fromisoformat(text).timestamp() if text else None

    base = f'folder="{folder}"'
    gauge("baotinh_flagged", "1 when anything needs a person", base, float(status.flagged))
    gauge(
        "baotinh_lost_rows_7d", "Rows lost by the crawler in the last 7 days", base, status.lost_7d
    )
    gauge(
        "baotinh_busy_runs_24h", "Scheduled runs that found the folder busy", base, status.busy_24h
    )
    gauge(
        "baotinh_disk_free_bytes",
        "Free bytes on the folder's filesystem",
        base,
        status.disk_free_bytes,
    )
    gauge("baotinh_growth_bytes_per_day", "Parquet and WARC bytes a day (7-day mean)", base,
          status.growth_bytes_per_day)  # fmt: skip
    for part, size in status.dataset_bytes.items():
        gauge(
            "baotinh_dataset_bytes", "Bytes per part of the folder", f'{base},part="{part}"', size
        )
    for source in status.sources.values():
        labels = f'{base},source="{_label(source.source_id)}"'
        gauge("baotinh_source_flagged", "1 when the source needs a person", labels,
              float(bool(source.flags)))  # fmt: skip
        gauge("baotinh_source_last_success_timestamp_seconds", "Last run it answered in", labels,
              stamp(source.last_success))  # fmt: skip
        gauge("baotinh_source_last_new_article_timestamp_seconds", "Newest new article", labels,
              stamp(source.last_new_article))  # fmt: skip
        gauge("baotinh_source_runs_failing", "Latest runs in a row without an answer", labels,
              source.runs_failing)  # fmt: skip
        gauge("baotinh_source_articles_7d", "New articles in the last 7 days", labels,
              source.articles_7d)  # fmt: skip
        gauge("baotinh_source_articles_weekly_median", "Weekly new articles, median of 8 weeks",
              labels, source.weekly_median)  # fmt: skip
        gauge("baotinh_source_discovery_errors", "Failed discovery pages in its last run", labels,
              sum(source.discovery_errors.values()))  # fmt: skip
        gauge("baotinh_source_probes_failed", "Failed probes in its last run", labels,
              sum(source.probes_failed.values()))  # fmt: skip
        for name, share in source.coverage_now.items():
            gauge("baotinh_source_field_coverage", "Share of last week's rows with the field",
                  f'{labels},field="{name}"', share)  # fmt: skip
    lines = []
    for name, (help_text, samples) in metrics.items():
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} gauge")
        lines.extend(f"{name}{{{labels}}} {_number(value)}" for labels, value in samples)
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write_prometheus(status: FolderStatus, path: Path) -> None:
    """Written beside, then renamed: node_exporter must never read a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(prometheus_text(status), "utf-8")
    tmp.replace(path)
