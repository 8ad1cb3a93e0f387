"""The vietnam.vn family parser: the seed page, furniture in every language, the source line,
attribution and language versions; the registry's national source with its editions."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path

import pytest

from baotinh.capture.record import Capture
from baotinh.capture.rows import extract
from baotinh.dates import VN_TZ
from baotinh.parsers.families import parser_for
from baotinh.parsers.families.vietnamvn import (
    Portal2023,
    clean_paragraphs,
    fold_slug,
    language_versions,
    read_source_line,
    story_links,
    story_of,
)
from baotinh.parsers.generic_evidence import gather
from baotinh.registry import RegistryError, get, load_registry
from tests.conftest import SHARED

SEED = SHARED / "seed" / "vietnam.vn-de-example-article.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "parsers" / "vietnamvn" / "2023"
SEED_SLUG = "tap-trung-chi-dao-day-manh-xay-dung-chinh-don-dang-va-he-thong-chinh-tri"
SEED_ORIGINAL = f"https://baobinhthuan.com.vn/{SEED_SLUG}-115311.html"


def _seed_lines() -> list[str]:
    if not SEED.is_file():
        pytest.skip(f"the seed page is not at {SEED} (../shared beside the checkout)")
    return SEED.read_text("utf-8").splitlines()


def _seed_page(trailer_inside_body: bool) -> tuple[str, list[str]]:
    """The seed's text as the portal's German page: our header, title and source line around
    the seed's lines in place (its own trailer included, where the test puts it)."""
    lines = _seed_lines()
    end = next(i for i, line in enumerate(lines) if line.strip() == "Quelle")
    body = [line.strip() for line in lines[:end] if line.strip()]
    trailer = [line.strip() for line in lines[end:] if line.strip()]
    assert trailer == ["Quelle", "Kommentar (0)"], "the seed's trailer changed"
    blocks = [f"<h2>{escape(b)}</h2>" if len(b) < 60 else f"<p>{escape(b)}</p>" for b in body]
    blocks.insert(2, "<p>[Anzeige_1]</p>")
    source_box = (
        f'<p>{trailer[0]}</p><p><a href="{SEED_ORIGINAL}"><img src="/logo.png" alt=""></a></p>'
        f"<p>{trailer[1]}</p>"
    )
    inside, after = (source_box, "") if trailer_inside_body else ("", source_box)
    html = f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Konzentration auf die Führung - Vietnam.vn</title></head><body>
<div class="brand">Vietnam.vn - Nền tảng quảng bá Việt Nam</div>
<div class="switch"><a href="https://www.vietnam.vn/{SEED_SLUG}">Tiếng Việt</a>
<a href="https://www.vietnam.vn/en/{SEED_SLUG}">English</a></div>
<h1>Konzentration auf die Führung beim Aufbau und der Korrektur der Partei</h1>
<div class="by"><span>Báo Bình Thuận</span><span>Báo Bình Thuận</span><span>18/01/2024</span></div>
<div class="body-text">{"".join(blocks)}{inside}</div>{after}
<ul class="more"><li><a href="https://www.vietnam.vn/de/andere-geschichte-hier">Andere Geschichte
aus der Provinz Binh Thuan im Jahr 2024</a></li></ul></body></html>"""
    return html, body


@pytest.mark.parametrize("inside", [True, False], ids=["trailer-in-body", "trailer-after"])
def test_the_seed_comes_out_without_its_trailer_credited_to_bao_binh_thuan(inside: bool) -> None:
    html, paragraphs = _seed_page(inside)
    url = f"https://www.vietnam.vn/de/{SEED_SLUG}"
    capture = Capture(url, url, 200, (("Content-Type", "text/html"),), html.encode(),
                      datetime(2024, 1, 20, 3, tzinfo=UTC))  # fmt: skip
    row = extract(capture, get("vietnamvn")).row
    assert row is not None
    assert row["body"].split("\n\n") == paragraphs
    assert "Quelle" not in row["body"] and "Kommentar" not in row["body"]
    assert "[Anzeige" not in row["body"] and "Vietnam.vn" not in row["body"]
    assert row["original_source_name"] == "Báo Bình Thuận"
    assert row["original_source_id"] == "baobinhthuan"
    assert row["original_publisher_id"] == "bao_binh_thuan"
    assert row["original_url"] == SEED_ORIGINAL
    assert row["province_at_publication"] == "Bình Thuận" and row["province"] == "Lâm Đồng"
    assert (row["language"], row["is_translation"]) == ("de", True)
    assert row["translation_key"] == SEED_SLUG
    assert row["published_at"] == datetime(2024, 1, 18, tzinfo=VN_TZ)
    assert row["published_precision"] == "day"
    assert row["extractor"] == "family_vietnamvn@2023"


@pytest.mark.parametrize(
    ("text", "name", "day", "precision"),
    [
        ("Báo Khánh HòaBáo Khánh Hòa24/04/2025", "Báo Khánh Hòa", date(2025, 4, 24), "day"),
        ("Việt NamViệt Nam24/04/2025", "Việt Nam", date(2025, 4, 24), "day"),
        ("Báo Dân trí•25/08/2024", "Báo Dân trí", date(2025 - 1, 8, 25), "day"),
        ("Báo Cần Thơ Báo Cần Thơ 12/12/2025 08:30", "Báo Cần Thơ", date(2025, 12, 12), "minute"),
        ("Báo và Phát thanh, Truyền hình Lâm ĐồngBáo và Phát thanh, Truyền hình Lâm Đồng"
         "01/08/2025", "Báo và Phát thanh, Truyền hình Lâm Đồng", date(2025, 8, 1), "day"),
    ],
)  # fmt: skip
def test_the_source_line_gives_the_credited_paper_and_the_day(text, name, day, precision) -> None:
    found = read_source_line(text)
    assert found is not None
    assert found[0] == name and found[1].date() == day and found[2] == precision
    assert found[1].utcoffset() == VN_TZ.utcoffset(None)


@pytest.mark.parametrize(
    "text",
    ["Thứ Sáu, 12/12/2025", "Cập nhật: 12/12/2025", "12/12/2025", "Freitag, 12.12.2025",
     "Ngày 32/13/2025 lịch sai", "Dân số đạt 100 triệu người vào ngày 12/12/2025 theo báo cáo "
     "của Tổng cục Thống kê về tình hình dân số và lao động trong cả nước năm nay rồi 12/12/2025"],
)  # fmt: skip
def test_a_date_line_or_a_sentence_is_no_source_line(text: str) -> None:
    assert read_source_line(text) is None


def test_furniture_in_every_language_leaves_the_body() -> None:
    body = ["Erster Absatz des Artikels über die Provinz.", "[Anzeige_1]",
            "Zweiter Absatz mit [Anzeige_2] einem Platzhalter.", "Báo XBáo X12/12/2025",
            "Vietnam.vn - Nền tảng quảng bá Việt Nam", "Quelle", "Kommentar (0)",
            "Ein Satz nach dem Kommentarfeld."]  # fmt: skip
    assert clean_paragraphs(body) == [
        "Erster Absatz des Artikels über die Provinz.",
        "Zweiter Absatz mit einem Platzhalter.",
    ]
    for label, comments, ad in [("Nguồn", "Bình luận (3)", "[ad_1]"), ("Source:", "0 Comments",
                                "[advertisement_2]"), ("출처", "댓글 (0)", "[광고_1]"),
                                ("来源：", "评论 (12)", "[广告_1]"), ("Fuente", "Comentarios (0)",
                                "[anuncio_1]"), ("Nguồn: https://baohatinh.vn/a-b-post1.html",
                                "Bình luận", "[quảng_cáo_1]")]:  # fmt: skip
        kept = clean_paragraphs(["Nội dung bài viết.", ad, label, comments])
        assert kept == ["Nội dung bài viết."], (label, comments, ad)


def test_a_sentence_or_subheading_that_starts_with_source_is_kept() -> None:
    for text in ("Nguồn tin từ Sở Y tế cho biết số ca mắc giảm mạnh trong tuần qua.",
                 "Nguồn lực cho phát triển", "Source of growth"):  # fmt: skip
        assert clean_paragraphs(["Mở đầu.", text, "Kết."]) == ["Mở đầu.", text, "Kết."]
    assert clean_paragraphs(["Mở đầu.", "Source https://a.example/x", "Kết."]) == ["Mở đầu."]


def test_story_urls_languages_and_slugs() -> None:
    assert story_of(f"https://www.vietnam.vn/de/{SEED_SLUG}") == ("de", SEED_SLUG)
    assert story_of(f"https://thongtin.vietnam.vn/de/{SEED_SLUG}") == ("de", SEED_SLUG)
    assert story_of(f"https://vietnam.vn/binhthuan/{SEED_SLUG}") == ("vi", SEED_SLUG)
    assert story_of("https://www.vietnam.vn/c%C3%B9ng-ca") == ("vi", "cùng-ca")
    for not_story in ("/de/", "/de", "/", "/category/xa-hoi", "/tag/a-b", "/gioithieu"):
        assert story_of("https://www.vietnam.vn" + not_story) is None, not_story
    assert story_of("https://baohatinh.vn/a-b-post1.html") is None
    damaged = "cu-ng-ca-nuo-c-vuon-mi-nh-vung-tin"
    assert fold_slug(damaged) == fold_slug("cung-ca-nuoc-vuon-minh-vung-tin")
    assert fold_slug("cu\u0300ng-ca") == fold_slug("cùng-ca") == fold_slug("cung-ca")
    assert fold_slug("mua-lu-1") != fold_slug("mua-lu")


def test_language_versions_come_from_hreflang_attributes_switchers_and_the_slug() -> None:
    base = "https://www.vietnam.vn"
    html = f"""<html><head>
<link rel="alternate" hreflang="en" href="{base}/en/a-b-c">
<link rel="alternate" hreflang="x-default" href="{base}/a-b-c"></head><body>
<a lang="ko" href="/ko/a-b-c">KO</a>
<div class="language-box"><a href="https://thongtin.vietnam.vn/fr/a-b-c">FR</a>
<a href="/zh/">中文</a></div>
<p>Xem bản <a href="/es/a-b-c">tiếng Tây Ban Nha</a>; <a href="/de/a-b-c-1">khác</a>
<a href="/ja/a-b-c">日本語</a> <a href="/de/x-y-z">andere</a></p></body></html>"""
    found = language_versions(gather(html, f"{base}/a-b-c").tree, f"{base}/a-b-c")
    assert found == {
        "en": f"{base}/en/a-b-c",
        "ko": f"{base}/ko/a-b-c",
        "fr": "https://thongtin.vietnam.vn/fr/a-b-c",
        "es": f"{base}/es/a-b-c",
        "ja": f"{base}/ja/a-b-c",
    }  # x-default is the page itself; /zh/ is a language home; /de/a-b-c-1 another story


def test_story_links_give_the_crawl_translations_and_the_story_day() -> None:
    page = (FIXTURES / "ko-nong-dan-ha-tinh.html").read_text("utf-8")
    links = story_links(page, "https://www.vietnam.vn/ko/nong-dan-ha-tinh-thu-hoach-cam-bu-som")
    assert set(links.alternates) == {"vi", "de", "en", "zh", "x-default"}
    assert links.published == datetime(2025, 12, 12, tzinfo=VN_TZ)


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.json")))
def test_the_fixture_pages_credit_their_originals(name: str) -> None:
    want = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    page = Portal2023().parse((FIXTURES / f"{name}.html").read_text("utf-8"), want["url"])
    assert page.original_url == want["attribution"]["original_url"]
    assert page.original_source_name == want["attribution"]["original_source_name"]


def test_a_listing_of_teasers_with_credit_lines_is_not_an_article() -> None:
    page = Portal2023().parse(
        (FIXTURES / "listing.html").read_text("utf-8"), "https://www.vietnam.vn/category/xa-hoi"
    )
    assert page.skip_reason == "not_article"


def test_the_portal_parser_serves_captures_from_2023() -> None:
    assert isinstance(parser_for("vietnamvn", date(2026, 1, 1)), Portal2023)
    assert not isinstance(parser_for("vietnamvn", date(2022, 6, 1)), Portal2023)


# -- the registry's national source ------------------------------------------------------------


def test_vietnam_portal_editions_cover_every_language_prefix() -> None:
    portal = get("vietnamvn")
    assert portal.active and portal.national and portal.province is None
    assert portal.path_editions and portal.language == "vi"
    cases = {
        "https://www.vietnam.vn/de/a-b": "de",
        "https://www.vietnam.vn/zh/a-b": "zh",
        "https://vjs.vietnam.vn/ja/a-b": "ja",
        "https://www.vietnam.vn/zh-tw/a-b": "zh-tw",
        "https://www.vietnam.vn/a-b": "vi",
        "https://www.vietnam.vn/binhthuan/a-b": "vi",
    }
    for url, language in cases.items():
        assert portal.language_of(url) == language, url
    assert portal.is_article_url("https://www.vietnam.vn/de/cu-ng-ca-nuo-c-vuon-mi-nh")
    assert portal.is_article_url("https://www.vietnam.vn/cu%CC%80ng-ca-nuo%CC%81c")
    assert not portal.is_article_url("https://www.vietnam.vn/zh/")
    assert portal.canonical_url("https://thongtin.vietnam.vn/de/a-b") == "https://vietnam.vn/de/a-b"
    assert portal.canonical_url("https://www.vietnam.vn/binhthuan/a-b") == "https://vietnam.vn/a-b"


def test_an_every_language_edition_is_written_one_way() -> None:
    entry = """[source.portal]
name = "P"
publisher = "p"
family = "generic"
domains = ["portal.example [pub]"]
listings = ["/ [pub]"]
editions = [{editions}]
"""
    loaded = load_registry(entry.format(editions='"*: /<lang>/ [pub]"'))
    assert loaded.get("portal").language_of("https://portal.example/th/a-b-c") == "th"
    for bad in ('"*: /de/ [pub]"', '"de: /<lang>/ [pub]"'):
        with pytest.raises(RegistryError, match="every language"):
            load_registry(entry.format(editions=bad))


def test_a_canonical_link_into_another_language_is_not_trusted() -> None:
    url = "https://www.vietnam.vn/de/a-b-c-d"
    html = (
        '<html lang="de"><head><link rel="canonical" href="https://www.vietnam.vn/a-b-c-d">'
        "</head><body><h1>Titel der Seite</h1><div>Báo XBáo X12/12/2025</div>"
        "<div class='article-content'><p>" + "Ein Absatz des Artikels. " * 12 + "</p></div>"
        "</body></html>"
    )
    capture = Capture(url, url, 200, (("Content-Type", "text/html"),), html.encode(),
                      datetime(2025, 12, 12, tzinfo=UTC))  # fmt: skip
    row = extract(capture, get("vietnamvn")).row
    assert row is not None and row["canonical_url"] == "https://vietnam.vn/de/a-b-c-d"
    assert row["language"] == "de" and row["translation_key"] == "a-b-c-d"


def test_unseen_markup_variants_still_give_the_article() -> None:
    """A logo ``h1``, an unnamed body beside a longer related list, the credit line after a
    label, the original printed as text, translations offered in a ``<select>``."""
    related = "".join(
        f"<div><a href='/tin-khac-so-{i}-trong-ngay'>Tin khác số {i} của cổng thông tin hôm nay</a>"
        f"<p>{'Tóm tắt dài của một tin khác trong danh sách liên quan. ' * 3}</p></div>"
        for i in range(6)
    )
    body = "".join(f"<p>Đoạn {i} của bài viết chính về nông nghiệp tỉnh nhà.</p>" for i in range(3))
    html = f"""<html lang="vi"><body><header><h1>Vietnam.vn</h1></header>
<select class="x"><option value="/en/bai-chinh-ve-nong-nghiep">EN</option>
<option value="/ja/bai-chinh-ve-nong-nghiep">JA</option></select>
<main><h1>Bài chính về nông nghiệp</h1><div>Nguồn: Báo Hà Tĩnh 12/12/2025</div>
<div class="x1">{body}<p>Nguồn:</p><p>https://baohatinh.vn/bai-chinh-post300199.html</p></div>
<div class="related-box">{related}</div></main></body></html>"""
    url = "https://www.vietnam.vn/bai-chinh-ve-nong-nghiep"
    page = Portal2023().parse(html, url)
    assert page.title == "Bài chính về nông nghiệp"
    assert page.paragraphs == [
        f"Đoạn {i} của bài viết chính về nông nghiệp tỉnh nhà." for i in range(3)
    ]
    assert page.original_source_name == "Báo Hà Tĩnh"
    assert page.original_url == "https://baohatinh.vn/bai-chinh-post300199.html"
    assert page.published_at == datetime(2025, 12, 12, tzinfo=VN_TZ)
    assert set(page.alternates) == {"en", "ja"}
