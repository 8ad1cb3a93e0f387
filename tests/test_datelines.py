"""The date line, never site chrome (issue 6 item 1): the generic parser on unseen markup.

Pages in ``tests/fixtures/generic/datelines/`` (SYNTHETIC, without structured data) print today's
date in the site header, a clock, teaser dates, and the article's own date line in a layout no
family parser knows; the date must be the article's.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from baotinh.dates import VN_TZ
from baotinh.parsers.datelines import is_date_line, labelled_dates
from baotinh.parsers.generic import GenericParser

PAGES = Path(__file__).parent / "fixtures" / "generic" / "datelines"
CASES = sorted(PAGES.glob("*.json"))


@pytest.fixture(scope="module")
def parser() -> GenericParser:
    return GenericParser()


def test_there_are_enough_layouts() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_date_comes_from_the_article_date_line(parser: GenericParser, case: Path) -> None:
    want = json.loads(case.read_text("utf-8"))
    page = parser.parse(case.with_suffix(".html").read_text("utf-8"), want["url"])
    expected = want["expected"]
    published = datetime.fromisoformat(expected["published_at"])
    why = page.reasons["published_at"]
    assert page.published_at == published, f"{want['case']}: {why}"
    assert page.published_at.utcoffset() == published.utcoffset()
    assert page.published_precision == expected["published_precision"], why
    if "modified_at" in expected:
        assert page.modified_at == datetime.fromisoformat(expected["modified_at"])
    assert page.skip_reason is None
    assert page.paragraphs and not any(is_date_line(p) for p in page.paragraphs)


def test_a_line_with_both_labels_gives_both_dates() -> None:
    found = labelled_dates("Cập nhật: 14/09/2025 08:00 | Đăng: 13/09/2025 06:32", VN_TZ)
    assert [(label, value.day, value.hour) for label, value, _ in found] == [
        ("updated", 14, 8),
        ("published", 13, 6),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ Sáu, 12/12/2025 - 14:13", True),
        ("Đăng lúc 06:32 ngày 17/09/2025 - Cập nhật: 18/09/2025 08:00", True),
        ("Ngày 12/9/2025, UBND tỉnh tổ chức hội nghị tổng kết công tác năm.", False),
        ("Lượt xem: 1.024", False),
    ],
)
def test_is_date_line(text: str, expected: bool) -> None:
    assert is_date_line(text) is expected
