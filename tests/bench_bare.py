"""The benchmark's baseline: Scrapy's own SitemapSpider that only parses each article page.

It runs the same page parser as the archive (the baohatinh family parser, generic merge
included) and nothing else: no ledger, no pipelines, no validation, no storage. The ratio
of the two therefore prices the archive's machinery, not the extraction.

``python -m tests.bench_bare '<settings json>'`` prints ``{"pages": n, "seconds": s}``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.spiders import SitemapSpider

from baotinh.parsers.families import parser_for
from baotinh.registry import get


class BareSpider(SitemapSpider):
    name = "bare"
    sitemap_urls = ("https://baohatinh.vn/sitemap.xml",)
    sitemap_rules = ((r"-post\d+\.html$", "parse"),)

    parser = parser_for(get("baohatinh").family)

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        page = self.parser.parse(response.text, response.url)
        yield {"title": page.title, "body": page.body}


def main() -> None:
    process = CrawlerProcess(json.loads(sys.argv[1]))
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    pages = stats.get("item_scraped_count", 0)
    print(json.dumps({"pages": pages, "seconds": stats["elapsed_time_seconds"]}))


if __name__ == "__main__":
    main()
