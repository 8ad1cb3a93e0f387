"""The Scrapy item, derived from the Article schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import scrapy

from baotinh.capture.record import Capture
from baotinh.schema import FIELDS

# Carried through the pipelines but never stored in the articles table: the raw page (for
# the quarantine table and later re-extraction) and the HTTP facts of the capture.
TRANSIENT_FIELDS = ("raw_html", "discovered_lastmod", "discovered_url", "legacy_article_id")

ArticleItem = type(
    "ArticleItem",
    (scrapy.Item,),
    {name: scrapy.Field() for name in [f.name for f in FIELDS] + list(TRANSIENT_FIELDS)},
)
ArticleItem.__doc__ = "One article capture; fields are baotinh.schema.FIELDS plus transients."


@dataclass
class CaptureItem:
    """What the spider hands the pipelines for an article URL: the capture and its context."""

    capture: Capture
    source_id: str
    key: str  # the URL as discovered (normalised): what the ledger and the report know it by
    lastmod: datetime | None = None  # what discovery said of the page's last change
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
