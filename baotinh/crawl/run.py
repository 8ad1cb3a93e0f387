"""One crawl's state: the output folder, its writer lock, the ledger, the stores, the report.

Created once per Scrapy crawler (``CrawlRun.for_crawler``) and shared by the spider and the
pipelines, so ``scrapy crawl`` and ``baotinh crawl`` run exactly the same code. Closed on
``spider_closed``, which Scrapy sends after every pipeline's ``close_spider`` has returned.
"""

from __future__ import annotations

import contextlib
import logging
import re
import resource
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from baotinh.capture.warc import DEFAULT_MAX_BYTES, WarcWriter, recover_warc_files
from baotinh.crawl.report import RunReport
from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import Ledger, LockedError, WriterLock, held_lock
from baotinh.dataset.store import ParquetStore, QuarantineStore, default_run_id
from baotinh.rights.tombstones import TombstoneList

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

RUN_CLOSED = object()  # Scrapy signal: the run published its last files and wrote its report
LEDGER_STATUS = {"duplicates": "duplicate", "skipped": "skipped", "failed": "failed"}
# Spider close reasons of a run the operator stopped (its unfinished URLs are left, not lost).
STOPPED_REASONS = frozenset({"shutdown", "cancelled"})


def ledger_report(report: dict[str, Any]) -> dict[str, Any]:
    """The report as the ledger keeps it for ``status``: without the per-page details (a run
    every 15 minutes for years; the full report is in ``runs/<run id>.json``)."""
    sources = {
        source_id: {k: v for k, v in counts.items() if k != "discovery_pages"}
        for source_id, counts in report.get("sources", {}).items()
    }
    total = {k: v for k, v in report.get("total", {}).items() if k != "discovery_pages"}
    return {**report, "sources": sources, "total": total}


def prune_run_files(runs: Path, days: float, current: str) -> None:
    """Delete run reports and logs older than ``days`` (0 keeps them all): the ledger keeps
    every run's counts, and a folder polled every 15 minutes would gather 70,000 files a year."""
    if days <= 0 or not runs.is_dir():
        return
    cutoff = time.time() - days * 86400
    for path in runs.iterdir():
        if path.suffix in (".json", ".log") and not path.name.startswith(current):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def code_location() -> str:
    """Where the running baotinh was imported from (an egg under scrapyd, a checkout, a wheel)."""
    import baotinh

    return str(Path(baotinh.__file__).parent)


LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")


def parse_languages(text: str | list[str] | tuple[str, ...]) -> frozenset[str] | None:
    """``"de,en"`` -> {"de", "en"}; empty or ``all`` -> None (every language). ValueError for
    a code that is not a language tag."""
    items = text.split(",") if isinstance(text, str) else list(text)
    codes = {item.strip().lower() for item in items if item.strip()}
    if not codes or "all" in codes:
        return None
    for code in sorted(codes):
        if not LANGUAGE_CODE.match(code):
            raise ValueError(f"{code!r} is not a language code (such as de, en, ko)")
    return frozenset(codes)


def url_key(row: dict[str, Any]) -> str:
    """The URL the report and ledger know a row by: as discovered, before redirects."""
    return row.get("discovered_url") or row["url"]


class CrawlRun:
    def __init__(self, out: Path, settings: Any) -> None:
        self.out = out
        self.started_at = self.now()
        # `baotinh crawl` names the run before Scrapy starts (its log file carries the id).
        self.run_id = settings.get("BAOTINH_RUN_ID") or default_run_id()
        self.report = RunReport(self.run_id, self.started_at)
        since = settings.get("BAOTINH_SINCE") or ""
        self.since: date | None = date.fromisoformat(since) if since else None
        until = settings.get("BAOTINH_UNTIL") or ""
        self.until: date | None = date.fromisoformat(until) if until else None
        # The translations to fetch (language codes); None: every language a source serves.
        self.languages: frozenset[str] | None = parse_languages(
            settings.get("BAOTINH_LANGUAGES") or ""
        )
        self.max_articles: int = settings.getint("BAOTINH_MAX_ARTICLES")
        self.max_articles_per_source: int = settings.getint("BAOTINH_MAX_ARTICLES_PER_SOURCE")
        self.report_path: str = settings.get("BAOTINH_REPORT") or ""
        self.keep_run_files_days: float = settings.getfloat("BAOTINH_KEEP_RUN_FILES_DAYS", 60)
        # Scheduled runs poll only what is due; conditional requests can be turned off.
        self.due: bool = settings.getbool("BAOTINH_DUE")
        self.conditional: bool = settings.getbool("BAOTINH_CONDITIONAL", True)
        # Validators of fetched article pages, until their outcome is booked (bounded by the
        # rows in flight): they become the URL's validators only once the archive holds the
        # page they describe, so a 304 never stands for a row that was not published.
        self._validators: dict[str, tuple[str | None, str | None]] = {}
        # A fetched row reaches a published file within about this many seconds.
        self.publish_interval: float = settings.getfloat("BAOTINH_PUBLISH_INTERVAL", 60.0)
        self.validation_timeout: float = settings.getfloat("BAOTINH_VALIDATION_TIMEOUT", 300.0)
        out.mkdir(parents=True, exist_ok=True)
        # `baotinh crawl` takes the lock before Scrapy starts (a busy folder is one line, not a
        # crash); under `scrapy crawl` and scrapyd the run takes it here.
        self.lock = held_lock(out) or WriterLock(out).acquire()
        try:
            self.ledger = Ledger.open(out)  # repairs what an unclean stop left (under our lock)
            self.ledger.require_current_schema()
            if self.ledger.recovery.repaired:
                logger.warning("repaired after an unclean stop: %s", self.ledger.recovery)
            trimmed = recover_warc_files(out, self.ledger)
            if trimmed:
                logger.warning("trimmed the torn last record of %s", ", ".join(trimmed))
            # The takedown list: its URLs, articles and publishers are never fetched again.
            self.tombstones = TombstoneList.load(Layout(out).tombstones)
            self.warc: WarcWriter | None = None
            if settings.getbool("BAOTINH_WARC", True):
                self.warc = WarcWriter(
                    out,
                    self.ledger,
                    self.run_id,
                    max_bytes=settings.getint("BAOTINH_WARC_MAX_BYTES", DEFAULT_MAX_BYTES),
                )
            self.ledger.start_run(self.run_id, self.started_at)
            self.store = ParquetStore(
                out,
                self.ledger,
                target_bytes=settings.getint("BAOTINH_FILE_TARGET_BYTES"),
                max_open_writers=settings.getint("BAOTINH_MAX_OPEN_WRITERS"),
                buffer_rows=settings.getint("BAOTINH_BUFFER_ROWS"),
                publish_after_s=self.publish_interval / 2,
                run_id=self.run_id,
                on_publish=lambda rows: self._published(rows, "stored"),
                before_publish=self._sync_warc,
            )
            self.quarantine = QuarantineStore(
                out,
                self.ledger,
                publish_after_s=self.publish_interval / 2,
                run_id=self.run_id,
                on_publish=lambda rows: self._published(rows, "quarantined"),
                before_publish=self._sync_warc,
            )
        except BaseException:
            self.lock.release()
            raise
        self.closed = False
        self.signals: Any = None

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def wants_language(self, language: str, source_language: str) -> bool:
        """Whether this run fetches pages in ``language``: a source's own language always (its
        pages are the originals translations are found from), a translation when ``--language``
        names it or names none."""
        if language == source_language or self.languages is None:
            return True
        # "zh" asks for every Chinese edition (/zh-tw/ too).
        return language in self.languages or language.split("-")[0] in self.languages

    def _sync_warc(self) -> None:
        if self.warc is not None:
            self.warc.sync()

    def _published(self, rows: list[dict[str, Any]], bucket: str) -> None:
        for row in rows:
            key = url_key(row)
            self.report.outcome(row["source_id"], key, bucket)
            validators = self._validators.pop(key, None)
            if validators is not None and bucket == "stored":
                for url in dict.fromkeys((key, row["url"])):
                    self.ledger.set_validators(url, *validators)

    def capture_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """The ETag/Last-Modified of a fetched article page, kept until its outcome is booked."""
        if etag or last_modified:
            self._validators[url] = (etag, last_modified)

    def record(
        self,
        source_id: str,
        url: str,
        bucket: str,
        reason: str | None = None,
        *,
        fetched_at: datetime | None = None,
        article_id: str | None = None,
        content_sha256: str | None = None,
    ) -> None:
        """Book what became of a URL this run, in the report and the ledger together.

        ``stored``/``quarantined`` are booked by publication (``_published``), never here.
        ``lost`` URLs are reset to ``discovered``, so a failure of our own machinery never marks
        a URL done. A decision *not to fetch* (archived, left for later, not an article URL)
        changes nothing in the ledger: book it with :meth:`decided`.
        """
        if bucket in ("stored", "quarantined", "left"):
            raise ValueError(f"{bucket!r} is not the outcome of a fetch")
        self.report.outcome(source_id, url, bucket, reason)
        validators = self._validators.pop(url, None)
        if bucket == "lost":
            self.ledger.set_status(url, "discovered", f"lost:{reason}")
            return
        self.ledger.set_status(
            url,
            LEDGER_STATUS[bucket],
            reason,
            article_id=article_id,
            content_sha256=content_sha256,
            fetched_at=fetched_at,
        )
        if bucket in ("duplicates", "skipped") and validators is not None:
            # The page's text is the archived text (or the page is what was skipped): its
            # validators now stand for that outcome, which a later 304 confirms.
            self.ledger.set_validators(url, *validators)

    def decided(
        self, source_id: str, url: str, bucket: str, reason: str, *, reversible: bool = False
    ) -> None:
        """Book a URL this run decided not to fetch: ``skipped`` for what the ledger or the
        registry rules out (archived, gone, not an article URL), ``left`` for what a later run
        fetches (``LEFT_REASONS``). The ledger keeps the URL as it is. A ``reversible``
        decision (the ledger's, on a lastmod) may be reopened by a later sighting this run."""
        if bucket not in ("skipped", "left"):
            raise ValueError(f"a decision not to fetch is skipped or left, not {bucket!r}")
        self.report.decided(source_id, url, bucket, reason, reversible=reversible)

    def left_outside_range(
        self, source_id: str, url: str, reason: str, fetched_at: datetime | None
    ) -> None:
        """A page fetched and found outside a ``--since``/``--until`` range: left, in the
        report; in the ledger skipped with that reason, so no later run of other dates fetches
        it from the backlog only to leave it again, while any run that discovers it again (its
        sitemap, its feed) fetches it."""
        self.report.outcome(source_id, url, "left", reason)
        self.ledger.set_status(url, "skipped", reason, fetched_at=fetched_at)
        # Its validators would stand for that skip: a later run must ask for the page in full.
        self._validators.pop(url, None)
        self.ledger.set_validators(url, None, None)

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> CrawlRun:
        run = getattr(crawler, "_baotinh_run", None)
        if run is None:
            out = Path(crawler.settings.get("BAOTINH_OUT")).expanduser().resolve()
            try:
                run = cls(out, crawler.settings)
            except LockedError as exc:
                if crawler.settings.getbool("BAOTINH_DUE"):
                    # A scheduled job (scrapyd) on a folder another job holds: counted, and
                    # the crawl does not start.
                    with Ledger.open(out, recover=False) as ledger:
                        ledger.record_busy(cls.now(), exc.pid, "scrapy crawl (due)")
                raise
            run.signals = crawler.signals
            crawler._baotinh_run = run  # type: ignore[attr-defined]
            crawler.signals.connect(run.close, signal=signals.spider_closed)
        return run

    def close(self, reason: str = "finished") -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.store.close()
            self.quarantine.close()
            if self.warc is not None:
                self.warc.close()
            self.report.close(stopped=reason in STOPPED_REASONS)
            self.report.code = code_location()
            self.report.max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.ledger.finish_run(self.run_id, self.now(), ledger_report(self.report.to_dict()))
            self.report.write(Layout(self.out).runs / f"{self.run_id}.json")
            prune_run_files(Layout(self.out).runs, self.keep_run_files_days, self.run_id)
            if self.report_path:
                self.report.write(Path(self.report_path))
            total = self.report.total()
            logger.info(
                "run %s %s: discovered %d, stored %d, quarantined %d, duplicates %d, "
                "skipped %d, failed %d, left %d, lost %d",
                self.run_id,
                reason,
                total.discovered,
                total.stored,
                total.quarantined,
                total.duplicates,
                sum(total.skipped.values()),
                sum(total.failed.values()),
                sum(total.left.values()),
                sum(total.lost.values()),
            )
        finally:
            self.ledger.close()
            self.lock.release()
        if self.signals is not None:
            self.signals.send_catch_log(RUN_CLOSED, run=self)
