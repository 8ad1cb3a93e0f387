"""Discovery on real feeds and listing pages (../shared/corpora) and on sitemap XML."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from baotinh import registry
from baotinh.registry import RegistryError
from spiders import discovery
from spiders.archive import (
    download_slots,
    failure_reason,
    next_page,
    page_number,
    select_sources,
)

PLUS7 = timezone(timedelta(hours=7))


def _html(path: Path, url: str) -> HtmlResponse:
    return HtmlResponse(url, body=path.read_bytes(), encoding="utf-8")


def test_sggp_rss_items_links_and_dates(corpora: Path) -> None:
    feed = corpora / "vietnamese" / "sggp.org.vn_rss_kinh-te-89_trimmed.xml"
    items = discovery.parse_feed(feed.read_bytes(), "https://www.sggp.org.vn/rss/kinh-te-89.rss")
    assert [c.url for c in items] == [
        "https://www.sggp.org.vn/mua-lon-nhieu-tuyen-duong-tphcm-ngap-nang-post873017.html",
        "https://www.sggp.org.vn/khoi-ngoai-dao-chieu-ban-rong-vn-index-van-tru-tren-1800-diem-post873033.html",
    ]
    first = items[0]
    # pubDate "Wed, 23 Sep 2026 17:02:29 +07:00"; <updated> 18:49:12 is the lastmod.
    assert first.published == datetime(2026, 9, 23, 17, 2, 29, tzinfo=PLUS7)
    assert first.published.utcoffset() == timedelta(hours=7)
    assert first.lastmod == datetime(2026, 9, 23, 18, 49, 12, tzinfo=PLUS7)
    assert discovery.latest(first) == first.lastmod
    # The related links inside <description> are not items.
    assert not any("post872906" in c.url for c in items)


def test_sggp_items_match_a_family_b_article_pattern(corpora: Path) -> None:
    sggp = replace(registry.get("baohatinh"), id="sggp", domains=("sggp.org.vn",))
    feed = corpora / "vietnamese" / "sggp.org.vn_rss_kinh-te-89_trimmed.xml"
    items = discovery.parse_feed(feed.read_bytes(), "https://www.sggp.org.vn/rss/kinh-te-89.rss")
    assert all(sggp.is_article_url(c.url) for c in items)
    assert not registry.get("baohatinh").is_article_url(items[0].url)  # another publisher


def test_atom_feed_alternate_link_and_dates() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
      <entry><title>A</title>
        <link rel="self" href="https://baohatinh.vn/self-post1.html"/>
        <link rel="alternate" href="/tin-a-post101.html"/>
        <id>tag:baohatinh.vn,2025:101</id>
        <published>2025-08-30T08:15:00+07:00</published>
        <updated>2025-08-30T09:00:00Z</updated></entry>
      <entry><title>B</title><id>https://baohatinh.vn/tin-b-post102.html</id></entry>
    </feed>"""
    items = discovery.parse_feed(atom, "https://baohatinh.vn/feed")
    assert [c.url for c in items] == [
        "https://baohatinh.vn/tin-a-post101.html",
        "https://baohatinh.vn/tin-b-post102.html",
    ]
    assert items[0].published == datetime(2025, 8, 30, 1, 15, tzinfo=UTC)
    assert items[0].lastmod == datetime(2025, 8, 30, 9, 0, tzinfo=UTC)
    assert items[1].lastmod is None and discovery.latest(items[1]) is None


def test_rss_guid_used_when_link_missing() -> None:
    rss = b"""<rss version="2.0"><channel>
      <item><guid>https://baocantho.com.vn/tin-a123.html</guid></item>
      <item><guid isPermaLink="false">internal-42</guid></item>
    </channel></rss>"""
    items = discovery.parse_feed(rss, "https://baocantho.com.vn/rss/home.rss")
    assert [c.url for c in items] == ["https://baocantho.com.vn/tin-a123.html"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Not found</body></html>", "root element <html> is not"),
        (b"", "not XML"),
    ],
)
def test_bad_feed_is_one_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(discovery.DiscoveryError, match=message) as info:
        discovery.parse_feed(body, "https://baohatinh.vn/rss")
    assert "https://baohatinh.vn/rss" in str(info.value)


def test_baohatinh_homepage_box_article_links(corpora: Path) -> None:
    box = corpora / "vietnamese" / "baohatinh.vn_homepage-box_2025-08_fragment.html"
    links = discovery.listing_links(_html(box, "https://baohatinh.vn/"), registry.get("baohatinh"))
    assert len(links.articles) == 5  # five teasers, each linked twice (image + title)
    assert all(
        u.startswith("https://baohatinh.vn/") and u.endswith(".html") for u in links.articles
    )
    assert "https://baohatinh.vn/miet-mai-gop-nhat-ky-uc-ong-cha-post294533.html" in links.articles
    assert not any("/ve-ha-tinh/" in u for u in links.articles)  # sections are navigation
    assert links.pagination == []


def test_baoquangninh_2018_homepage_family_a_links(corpora: Path) -> None:
    page = corpora / "vietnamese" / "baoquangninh.com.vn_homepage_2018-03.html"
    # Báo Quảng Ninh is family A like baokhanhhoa: reuse that entry's article pattern.
    quangninh = replace(
        registry.get("baokhanhhoa"), id="baoquangninh", domains=("baoquangninh.com.vn",)
    )
    links = discovery.listing_links(_html(page, "http://baoquangninh.com.vn/"), quangninh)
    assert len(links.articles) >= 50
    assert (
        "http://baoquangninh.com.vn/kinh-te/201803/chim-phuong-hoang-tren-dinh-doi-bai-chay-2378147/"
        in links.articles
    )
    assert "http://baoquangninh.com.vn/kinh-te/" not in links.articles
    assert not any(u.endswith((".css", ".rss")) for u in links.articles)
    assert all("/201803/" in u for u in links.articles)


def test_pagination_links_and_next_page() -> None:
    html = b"""<html><body>
      <a href="/thoi-su/dbscl/tin-moi-a1001.html">A</a>
      <a href="/thoi-su/dbscl/page-2.html">2</a><a href="/thoi-su/dbscl/page-3.html">3</a>
      <a href="/thoi-su/dbscl/page-40.html">last</a><a href="/thoi-su/">section</a>
      <a href="https://other.example/x-a99.html">elsewhere</a></body></html>"""
    url = "https://baocantho.com.vn/thoi-su/dbscl/"
    links = discovery.listing_links(
        HtmlResponse(url, body=html, encoding="utf-8"), registry.get("baocantho")
    )
    assert links.articles == ["https://baocantho.com.vn/thoi-su/dbscl/tin-moi-a1001.html"]
    assert len(links.pagination) == 3
    assert next_page(links.pagination, 1) == (
        "https://baocantho.com.vn/thoi-su/dbscl/page-2.html",
        2,
    )
    assert next_page(links.pagination, 3)[1] == 40
    assert next_page(links.pagination, 40) is None
    assert page_number("https://baohatinh.vn/ve-ha-tinh/?page=7") == 7


SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://baohatinh.vn/sitemaps/2025-08.xml</loc>
    <lastmod>2025-08-31T23:00:00+07:00</lastmod></sitemap>
  <sitemap><loc>/sitemaps/2019-01.xml.gz</loc></sitemap>
</sitemapindex>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://baohatinh.vn/tin-a-post294533.html</loc><lastmod>2025-08-30</lastmod></url>
  <url><loc>https://baohatinh.vn/ve-ha-tinh/</loc></url>
</urlset>"""


def test_sitemap_index_children_with_lastmod() -> None:
    page = discovery.parse_sitemap(SITEMAP_INDEX, "https://baohatinh.vn/sitemap.xml")
    assert page.kind == "sitemapindex" and page.urls == []
    assert [c.url for c in page.sitemaps] == [
        "https://baohatinh.vn/sitemaps/2025-08.xml",
        "https://baohatinh.vn/sitemaps/2019-01.xml.gz",
    ]
    assert page.sitemaps[0].lastmod == datetime(2025, 8, 31, 16, 0, tzinfo=UTC)
    assert page.sitemaps[1].lastmod is None


def test_urlset_gzip_with_day_lastmod() -> None:
    page = discovery.parse_sitemap(gzip.compress(URLSET), "https://baohatinh.vn/s.xml.gz")
    assert page.kind == "urlset"
    first, second = page.urls
    assert first.url == "https://baohatinh.vn/tin-a-post294533.html"
    assert first.lastmod == datetime(2025, 8, 30, tzinfo=PLUS7)  # a bare date is local
    assert second.lastmod is None
    source = registry.get("baohatinh")
    assert [source.is_article_url(c.url) for c in page.urls] == [True, False]


def test_sitemap_that_is_html_is_one_clear_error() -> None:
    with pytest.raises(discovery.DiscoveryError, match=r"sitemap https://x\.vn/s\.xml: root"):
        discovery.parse_sitemap(b"<html><body>404</body></html>", "https://x.vn/s.xml")


def test_sitemaps_from_robots() -> None:
    robots = (
        b"User-agent: *\nDisallow: /admin\nCrawl-delay: 5\n"
        b"Sitemap: https://baohatinh.vn/sitemap.xml\nsitemap: /news-sitemap.xml\n"
        b"Sitemap: https://baohatinh.vn/sitemap.xml\n"
    )
    assert discovery.sitemaps_from_robots(robots, "https://baohatinh.vn/robots.txt") == [
        "https://baohatinh.vn/sitemap.xml",
        "https://baohatinh.vn/news-sitemap.xml",
    ]


def test_select_sources() -> None:
    assert [s.id for s in select_sources("baohatinh, baocantho")] == ["baohatinh", "baocantho"]
    assert {s.id for s in select_sources(None)} == {
        s.id for s in registry.sources().values() if s.active
    }
    with pytest.raises(RegistryError, match="unknown source 'nope'"):
        select_sources("baohatinh,nope")
    assert [s.id for s in select_sources("", only="baocantho")] == ["baocantho"]
    with pytest.raises(RegistryError, match="crawls only source 'baocantho'"):
        select_sources("baohatinh", only="baocantho")


def test_download_slots_from_registry_overrides() -> None:
    polite = replace(registry.get("baohatinh"), download_delay=4.0, concurrency=1)
    plain = registry.get("baocantho")
    assert download_slots([polite, plain]) == {"baohatinh": {"delay": 4.0, "concurrency": 1}}


def test_failure_reasons() -> None:
    from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError, IgnoreRequest
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import ConnectionRefusedError

    assert failure_reason(HttpError(Response("https://x.vn/", status=404))) == "http_404"
    assert failure_reason(CannotResolveHostError()) == "dns"
    assert failure_reason(DownloadTimeoutError()) == "timeout"
    assert failure_reason(ConnectionRefusedError()) == "connection"
    assert failure_reason(IgnoreRequest("max redirections reached")) == "redirect_loop"


def test_menu_links_are_the_sections_of_a_homepage_without_known_listings():
    from scrapy.http import HtmlResponse

    from baotinh import registry
    from spiders.discovery import menu_links

    generic = next(s for s in registry.sources().values() if s.follow_menus)
    home = generic.home.rstrip("/")
    html = """<html><body>
      <header><nav><ul class="main-menu">
        <li><a href="/">Trang chủ</a></li>
        <li><a href="/thoi-su/">Thời sự</a></li>
        <li><a href="/kinh-te">Kinh tế</a></li>
        <li><a href="/xa-hoi/giao-duc/">Giáo dục</a></li>
        <li><a href="/tag/bao-lu">Bão lũ</a></li>
        <li><a href="https://facebook.com/page">Facebook</a></li>
        <li><a href="/files/bao-in.pdf">Báo in</a></li>
      </ul></nav></header>
      <main><a href="/thoi-su/tinh-uy-hop-phien-thuong-ky-thang-muoi-hai.html">Tin</a>
      <a href="/van-hoa/">Văn hóa (not in a menu)</a></main>
      <div id="footer-menu"><a href="/lien-he">Liên hệ</a></div>
    </body></html>"""
    response = HtmlResponse(url=generic.home, body=html.encode(), encoding="utf-8")
    assert menu_links(response, generic) == [
        f"{home}/thoi-su/",
        f"{home}/kinh-te",
        f"{home}/xa-hoi/giao-duc/",
        f"{home}/lien-he",
    ]


def test_a_failed_probe_is_reported_apart_from_the_sources_failures(tmp_path):
    import json
    import shutil

    from baotinh import registry
    from tests.fixtureweb.process import FixtureWebProcess
    from tests.fixtureweb.server import SITES_DIR
    from tests.test_crawl_e2e import FAST, crawl_env, run_cli

    source = registry.get("baocantho")
    (probe,) = source.probes  # a feed known only from the unverified generated list
    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR, sites)
    (sites / "baocantho.com.vn" / probe.split("baocantho.com.vn/")[1]).unlink()
    with FixtureWebProcess(sites=sites) as web:
        report = tmp_path / "r.json"
        done = run_cli(["crawl", "--source", "baocantho", "--out", str(tmp_path / "out"),
                        "--report", str(report), *FAST], crawl_env(web))  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(report.read_text())["sources"]["baocantho"]
    assert counts["probes_failed"] == {"http_404": 1}
    assert counts["discovery_errors"] == {}
    assert counts["discovery_pages"][probe] == "probe failed: http_404"
    assert counts["stored"] > 0
