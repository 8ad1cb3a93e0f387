"""Extract: a capture becomes a row through the core's one path (``baotinh.capture``).

The parser version valid at the capture time reads the page; the row is normalised and
enriched. Pages that are not articles (JS shells, bot walls, redirects home, ...) are booked
here with their reason and dropped; rows go on to the store pipeline.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from baotinh import registry
from baotinh.capture.process import CaptureProcessor
from baotinh.item import ArticleItem, CaptureItem


class ExtractPipeline:
    def __init__(self, run: Any) -> None:
        self.run = run
        self.processor = CaptureProcessor(since=run.since, until=run.until, now=run.now)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        from baotinh.crawl.run import CrawlRun  # imported here: the run opens the dataset folder

        return cls(CrawlRun.for_crawler(crawler))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, CaptureItem):
            return item
        capture = item.capture
        # An unknown source_id is a spider bug: registry.get raises with the known ids.
        source = registry.get(item.source_id)
        outcome = self.processor.process(
            capture, source, first_seen_at=item.first_seen_at, last_seen_at=item.last_seen_at
        )
        if outcome.kind == "row":
            assert outcome.row is not None
            return ArticleItem(
                **outcome.row,
                raw_html=outcome.html,
                discovered_url=item.key,
                discovered_lastmod=item.lastmod,
            )
        if outcome.kind == "left" and self.run.until is not None:
            # A range run: the page belongs to other dates (and to the runs that cover them).
            reason = outcome.reason or "until"
            self.run.left_outside_range(source.id, item.key, reason, capture.captured_at)
        elif outcome.kind == "left":  # published before --since: a per-run choice
            self.run.decided(source.id, item.key, "left", outcome.reason or "since")
        else:
            self.run.record(
                source.id, item.key, outcome.kind, outcome.reason, fetched_at=capture.captured_at
            )
        # DEBUG: skipped pages are routine and counted in the report, not warnings.
        raise DropItem(f"{outcome.kind} {outcome.reason}: {item.key}", log_level="DEBUG")
