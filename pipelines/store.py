"""Store: batch rows, validate each batch with great_expectations, hand rows to the stores.

Validation lives in this pipeline rather than in a pipeline of its own on purpose: Scrapy
calls the pipelines' ``close_spider`` in reverse order and in parallel, so a separate batching
validate pipeline could not reliably flush its last batch into the store before the store
closes. Owning the batch here makes "validate, then hand over" one step at every flush.
Valid rows go to ``run.store`` (Parquet), failed ones to ``run.quarantine`` with the names of
the expectations they failed and the raw page; no row is dropped.
"""

from __future__ import annotations

import logging
import zlib
from collections import deque
from concurrent.futures import Future
from typing import Any

from baotinh.schema import FIELDS
from baotinh.validation import BackgroundValidator, BatchResult, BatchValidator, fit_schema

logger = logging.getLogger(__name__)

DEFAULT_BATCH_ROWS = 1000
MAX_PENDING_BATCHES = 2  # batches under validation at once; more waits (bounded memory)
VALIDATION_ERROR = "validation:error"


def item_to_row(item: Any) -> dict[str, Any]:
    """A schema row from an item: every ARTICLE_SCHEMA column, transient fields dropped.

    ``discovered_url`` (the URL as discovered, before redirects) is passed on when the item
    has one: the stores report outcomes under it.
    """
    row = {f.name: item.get(f.name) for f in FIELDS}
    if item.get("discovered_url"):
        row["discovered_url"] = item.get("discovered_url")
    return row


def _pack(html: str | None) -> bytes | None:
    # A batch holds up to BAOTINH_VALIDATE_BATCH pages; compressing the raw HTML while it
    # waits (zlib level 1: fast, ~5x smaller) keeps that memory small. Only the pages of
    # failed rows are ever unpacked.
    return zlib.compress(html.encode("utf-8"), 1) if html is not None else None


def _unpack(packed: bytes | None) -> str | None:
    return zlib.decompress(packed).decode("utf-8") if packed is not None else None


class StorePipeline:
    def __init__(
        self, run: Any, validator: BatchValidator | BackgroundValidator, batch_rows: int
    ) -> None:
        if batch_rows < 1:
            raise ValueError(f"BAOTINH_VALIDATE_BATCH must be at least 1, not {batch_rows}")
        self.run = run
        self.validator = validator
        self.batch_rows = batch_rows
        self._rows: list[dict[str, Any]] = []
        self._raw: list[bytes | None] = []
        # Batches under validation, oldest first: handed to the stores in order when done.
        self._pending: deque[tuple[Future[BatchResult], list[dict[str, Any]], list[Any]]] = deque()

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        from baotinh.crawl.run import CrawlRun  # imported here: the run opens the dataset folder

        run = CrawlRun.for_crawler(crawler)
        batch_rows = crawler.settings.getint("BAOTINH_VALIDATE_BATCH", DEFAULT_BATCH_ROWS)
        in_background = crawler.settings.getbool("BAOTINH_VALIDATE_IN_BACKGROUND", True)
        validator_class = BackgroundValidator if in_background else BatchValidator
        return cls(run, validator_class(now=run.now), batch_rows)

    def process_item(self, item: Any) -> Any:
        self.run.report.item(item["source_id"])
        # In flight until its file is published; a crash leaves it fetchable (not archived).
        self.run.ledger.set_status(
            item.get("discovered_url") or item["url"],
            "pending",
            article_id=item["article_id"],
            content_sha256=item["content_sha256"],
            fetched_at=item.get("crawled_at"),
        )
        self._rows.append(item_to_row(item))
        self._raw.append(_pack(item.get("raw_html")))
        if len(self._rows) >= self.batch_rows:
            self.flush()
        self._hand_over(wait=False)
        return item

    def flush(self) -> None:
        """Send the buffered rows to validation (at most MAX_PENDING_BATCHES wait at once)."""
        rows, raw = self._rows, self._raw
        self._rows, self._raw = [], []
        if rows:
            self._pending.append((self.validator.submit(rows), rows, raw))
        while len(self._pending) > MAX_PENDING_BATCHES:
            self._hand_over_oldest()

    def _hand_over(self, wait: bool) -> None:
        while self._pending and (wait or self._pending[0][0].done()):
            self._hand_over_oldest()

    def _hand_over_oldest(self) -> None:
        """Wait for the oldest batch's validation and hand every one of its rows to a store."""
        future, rows, raw = self._pending.popleft()
        try:
            result = future.result()
        except Exception:
            # Validation itself broke (not the rows): keep every row, in quarantine, so
            # nothing is lost and nothing unchecked is published.
            logger.exception("validation of %d rows failed; quarantining them", len(rows))
            fitted = [fit_schema(row) for row in rows]
            result = BatchResult(
                [row for row, _ in fitted], [[VALIDATION_ERROR, *failed] for _, failed in fitted]
            )
        good, bad = result.good, result.bad
        if good:
            self.run.store.add(good)
        if bad:
            self.run.quarantine.add(
                [row for _, row, _ in bad],
                [failed for _, _, failed in bad],
                [_unpack(raw[i]) for i, _, _ in bad],
            )
        logger.debug("batch of %d rows: %d valid, %d quarantined", len(rows), len(good), len(bad))

    def close_spider(self) -> None:
        try:
            self.flush()
            self._hand_over(wait=True)
        finally:
            self.validator.close()
