"""The Scrapy item, derived from the Article schema."""

from __future__ import annotations

import scrapy

from baotinh.schema import FIELDS

# Carried through the pipelines but never stored in the articles table: the raw page (for
# the quarantine table and later re-extraction) and the HTTP facts of the capture.
TRANSIENT_FIELDS = ("raw_html", "discovered_lastmod", "discovered_url")

ArticleItem = type(
    "ArticleItem",
    (scrapy.Item,),
    {name: scrapy.Field() for name in [f.name for f in FIELDS] + list(TRANSIENT_FIELDS)},
)
ArticleItem.__doc__ = "One article capture; fields are baotinh.schema.FIELDS plus transients."
