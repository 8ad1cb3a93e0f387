"""Family parsers on the synthetic fixture pages and on the real corpora markup."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from parsel import Selector

from baotinh import registry
from baotinh.dates import parse_date
from baotinh.parsers.bylines import split_byline
from baotinh.parsers.families import parser_for
from baotinh.parsers.families.content_fck import ContentFck2019 as FamilyC2019
from baotinh.parsers.families.content_fck import ContentFck2024 as FamilyC2024
from baotinh.parsers.families.vsolutions import VSolutions2019 as FamilyA2019
from baotinh.parsers.families.vsolutions import VSolutions2023 as FamilyA2023
from baotinh.parsers.families.zce import Zce2023 as FamilyB2023
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
    page = FamilyB2023().parse(
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
    page = FamilyA2023().parse(_page_file(url).read_text("utf-8"), url)
    assert page.authors == ["Hải Lăng"]
    assert not any("Hải Lăng" in p for p in page.paragraphs)
    assert page.sapo and page.sapo.startswith("Hàng trăm đoàn viên")
    nfd_url = (
        "https://baokhanhhoa.vn/du-lich/202512/vinh-nha-trang-don-tau-du-lich-quoc-te-b4c5d6e/"
    )
    raw = _page_file(nfd_url).read_text("utf-8")
    assert "Vịnh Nha Trang" not in raw  # the file really is NFD
    page = FamilyA2023().parse(raw, nfd_url)
    assert page.title == "Vịnh Nha Trang đón tàu du lịch quốc tế đầu mùa"


def test_family_c_photo_and_captions_from_tables() -> None:
    url = "https://baocantho.com.vn/cho-noi-cai-rang-don-khach-dip-cuoi-nam-a190002.html"
    page = FamilyC2024().parse(_page_file(url).read_text("utf-8"), url)
    assert page.images[0].caption == "Ghe hàng trên chợ nổi Cái Răng."
    assert page.category == "ĐBSCL"
    assert page.canonical_url == url


def test_homepage_canonical_is_reported_raw_and_not_trusted_by_the_source() -> None:
    url = "https://baohatinh.vn/hoi-cho-nong-san-an-toan-2025-post300108.html"
    page = FamilyB2023().parse(_page_file(url).read_text("utf-8"), url)
    assert page.canonical_url == "https://baohatinh.vn/"
    assert not registry.get("baohatinh").trusts_canonical(page.canonical_url)


def test_family_a_2019_template() -> None:
    # A minimal page in the 2019 baokhanhhoa template (cfg19: div.detail-news, div.date).
    html = """<html lang="vi"><body><h1 class="title">Khánh Hòa đón 4 triệu lượt khách</h1>
    <div class="date">Thứ Hai, 01/07/2019, 08:05 (GMT+7)</div>
    <div class="detail-news"><p><strong>Sáu tháng đầu năm, lượng khách tăng 12%.</strong></p>
    <p>Trong đó khách quốc tế đạt hơn 1,7 triệu lượt.</p>
    <table class="image"><tr><td><img src="/dataimages/201907//original/a.jpg"></td></tr>
    <tr><td class="image_desc">Du khách tại Nha Trang.</td></tr></table>
    <p>Ngành du lịch đặt mục tiêu 7,5 triệu lượt khách cả năm.</p>
    <p style="text-align:right"><strong>Bài, ảnh: Mạnh Hùng</strong></p></div></body></html>"""
    page = FamilyA2019().parse(html, "https://baokhanhhoa.vn/du-lich/201907/x-8123456/")
    assert page.title == "Khánh Hòa đón 4 triệu lượt khách"
    assert page.sapo == "Sáu tháng đầu năm, lượng khách tăng 12%."
    assert page.paragraphs == [
        "Trong đó khách quốc tế đạt hơn 1,7 triệu lượt.",
        "Ngành du lịch đặt mục tiêu 7,5 triệu lượt khách cả năm.",
    ]
    assert page.authors == ["Mạnh Hùng"]
    assert page.published_at == parse_date("01/07/2019 08:05")[0]
    assert page.images[0].url == "https://baokhanhhoa.vn/dataimages/201907//original/a.jpg"
    assert page.images[0].caption == "Du khách tại Nha Trang."


@pytest.mark.parametrize(
    ("family", "captured_at", "expected"),
    [
        ("A", date(2020, 5, 1), FamilyA2019),
        ("A", datetime(2023, 1, 1, 0, 0), FamilyA2023),
        ("A", None, FamilyA2023),
        ("a", date(2024, 6, 1), FamilyA2023),
        ("B", date(2025, 12, 12), FamilyB2023),
        ("C", date(2019, 3, 1), FamilyC2019),
        ("C", date(2025, 3, 1), FamilyC2024),
    ],
)
def test_parser_for_picks_latest_valid_version(family, captured_at, expected) -> None:
    assert type(parser_for(family, captured_at)) is expected


def test_parser_for_unknown_family_or_too_old_capture_is_generic() -> None:
    assert parser_for("Z").name == "generic"
    assert parser_for("B", date(2020, 1, 1)).name == "generic"  # before every B version


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Bài và ảnh: Thu Hà - Minh Đức", ["Thu Hà", "Minh Đức"]),
        ("Tin, ảnh: Hải Lăng", ["Hải Lăng"]),
        ("Bài: An Nhiên; ảnh: Lê Hà", ["An Nhiên", "Lê Hà"]),
        ("Theo TTXVN", ["TTXVN"]),
        ("Nhóm PV", ["Nhóm PV"]),
    ],
)
def test_split_byline(byline: str, names: list[str]) -> None:
    assert split_byline(byline) == names


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
