"""Replay: the crawl answered from archives (``baotinh crawl --replay WARC_OR_WACZ ...``).

A Scrapy download handler for http and https: everything above it (robots.txt, redirects,
decompression, retries, discovery, the pipelines) runs as in a live crawl, but each request is
answered from an index of the archives' response records and nothing reaches the network. A
URL the archives do not hold fails with ``not_in_archive`` (counted like any failure).

Why not scrapy-webarchive (the Scrapy extension for WACZ capture and replay): its releases pin
Scrapy < 2.12 and warcio 1.7.4, and this project runs Scrapy 2.19; its replay also matches
requests by exact URL only and reads WACZ alone.

The answer carries where it came from: ``warc_location`` (the response record holding the
payload, so rows point at the archive's record) and ``captured_at`` (its WARC-Date, so rows
keep the capture's time). The crawl's own WARC capture is off during a replay: the records
already exist.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from baotinh.capture.archive import ArchiveIndex

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

NOT_IN_ARCHIVE = "not_in_archive"


class NotInArchiveError(IgnoreRequest):
    """The archives replayed hold no capture of the URL (it is never fetched)."""

    failure_reason = NOT_IN_ARCHIVE


class ReplayDownloadHandler(BaseDownloadHandler):
    lazy = False  # index the archives at start, before the first request waits on it

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        paths = crawler.settings.getlist("BAOTINH_REPLAY")
        if not paths:
            raise NotConfigured("BAOTINH_REPLAY names no archive")
        root = Path(crawler.settings.get("BAOTINH_OUT")).expanduser().resolve()
        self.index = ArchiveIndex.of([Path(p) for p in paths], root)
        logger.info(
            "replay: %d records of %d URLs from %d WARC files",
            len(self.index),
            len(self.index.by_url),
            len(self.index.streams),
        )

    async def download_request(self, request: Request) -> Response:
        archived = self.index.lookup(request.url)
        if archived is None:
            raise NotInArchiveError(f"not in the archives replayed: {request.url}")
        request.meta["warc_location"] = archived.location
        request.meta["captured_at"] = archived.captured_at
        headers = Headers(list(archived.headers))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
        return cls(
            url=request.url,
            status=archived.status,
            headers=headers,
            body=archived.body,
            request=request,
            protocol=archived.protocol,
        )
