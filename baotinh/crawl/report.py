"""The run report: what a crawl did, per source and in total, with its accounting.

Every candidate article URL discovered in a run ends in exactly one bucket:
``discovered == stored + quarantined + duplicates + skipped + failed + left + lost``.

- ``left``: deliberately left for a later run, for a reason from a closed list (``LEFT_REASONS``);
  the ledger keeps such URLs fetchable.
- ``lost``: URLs that ended nowhere — a row our machinery could not publish, or a URL that got no
  outcome at all by the end of the run. Routine runs have none; any is an alarm (the crawl exits
  non-zero), and the URLs are fetched again next run.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BUCKETS = ("stored", "quarantined", "duplicates", "skipped", "failed", "left", "lost")
# Why a URL may be left for a later run: --max-articles (or the per-source cap), --since,
# --until, --language (a translation into a language this run does not fetch), a politeness
# budget (a host that asked us to wait longer than we wait in one run), and a run stopped by
# the operator (SIGTERM, Ctrl-C) before the URL's turn.
LEFT_REASONS = ("max_articles", "since", "until", "language", "politeness", "stopped")
NO_OUTCOME = "no_outcome"  # lost: discovered, and nothing ever became of it


@dataclass
class SourceReport:
    requests: int = 0
    responses: Counter[str] = field(default_factory=Counter)
    discovered: int = 0
    items: int = 0  # articles handed to validation and storage (progress, not accounting)
    stored: int = 0
    quarantined: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    left: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    # Discovery pages (feeds, sitemaps, listings, robots.txt) that failed, by reason: not
    # article URLs, so outside the accounting, but never silent.
    discovery_errors: Counter[str] = field(default_factory=Counter)
    # Discovery pages from unverified guesses (probes) that failed: the guess's failure, not
    # the source's (``Source.is_probe``).
    probes_failed: Counter[str] = field(default_factory=Counter)
    # What each discovery page gave ("12 entries") or why it failed ("http_404"), by URL.
    discovery_pages: dict[str, str] = field(default_factory=dict)

    def accounted(self) -> int:
        return (
            self.stored
            + self.quarantined
            + self.duplicates
            + sum(self.skipped.values())
            + sum(self.failed.values())
            + sum(self.left.values())
            + sum(self.lost.values())
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "responses": dict(sorted(self.responses.items())),
            "discovered": self.discovered,
            "items": self.items,
            "stored": self.stored,
            "quarantined": self.quarantined,
            "duplicates": self.duplicates,
            "skipped": dict(sorted(self.skipped.items())),
            "failed": dict(sorted(self.failed.items())),
            "left": dict(sorted(self.left.items())),
            "lost": sum(self.lost.values()),
            "lost_by_reason": dict(sorted(self.lost.items())),
            "discovery_errors": dict(sorted(self.discovery_errors.items())),
            "probes_failed": dict(sorted(self.probes_failed.items())),
            "discovery_pages": dict(self.discovery_pages),
            "balanced": self.discovered == self.accounted(),
        }

    def add(self, other: SourceReport) -> None:
        self.requests += other.requests
        self.responses.update(other.responses)
        self.discovered += other.discovered
        self.items += other.items
        self.stored += other.stored
        self.quarantined += other.quarantined
        self.duplicates += other.duplicates
        self.skipped.update(other.skipped)
        self.failed.update(other.failed)
        self.left.update(other.left)
        self.lost.update(other.lost)
        self.discovery_errors.update(other.discovery_errors)
        self.probes_failed.update(other.probes_failed)
        self.discovery_pages.update(other.discovery_pages)


class RunReport:
    """Counts one crawl. Thread-safe: the store may publish from a worker thread."""

    def __init__(self, run_id: str, started_at: datetime | None = None) -> None:
        self.run_id = run_id
        self.started_at = started_at or datetime.now(UTC)
        self.finished_at: datetime | None = None
        self.sources: dict[str, SourceReport] = {}
        self.code: str | None = None  # where the crawler's code was loaded from
        self.max_rss_kib: int | None = None  # peak resident memory of the crawl process
        self._open: dict[str, str] = {}  # url -> source_id, discovered and not yet accounted
        self._closed: set[str] = set()
        # Decisions not to fetch a URL, which newer news of the page may reverse (``reopen``).
        self._decisions: dict[str, tuple[str, str, str]] = {}  # url -> (source, bucket, reason)
        self._lock = threading.Lock()

    def _source(self, source_id: str) -> SourceReport:
        return self.sources.setdefault(source_id, SourceReport())

    def request(self, source_id: str) -> None:
        with self._lock:
            self._source(source_id).requests += 1

    def response(self, source_id: str, status: int) -> None:
        with self._lock:
            self._source(source_id).responses[str(status)] += 1

    def discovery_page(self, source_id: str, url: str, found: str) -> None:
        """A feed, sitemap or listing page answered; ``found`` says what it held."""
        with self._lock:
            self._source(source_id).discovery_pages[url] = found

    def discovery_error(self, source_id: str, url: str, reason: str) -> None:
        with self._lock:
            counts = self._source(source_id)
            counts.discovery_errors[reason] += 1
            counts.discovery_pages[url] = reason

    def probe_failed(self, source_id: str, url: str, reason: str) -> None:
        with self._lock:
            counts = self._source(source_id)
            counts.probes_failed[reason] += 1
            counts.discovery_pages[url] = f"probe failed: {reason}"

    def item(self, source_id: str) -> None:
        """An article reached the store (it is counted stored once its file is published)."""
        with self._lock:
            self._source(source_id).items += 1

    def discovered(self, source_id: str, url: str) -> bool:
        """Count a candidate article URL once per run; True the first time."""
        with self._lock:
            if url in self._open or url in self._closed:
                return False
            self._open[url] = source_id
            self._source(source_id).discovered += 1
            return True

    def outcome(self, source_id: str, url: str, bucket: str, reason: str | None = None) -> None:
        """Record the one outcome of a discovered URL (later outcomes of the same URL are
        ignored: a URL re-reached by a redirect keeps its first result).

        The outcome is booked where the URL was discovered: a row may belong to another
        source (an absorbed paper's old URL that now answers with its absorber's article),
        and each source's discoveries must still balance with its outcomes."""
        if bucket not in BUCKETS:
            raise ValueError(f"unknown outcome bucket {bucket!r}")
        if bucket == "left" and reason not in LEFT_REASONS:
            raise ValueError(f"{reason!r} is not a reason to leave a URL ({LEFT_REASONS})")
        with self._lock:
            if url in self._closed:
                return
            discovered_by = self._open.pop(url, None)
            if discovered_by is None:  # reached without discovery (e.g. `scrapy parse`)
                self._source(source_id).discovered += 1
            source_id = discovered_by or source_id
            self._closed.add(url)
            counts = self._source(source_id)
            if bucket in ("skipped", "failed", "left", "lost"):
                getattr(counts, bucket)[reason or "unspecified"] += 1
            else:
                setattr(counts, bucket, getattr(counts, bucket) + 1)

    def decided(
        self, source_id: str, url: str, bucket: str, reason: str, *, reversible: bool = False
    ) -> None:
        """An outcome that is a decision not to fetch (``skipped``/``left``), booked like any
        outcome; a ``reversible`` one may be taken back by ``reopen`` while the run lasts."""
        with self._lock:
            first = url not in self._closed
        self.outcome(source_id, url, bucket, reason)
        if first and reversible:
            with self._lock:
                self._decisions[url] = (source_id, bucket, reason)

    def reopen(self, url: str) -> bool:
        """Take back a decision not to fetch ``url`` (a later discovery says the page changed
        after all): its outcome is unbooked and the URL is open again. False when there is no
        such decision (the URL was fetched, or never decided)."""
        with self._lock:
            decision = self._decisions.pop(url, None)
            if decision is None:
                return False
            source_id, bucket, reason = decision
            counts = getattr(self._source(source_id), bucket)
            counts[reason] -= 1
            if not counts[reason]:
                del counts[reason]
            self._closed.discard(url)
            self._open[url] = source_id
            return True

    def pending(self) -> dict[str, str]:
        with self._lock:
            return dict(self._open)

    def close(self, stopped: bool = False) -> None:
        """End the run: a URL still without an outcome is lost — or, in a run the operator
        stopped, left for the next run."""
        for url, source_id in self.pending().items():
            if stopped:
                self.outcome(source_id, url, "left", "stopped")
            else:
                self.outcome(source_id, url, "lost", NO_OUTCOME)
        self.finished_at = datetime.now(UTC)

    def total(self) -> SourceReport:
        total = SourceReport()
        with self._lock:
            for counts in self.sources.values():
                total.add(counts)
        return total

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            sources = {sid: c.to_dict() for sid, c in sorted(self.sources.items())}
        return {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "sources": sources,
            "total": self.total().to_dict(),
            "code": self.code,
            "max_rss_kib": self.max_rss_kib,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")
        tmp.replace(path)


def summary_line(source_id: str, counts: SourceReport, width: int) -> str:
    """One progress line: ``baohatinh  req 120  items 41  stored 40  quar 1 ...``"""
    return (
        f"{source_id:<{width}}  req {counts.requests:>6}  items {counts.items:>6}  "
        f"stored {counts.stored:>6}  quar {counts.quarantined:>4}  dup {counts.duplicates:>5}  "
        f"skip {sum(counts.skipped.values()):>6}  fail {sum(counts.failed.values()):>4}  "
        f"left {sum(counts.left.values()):>5}  lost {sum(counts.lost.values()):>3}  "
        f"(discovered {counts.discovered})"
    )


def downloads_per_new_article(counts: SourceReport) -> float | None:
    """200-responses per stored row (new articles and new versions); None when none stored."""
    stored = counts.stored
    return counts.responses.get("200", 0) / stored if stored else None


def final_lines(report: RunReport, source_ids: list[str]) -> list[str]:
    """The summary printed when a crawl ends: one line per source that did anything (or was
    asked for), the total, and what the polling cost."""
    lines = summary_lines(report, source_ids)
    total = report.total()
    answered = sum(total.responses.values())
    not_modified = total.responses.get("304", 0)
    per_article = downloads_per_new_article(total)
    lines.append(
        f"responses {answered}: 200 {total.responses.get('200', 0)}, 304 {not_modified}"
        + (f"; 200-responses per new article or version {per_article:.2f}" if per_article else "")
    )
    return lines


def summary_lines(report: RunReport, source_ids: list[str]) -> list[str]:
    """One line per source (those asked for first), and a total when there are several."""
    ids = list(dict.fromkeys([*source_ids, *report.sources]))
    width = max((len(i) for i in [*ids, "total"]), default=5)
    lines = [summary_line(i, report.sources.get(i) or SourceReport(), width) for i in ids]
    if len(ids) > 1:
        lines.append(summary_line("total", report.total(), width))
    return lines
