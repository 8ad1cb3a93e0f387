"""The parser package: versions register themselves, fallbacks, and the rules shared by the
family and generic parsers (bylines, bot walls and script shells, listings)."""

from __future__ import annotations

from datetime import date

import pytest

from baotinh import registry
from baotinh.parsers.bylines import split_byline, trailing_byline
from baotinh.parsers.families import (
    NO_FAMILY_PARSER,
    FamilyParser,
    RegistrationError,
    family_ids,
    parser_for,
    registered,
    unregister,
)
from baotinh.parsers.families.zce import Zce2023
from baotinh.parsers.generic import GenericParser

FAMILIES = ("A", "B", "C", "D", "E", "numeric")


def test_a_new_version_registers_itself_without_editing_a_table() -> None:
    class Zz2030(FamilyParser):
        family = "zz-test"
        version = "2030"
        valid_from = date(2030, 1, 1)
        BODY = ("div.zz-body",)

    try:
        assert registered()["zz-test"] == [Zz2030]
        assert "zz-test" in family_ids()
        assert type(parser_for("zz-test", date(2031, 5, 1))) is Zz2030
        assert parser_for("zz-test", date(2029, 12, 31)).name == "generic"
        assert Zz2030.extractor_id() == "family_zz-test@2030"
    finally:
        unregister(Zz2030)
    assert "zz-test" not in registered()


def test_a_redesign_of_a_known_family_is_one_more_class() -> None:
    class Zce2099(Zce2023):
        version = "2099"
        valid_from = date(2099, 1, 1)

    try:
        assert type(parser_for("B", date(2099, 6, 1))) is Zce2099
        assert type(parser_for("B", date(2098, 6, 1))) is Zce2023  # older captures unchanged
    finally:
        unregister(Zce2099)
    assert registered()["B"][-1] is Zce2023


def test_bad_versions_are_refused_at_definition() -> None:
    with pytest.raises(RegistrationError, match="valid from 2023-01-01"):

        class ClashingDate(Zce2023):
            version = "2023b"
            valid_from = date(2023, 1, 1)

    with pytest.raises(RegistrationError, match="sets family, version and valid_from"):

        class NoVersion(FamilyParser):
            family = "B"

    class SharedSelectors(FamilyParser):  # a base for versions: not registered
        abstract = True
        BODY = ("div.shared",)

    assert all(SharedSelectors not in versions for versions in registered().values())


def test_six_families_each_with_a_2019_version_marked_unmeasured() -> None:
    versions = registered()
    assert set(FAMILIES) <= set(versions)
    for family in FAMILIES:
        oldest, *current = versions[family]
        assert oldest.version == "2019" and oldest.measured is False, family
        assert current and all(v.measured for v in current), family
    ids = [v.extractor_id() for vs in versions.values() for v in vs]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("family", ["Z", "", None, *sorted(NO_FAMILY_PARSER)])
def test_unknown_and_generic_families_get_the_generic_parser(family) -> None:
    assert type(parser_for(family, date(2025, 9, 27))) is GenericParser


def test_the_vietnam_portal_has_its_family_parser_from_2023() -> None:
    assert "vietnamvn" not in NO_FAMILY_PARSER
    assert parser_for("vietnamvn", date(2025, 12, 12)).extractor_id() == "family_vietnamvn@2023"
    assert type(parser_for("vietnamvn", date(2022, 12, 31))) is GenericParser


@pytest.mark.parametrize("family", FAMILIES)
def test_a_capture_before_2018_gets_the_generic_parser(family: str) -> None:
    assert type(parser_for(family, date(2017, 12, 31))) is GenericParser
    assert type(parser_for(family, date(2018, 1, 1))) is not GenericParser


def test_every_registered_source_declares_a_known_family() -> None:
    for source in registry.sources().values():
        assert source.family in family_ids(), source.id


# --- bylines: one splitter for every parser ---------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Bài và ảnh: Thu Hà - Minh Đức", ["Thu Hà", "Minh Đức"]),
        ("Tin, ảnh: Hải Lăng", ["Hải Lăng"]),
        ("Bài: An Nhiên; ảnh: Lê Hà", ["An Nhiên", "Lê Hà"]),
        ("Bài, video: Thanh Hằng", ["Thanh Hằng"]),
        ("Thu Hà và Minh Đức", ["Thu Hà", "Minh Đức"]),
        ("Theo TTXVN", ["TTXVN"]),
        ("Nhóm PV", ["Nhóm PV"]),
        ("PV", []),
        ("Báo Hà Tĩnh", []),  # the site itself (given as a site name below)
    ],
)
def test_split_byline(byline: str, names: list[str]) -> None:
    assert split_byline(byline, {"báo hà tĩnh"}) == names


@pytest.mark.parametrize(
    ("paragraph", "names"),
    [
        ("Lê Phương", ["Lê Phương"]),
        ("NGUYỄN VĂN AN", ["NGUYỄN VĂN AN"]),
        ("N.LÂN", ["N.LÂN"]),
        ("Bài, ảnh: Mạnh Hùng", ["Mạnh Hùng"]),
        ("Huyện khuyến cáo bà con thu hoạch sớm.", []),
        ("Hà Nội", ["Hà Nội"]),  # two capitalised words: the rule cannot tell a place
    ],
)
def test_trailing_byline(paragraph: str, names: list[str]) -> None:
    assert trailing_byline(paragraph) == names


_ARTICLE = (
    "<html lang='vi'><head><title>Hội nghị tổng kết năm</title></head><body>"
    "<h1 class='title'>Hội nghị tổng kết năm</h1><div class='date'>13/09/2025 06:32</div>"
    "<div class='detail-news'>"
    + "".join(
        f"<p>Đoạn {i}: Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm, bàn giải "
        "pháp phát triển kinh tế - xã hội cho năm tới.</p>"
        for i in range(3)
    )
    + "<p><strong>Bài và ảnh: Thu Hà - Minh Đức</strong></p></div></body></html>"
)


def test_family_and_generic_parsers_read_the_same_closing_byline() -> None:
    url = "https://baokhanhhoa.vn/xa-hoi/201907/hoi-nghi-tong-ket-8123000/"
    family = parser_for("A", date(2019, 7, 1)).parse(_ARTICLE, url)
    generic = GenericParser().parse(_ARTICLE, url)
    assert family.authors == generic.authors == ["Thu Hà", "Minh Đức"]
    assert all("Thu Hà" not in p for p in family.paragraphs + generic.paragraphs)


_WALL = (
    "<html><head><title>Just a moment...</title></head><body><p>Checking your browser before "
    "accessing baotinh.vn.</p><script src='/cdn-cgi/challenge-platform/h/b/orchestrate.js'>"
    "</script></body></html>"
)
_SHELL = (
    "<html lang='vi'><head><title>Báo</title></head><body><div id='root'></div><noscript>"
    "Bạn cần bật JavaScript để xem trang này.</noscript><script src='/app.js'></script>"
    "</body></html>"
)


@pytest.mark.parametrize(("html", "reason"), [(_WALL, "bot_wall"), (_SHELL, "js_only")])
@pytest.mark.parametrize("family", FAMILIES)
def test_bot_walls_and_script_shells_are_told_apart_the_same_way(
    family: str, html: str, reason: str
) -> None:
    url = "https://baotinh.vn/tin-bai-post1.html"
    assert parser_for(family).parse(html, url).skip_reason == reason
    assert GenericParser().parse(html, url).skip_reason == reason


def test_an_article_quoting_a_bot_wall_phrase_is_not_skipped() -> None:
    html = _ARTICLE.replace("Đoạn 1:", "Access denied, checking your browser:")
    url = "https://baokhanhhoa.vn/xa-hoi/201907/hoi-nghi-tong-ket-8123000/"
    assert parser_for("A", date(2019, 7, 1)).parse(html, url).skip_reason is None
    assert GenericParser().parse(html, url).skip_reason is None
