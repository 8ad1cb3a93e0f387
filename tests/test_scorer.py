"""The scorer's own tests: known inputs give known scores."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from baotinh.evaluation import (
    author_recall,
    body_precision_recall,
    expected_body,
    f1,
    instant_matches,
    shingles,
    title_matches,
)

PLUS7 = timezone(timedelta(hours=7))


def test_title_exact_after_nfc_and_whitespace():
    decomposed = "Ha\u0300 Ti\u0303nh"  # NFD "Hà Tĩnh"
    assert title_matches("Hà  Tĩnh\n", decomposed)
    assert not title_matches("Hà Tĩnh", "Hà Tĩnh | Báo Hà Tĩnh")
    assert not title_matches("Hà Tĩnh", None)


def test_instant_respects_offsets_and_precision():
    expected = datetime(2025, 10, 22, 19, 25, 52, tzinfo=PLUS7)
    same_in_utc = datetime(2025, 10, 22, 12, 25, 52, tzinfo=UTC)
    assert instant_matches(expected, same_in_utc, "second")
    assert not instant_matches(expected, same_in_utc + timedelta(seconds=1), "second")
    # A day-only value never matches a timestamp, even at the same instant.
    assert not instant_matches(expected, same_in_utc, "day")
    assert not instant_matches(expected, same_in_utc.replace(tzinfo=None), "second")


def test_instant_without_expected_offset_compares_wall_clock():
    expected = datetime(2024, 4, 25, 14, 7)
    assert instant_matches(expected, datetime(2024, 4, 25, 14, 7, tzinfo=PLUS7), "minute")
    assert not instant_matches(expected, datetime(2024, 4, 25, 14, 8, tzinfo=PLUS7), "minute")


def test_author_recall_case_insensitive():
    assert author_recall(["Lê Phương", "Anna Fink"], ["lê  phương"]) == 0.5
    assert author_recall(["A B"], []) == 0.0
    assert author_recall([], ["x"]) == 1.0


def test_shingles_are_word_4grams_of_lowercased_unicode_words():
    assert shingles("Một hai, BA bốn năm!") == {
        ("một", "hai", "ba", "bốn"),
        ("hai", "ba", "bốn", "năm"),
    }
    assert shingles("ba từ thôi") == {("ba", "từ", "thôi")}
    assert shingles("") == set()


def test_body_precision_recall():
    expected = "a b c d e f"  # shingles: abcd, bcde, cdef
    got = "a b c d e x"  # shingles: abcd, bcde, cdex
    precision, recall = body_precision_recall(expected, got)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)
    assert body_precision_recall(expected, "") == (0.0, 0.0)
    assert f1(0.5, 1.0) == pytest.approx(2 / 3)
    assert f1(0.0, 0.0) == 0.0


def test_expected_body_joins_summary_headlines_paragraphs():
    body = {
        "summary": ["Lead."],
        "sections": [
            {"headline": [], "paragraphs": ["P1"]},
            {"headline": ["H"], "paragraphs": ["P2"]},
        ],
    }
    assert expected_body(body) == "Lead.\n\nP1\n\nH\n\nP2"
    assert expected_body(None) is None
