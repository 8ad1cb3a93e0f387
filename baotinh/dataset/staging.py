"""Staging: long jobs write beside the dataset; a short locked step merges their work into it.

A backfill runs for days and a reprocess of a large archive for hours, while the scheduled
crawl holds the dataset folder's writer lock whenever it runs. Such a job therefore writes to
``<out>/staging/<job>/``, a dataset-shaped folder of its own (its ledger ``state.sqlite``, its
lock, ``articles/``, ``quarantine/``, ``warc/``), and holds only that folder's lock. Its rows are
validated and deduplicated as they arrive, against the dataset's ledger (opened read-only:
SQLite lets readers in while the crawl writes) and its own.

:meth:`StagingArea.merge` takes the dataset's lock for a short step (it waits, or gives up and
leaves the work staged, while a crawl runs):

1. the job's closed WARC files move into ``<out>/warc/`` under the same names and are listed in
   the dataset's ledger with their payload records (rows name them ``warc/<file>`` all along);
2. each staged Parquet file is deduplicated again against the dataset's ledger (the crawl may
   have stored versions meanwhile: version numbers and ``duplicate_of`` are decided here, by
   capture time as always), written under the same name in the dataset and published in its
   ledger (URLs, versions, files); quarantined rows move as they are;
3. the URLs the job found unchanged, and its resume state (backfill queries and captures), are
   added to the dataset's ledger without undoing what it knows.

Every step can be repeated: a merge killed midway is finished by the next one (a staged file
already in the dataset under its name is not written again, a moved WARC file is found where
it went). A staging folder left by a killed job is merged by ``baotinh merge DIR`` or by the
next run of the same job.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow.parquet as pq

from baotinh.dataset.dedupe import UNCHANGED, Deduplicator, VersionState
from baotinh.dataset.layout import ARTICLES, QUARANTINE, Layout
from baotinh.dataset.ledger import Ledger, LedgerVersionError, LockedError, WriterLock
from baotinh.dataset.sink import RowSink
from baotinh.dataset.store import ParquetStore, QuarantineStore, fsync_dir, publish_file
from baotinh.validation import Validator

logger = logging.getLogger(__name__)


class StagingError(RuntimeError):
    """A staging area cannot be merged as it is; the message says why."""


@dataclass
class MergeResult:
    warc_files: int = 0
    files: int = 0
    stored: int = 0
    unchanged: int = 0
    quarantined: int = 0

    def add(self, other: MergeResult) -> None:
        for name in ("warc_files", "files", "stored", "unchanged", "quarantined"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        return (
            f"merged {self.files} files: {self.stored} rows stored, {self.unchanged} unchanged, "
            f"{self.quarantined} quarantined; {self.warc_files} WARC files"
        )


@dataclass
class StagedWriters:
    """What a job writes with: the row sink over the staging stores (and its WARC writer)."""

    sink: RowSink
    store: ParquetStore
    quarantine: QuarantineStore
    warc: Any = None  # baotinh.capture.warc.WarcWriter, when the job keeps captures
    unchanged: int = 0
    closed: bool = field(default=False, repr=False)

    def checkpoint(self) -> None:
        """Everything added so far validated and published in the staging ledger, and every
        capture written so far on disk."""
        self.sink.flush()
        self.store.flush()
        self.quarantine.flush()
        if self.warc is not None:
            self.warc.sync()

    def rotate(self) -> None:
        """Close the WARC file being written so a merge can move it (the next capture opens a
        new one)."""
        if self.warc is not None:
            self.warc.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.sink.close()
        finally:
            self.store.close()
            self.quarantine.close()
            if self.warc is not None:
                self.warc.close()


class StagingArea:
    """One job's staging folder ``<out>/staging/<job>/`` (open with ``with`` or :meth:`open`)."""

    def __init__(self, dataset: str | os.PathLike[str], job: str) -> None:
        if not job or "/" in job or job.startswith("."):
            raise ValueError(f"bad staging job name {job!r}")
        self.dataset = Layout.of(dataset)
        self.job = job
        self.root = self.dataset.staging / job
        self.layout = Layout(self.root)
        self.lock = WriterLock(self.root)
        self.ledger: Ledger | None = None
        self.main: Ledger | None = None  # the dataset's ledger, read-only
        self.writers: StagedWriters | None = None

    # -- opening -----------------------------------------------------------------------------

    def open(self) -> StagingArea:
        """Take the job's lock (LockedError: the job runs elsewhere) and open both ledgers."""
        from baotinh.capture.warc import recover_warc_files

        self._ensure_dataset_ledger()
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock.acquire()
        try:
            self.ledger = Ledger.open(self.root)  # repairs what a killed job left
            self.ledger.require_current_schema()
            trimmed = recover_warc_files(self.root, self.ledger)
            if trimmed:
                logger.warning("staging %s: trimmed the torn tail of %s", self.job, trimmed)
            self.main = Ledger.open_readonly(self.dataset.root)
        except BaseException:
            self.close()
            raise
        return self

    def _ensure_dataset_ledger(self) -> None:
        """The dataset's ledger exists in this baotinh's version (created or upgraded once,
        under the dataset's lock, when it is not)."""
        try:
            with Ledger.open_readonly(self.dataset.root) as main:
                main.require_current_schema()
                if main.has_table("backfill_captures"):
                    return
        except (FileNotFoundError, LedgerVersionError):
            pass
        with WriterLock(self.dataset.root), Ledger.open(self.dataset.root) as ledger:
            ledger.require_current_schema()

    def __enter__(self) -> StagingArea:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.writers is not None:
            self.writers.close()
            self.writers = None
        for ledger in (self.ledger, self.main):
            if ledger is not None:
                ledger.close()
        self.ledger = self.main = None
        self.lock.release()

    # -- writing -----------------------------------------------------------------------------

    def history(self, article_id: str) -> list[VersionState]:
        assert self.main is not None and self.ledger is not None
        return [*self.main.version_history(article_id), *self.ledger.version_history(article_id)]

    def article_with_hash(self, digest: str) -> str | None:
        assert self.main is not None and self.ledger is not None
        return self.main.article_with_hash(digest) or self.ledger.article_with_hash(digest)

    def start(
        self,
        validator: Validator,
        *,
        run_id: str,
        batch_rows: int = 1000,
        keep_warc: bool = False,
        publish_after_s: float = 300.0,
        on_lost: Callable[[list[dict[str, Any]], str], None] = lambda rows, why: None,
        link: Callable[[dict[str, Any]], None] | None = None,
    ) -> StagedWriters:
        """The job's writers: rows in, validated and deduplicated, published in staging
        (``link``: the row sink's hook that links a copy to its archived original)."""
        from baotinh.capture.warc import WarcWriter

        assert self.ledger is not None
        warc = WarcWriter(self.root, self.ledger, run_id) if keep_warc else None
        before = warc.sync if warc is not None else None
        store = ParquetStore(self.root, self.ledger, run_id=run_id,
                             publish_after_s=publish_after_s, before_publish=before)  # fmt: skip
        quarantine = QuarantineStore(self.root, self.ledger, run_id=run_id,
                                     publish_after_s=publish_after_s,
                                     before_publish=before)  # fmt: skip
        writers: StagedWriters

        def unchanged(row: dict[str, Any]) -> None:
            writers.unchanged += 1
            assert self.ledger is not None
            self.ledger.set_status(row["url"], "duplicate", UNCHANGED,
                                   article_id=row["article_id"],
                                   content_sha256=row["content_sha256"],
                                   fetched_at=row["crawled_at"])  # fmt: skip

        sink = RowSink(
            store,
            quarantine,
            Deduplicator(self.history, self.article_with_hash),
            validator,
            batch_rows=batch_rows,
            max_wait_s=publish_after_s,
            on_unchanged=unchanged,
            on_lost=on_lost,
            link=link,
        )
        writers = StagedWriters(sink, store, quarantine, warc)
        self.writers = writers
        return writers

    # -- merging -----------------------------------------------------------------------------

    def merge(self, *, wait_s: float = 0.0, poll_s: float = 2.0) -> MergeResult | None:
        """Merge what is staged into the dataset under its lock; None when a crawl held the
        lock for all of ``wait_s`` seconds (the work stays staged)."""
        assert self.ledger is not None
        if self.writers is not None:
            self.writers.checkpoint()
            self.writers.rotate()
        try:
            lock = WriterLock(self.dataset.root).acquire(wait_s, poll_s)
        except LockedError:
            return None
        try:
            with Ledger.open(self.dataset.root) as main:
                main.require_current_schema()
                return self._merge_into(main)
        finally:
            lock.release()

    def _merge_into(self, main: Ledger) -> MergeResult:
        assert self.ledger is not None
        staged, result = self.ledger, MergeResult()
        # 1. WARC files first: rows published below point into them.
        for row in staged.warc_file_rows(closed_only=True):
            rel = row["path"]
            source, target = self.root / rel, self.dataset.root / rel
            if source.exists():
                if target.exists():
                    raise StagingError(f"{target} exists; {source} would replace it")
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(source, target)
                fsync_dir(target.parent)
            if target.exists():
                main.import_warc_file(row, staged.warc_payload_rows(rel))
                result.warc_files += 1
            staged.forget_warc_file(rel)
        # 2. Staged files, deduplicated against the dataset, under their own names.
        for table in (ARTICLES, QUARANTINE):
            for rel in staged.published_files(table):
                source, target = self.root / rel, self.dataset.root / rel
                if source.exists() and not target.exists():
                    rows = pq.read_table(source, partitioning=None).to_pylist()
                    if table == ARTICLES:
                        rows = self._decide(main, rows, result)
                        result.stored += len(rows)
                    else:
                        result.quarantined += len(rows)
                    if rows:
                        publish_file(main, table, target, rows)
                        result.files += 1
                source.unlink(missing_ok=True)
                staged.forget_file(rel)
        # 3. What the job found unchanged, and where it stands.
        for url, source_id, _, reason, article_id, digest, fetched_at in staged.urls_with_status(
            "duplicate"
        ):
            main.merge_url(url, source_id, "duplicate", reason, article_id, digest, fetched_at)
        main.import_backfill_rows(*staged.backfill_rows())
        staged.clear_backfill_rows()
        staged.prune_merged()
        logger.info("staging %s: %s", self.job, result)
        return result

    @staticmethod
    def _decide(main: Ledger, rows: list[dict[str, Any]], result: MergeResult) -> list[dict]:
        """The rows of one staged file that are news to the dataset, with their versions."""
        deduplicator = Deduplicator(main.version_history, main.article_with_hash)
        kept = []
        for row in rows:
            decision = deduplicator.decide(row)
            if decision.kind == UNCHANGED:
                result.unchanged += 1
                main.merge_url(row["url"], row["source_id"], "duplicate", UNCHANGED,
                               row["article_id"], row["content_sha256"],
                               row["crawled_at"])  # fmt: skip
                continue
            row["version"] = decision.version
            row["duplicate_of"] = decision.duplicate_of
            kept.append(row)
        return kept

    def is_empty(self) -> bool:
        """Nothing staged is left (every file and WARC file merged)."""
        assert self.ledger is not None
        return not (
            self.ledger.published_files(ARTICLES)
            or self.ledger.published_files(QUARANTINE)
            or self.ledger.warc_file_rows(closed_only=False)
        )

    def remove(self) -> None:
        """Delete the folder once merged (its resume state is in the dataset's ledger now)."""
        if self.ledger is not None and not self.is_empty():
            raise StagingError(f"{self.root} still holds staged work; merge it first")
        self.close()
        shutil.rmtree(self.root, ignore_errors=True)


def staged_jobs(dataset: str | os.PathLike[str]) -> list[str]:
    root = Layout.of(dataset).staging
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


@dataclass
class MergeAllResult:
    merged: MergeResult = field(default_factory=MergeResult)
    jobs: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        running = f"; still running: {', '.join(self.running)}" if self.running else ""
        return f"{len(self.jobs)} staged jobs {self.merged}{running}"


def merge_staged(dataset: str | os.PathLike[str], *, wait_s: float = 0.0) -> MergeAllResult:
    """``baotinh merge DIR``: merge every staging folder no job holds, then remove it."""
    result = MergeAllResult()
    for job in staged_jobs(dataset):
        area = StagingArea(dataset, job)
        try:
            area.open()
        except LockedError:
            result.running.append(job)
            continue
        try:
            merged = area.merge(wait_s=wait_s)
            if merged is None:
                raise LockedError(f"the dataset {area.dataset.root} stayed locked by a crawl")
            result.merged.add(merged)
            result.jobs.append(job)
            if area.is_empty():
                area.remove()
        finally:
            area.close()
    return result
