"""Discovery for vietnam.vn: which daily post sitemaps a run reads, what a news sitemap and
sitemap alternates give, and which decisions not to fetch a later sighting reopens."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from baotinh.crawl.report import RunReport
from baotinh.dates import VN_TZ
from spiders.archive import ArchiveSpider
from spiders.discovery import Candidate, parse_sitemap, sitemap_day

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>https://www.vietnam.vn/a-b-c</loc>
  <xhtml:link rel="alternate" hreflang="de" href="https://www.vietnam.vn/de/a-b-c"/>
  <xhtml:link rel="alternate" hreflang="en" href="/en/a-b-c"/>
  <news:news><news:publication><news:name>Vietnam.vn</news:name></news:publication>
  <news:publication_date>2025-12-12T08:00:00+07:00</news:publication_date></news:news></url>
<url><loc>https://www.vietnam.vn/d-e-f</loc><lastmod>2025-12-12T01:00:00.000Z</lastmod></url>
</urlset>"""


def test_vietnam_daily_sitemaps_are_named_by_their_day() -> None:
    base = "https://www.vietnam.vn/sitemap/sitemap-post/"
    assert sitemap_day(base + "2025-12-12.xml") == date(2025, 12, 12)
    assert sitemap_day(base + "2025-12-12.xml.gz") == date(2025, 12, 12)
    for other in ("https://www.vietnam.vn/sitemap-category.xml", base + "2025-13-40.xml",
                  "https://baohatinh.vn/sitemaps/news-2025-12.xml"):  # fmt: skip
        assert sitemap_day(other) is None, other


def _spider(since: date | None, until: date | None, today: date) -> SimpleNamespace:
    now = datetime(today.year, today.month, today.day, 10, tzinfo=VN_TZ)
    return SimpleNamespace(run=SimpleNamespace(since=since, until=until, now=lambda: now))


def test_vietnam_a_range_reads_its_days_and_one_either_side() -> None:
    wants = ArchiveSpider._wants_sitemap_day
    spider = _spider(date(2025, 12, 12), date(2025, 12, 14), date(2026, 11, 29))
    read = [d for d in range(8, 18) if wants(spider, date(2025, 12, d))]  # type: ignore[arg-type]
    assert read == [11, 12, 13, 14, 15]
    since_only = _spider(date(2025, 12, 12), None, date(2026, 11, 29))
    assert not wants(since_only, date(2025, 12, 10))  # type: ignore[arg-type]
    assert wants(since_only, date(2026, 11, 29))  # type: ignore[arg-type]
    incremental = _spider(None, None, date(2025, 12, 12))  # the news sitemap and recent days
    read = [d for d in range(8, 14) if wants(incremental, date(2025, 12, d))]  # type: ignore[arg-type]
    assert read == [10, 11, 12, 13]


def test_vietnam_news_sitemaps_give_publication_dates_and_alternates() -> None:
    page = parse_sitemap(NEWS, "https://www.vietnam.vn/news-sitemap.xml")
    first, second = page.urls
    assert first.published == datetime(2025, 12, 12, 8, tzinfo=VN_TZ)
    assert first.alternates == (
        "https://www.vietnam.vn/de/a-b-c",
        "https://www.vietnam.vn/en/a-b-c",
    )
    assert second.published is None and second.lastmod == datetime(2025, 12, 12, 1, tzinfo=UTC)


def test_vietnam_a_decision_not_to_fetch_can_be_reopened_once() -> None:
    report = RunReport("r")
    report.discovered("vietnamvn", "https://vietnam.vn/a-b")
    report.decided("vietnamvn", "https://vietnam.vn/a-b", "skipped", "archived", reversible=True)
    report.discovered("vietnamvn", "https://vietnam.vn/tag/x")
    report.decided("vietnamvn", "https://vietnam.vn/tag/x", "skipped", "not_article_url")
    assert not report.reopen("https://vietnam.vn/tag/x")  # only reversible decisions reopen
    assert report.sources["vietnamvn"].skipped == {"archived": 1, "not_article_url": 1}
    assert report.reopen("https://vietnam.vn/a-b")
    assert report.sources["vietnamvn"].skipped == {"not_article_url": 1}
    assert not report.reopen("https://vietnam.vn/a-b")  # nothing decided any more
    report.outcome("vietnamvn", "https://vietnam.vn/a-b", "stored")
    counts = report.sources["vietnamvn"]
    assert counts.discovered == counts.accounted() == 2
    assert not report.reopen("https://vietnam.vn/never-decided")
    assert Candidate("x").alternates == ()


def test_vietnam_languages_asked_for_by_their_primary_code() -> None:
    from baotinh.crawl.run import CrawlRun, parse_languages

    run = SimpleNamespace(languages=parse_languages("de, ZH"))
    wants = CrawlRun.wants_language
    assert wants(run, "vi", "vi") and wants(run, "de", "vi")  # type: ignore[arg-type]
    assert wants(run, "zh-tw", "vi") and not wants(run, "en", "vi")  # type: ignore[arg-type]
    assert parse_languages("") is None and parse_languages("all,de") is None
