"""Day-first Vietnamese dates, ISO, RFC 822: instant, offset and precision."""

from datetime import UTC, datetime, timedelta

from baotinh.dates import VN_TZ, parse_date


def test_vietnamese_date_line_with_weekday_and_dash():
    value, precision = parse_date("Thứ Sáu, 12/12/2025 - 14:13")
    assert value == datetime(2025, 12, 12, 14, 13, tzinfo=VN_TZ)
    assert precision == "minute"


def test_gmt_offset_in_parentheses():
    value, precision = parse_date("Thứ tư, 22/10/2025, 19:25 (GMT+7)")
    assert value == datetime(2025, 10, 22, 19, 25, tzinfo=VN_TZ)
    assert value.utcoffset() == timedelta(hours=7)
    assert precision == "minute"


def test_day_first_is_the_rule():
    value, precision = parse_date("05/01/2025")
    assert (value.day, value.month, precision) == (5, 1, "day")


def test_iso_with_offset_and_seconds():
    value, precision = parse_date("2024-04-25T08:18:00+02:00")
    assert value.utcoffset() == timedelta(hours=2)
    assert precision == "second"


def test_naive_time_takes_the_default_zone():
    value, _ = parse_date("2024-04-25 08:18", default_tz=UTC)
    assert value.tzinfo == UTC


def test_rfc822():
    value, precision = parse_date("Wed, 22 Oct 2025 12:25:52 GMT")
    assert value == datetime(2025, 10, 22, 19, 25, 52, tzinfo=VN_TZ)
    assert precision == "second"


def test_nothing_to_parse():
    assert parse_date("") == (None, None)
    assert parse_date("không có ngày", use_dateparser=False) == (None, None)


def test_time_first_with_a_two_word_weekday():
    for text in ("06:32, Thứ Bảy 13/9/2025", "06:32 Chủ Nhật, 14/09/2025", "06g32 ngày 13/09/2025"):
        value, precision = parse_date(text, use_dateparser=False)
        assert (value.hour, value.minute, precision) == (6, 32, "minute"), text


def test_month_written_out():
    value, precision = parse_date("Thứ bảy, ngày 13 tháng 9 năm 2025 - 06:32", use_dateparser=False)
    assert value == datetime(2025, 9, 13, 6, 32, tzinfo=VN_TZ)
    assert precision == "minute"
    assert parse_date("13 tháng 09, 2025", use_dateparser=False)[1] == "day"


def test_offset_written_with_minutes():
    value, _ = parse_date("31/05/2025 - 17:20 (GMT+07:00)", use_dateparser=False)
    assert value.utcoffset() == timedelta(hours=7)
