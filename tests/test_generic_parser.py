"""GenericParser on synthetic pages (written here, inline) and on the real VnExpress page."""

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from baotinh.dates import VN_TZ
from baotinh.parsers.generic import GenericParser
from baotinh.parsers.generic_evidence import gather, norm
from baotinh.parsers.generic_filters import drop_link_lists, drop_other_articles

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "fundus"
PARAGRAPH = (
    "Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm với sự tham dự của "
    "đại diện các sở, ban, ngành và địa phương trên địa bàn tỉnh, bàn giải pháp cho năm tới. "
)


def page(head: str = "", body: str = "", lang: str = "vi") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def article_body(extra: str = "", byline: str = "") -> str:
    paragraphs = "".join(f"<p>{PARAGRAPH}Đoạn {i}.</p>" for i in range(6))
    return f"<article><h1>Hội nghị tổng kết năm 2025</h1>{extra}{paragraphs}{byline}</article>"


@pytest.fixture(scope="module")
def parser() -> GenericParser:
    return GenericParser()


def test_title_drops_site_name_and_date_line_gets_vietnam_offset(parser):
    html = page(
        "<title>Hội nghị tổng kết năm 2025 | Báo Hà Tĩnh</title>"
        "<meta property='og:title' content='Hội nghị tổng kết năm 2025'>"
        "<meta property='og:site_name' content='Báo Hà Tĩnh'>",
        article_body("<span class='date'>Thứ Sáu, 12/12/2025 - 14:13</span>"),
    )
    result = parser.parse(html, "https://baohatinh.vn/hoi-nghi-123.html")
    assert result.title == "Hội nghị tổng kết năm 2025"
    assert result.published_at == datetime(2025, 12, 12, 14, 13, tzinfo=VN_TZ)
    assert result.published_precision == "minute"
    assert result.language == "vi"
    assert len(result.paragraphs) == 6
    assert result.skip_reason is None
    assert "date" in result.reasons["published_at"]
    assert result.extractor == "generic@1"


def test_jsonld_date_and_people_only_authors(parser):
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Hội nghị tổng kết năm 2025",
        "datePublished": "2025-12-12T14:13:20+07:00",
        "author": [
            {"@type": "Person", "name": "Nguyễn Văn An"},
            {"@type": "Organization", "name": "Báo Hà Tĩnh"},
        ],
        "publisher": {"@type": "Organization", "name": "Báo Hà Tĩnh"},
    }
    html = page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>", article_body())
    result = parser.parse(html, "https://baohatinh.vn/a.html")
    assert result.authors == ["Nguyễn Văn An"]
    assert result.published_at == datetime(2025, 12, 12, 14, 13, 20, tzinfo=VN_TZ)
    assert result.published_precision == "second"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("<p><strong>Bài và ảnh: Trần Hà - Lê Minh</strong></p>", ["Trần Hà", "Lê Minh"]),
        ("<p>Tin, ảnh: Hoàng Lan</p>", ["Hoàng Lan"]),
        ("<p style='text-align:right'><strong>Lê Phương</strong></p>", ["Lê Phương"]),
    ],
)
def test_vietnamese_closing_bylines(parser, byline, names):
    result = parser.parse(page("", article_body(byline=byline)), "https://baohatinh.vn/b.html")
    assert result.authors == names
    assert all(name not in result.body for name in names)  # the byline is not body text


def test_wire_agency_is_credited_but_desk_and_site_are_not(parser):
    html = page(
        "<meta name='author' content='dpa, Redaktion, Example Zeitung'>"
        "<meta property='og:site_name' content='Example Zeitung'>",
        article_body(),
        lang="de",
    )
    assert parser.parse(html, "https://example.de/a.html").authors == ["dpa"]
    people_only = GenericParser(credit_agencies=False)
    assert people_only.parse(html, "https://example.de/a.html").authors == []


def test_jsonld_person_parts_nested_arrays_and_byline_markup(parser):
    ld = {
        "@type": "NewsArticle",
        "headline": "Hội nghị tổng kết năm 2025",
        "author": [
            {"@type": "Person", "givenName": "Anna Giulia", "familyName": "Fink"},
            [{"@type": "Organization", "name": "AFP"}],
        ],
    }
    byline = (
        "<div class='byline'><a rel='author' href='mailto:x@example.no'>Ingrid Treborg</a></div>"
        "<aside class='related'><a rel='author' href='/a/'>Somebody Else</a></aside>"
    )
    html = page(
        f"<script type='application/ld+json'>{json.dumps(ld)}</script>", byline + article_body()
    )
    result = parser.parse(html, "https://example.no/a.html")
    assert result.authors == ["Anna Giulia Fink", "AFP", "Ingrid Treborg"]


def test_author_link_and_yoast_written_by_when_meta_is_an_email(parser):
    head = (
        "<meta name='author' content='d.kuckelkorn@example.de'>"
        "<meta name='twitter:label1' content='Written by'>"
        "<meta name='twitter:data1' content='Dieter Kuckelkorn'>"
    )
    assert parser.parse(page(head, article_body()), "https://example.de/a").authors == [
        "Dieter Kuckelkorn"
    ]
    linked = "<p>von <a href='/autoren/name/max-kolter'>Dr. Max Kolter</a></p>"
    html = page("<meta name='author' content='LTO'>", linked + article_body())
    assert parser.parse(html, "https://www.lto.de/a").authors == ["Dr. Max Kolter"]


@pytest.mark.parametrize(
    ("og", "h1", "ld", "expected"),
    [
        # A section segment only og:title carries is dropped when another source lacks it.
        (
            "Russia hits Kyiv with missiles - National",
            "Russia hits Kyiv with missiles",
            None,
            "Russia hits Kyiv with missiles",
        ),
        # Typographic quotes of the printed heading win over ASCII-flattened og:title.
        (
            "Mexico to fight 'illogical' tariffs",
            "Mexico to fight ‘illogical’ tariffs",
            None,
            "Mexico to fight ‘illogical’ tariffs",
        ),
        # Without og:title, the heading that JSON-LD confirms beats a teaser-like <title>.
        (
            None,
            "Nur ein Drittel kam in die Schule",
            "Nur ein Drittel kam in die Schule",
            "Nur ein Drittel kam in die Schule",
        ),
        # og:title is the editor's headline when the sources simply disagree.
        (
            "Headline written for sharing",
            "A longer printed headline",
            None,
            "Headline written for sharing",
        ),
    ],
)
def test_title_rules(parser, og, h1, ld, expected):
    head = "<title>Other text | Example</title>"
    if og:
        head += f"<meta property='og:title' content=\"{og}\">"
    if ld:
        data = json.dumps({"@type": "NewsArticle", "headline": ld})
        head += f"<script type='application/ld+json'>{data}</script>"
    html = page(head, f"<h1>{h1}</h1>" + article_body(), lang="en")
    assert parser.parse(html, "https://example.com/a").title == expected


def test_body_from_hydration_state_and_furniture_removed(parser):
    paragraphs = "".join(f"<p>{PARAGRAPH}Đoạn {i}.</p>" for i in range(4))
    state = json.dumps(
        {"detail": {"contentHtml": f"<div class='caption'><p>Ảnh chú thích</p></div>{paragraphs}"}}
    )
    html = page("", f"<div id='root'></div><script>window.__STATE__ = {state};</script>")
    result = parser.parse(html, "https://example.vn/a")
    assert len(result.paragraphs) == 4 and "Ảnh chú thích" not in result.body
    assert "hydration" in result.reasons["paragraphs"]


def test_repeated_placeholders_credits_and_bare_byline_are_not_body(parser):
    noise = (
        "<p>Externer Inhalt nicht verfügbar</p><p>Foto: dpa</p><p>Von Nina Magoley</p>"
        "<p>Externer Inhalt nicht verfügbar</p>"
    )
    result = parser.parse(page("", article_body(extra=noise), lang="de"), "https://example.de/a")
    assert len(result.paragraphs) == 6
    assert "Externer" not in result.body and "Foto" not in result.body


def test_paragraphs_missing_from_jsonld_article_body_are_dropped(parser):
    body_text = "\n".join(f"{PARAGRAPH}Đoạn {i}." for i in range(6))
    ld = json.dumps({"@type": "NewsArticle", "headline": "Hội nghị", "articleBody": body_text})
    teaser = (
        "<p>Trong khi đó, giá vàng trong nước hôm nay tiếp tục tăng mạnh theo đà thế giới, "
        "nhiều người dân xếp hàng từ sáng sớm để mua vàng miếng tại các cửa hàng lớn.</p>"
    )
    html = page(f"<script type='application/ld+json'>{ld}</script>", article_body(byline=teaser))
    result = parser.parse(html, "https://example.vn/a.html")
    assert len(result.paragraphs) == 6 and "giá vàng" not in result.body
    assert "articleBody" in result.reasons["paragraphs"]


def test_factbox_and_subscription_notice_are_not_body(parser):
    notice = "<p>Đăng ký nhận bản tin để không bỏ lỡ tin tức mới nhất mỗi ngày.</p>"
    box = "<div class='factbox'><p>Tóm tắt: tỉnh có 13 đơn vị hành chính cấp huyện.</p></div>"
    html = page("", article_body(extra=box, byline=notice))
    result = parser.parse(html, "https://example.vn/b.html")
    assert len(result.paragraphs) == 6
    assert "Đăng ký" not in result.body and "Tóm tắt" not in result.body
    assert "notices removed" in result.reasons["paragraphs"]


def test_link_teasers_and_text_of_other_articles_are_dropped():
    # The rules are applied to trafilatura's paragraphs; given here so that the test does not
    # depend on what trafilatura happens to keep on a small page.
    related = "".join(
        f"<li><a href='/t{i}'>Bài liên quan số {i} về kinh tế</a></li>" for i in range(2)
    )
    card = "<a href='/t9'><div><p>Thẻ tin: một đoạn dẫn rất dài của bài khác.</p></div></a>"
    inline = f"<p>{PARAGRAPH}Xem <a href='/nq'>nghị quyết</a> của tỉnh.</p>"
    html = page(
        "",
        f"<article><h1>Hội nghị</h1>{inline}<ul>{related}</ul>{card}</article>"
        "<article><h2>Bài tiếp</h2><p>Tin khác: đường tỉnh lộ được nâng cấp.</p></article>",
    )
    ev = gather(html, "https://example.vn/c.html")
    prose = norm(f"{PARAGRAPH}Xem nghị quyết của tỉnh.")
    teasers = ["- Bài liên quan số 0 về kinh tế", "Thẻ tin: một đoạn dẫn rất dài của bài khác."]
    kept, dropped = drop_link_lists(ev, [prose, *teasers])
    assert kept == [prose] and dropped
    other = "Tin khác: đường tỉnh lộ được nâng cấp."
    assert drop_other_articles(ev, [prose, other], "Hội nghị") == ([prose], True)
    # Without a headline inside an <article>, nothing is known to be foreign.
    assert drop_other_articles(ev, [prose, other], "Khác") == ([prose, other], False)


def test_bot_wall_and_js_only_pages_are_skipped(parser):
    wall = page("<title>Just a moment...</title>", "<p>Checking your browser</p>", lang="en")
    assert parser.parse(wall, "https://example.com/a").skip_reason == "bot_wall"
    shell = page(
        "<title>App</title>",
        "<noscript>You need to enable JavaScript to run this app.</noscript><div id='root'></div>",
        lang="en",
    )
    assert parser.parse(shell, "https://example.com/b").skip_reason == "js_only"


def test_small_topic_pages_are_listings_and_a_footer_date_dates_nothing(parser):
    """A topic page with three teasers and a footer that prints a licence date: no article
    (its only text is the teasers'), and the footer's date is no article's date."""
    from lxml import html as lxml_html

    from baotinh.parsers.page_kind import listing_reason

    lead = "Tin vắn về hoạt động của tỉnh trong tuần."
    teasers = "".join(
        f"<div class='post-item'><h3><a href='/thoi-su/bai-viet-so-{i}-ve-hoat-dong-cua-tinh-"
        f"10{i}.html'>Bài viết số {i} về hoạt động của tỉnh</a></h3>"
        f"<span>0{i}/12/2025</span><p>{lead} Số {i}.</p></div>"
        for i in range(1, 4)
    )
    footer = "<footer class='site-footer'><p>Giấy phép số 52/GP-BTTTT cấp ngày 12/02/2021.</p>"
    heading = "<h1>Kỷ niệm 80 năm Cách mạng Tháng Tám</h1>"
    topic = page("", f"<header><a href='/'>Báo Tỉnh</a></header>{heading}{teasers}{footer}")
    url = "https://baotinh.example.vn/chuyen-de/ky-niem-80-nam-cach-mang-thang-tam/"
    tree = lxml_html.document_fromstring(topic)
    # What an extractor may find there: the teasers' headlines and leads (given here, so the
    # test does not depend on what trafilatura keeps of a small page).
    found = ["Bài viết số 1 về hoạt động của tỉnh", f"{lead} Số 2.", f"{lead} Số 3."]
    assert listing_reason(tree, url, has_article=False, paragraphs=found) == "not_article"
    assert listing_reason(tree, url, has_article=True, paragraphs=found) is None
    prose = [*found, "Chiều nay, tỉnh tổ chức lễ mít tinh kỷ niệm tại quảng trường."]
    assert listing_reason(tree, url, has_article=False, paragraphs=prose) is None
    assert parser.parse(topic, url).skip_reason in ("not_article", "empty_body")
    # A short article with the same teasers in its related box is an article, undated: the
    # footer's licence date stands far after the headline, in site chrome.
    short = "<p>Chiều nay, tỉnh tổ chức lễ mít tinh kỷ niệm tại quảng trường trung tâm.</p>"
    article = page(
        "<title>Mít tinh kỷ niệm 80 năm Cách mạng Tháng Tám</title>",
        f"<h1>Mít tinh kỷ niệm 80 năm Cách mạng Tháng Tám</h1>{short}"
        f"<div class='related'>{teasers}</div>{footer}</footer>",
    )
    parsed = parser.parse(article, "https://baotinh.example.vn/thoi-su/mit-tinh-ky-niem.html")
    assert parsed.skip_reason is None and parsed.paragraphs
    assert parsed.published_at is None, parsed.reasons["published_at"]


def test_the_families_web_topic_pages_are_listings(parser):
    from tests.fixtureweb.families import SITES_DIR

    site = SITES_DIR / "baotuyenquang.com.vn" / "chuyen-de"
    for folder in sorted(p for p in site.iterdir() if p.is_dir()):
        url = f"https://baotuyenquang.com.vn/chuyen-de/{folder.name}/"
        html = (folder / "index.html").read_text("utf-8")
        assert parser.parse(html, url).skip_reason == "not_article", folder.name


def test_video_page_content_type(parser):
    html = page("<meta property='og:type' content='video.other'>", article_body())
    assert parser.parse(html, "https://baohatinh.vn/video/x.html").content_type == "video"


def test_empty_input_is_an_empty_body_not_an_error(parser):
    for html in ("  ", "</0"):  # nothing, and bytes that parse to no element
        page = parser.parse(html, "https://example.com/")
        assert page.skip_reason == "empty_body" and not page.paragraphs


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real corpus not found at {CORPUS}")
def test_real_vnexpress_page_extracts_exactly(parser):
    folder = CORPUS / "vn"
    html = gzip.decompress((folder / "VnExpress_2025_10_22.html.gz").read_bytes()).decode()
    url = json.loads((folder / "meta.info").read_text())["VnExpress_2025_10_22.html.gz"]["url"]
    expected = json.loads((folder / "VnExpress.json").read_text())["V1"]
    result = parser.parse(html, url)
    assert result.title == expected["title"]
    assert result.authors == ["Lê Phương"]
    assert result.published_at == datetime(2025, 10, 22, 19, 25, 52, tzinfo=VN_TZ)
    assert result.published_at.utcoffset() == VN_TZ.utcoffset(None)
    assert result.sapo == expected["body"]["summary"][0]
    assert result.body == "\n\n".join(expected["body"]["sections"][0]["paragraphs"])
    assert result.language == "vi"
    assert result.canonical_url == url
