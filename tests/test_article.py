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


def test_an_article_archived_under_its_pre_nfc_id_keeps_it():
    import unicodedata

    from baotinh.dataset.dedupe import Deduplicator, VersionState
    from baotinh.urls import article_id

    source = registry.get("baohatinh")
    nfd = unicodedata.normalize("NFD", "https://baohatinh.vn/tin-tức-hà-tĩnh-post300999.html")
    nfc = unicodedata.normalize("NFC", nfd)
    old_id = article_id(nfd, nfc=False)  # what an earlier release stored
    assert old_id != article_id(nfc)
    row = article_from_page(_page(), nfd, source, WHEN)
    assert row["article_id"] == article_id(nfc) and row["legacy_article_id"] == old_id
    history = {old_id: [VersionState(1, "h", WHEN, None, "x@1")]}
    dedupe = Deduplicator(lambda a: history.get(a, []), lambda h: None)
    row["content_sha256"] = "h"
    assert dedupe.decide(row).kind == "unchanged" and row["article_id"] == old_id
    # An article first archived now takes the NFC identity.
    fresh = article_from_page(_page(), nfd.replace("300999", "300998"), source, WHEN)
    fresh["content_sha256"] = "h2"
    assert dedupe.decide(fresh).kind == "new" and fresh["article_id"] == article_id(
        nfc.replace("300999", "300998")
    )
