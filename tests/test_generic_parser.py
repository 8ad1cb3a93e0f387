"""GenericParser on synthetic pages (written here, inline) and on the real VnExpress page."""

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from baotinh.dates import VN_TZ
from baotinh.parsers.generic import GenericParser

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


def test_agency_and_redaktion_are_not_authors(parser):
    html = page("<meta name='author' content='dpa, Redaktion'>", article_body(), lang="de")
    assert parser.parse(html, "https://example.de/a.html").authors == []


def test_bot_wall_and_js_only_pages_are_skipped(parser):
    wall = page("<title>Just a moment...</title>", "<p>Checking your browser</p>", lang="en")
    assert parser.parse(wall, "https://example.com/a").skip_reason == "bot_wall"
    shell = page(
        "<title>App</title>",
        "<noscript>You need to enable JavaScript to run this app.</noscript><div id='root'></div>",
        lang="en",
    )
    assert parser.parse(shell, "https://example.com/b").skip_reason == "js_only"


def test_video_page_content_type(parser):
    html = page("<meta property='og:type' content='video.other'>", article_body())
    assert parser.parse(html, "https://baohatinh.vn/video/x.html").content_type == "video"


def test_empty_input_is_a_clear_error(parser):
    with pytest.raises(ValueError, match="empty page"):
        parser.parse("  ", "https://example.com/")


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
