"""Run a crawl in this process with the project's Scrapy settings (what ``baotinh crawl`` does).

The spider is addressed by name, so this module does not import the spiders package: the
dependency stays spiders -> core.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from baotinh.dataset.ledger import Ledger, WriterLock

# Failures that mean "we never reached the site" rather than "the site answered badly".
UNREACHABLE_REASONS = ("dns", "connection", "timeout", "tunnel", "tls")


@dataclass
class CrawlResult:
    report: dict[str, Any]
    unreachable: dict[str, str] = field(default_factory=dict)

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
    replay: list[Path] | None = None,
) -> CrawlResult:
    from scrapy.crawler import CrawlerProcess

    # Fail fast, with one line, if a crawl holds the folder or its files need a migration.
    with WriterLock(out), Ledger.open(out) as ledger:
        ledger.require_current_schema()
    settings = project_settings(out, overrides)
    if replay:
        replay_settings(settings, replay)
    if since:
        settings.set("BAOTINH_SINCE", since.isoformat(), priority="cmdline")
    if until:
        settings.set("BAOTINH_UNTIL", until.isoformat(), priority="cmdline")
    if languages:
        settings.set("BAOTINH_LANGUAGES", ",".join(sorted(languages)), priority="cmdline")
    settings.set("BAOTINH_MAX_ARTICLES", max_articles, priority="cmdline")
    if report_path:
        settings.set("BAOTINH_REPORT", str(report_path), priority="cmdline")
    if not verbose and sys.stderr.isatty() and "LOG_LEVEL" not in (overrides or {}):
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")  # the live progress shows
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("archive")
    process.crawl(crawler, sources=",".join(source_ids))
    process.start()
    run = getattr(crawler, "_baotinh_run", None)
    if run is None:
        raise RuntimeError("the crawl did not start (see the log above)")
    report = run.report.to_dict()
    result = CrawlResult(report, unreachable_sources(report))
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
