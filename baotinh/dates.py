"""Dates as Vietnamese pages write them, with their time, offset and precision.

Fast paths for the shapes seen on every page (ISO 8601, RFC 822, day-first
``dd/mm/yyyy[ - ]hh:mm[:ss] [(GMT+7)]``) and dateparser for the rest. Day-first is the rule
in Vietnam: ``12/01/2025`` is 12 January (dateutil would read it month-first).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

VN_TZ = timezone(timedelta(hours=7), "+07:00")

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_DMY = re.compile(
    r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"
    r"(?:\s*(?:[-,|–]|lúc|,\s*lúc)?\s*(\d{1,2})[:hg](\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?"
    r"(?:\s*\(?\s*(?:GMT|UTC)\s*([+-]\s*\d{1,2})(?::?(\d{2}))?\s*\)?)?"
)
# "06:32, Thứ Bảy 13/9/2025", "06g32 ngày 13/09/2025": the time first, then an optional
# weekday (Vietnamese weekdays are two words: "Thứ Bảy", "Chủ Nhật") and "ngày".
_HM_FIRST = re.compile(
    r"(?<!\d)(\d{1,2})[:hg](\d{2})(?::(\d{2}))?\s*(?:[-,|–])?\s*"
    r"(?:(?:thứ\s+\S+|chủ\s+nhật|[^\d\s,|]+)\s*,?\s*)?(?:ngày\s*)?"
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)",
    re.I,
)
# "13 tháng 9 năm 2025", "13 tháng 09, 2025": the month written out, read as 13/9/2025.
_VN_MONTH_WORDS = re.compile(
    r"(?i)(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,?\s*năm\s+|[,/]\s*)(\d{4})"
)


def _offset(sign_hours: str | None, minutes: str | None) -> timezone | None:
    if sign_hours is None:
        return None
    hours = int(sign_hours.replace(" ", ""))
    mins = int(minutes or 0) * (1 if hours >= 0 else -1)
    return timezone(timedelta(hours=hours, minutes=mins))


def _iso_tz(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    text = text.replace(":", "")
    sign = 1 if text[0] == "+" else -1
    return timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5])))


def _precision(hour: str | None, second: str | None) -> str:
    if hour is None:
        return "day"
    return "second" if second is not None else "minute"


def parse_date(
    text: str | None, default_tz: timezone = VN_TZ, use_dateparser: bool = True
) -> tuple[datetime | None, str | None]:
    """Parse one date expression; return (tz-aware datetime, precision) or (None, None).

    A time without an offset is read in ``default_tz`` (+07:00 for Vietnamese pages).
    """
    if not text:
        return None, None
    text = " ".join(text.split())
    text = _VN_MONTH_WORDS.sub(r"\1/\2/\3", text)
    if m := _ISO.search(text):
        y, mo, d, h, mi, s, tz = m.groups()
        try:
            value = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError:
            value = None
        if value is not None:
            return value.replace(tzinfo=_iso_tz(tz) or default_tz), _precision(h, s)
    dmy, hm_first = _DMY.search(text), _HM_FIRST.search(text)
    if hm_first and (dmy is None or (dmy.group(4) is None and hm_first.start() < dmy.start())):
        h, mi, s, d, mo, y = hm_first.groups()
        try:
            value = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
            return value.replace(tzinfo=default_tz), _precision(h, s)
        except ValueError:
            pass
    if dmy:
        d, mo, y, h, mi, s, ampm, oh, om = dmy.groups()
        hour = int(h or 0)
        if ampm and ampm.lower() == "pm" and hour < 12:
            hour += 12
        elif ampm and ampm.lower() == "am" and hour == 12:
            hour = 0
        try:
            value = datetime(int(y), int(mo), int(d), hour, int(mi or 0), int(s or 0))
            return value.replace(tzinfo=_offset(oh, om) or default_tz), _precision(h, s)
        except ValueError:
            pass
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        value = None
    if value is not None:
        return (value if value.tzinfo else value.replace(tzinfo=default_tz)), "second"
    if use_dateparser and re.search(r"\d", text):
        return _dateparser(text, default_tz)
    return None, None


def _dateparser(text: str, default_tz: timezone) -> tuple[datetime | None, str | None]:
    import dateparser  # imported lazily: ~0.3 s and rarely needed

    value = dateparser.parse(
        text,
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )
    if value is None:
        return None, None
    has_time = bool(re.search(r"\d{1,2}[:h]\d{2}", text))
    return value.replace(tzinfo=value.tzinfo or default_tz), "minute" if has_time else "day"


def to_utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def local_date(value: datetime, tz: timezone = VN_TZ) -> datetime:
    return value.astimezone(tz)
