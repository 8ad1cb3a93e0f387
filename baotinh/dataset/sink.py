"""The row sink: rows in; validated in batches, deduplicated, handed to the article store or the
quarantine; nothing lost when a component fails.

Used by the crawl's store pipeline, ``baotinh reprocess`` and backfill alike.

- A batch keeps its rows until the stores hold them: a validation child that dies is replaced and
  the batch resubmitted; after ``RESUBMITS`` failures it is validated in this process; a child that
  answers nothing for ``validation_timeout_s`` is treated as dead. Only if validation cannot run at
  all are the rows reported lost (``on_lost``) — never quarantined: a failure of our own machinery
  says nothing about the page.
- Deduplication runs after validation, so a quarantined row never takes a version number and
  never becomes the article a copy is linked to (``duplicate_of`` points at stored rows only);
  then ``link`` (``baotinh.alignment.linker``) links a copy to its archived original.
- Time bounds publication: a partial batch is validated once its oldest row waited
  ``max_wait_s / 4``, and the stores publish files whose oldest row waited ``max_wait_s / 2``
  (``tick()`` is called every few seconds), so a fetched row reaches a published file within
  about ``max_wait_s``.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from baotinh import faults
from baotinh.dataset.dedupe import UNCHANGED, Deduplicator
from baotinh.dataset.store import ParquetStore, QuarantineStore
from baotinh.validation import BatchResult, BatchValidator, Validator

logger = logging.getLogger(__name__)

MAX_PENDING_BATCHES = 2  # batches under validation at once; more waits (bounded memory)
RESUBMITS = 2  # background attempts per batch before it is validated in this process
VALIDATION_ERROR = "validation_error"
STORE_ERROR = "store_error"


def _pack(html: str | None) -> bytes | None:
    # A batch holds up to batch_rows pages; compressing the raw HTML while it waits (zlib level
    # 1: fast, ~5x smaller) keeps that memory small. Only the pages of failed rows are unpacked.
    return zlib.compress(html.encode("utf-8"), 1) if html is not None else None


def _unpack(packed: bytes | None) -> str | None:
    return zlib.decompress(packed).decode("utf-8") if packed is not None else None


@dataclass
class _Batch:
    rows: list[dict[str, Any]]
    pages: list[bytes | None]
    future: Future[BatchResult] | None = None
    submitted: float = 0.0
    generation: int = 0  # which validator child it was sent to
    attempts: int = 0


@dataclass
class SinkStats:
    rows: int = 0
    stored: int = 0
    quarantined: int = 0
    unchanged: int = 0
    lost: int = 0
    resubmitted: int = 0
    validated_in_process: int = 0
    restarts: int = 0


class RowSink:
    def __init__(
        self,
        store: ParquetStore,
        quarantine: QuarantineStore,
        deduplicator: Deduplicator,
        validator: Validator,
        *,
        batch_rows: int = 1000,
        max_wait_s: float = 60.0,
        validation_timeout_s: float = 300.0,
        on_unchanged: Callable[[dict[str, Any]], None] = lambda row: None,
        on_lost: Callable[[list[dict[str, Any]], str], None] = lambda rows, why: None,
        link: Callable[[dict[str, Any]], None] | None = None,
        fallback: BatchValidator | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if batch_rows < 1:
            raise ValueError(f"batch_rows must be at least 1, not {batch_rows}")
        self.store = store
        self.quarantine = quarantine
        self.deduplicator = deduplicator
        self.validator = validator
        self.fallback = fallback or BatchValidator()
        self.batch_rows = batch_rows
        self.max_wait_s = max_wait_s
        self.validation_timeout_s = validation_timeout_s
        self.on_unchanged = on_unchanged
        self.on_lost = on_lost
        # Links a row about to be stored to what the archive holds (a copy to its original:
        # ``baotinh.alignment.linker``); it may set the row's link columns, nothing else.
        self.link = link
        self.clock = clock
        self.stats = SinkStats()
        self._buffer = _Batch([], [])
        self._buffered_since = 0.0
        self._pending: deque[_Batch] = deque()
        self._generation = 0

    # -- in ----------------------------------------------------------------------------------

    def add(self, row: dict[str, Any], html: str | None = None) -> None:
        if faults.fires("drop_row"):
            logger.error("fault drop_row: dropping %s", row.get("url"))
            return  # the bug the accounting must catch: a row that ends nowhere
        if not self._buffer.rows:
            self._buffered_since = self.clock()
        self._buffer.rows.append(row)
        self._buffer.pages.append(_pack(html))
        self.stats.rows += 1
        if len(self._buffer.rows) >= self.batch_rows:
            self._submit_buffer()
        self._hand_over(wait=False)

    def tick(self) -> None:
        """Time-driven work: validate a partial batch, hand over finished batches, notice a hung
        child, publish files whose rows waited long enough."""
        now = self.clock()
        if self._buffer.rows and now - self._buffered_since >= self.max_wait_s / 4:
            self._submit_buffer()
        self._hand_over(wait=False)
        if self._pending and now - self._pending[0].submitted > self.validation_timeout_s:
            oldest = self._pending[0]
            logger.error(
                "validation gave no answer for %.0f s: replacing the validation process",
                now - oldest.submitted,
            )
            if oldest.attempts >= RESUBMITS:
                self._hand_over_oldest()  # validated in this process: no endless replacing
            else:
                self._replace_validator()
        self.store.publish_due()
        self.quarantine.publish_due()

    def flush(self) -> None:
        """Validate and hand over every row added so far; the validator stays up."""
        self._submit_buffer()
        self._hand_over(wait=True)

    def close(self) -> None:
        """Validate and hand over everything (the stores are closed by their owner)."""
        try:
            self._submit_buffer()
            self._hand_over(wait=True)
        finally:
            self.validator.close()

    @property
    def in_flight(self) -> int:
        return len(self._buffer.rows) + sum(len(b.rows) for b in self._pending)

    # -- validation ---------------------------------------------------------------------------

    def _submit_buffer(self) -> None:
        batch, self._buffer = self._buffer, _Batch([], [])
        if batch.rows:
            self._submit(batch)
            self._pending.append(batch)
        while len(self._pending) > MAX_PENDING_BATCHES:
            self._hand_over_oldest()

    def _submit(self, batch: _Batch) -> None:
        batch.attempts += 1
        batch.submitted = self.clock()
        batch.generation = self._generation
        faults.kill_point("validation")  # rows fetched, in validation, nothing published
        try:
            batch.future = self.validator.submit(batch.rows)
        except Exception as exc:  # the pool refused the work outright (broken)
            failed: Future[BatchResult] = Future()
            failed.set_exception(exc)
            batch.future = failed

    def _replace_validator(self) -> None:
        self.validator.restart()
        self._generation += 1
        self.stats.restarts += 1
        for batch in self._pending:  # every batch in flight went down with the old child
            self._submit(batch)
            self.stats.resubmitted += 1

    def _hand_over(self, wait: bool) -> None:
        while self._pending and (wait or self._pending[0].future.done()):
            self._hand_over_oldest()

    def _result(self, batch: _Batch) -> BatchResult | None:
        """The batch's validation, retried on a dead or hung child; None if it cannot run."""
        while True:
            assert batch.future is not None
            try:
                left = self.validation_timeout_s - (self.clock() - batch.submitted)
                return batch.future.result(timeout=max(left, 0.0))
            except FutureTimeout:
                # The timeout counts from submission, so it includes a new child's GX import:
                # on a loaded machine a short timeout could replace child after child before
                # any answers. Bounded like a death: then validated in this process.
                logger.error("validation hung; replacing the validation process")
                if batch.attempts >= RESUBMITS:
                    break
                self._replace_validator()
            except Exception as exc:
                logger.error("validation failed (%s: %s)", type(exc).__name__, exc)
                if batch.attempts >= RESUBMITS:
                    break
                if batch.generation == self._generation:
                    self._replace_validator()  # resubmits this batch with the others
                else:
                    self._submit(batch)
        try:
            self.stats.validated_in_process += 1
            return self.fallback.validate(batch.rows)
        except Exception:
            logger.exception("validation cannot run; %d rows are not published", len(batch.rows))
            return None

    def _hand_over_oldest(self) -> None:
        batch = self._pending[0]
        result = self._result(batch)
        self._pending.popleft()
        if result is None:
            self._lose(batch.rows, VALIDATION_ERROR)
            return
        try:
            self._deliver(batch, result)
        except Exception:
            self._lose(batch.rows, STORE_ERROR)
            raise

    def _lose(self, rows: list[dict[str, Any]], why: str) -> None:
        self.stats.lost += len(rows)
        self.on_lost(rows, why)

    # -- out ----------------------------------------------------------------------------------

    def _deliver(self, batch: _Batch, result: BatchResult) -> None:
        good: list[dict[str, Any]] = []
        for row, failed in zip(result.rows, result.failures, strict=True):
            if failed:
                continue
            decision = self.deduplicator.decide(row)
            if decision.kind == UNCHANGED:
                self.stats.unchanged += 1
                self.on_unchanged(row)
                continue
            row["version"] = decision.version
            row["duplicate_of"] = decision.duplicate_of
            if self.link is not None:
                self.link(row)
            good.append(row)
        bad = result.bad
        if good:
            self.store.add(good)
            self.stats.stored += len(good)
        if bad:
            self.quarantine.add(
                [row for _, row, _ in bad],
                [failed for _, _, failed in bad],
                [_unpack(batch.pages[i]) for i, _, _ in bad],
            )
            self.stats.quarantined += len(bad)
        logger.debug(
            "batch of %d rows: %d to store, %d quarantined", len(batch.rows), len(good), len(bad)
        )
