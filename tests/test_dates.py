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


# Explicit offsets and zone names are kept on every path; only a date without any is +07:00.
H = timedelta(hours=1)
ZONED = [
    # (text, offset) through the day-first path
    ("Thứ Sáu, 12/12/2025 14:13 GMT+0", 0 * H),
    ("12/12/2025 14:13 GMT", 0 * H),
    ("12/12/2025 14:13 UTC", 0 * H),
    ("12/12/2025 14:13 (GMT+7)", 7 * H),
    ("12/12/2025 14:13 (GMT+07:00)", 7 * H),
    ("12/12/2025 14:13 GMT+07:00", 7 * H),
    ("12/12/2025 14:13 UTC+7", 7 * H),
    ("12/12/2025 14:13 +0700", 7 * H),
    ("12/12/2025 14:13 ICT", 7 * H),
    ("12/12/2025 14:13 GMT-5", -5 * H),
    ("12/12/2025 14:13 (GMT+5:30)", timedelta(hours=5, minutes=30)),
    ("12.12.2025, 14:13 Uhr MEZ", 1 * H),
    ("12.12.2025, 14:13 Uhr MESZ", 2 * H),
    ("12/12/2025 14:13 CET", 1 * H),
    ("12/12/2025 14:13 CEST", 2 * H),
    ("12/12/2025 14:13 EST", -5 * H),
    ("12/12/2025 14:13 EDT", -4 * H),
    ("12/12/2025 14:13 JST", 9 * H),
    ("12/12/2025 14:13 KST", 9 * H),
    # time first
    ("14:13 12/12/2025 GMT+0", 0 * H),
    ("14h13 ngày 12/12/2025 (GMT+7)", 7 * H),
    ("14:13 MEZ, 12.12.2025", 1 * H),
    # ISO 8601 and RFC 822
    ("2025-12-12 14:13 GMT+0", 0 * H),
    ("2025-12-12 14:13 CET", 1 * H),
    ("2025-12-12T14:13:00Z", 0 * H),
    ("Fri, 12 Dec 2025 14:13:00 +0100", 1 * H),
    ("Fri, 12 Dec 2025 14:13:00 ICT", 7 * H),
    ("Fri, 12 Dec 2025 14:13:00 GMT", 0 * H),
    # dateparser (month names)
    ("12. Dezember 2025, 14:13 Uhr MEZ", 1 * H),
    ("12 tháng 12 năm 2025 14:13 (GMT+0)", 0 * H),
    ("December 12, 2025 2:13 PM EST", -5 * H),
    ("December 12, 2025 2:13 PM (UTC+7)", 7 * H),
]


def test_explicit_zones_are_kept_on_every_path():
    for text, offset in ZONED:
        value, _ = parse_date(text)
        assert value is not None, text
        assert value.utcoffset() == offset, text
        assert (value.day, value.month, value.year) == (12, 12, 2025), text


def test_the_issue_examples():
    value, _ = parse_date("12. Dezember 2025, 14:13 Uhr MEZ")
    assert value.isoformat() == "2025-12-12T14:13:00+01:00"
    value, _ = parse_date("Thứ Sáu, 12/12/2025 - 14:13 GMT+0")
    assert value.isoformat() == "2025-12-12T14:13:00+00:00"


def test_only_a_date_without_any_offset_takes_the_default():
    for text in ("12/12/2025 14:13", "14:13 12/12/2025", "2025-12-12 14:13",
                 "Fri, 12 Dec 2025 14:13:00", "12 tháng 12 năm 2025 14:13"):  # fmt: skip
        value, _ = parse_date(text)
        assert value.utcoffset() == timedelta(hours=7), text
        assert parse_date(text, default_tz=UTC)[0].utcoffset() == timedelta(0), text


def test_twelve_hour_clock_is_not_read_as_rfc822():
    value, precision = parse_date("Dec 12, 2025 2:13 PM")
    assert (value.hour, value.minute, precision) == (14, 13, "minute")


def test_words_after_the_time_are_not_zones():
    value, _ = parse_date("12/12/2025 14:13 Thời sự")
    assert value.utcoffset() == timedelta(hours=7)
    value, _ = parse_date("12/12/2025 14:13 GMT+99")  # not an offset
    assert value.utcoffset() == timedelta(hours=7)


def test_dates_that_cannot_be_placed_in_utc_are_rejected():
    # Year 1 at 00:00 +07:00 is in year 0 in UTC, which datetime cannot hold.
    assert parse_date("01/01/0001 00:00 GMT+7") == (None, None)
    assert parse_date("31/12/9999 23:59 GMT-5") == (None, None)
    assert parse_date("01/01/0001 08:00 GMT+7")[0] is not None
