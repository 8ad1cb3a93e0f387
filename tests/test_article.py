"""From a parsed page to a row's identity: one article id whichever of its URLs was fetched."""

from __future__ import annotations

from datetime import UTC, datetime

from baotinh import registry
from baotinh.article import article_from_page, trusted_canonical
from baotinh.parsers.base import ParsedPage

WHEN = datetime(2025, 12, 12, tzinfo=UTC)


def _page(**fields: object) -> ParsedPage:
    return ParsedPage(title="Tiêu đề bài báo", paragraphs=["Nội dung."], **fields)


def test_a_moved_section_url_and_its_current_url_are_one_article():
    source = registry.get("baodongkhoi")
    old = "https://baodongkhoi.vn/xa-hoi/ben-tre-khoi-cong-cau-moi-a12345.html"
    new = "https://dongkhoi.baovinhlong.vn/xa-hoi/ben-tre-khoi-cong-cau-moi-a12345.html"
    assert trusted_canonical(old, None, source) == trusted_canonical(new, None, source) == new
    rows = [article_from_page(_page(), url, source, WHEN) for url in (old, new)]
    assert rows[0]["article_id"] == rows[1]["article_id"]
    assert rows[0]["url"] != rows[1]["url"]  # the row still says which URL answered


def test_a_declared_language_edition_decides_the_language():
    source = registry.get("baokhanhhoa")
    url = "https://news.baokhanhhoa.vn/tourism/202507/nha-trang-welcomes-cruise-ships-5a448d5/"
    assert registry.source_for_url(url) is source
    # The edition's template still says lang="vi": the edition is English all the same.
    row = article_from_page(_page(language="vi"), url, source, WHEN)
    assert row["language"] == "en"
    home = "https://baokhanhhoa.vn/xa-hoi/202512/khanh-hoa-don-tau-du-lich-a1b2c3d/"
    assert article_from_page(_page(), home, source, WHEN)["language"] == "vi"
