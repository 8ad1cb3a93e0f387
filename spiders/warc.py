"""WARC capture as a downloader middleware: every response the crawl receives, with its request.

It sits outermost on the response path, so it sees each exchange as the site sent it: before
Scrapy's HttpCompressionMiddleware decodes the body, and every redirect hop on its own. Feeds,
sitemaps, robots.txt (fetched through the same chain), articles and error answers are all
written; the location of the response record goes on with the request (``warc_location``), so
an article row points at the record it was read from, and so does its time (``captured_at``):
a row's ``crawled_at`` is its record's WARC-Date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from baotinh.capture.warc import Exchange
from baotinh.crawl.run import CrawlRun

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response


def _pairs(headers: object) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()  # type: ignore[attr-defined]
        for value in values
    )


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("BAOTINH_WARC", True):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        run = CrawlRun.for_crawler(self.crawler)
        if run.warc is None:
            return response
        ip = response.ip_address
        captured_at = run.now()
        location = run.warc.write(
            Exchange(
                url=response.url,
                method=request.method,
                request_headers=_pairs(request.headers),
                status=response.status,
                response_headers=_pairs(response.headers),
                body=response.body,
                captured_at=captured_at,
                protocol=response.protocol or "HTTP/1.1",
                ip_address=str(ip) if ip is not None else None,
            )
        )
        request.meta["warc_location"] = location
        request.meta["captured_at"] = captured_at  # the row's crawled_at is the WARC-Date
        return response
