"""``baotinh backfill --source ID --from D --to D [--via cc|wayback] --out DIR``.

For each service and each of the source's hosts (every domain it used, editions, mirrors and
aliases), the service's CDX index lists the captures of the date range; only those the dataset
needs are fetched: on the source's hosts, an article URL in the pattern of the period they were
captured in, HTML, status 200, a payload not seen before (``collapse=digest``, and a repeated
digest is skipped here too), not handled by an earlier run. Each fetched record is kept as WARC
(a Common Crawl record as it was stored there) and goes through the one capture path
(``CaptureProcessor``: the parser version of the capture's date) into the row sink, with
``crawled_at`` the capture time, ``capture_source`` the service and ``capture_uri`` the
record's URL.

It writes to a staging area (``<out>/staging/backfill-<source>/``) merged into the dataset every
``BAOTINH_BACKFILL_MERGE_INTERVAL`` seconds when no crawl holds the folder, and at the end.
Resume state lives in the ledger: after each index page, once its rows are published in
staging, the page's captures are recorded as handled and the query's cursor (next page, or the
Wayback resume key) moves on, in one transaction; a killed run starts again from there. A
capture whose fetch failed is tried again by the next run.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from baotinh import faults, registry
from baotinh.backfill.services import (
    COMMONCRAWL,
    WAYBACK,
    CdxCapture,
    CommonCrawl,
    Limits,
    Service,
    ServiceDropped,
    ServiceError,
    Wayback,
)
from baotinh.capture.process import CaptureProcessor
from baotinh.capture.record import Capture
from baotinh.dataset.staging import MergeResult, StagedWriters, StagingArea
from baotinh.dataset.store import default_run_id
from baotinh.registry import Source
from baotinh.registry.model import host_key
from baotinh.validation import BackgroundValidator, BatchValidator

logger = logging.getLogger(__name__)

VIA = {"cc": COMMONCRAWL, "wayback": WAYBACK}
SETTING_NAMES = (
    "BAOTINH_CC_COLLINFO_URL", "BAOTINH_CC_DATA_URL", "BAOTINH_WAYBACK_CDX_URL",
    "BAOTINH_WAYBACK_URL", "BAOTINH_BACKFILL_INDEX_PER_MINUTE", "BAOTINH_BACKFILL_FETCH_INTERVAL",
    "BAOTINH_BACKFILL_RETRIES", "BAOTINH_BACKFILL_BACKOFF", "BAOTINH_BACKFILL_CC_PAGE_SIZE",
    "BAOTINH_BACKFILL_WAYBACK_LIMIT", "BAOTINH_BACKFILL_MERGE_INTERVAL",
    "BAOTINH_BACKFILL_MERGE_WAIT", "BAOTINH_VALIDATE_IN_BACKGROUND", "BAOTINH_VALIDATE_BATCH",
)  # fmt: skip
ROW, SKIPPED, FAILED = "row", "skipped", "failed"


def backfill_settings(out: Path, overrides: dict[str, Any] | None = None) -> Any:
    """The project's settings, then environment variables of the same names, then --set."""
    from baotinh.crawl.runner import project_settings

    settings = project_settings(out, overrides)
    for name in SETTING_NAMES:
        if name in os.environ and name not in (overrides or {}):
            settings.set(name, os.environ[name], priority="spider")
    return settings


def make_services(settings: Any, via: list[str]) -> list[Service]:
    limits = Limits(
        index_per_minute=settings.getfloat("BAOTINH_BACKFILL_INDEX_PER_MINUTE"),
        fetch_interval_s=settings.getfloat("BAOTINH_BACKFILL_FETCH_INTERVAL"),
        retries=settings.getint("BAOTINH_BACKFILL_RETRIES"),
        backoff_s=settings.getfloat("BAOTINH_BACKFILL_BACKOFF"),
    )
    services: list[Service] = []
    if COMMONCRAWL in via:
        services.append(CommonCrawl(settings.get("BAOTINH_CC_COLLINFO_URL"),
                                    settings.get("BAOTINH_CC_DATA_URL"), limits,
                                    settings.getint("BAOTINH_BACKFILL_CC_PAGE_SIZE")))  # fmt: skip
    if WAYBACK in via:
        services.append(Wayback(settings.get("BAOTINH_WAYBACK_CDX_URL"),
                                settings.get("BAOTINH_WAYBACK_URL"), limits,
                                settings.getint("BAOTINH_BACKFILL_WAYBACK_LIMIT")))  # fmt: skip
    return services


@dataclass
class ServiceReport:
    queries: int = 0
    queries_done_before: int = 0
    pages: int = 0
    listed: int = 0
    fetched: int = 0
    rows: int = 0
    index_requests: int = 0
    fetches: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    dropped: str | None = None

    def line(self, name: str) -> str:
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())) or "none"
        failed = ", ".join(f"{k} {v}" for k, v in sorted(self.failed.items())) or "none"
        text = (
            f"{name}: {self.queries} queries ({self.queries_done_before} done before), "
            f"{self.pages} index pages, {self.listed} captures listed, {self.fetched} fetched, "
            f"{self.rows} rows; skipped: {skipped}; failed: {failed}; "
            f"{self.index_requests} index requests, {self.fetches} record requests"
        )
        if self.dropped:
            text += f"\n  DROPPED for the rest of this run: {self.dropped}"
        return text


@dataclass
class BackfillResult:
    source_id: str
    services: dict[str, ServiceReport] = field(default_factory=dict)
    merged: MergeResult = field(default_factory=MergeResult)
    unchanged_in_staging: int = 0
    lost: int = 0
    staged_in: Path | None = None

    @property
    def dropped(self) -> bool:
        return any(r.dropped for r in self.services.values())

    def __str__(self) -> str:
        lines = [f"backfill of {self.source_id}"]
        lines += [f"  {report.line(name)}" for name, report in self.services.items()]
        merged = self.merged
        lines.append(
            f"  dataset: {merged.stored} rows stored, "
            f"{merged.unchanged + self.unchanged_in_staging} unchanged, "
            f"{merged.quarantined} quarantined, {self.lost} lost; {merged.warc_files} WARC files"
        )
        if self.staged_in is not None:
            lines.append(f"  work left in {self.staged_in} (a crawl held the dataset): "
                         "`baotinh merge` or the next backfill adds it")  # fmt: skip
        return "\n".join(lines)


class Backfill:
    def __init__(
        self,
        source: Source,
        start: date,
        end: date,
        out: Path,
        services: list[Service],
        settings: Any,
    ) -> None:
        self.source = source
        self.start, self.end = start, end
        self.out = out
        self.services = services
        self.settings = settings
        self.hosts = sorted({host_key(d) for d in source.domains})
        self.processor = CaptureProcessor()
        self.result = BackfillResult(source.id)
        self.merge_interval = settings.getfloat("BAOTINH_BACKFILL_MERGE_INTERVAL")
        self._last_merge = time.monotonic()

    def run(self) -> BackfillResult:
        in_background = self.settings.getbool("BAOTINH_VALIDATE_IN_BACKGROUND", True)
        validator = BackgroundValidator() if in_background else BatchValidator()
        with StagingArea(self.out, f"backfill-{self.source.id}") as staging:
            writers = staging.start(
                validator,
                run_id=f"backfill-{default_run_id()}",
                batch_rows=self.settings.getint("BAOTINH_VALIDATE_BATCH", 1000),
                keep_warc=True,
                publish_after_s=max(self.merge_interval / 2, 1.0),
            )
            try:
                for service in self.services:
                    report = self.result.services.setdefault(service.name, ServiceReport())
                    try:
                        self._retry_failed(staging, writers, service, report)
                        for query in service.queries(self.hosts, self.start, self.end):
                            self._query(staging, writers, service, query, report)
                    except ServiceDropped as exc:
                        report.dropped = str(exc)
                        logger.error("%s", exc)
                    finally:
                        report.index_requests = service.http.index_requests
                        report.fetches = service.http.fetches
                merged = staging.merge(wait_s=self.settings.getfloat("BAOTINH_BACKFILL_MERGE_WAIT"))
                if merged is None:
                    self.result.staged_in = staging.root
                else:
                    self.result.merged.add(merged)
            finally:
                writers.close()
            self.result.lost = writers.sink.stats.lost
            self.result.unchanged_in_staging = writers.unchanged
            if self.result.staged_in is None and staging.is_empty():
                staging.remove()
        return self.result

    # -- index pages ---------------------------------------------------------------------------

    def _query(self, staging: StagingArea, writers: StagedWriters, service: Service,
               query: Any, report: ServiceReport) -> None:  # fmt: skip
        assert staging.ledger is not None and staging.main is not None
        report.queries += 1
        state = staging.ledger.backfill_query(service.name, query.key)
        state = state or staging.main.backfill_query(service.name, query.key)
        cursor, done = state or (None, False)
        if done:
            report.queries_done_before += 1
            return
        seen: set[tuple[str, str]] = set()
        while True:
            page = service.page(query, cursor)
            report.pages += 1
            report.listed += len(page.captures)
            handled = [
                outcome
                for capture in page.captures
                if (outcome := self._capture(staging, writers, service, capture, seen, report))
            ]
            self._commit(staging, writers, service, query.key, page.next_cursor, handled)
            faults.kill_point("backfill_page")
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def _commit(self, staging: StagingArea, writers: StagedWriters, service: Service, key: str,
                cursor: str | None, handled: list[tuple[Any, ...]]) -> None:  # fmt: skip
        """The page's rows published in staging, then its captures and cursor recorded."""
        self._record(staging, writers, service, handled, query=(key, cursor))
        if time.monotonic() - self._last_merge >= self.merge_interval:
            merged = staging.merge(wait_s=0)
            if merged is not None:
                self.result.merged.add(merged)
            self._last_merge = time.monotonic()

    def _retry_failed(self, staging: StagingArea, writers: StagedWriters, service: Service,
                      report: ServiceReport) -> None:  # fmt: skip
        """Captures an earlier run failed to fetch are tried first."""
        assert staging.ledger is not None and staging.main is not None
        failed = {**staging.main.backfill_failed(service.name, self.source.id),
                  **staging.ledger.backfill_failed(service.name, self.source.id)}  # fmt: skip
        if not failed:
            return
        handled = []
        for capture_key, url in failed.items():
            capture = service.capture_of(capture_key, url)
            report.listed += 1
            outcome = self._fetch(writers, service, capture, capture_key, report)
            handled.append(outcome)
        self._record(staging, writers, service, handled)

    def _record(self, staging: StagingArea, writers: StagedWriters, service: Service,
                handled: list[tuple[Any, ...]],
                query: tuple[str, str | None] | None = None) -> None:  # fmt: skip
        """The handled captures' rows published in staging, then their outcomes (and the
        query's cursor: done when None) in one ledger transaction."""
        assert staging.ledger is not None
        writers.checkpoint()
        with staging.ledger.transaction():
            for capture_key, url, outcome, reason, captured_at in handled:
                staging.ledger.set_backfill_capture(service.name, capture_key, url,
                                                    self.source.id, outcome, reason,
                                                    captured_at)  # fmt: skip
            if query is not None:
                key, cursor = query
                staging.ledger.set_backfill_query(service.name, key, cursor, cursor is None,
                                                  len(handled))  # fmt: skip

    # -- captures ------------------------------------------------------------------------------

    def _capture(self, staging: StagingArea, writers: StagedWriters, service: Service,
                 capture: CdxCapture, seen: set[tuple[str, str]],
                 report: ServiceReport) -> tuple[Any, ...] | None:  # fmt: skip
        """Fetch and extract one listed capture when the dataset needs it; what was done."""
        assert staging.ledger is not None and staging.main is not None
        why = self._not_needed(capture, seen)
        if why is not None:
            report.skipped[why] += 1
            return None
        key = service.capture_key(capture)
        if staging.ledger.backfill_capture_done(service.name, key) or (
            staging.main.backfill_capture_done(service.name, key)
        ):
            report.skipped["done_before"] += 1
            return None
        return self._fetch(writers, service, capture, key, report)

    def _not_needed(self, capture: CdxCapture, seen: set[tuple[str, str]]) -> str | None:
        owner = registry.source_for_url(capture.url)
        if owner is None or owner.id != self.source.id:
            return "other_source"
        if capture.status not in (None, "200"):
            return f"http_{capture.status}"
        if capture.mime and "html" not in capture.mime.lower():
            return "not_html"
        if not self.source.is_article_url(capture.url, capture.captured_at):
            return "not_article_url"
        if capture.digest:
            if (capture.url, capture.digest) in seen:
                return "same_payload"
            seen.add((capture.url, capture.digest))
        return None

    def _fetch(self, writers: StagedWriters, service: Service, capture: CdxCapture, key: str,
               report: ServiceReport) -> tuple[Any, ...]:  # fmt: skip
        try:
            fetched = service.fetch(capture)
        except ServiceError as exc:
            logger.warning("%s", exc)
            report.failed["fetch_error"] += 1
            return key, capture.url, FAILED, "fetch_error", capture.captured_at
        report.fetched += 1
        assert writers.warc is not None
        if fetched.member is not None:
            location = writers.warc.write_member(fetched.member)
        else:
            location = writers.warc.write_response(fetched.url, fetched.status, fetched.headers,
                                                   fetched.body, fetched.captured_at,
                                                   fetched.extra)  # fmt: skip
        kept = Capture(
            url=fetched.url,
            final_url=fetched.url,
            status=fetched.status,
            headers=fetched.headers,
            body=fetched.body,
            captured_at=fetched.captured_at,
            source=service.name,
            uri=fetched.uri,
            warc=location,
        )
        if fetched.status != 200:
            report.skipped[f"http_{fetched.status}"] += 1
            return key, capture.url, SKIPPED, f"http_{fetched.status}", fetched.captured_at
        outcome = self.processor.process(kept, self.source)
        if outcome.kind == "row" and outcome.row is not None:
            writers.sink.add(outcome.row, outcome.html)
            report.rows += 1
            return key, capture.url, ROW, None, fetched.captured_at
        bucket = report.failed if outcome.kind == FAILED else report.skipped
        bucket[outcome.reason or outcome.kind] += 1
        return key, capture.url, outcome.kind, outcome.reason, fetched.captured_at


def backfill(
    source_id: str,
    start: date,
    end: date,
    out: Path,
    *,
    via: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> BackfillResult:
    source = registry.get(source_id)
    settings = backfill_settings(out, overrides)
    services = make_services(settings, [VIA[v] for v in (via or list(VIA))])
    return Backfill(source, start, end, out, services, settings).run()
