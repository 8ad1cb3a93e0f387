"""Enrich pipeline: hashes, word count, source facts, partitions (rules in baotinh.enrich)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from baotinh import registry
from baotinh.enrich import enrich_fields


class EnrichPipeline:
    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now

    @classmethod
    def from_crawler(cls, crawler: Any) -> EnrichPipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        # An unknown source_id is a spider bug: registry.get raises with the known ids.
        enrich_fields(item, registry.get(item["source_id"]), self._now)
        return item
