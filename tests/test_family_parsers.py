"""Family parsers on the fixture web's pages (the three crawled sites) and on real corpora markup.

Each family version's own fixtures are walked by ``test_family_fixtures.py``."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from parsel import Selector

from baotinh import registry
from baotinh.dates import parse_date
from baotinh.parsers.families import parser_for
from baotinh.parsers.families.bgrid import BGrid2019, BGrid2022
from baotinh.parsers.families.content_fck import ContentFck2019, ContentFck2024
from baotinh.parsers.families.htm_numeric import Htm2019, Htm2024
from baotinh.parsers.families.numeric_html import NumericHtml2019, NumericHtml2022
from baotinh.parsers.families.vsolutions import VSolutions2019, VSolutions2023
from baotinh.parsers.families.zce import Dcms2019, Zce2023
from tests.fixtureweb.server import SITES_DIR, file_for

EXPECTED = json.loads((Path(__file__).parent / "fixtureweb/expected.json").read_text("utf-8"))
CORPORA = Path(__file__).resolve().parents[2] / "shared/corpora/vietnamese"
PARSED_ROWS = [
    row
    for row in EXPECTED["articles"]
    if row["outcome"] in ("stored", "quarantined", "skipped:js_only", "skipped:bot_wall")
]


def _page_file(url: str) -> Path:
    parts = urlsplit(url)
    path = file_for(SITES_DIR, parts.hostname or "", parts.path, parts.query)
    assert path is not None, f"no fixture file for {url}"
    return path


def _parse(row: dict):
    url = row.get("final_url", row["url"])
    family = registry.get(row["source_id"]).family
    return parser_for(family).parse(_page_file(url).read_text("utf-8"), url)


@pytest.mark.parametrize("row", PARSED_ROWS, ids=lambda r: urlsplit(r["url"]).path[-24:])
def test_fixture_article_parses_to_expected_fields(row: dict) -> None:
    page = _parse(row)
    reason = row["outcome"].removeprefix("skipped:")
    if reason in ("js_only", "bot_wall"):
        assert page.skip_reason == reason
        assert page.paragraphs == []
        return
    assert page.skip_reason is None
    assert page.title == row["title"]
    assert page.authors == row["authors"]
    assert page.published_at is not None
    assert page.published_at.isoformat() == row["published_at"]
    assert page.content_type == row["content_type"]
    assert page.paragraphs, "body paragraphs from the family body container"
    for furniture in ("Tin liên quan", "Chia sẻ", "Xem thêm tin", "Tin cũ", "Facebook"):
        assert furniture not in page.body
    if page.title:
        assert "Báo" not in page.title  # the headline, never og:title/<title> with the suffix


def test_family_b_article_fields() -> None:
    page = Zce2023().parse(
        _page_file(
            "https://baohatinh.vn/nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html"
        ).read_text("utf-8"),
        "https://baohatinh.vn/nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html",
    )
    assert page.sapo and page.sapo.startswith("Những ngày giữa tháng 12")
    assert len(page.paragraphs) == 3
    assert page.paragraphs[0].startswith("Tại xã Sơn Kim 1")
    assert "Nông dân xã Sơn Kim 1 thu hoạch cam bù." not in page.body  # caption is not body
    assert page.published_precision == "minute"
    assert page.category == "Nông nghiệp"
    assert page.tags == ["cam bù", "Hương Sơn", "nông sản"]
    assert [(i.url, i.caption) for i in page.images] == [
        (
            "https://baohatinh.vn/images/cam-bu-huong-son.jpg",
            "Nông dân xã Sơn Kim 1 thu hoạch cam bù.",
        )
    ]
    assert page.extractor == "family_b@2023"


def test_family_a_byline_last_line_removed_and_nfd_page_read_as_nfc() -> None:
    url = (
        "https://baokhanhhoa.vn/xa-hoi/202512/nha-trang-ra-quan-don-rac-bo-bien-sau-mua-lu-a1b2c3d/"
    )
    page = VSolutions2023().parse(_page_file(url).read_text("utf-8"), url)
    assert page.authors == ["Hải Lăng"]
    assert not any("Hải Lăng" in p for p in page.paragraphs)
    assert page.sapo and page.sapo.startswith("Hàng trăm đoàn viên")
    nfd_url = (
        "https://baokhanhhoa.vn/du-lich/202512/vinh-nha-trang-don-tau-du-lich-quoc-te-b4c5d6e/"
    )
    raw = _page_file(nfd_url).read_text("utf-8")
    assert "Vịnh Nha Trang" not in raw  # the file really is NFD
    page = VSolutions2023().parse(raw, nfd_url)
    assert page.title == "Vịnh Nha Trang đón tàu du lịch quốc tế đầu mùa"


def test_family_c_photo_and_captions_from_tables() -> None:
    url = "https://baocantho.com.vn/cho-noi-cai-rang-don-khach-dip-cuoi-nam-a190002.html"
    page = ContentFck2024().parse(_page_file(url).read_text("utf-8"), url)
    assert page.images[0].caption == "Ghe hàng trên chợ nổi Cái Răng."
    assert page.category == "ĐBSCL"
    assert page.canonical_url == url


def test_homepage_canonical_is_reported_raw_and_not_trusted_by_the_source() -> None:
    url = "https://baohatinh.vn/hoi-cho-nong-san-an-toan-2025-post300108.html"
    page = Zce2023().parse(_page_file(url).read_text("utf-8"), url)
    assert page.canonical_url == "https://baohatinh.vn/"
    assert not registry.get("baohatinh").trusts_canonical(page.canonical_url)


@pytest.mark.parametrize(
    ("family", "captured_at", "expected"),
    [
        ("A", date(2020, 5, 1), VSolutions2019),
        ("A", datetime(2023, 1, 1, 0, 0), VSolutions2023),
        ("A", None, VSolutions2023),
        ("a", date(2024, 6, 1), VSolutions2023),
        ("B", date(2019, 3, 15), Dcms2019),
        ("B", date(2025, 12, 12), Zce2023),
        ("C", date(2019, 3, 1), ContentFck2019),
        ("C", date(2025, 3, 1), ContentFck2024),
        ("D", date(2021, 12, 31), BGrid2019),
        ("D", date(2022, 1, 1), BGrid2022),
        ("E", date(2023, 6, 1), Htm2019),
        ("E", date(2025, 9, 27), Htm2024),
        ("numeric", date(2019, 10, 9), NumericHtml2019),
        ("NUMERIC", date(2025, 9, 27), NumericHtml2022),
    ],
)
def test_parser_for_picks_latest_valid_version(family, captured_at, expected) -> None:
    assert type(parser_for(family, captured_at)) is expected


def test_listing_links_on_fixture_listings_match_the_registry() -> None:
    not_articles = set(EXPECTED["not_articles"])
    pages = {
        "baohatinh": ("https://baohatinh.vn/ve-ha-tinh/", "article.story a.cms-link::attr(href)"),
        "baokhanhhoa": (
            "https://baokhanhhoa.vn/xa-hoi/",
            "a.title1::attr(href), a.title3::attr(href)",
        ),
        "baocantho": ("https://baocantho.com.vn/thoi-su/dbscl/", ".article-item h3 a::attr(href)"),
    }
    for source_id, (url, query) in pages.items():
        source = registry.get(source_id)
        sel = Selector(text=_page_file(url).read_text("utf-8"))
        teasers = [urljoin(url, h) for h in sel.css(query).getall()]
        assert teasers and all(source.is_article_url(u) for u in teasers), source_id
        others = [urljoin(url, h) for h in sel.css("a::attr(href)").getall()]
        assert not any(source.is_article_url(u) for u in others if u in not_articles)
        assert any(source.is_pagination_url(u) for u in others), f"{source_id}: no next page"


# --- the real corpora (read in place) ----------------------------------------------------------

needs_corpora = pytest.mark.skipif(
    not CORPORA.is_dir(), reason=f"real corpora not present at {CORPORA}"
)


@needs_corpora
def test_real_baohatinh_box_teasers_are_article_urls() -> None:
    html = (CORPORA / "baohatinh.vn_homepage-box_2025-08_fragment.html").read_text("utf-8")
    sel = Selector(text=html)
    source = registry.get("baohatinh")
    links = sel.css("article.story h2.story__heading a.cms-link::attr(href)").getall()
    assert len(links) == 5 and all(source.is_article_url(u) for u in links)
    assert not any(source.is_article_url(u) for u in sel.css("nav.subcate a::attr(href)").getall())
    stamp = sel.css("article.story time.time::attr(datetime)").get()
    assert parse_date(stamp)[0] == datetime.fromisoformat("2025-08-30T01:07:33+07:00")


@needs_corpora
def test_real_2018_family_a_homepage_links_match_the_family_a_pattern() -> None:
    # baoquangninh.com.vn is not registered: test the family-A pattern (baokhanhhoa's) on it.
    html = (CORPORA / "baoquangninh.com.vn_homepage_2018-03.html").read_text("utf-8")
    pattern = registry.get("baokhanhhoa").article_re
    hrefs = set(Selector(text=html).css("a::attr(href)").getall())
    articles = {h for h in hrefs if pattern.search(urlsplit(h).path)}
    assert len(articles) == 53
    assert (
        "/chinh-tri/201803/nhung-chuyen-chua-ke-ve-co-thu-tuong-phan-van-khai-2378184/" in articles
    )
    assert not {"/chinh-tri/", "/kinh-te/xuc-tien-dau-tu/", "/index.rss"} & articles
    # every teaser link of the 2018 template (a.title / a.avatar with class Article) is one
    teasers = set(Selector(text=html).css("a.Article::attr(href)").getall())
    assert teasers and teasers <= articles


@needs_corpora
def test_real_2018_family_a_homepage_is_never_an_article() -> None:
    # A listing reached under an article-like URL must be skipped, by the family parser (no
    # body, no date line) and by the generic one (teasers' leads are not prose of its own).
    html = (CORPORA / "baoquangninh.com.vn_homepage_2018-03.html").read_text("utf-8")
    url = "http://baoquangninh.com.vn/"
    assert VSolutions2019().parse(html, url).skip_reason == "not_article"
    assert parser_for("generic").parse(html, url).skip_reason == "not_article"
