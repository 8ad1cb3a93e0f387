"""Normalize pipeline: NFC, whitespace, boilerplate, UTC (the rules live in baotinh.normalize)."""

from __future__ import annotations

from typing import Any

from baotinh.normalize import normalize_fields


class NormalizePipeline:
    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        normalize_fields(item)
        return item
