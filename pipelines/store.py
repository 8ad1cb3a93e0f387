"""Store: rows go to the core's row sink (``baotinh.dataset.sink``): validated in batches by
great_expectations in a child process, deduplicated, then published to Parquet or quarantined.

The sink keeps a batch's rows until the stores hold them and replaces a dead or hung
validation child; a timer lets it validate partial batches and publish files on time, so a
fetched row reaches a published file within ``BAOTINH_PUBLISH_INTERVAL`` seconds.
Validation lives in this pipeline rather than one of its own on purpose: Scrapy calls the
pipelines' ``close_spider`` in reverse order and in parallel, so a separate batching pipeline
could not reliably flush its last batch into the store before the store closes.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.utils.asyncio import create_looping_call

from baotinh.alignment.linker import CopyLinker
from baotinh.crawl.run import url_key
from baotinh.dataset.dedupe import UNCHANGED, Deduplicator
from baotinh.dataset.sink import RowSink
from baotinh.schema import FIELDS
from baotinh.validation import BackgroundValidator, BatchValidator, Validator

logger = logging.getLogger(__name__)

DEFAULT_BATCH_ROWS = 1000
TICK_SECONDS = 2.0


def item_to_row(item: Any) -> dict[str, Any]:
    """A schema row from an item: every ARTICLE_SCHEMA column, transient fields dropped.

    ``discovered_url`` (the URL as discovered, before redirects) is passed on when the item
    has one: the stores report outcomes under it.
    """
    row = {f.name: item.get(f.name) for f in FIELDS}
    for transient in ("discovered_url", "legacy_article_id"):
        if item.get(transient):
            row[transient] = item.get(transient)
    return row


class StorePipeline:
    def __init__(self, run: Any, validator: Validator, batch_rows: int) -> None:
        self.run = run
        self.sink = RowSink(
            run.store,
            run.quarantine,
            Deduplicator(run.ledger.version_history, run.ledger.article_with_hash),
            validator,
            batch_rows=batch_rows,
            max_wait_s=run.publish_interval,
            validation_timeout_s=run.validation_timeout,
            on_unchanged=self._unchanged,
            on_lost=self._lost,
            link=CopyLinker(run.ledger, run.out).link,
        )
        self._timer: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        from baotinh.crawl.run import CrawlRun  # imported here: the run opens the dataset folder

        run = CrawlRun.for_crawler(crawler)
        batch_rows = crawler.settings.getint("BAOTINH_VALIDATE_BATCH", DEFAULT_BATCH_ROWS)
        if batch_rows < 1:
            raise ValueError(f"BAOTINH_VALIDATE_BATCH must be at least 1, not {batch_rows}")
        in_background = crawler.settings.getbool("BAOTINH_VALIDATE_IN_BACKGROUND", True)
        validator_class = BackgroundValidator if in_background else BatchValidator
        return cls(run, validator_class(now=run.now), batch_rows)

    def open_spider(self) -> None:
        self._timer = create_looping_call(self.sink.tick)
        self._timer.start(TICK_SECONDS, now=False)

    def process_item(self, item: Any) -> Any:
        self.run.report.item(item["source_id"])
        # In flight until its file is published; a crash leaves it fetchable (not archived).
        self.run.ledger.set_status(
            url_key(item),
            "pending",
            article_id=item["article_id"],
            content_sha256=item["content_sha256"],
            fetched_at=item.get("crawled_at"),
        )
        self.sink.add(item_to_row(item), item.get("raw_html"))
        return item

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.sink.close()

    def _unchanged(self, row: dict[str, Any]) -> None:
        self.run.record(
            row["source_id"],
            url_key(row),
            "duplicates",
            UNCHANGED,
            fetched_at=row.get("crawled_at"),
            article_id=row["article_id"],
            content_sha256=row["content_sha256"],
        )

    def _lost(self, rows: list[dict[str, Any]], why: str) -> None:
        logger.error("%d fetched rows could not be published (%s)", len(rows), why)
        for row in rows:
            self.run.record(row["source_id"], url_key(row), "lost", why)
