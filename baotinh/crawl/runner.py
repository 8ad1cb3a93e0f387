"""Run a crawl in this process with the project's Scrapy settings (what ``baotinh crawl`` does).

The spider is addressed by name, so this module does not import the spiders package: the
dependency stays spiders -> core.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from baotinh.crawl.report import final_lines
from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import Ledger, LockedError, WriterLock
from baotinh.dataset.store import default_run_id

# Failures that mean "we never reached the site" rather than "the site answered badly".
UNREACHABLE_REASONS = ("dns", "connection", "timeout", "tunnel", "tls")


@dataclass
class CrawlResult:
    report: dict[str, Any]
    unreachable: dict[str, str] = field(default_factory=dict)
    log_file: Path | None = None

    @property
    def lost(self) -> int:
        """URLs that ended nowhere: rows our machinery could not publish, or no outcome."""
        return int(self.report.get("total", {}).get("lost", 0))

    @property
    def ok(self) -> bool:
        return not self.unreachable and not self.lost


def project_settings(out: Path, overrides: dict[str, Any] | None = None) -> Any:
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "baotinh.settings")
    settings = get_project_settings()
    settings.set("BAOTINH_OUT", str(out), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def unreachable_sources(report: dict[str, Any]) -> dict[str, str]:
    """Sources that got no HTTP response at all and failed for network reasons."""
    result = {}
    for source_id, counts in report.get("sources", {}).items():
        if counts["requests"] and not counts["responses"]:
            failures = Counter(counts["failed"]) + Counter(counts["discovery_errors"])
            failures += Counter(counts.get("probes_failed", {}))
            reasons = ", ".join(f"{r}: {n}" for r, n in sorted(failures.items())) or "no answer"
            result[source_id] = f"unreachable ({counts['requests']} requests, {reasons})"
    return result


@dataclass
class Busy:
    """A scheduled run that found the folder locked by another job."""

    holder_pid: int | None
    message: str


def record_busy(out: Path, error: LockedError, command: str) -> Busy:
    """Count a scheduled run that found the folder busy (``baotinh status`` reports them)."""
    holder = error.pid
    with Ledger.open(out, recover=False) as ledger:
        ledger.record_busy(datetime.now(UTC), holder, command)
    return Busy(holder, f"baotinh: {out} is busy ({error}); this scheduled run is skipped")


# Loggers whose warnings are the operator's business; anything else only from ERROR up.
OWN_LOGGERS = ("baotinh", "spiders", "pipelines")


class _Problems(logging.Filter):
    """What a crawl prints besides progress and the summary: our warnings, anyone's errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return True
        return record.levelno >= logging.WARNING and record.name.startswith(OWN_LOGGERS)


def _terminal_handler(verbose: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    if verbose:
        handler.setLevel(logging.INFO)
    else:
        handler.setLevel(logging.WARNING)
        handler.addFilter(_Problems())
    return handler


# A replay answers from files: the live web's politeness limits only slow it down. The user's
# --set still wins (these are set at a lower priority).
REPLAY_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}
REPLAY_HANDLER = "spiders.replay.ReplayDownloadHandler"  # by name: the core imports no spider


def replay_settings(settings: Any, archives: list[Path]) -> None:
    """Serve every request from ``archives`` (WARC, WACZ or folders of them): the download
    handler answers from their index; WARC capture is off (rows point at the archives)."""
    from baotinh.capture.archive import ArchiveError, archive_files

    files = archive_files(archives)  # ArchiveError (one line) for a bad input
    if not files:
        raise ArchiveError(f"no WARC or WACZ file in {', '.join(map(str, archives))}")
    settings.set("BAOTINH_REPLAY", [str(p.resolve()) for p in files], priority="cmdline")
    settings.set("BAOTINH_WARC", False, priority="cmdline")
    handlers = {"http": REPLAY_HANDLER, "https": REPLAY_HANDLER}
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="cmdline")
    for name, value in REPLAY_SETTINGS.items():
        settings.set(name, value, priority="project")


def run_crawl(
    source_ids: list[str],
    out: Path,
    *,
    since: date | None = None,
    until: date | None = None,
    languages: frozenset[str] | None = None,
    max_articles: int = 0,
    report_path: Path | None = None,
    overrides: dict[str, Any] | None = None,
    verbose: bool = False,
    due: bool = False,
    replay: list[Path] | None = None,
    summary: bool = True,
) -> CrawlResult | Busy:
    """Crawl in this process. Scrapy's full log goes to ``<out>/runs/<run id>.log``; the
    terminal gets live progress (on a TTY), problems and a summary per source; ``verbose``
    also shows the log. A ``due`` (scheduled) run that finds the folder busy returns ``Busy``.
    """
    from scrapy.crawler import CrawlerProcess

    # Hold the folder from here to the end of the crawl: a busy folder is one line, and no
    # other job can slip in between this check and the crawl (CrawlRun takes this lock over).
    try:
        lock = WriterLock(out).acquire()
    except LockedError as exc:
        if due:
            return record_busy(out, exc, "crawl --due")
        raise
    try:
        with Ledger.open(out) as ledger:
            ledger.require_current_schema()
        settings = project_settings(out, overrides)
        if replay:
            replay_settings(settings, replay)
        run_id = default_run_id()
        log_file = Layout.of(out).runs / f"{run_id}.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        settings.set("BAOTINH_RUN_ID", run_id, priority="cmdline")
        settings.set("BAOTINH_DUE", due, priority="cmdline")
        if "LOG_FILE" not in (overrides or {}):
            settings.set("LOG_FILE", str(log_file), priority="cmdline")
        if since:
            settings.set("BAOTINH_SINCE", since.isoformat(), priority="cmdline")
        if until:
            settings.set("BAOTINH_UNTIL", until.isoformat(), priority="cmdline")
        if languages:
            settings.set("BAOTINH_LANGUAGES", ",".join(sorted(languages)), priority="cmdline")
        settings.set("BAOTINH_MAX_ARTICLES", max_articles, priority="cmdline")
        if report_path:
            settings.set("BAOTINH_REPORT", str(report_path), priority="cmdline")
        settings.set("BAOTINH_PROGRESS_LIVE", not verbose, priority="cmdline")
        process = CrawlerProcess(settings)
        terminal = _terminal_handler(verbose)
        logging.getLogger().addHandler(terminal)
        try:
            crawler = process.create_crawler("archive")
            process.crawl(crawler, sources=",".join(source_ids))
            process.start()
        finally:
            logging.getLogger().removeHandler(terminal)
    finally:
        lock.release()
    run = getattr(crawler, "_baotinh_run", None)
    if run is None:
        raise RuntimeError(f"the crawl did not start (see {log_file})")
    report = run.report.to_dict()
    result = CrawlResult(report, unreachable_sources(report), log_file=log_file)
    # Progress may have redrawn a block on stderr: the summary goes after it, on stdout
    # (`baotinh check` prints its own report instead).
    if summary:
        for line in final_lines(run.report, source_ids if len(source_ids) <= 10 else []):
            print(line)
    for source_id, why in result.unreachable.items():
        print(f"baotinh: {source_id}: {why}", file=sys.stderr)
    if result.lost:
        reasons = Counter[str]()
        for counts in report.get("sources", {}).values():
            reasons.update(counts.get("lost_by_reason", {}))
        why = ", ".join(f"{r}: {n}" for r, n in sorted(reasons.items()))
        print(
            f"baotinh: ALARM: {result.lost} URLs ended nowhere ({why}); they stay fetchable "
            f"and the next run fetches them again — see {run.out}/runs/{run.run_id}.json",
            file=sys.stderr,
        )
    return result
