"""Dates as Vietnamese pages write them, with their time, offset and precision.

Fast paths for the shapes seen on every page (ISO 8601, RFC 822, day-first
``dd/mm/yyyy[ - ]hh:mm[:ss] [(GMT+7)]``) and dateparser for the rest. Day-first is the rule
in Vietnam: ``12/01/2025`` is 12 January (dateutil would read it month-first).

An offset or zone the text states is kept on every path: ``(GMT+7)``, ``GMT+07:00``, ``UTC+7``,
``GMT+0``, ``GMT``/``UTC``, ``+0700`` after the time, and zone names after the time (``ICT``,
``14:13 Uhr MEZ``, ``CEST``, ``EST``, ``JST`` ...; the names and offsets are dateparser's table).
Only a date that states no offset at all is read in ``default_tz`` (+07:00 for Vietnamese pages).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache

VN_TZ = timezone(timedelta(hours=7), "+07:00")

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"(?:\s*(Z(?![A-Za-z])|[+-]\d{2}:?\d{2}(?!\d)))?"
)
_DMY = re.compile(
    r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"
    r"(?:\s*(?:[-,|–]|lúc|,\s*lúc)?\s*(\d{1,2})[:hg](\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?"
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
# "GMT+7", "(GMT+07:00)", "UTC+7", "GMT -5", "GMT+0530" anywhere: unambiguous wherever it is.
_GMT_OFFSET = re.compile(r"(?<![A-Za-z])(?:GMT|UTC)\s*([+\-−])\s*(\d{1,2})(?:[:h.]?(\d{2}))?(?!\d)")
_GMT_BARE = re.compile(r"(?<![A-Za-z])(?:GMT|UTC)(?![A-Za-z+\-−])")
# Right after a time: "+0700", "-05:00", a zone name ("ICT", "MEZ"), possibly after "Uhr"
# (German), "giờ" (Vietnamese "o'clock") or AM/PM, possibly in parentheses.
_AFTER_TIME = re.compile(
    r"\s*(?:(?:Uhr|giờ|h)\s*)?(?:[AaPp]\.?[Mm]\.?\s*)?[(\[]?\s*"
    r"(?:([+\-−])(\d{2}):?(\d{2})(?!\d)|([A-Z][A-Za-z]{1,4})(?![A-Za-z]))"
)
_TWELVE_HOUR = re.compile(r"(?<![A-Za-z])[AaPp]\.?[Mm]\.?(?![A-Za-z])")
_TIME = re.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?(?!\d)")


def _fixed(sign: str, hours: str, minutes: str | None) -> timezone | None:
    """A fixed offset, or None when the numbers are not an offset (|offset| >= 24 h)."""
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    try:
        return timezone(-delta if sign in "-−" else delta)
    except ValueError:
        return None


@cache
def _zone_names() -> dict[str, timezone]:
    """Zone abbreviations and their offsets, from dateparser's table (imported lazily)."""
    from dateparser.timezones import timezone_info_list

    names: dict[str, timezone] = {}
    for info in timezone_info_list:
        for name, seconds in info["timezones"]:
            if name.isalpha() and name.isupper():
                names.setdefault(name, timezone(timedelta(seconds=seconds)))
    return names


def _zone_at(text: str, position: int) -> tuple[timezone, tuple[int, int]] | None:
    """The offset or zone name written right after ``position`` (the end of a time)."""
    m = _AFTER_TIME.match(text, position)
    if m is None:
        return None
    sign, hours, minutes, name = m.groups()
    if sign:  # the span of the offset itself, not of "Uhr"/AM/PM before it
        zone = _fixed(sign, hours, minutes)
        return (zone, (m.start(1), m.end(3))) if zone else None
    if name in ("GMT", "UTC", "UT", "Z"):
        return None  # handled by the GMT rules (they may carry an offset)
    zone = _zone_names().get(name) if name.isupper() else None
    return (zone, m.span(4)) if zone else None


def _gmt(text: str) -> tuple[timezone, tuple[int, int]] | None:
    if m := _GMT_OFFSET.search(text):
        zone = _fixed(m[1], m[2], m[3])
        if zone:
            return zone, m.span()
    if m := _GMT_BARE.search(text):
        return UTC, m.span()
    return None


def explicit_zone(text: str, *after: int) -> timezone | None:
    """The offset ``text`` states: a GMT/UTC form anywhere, else an offset or zone name
    right after one of the ``after`` positions (ends of times); None when it states none."""
    found = _gmt(text)
    if found:
        return found[0]
    for position in after:
        if position >= 0 and (at := _zone_at(text, position)):
            return at[0]
    return None


def _precision(hour: str | None, second: str | None) -> str:
    if hour is None:
        return "day"
    return "second" if second is not None else "minute"


def _aware(value: datetime, zone: tzinfo | None, default_tz: timezone) -> datetime | None:
    """``value`` in its zone (or the default); None if it cannot be placed on the UTC line."""
    value = value.replace(tzinfo=zone or default_tz)
    try:
        value.astimezone(UTC)
    except OverflowError:
        return None
    return value


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
            zone = _iso_tz(tz) if tz else explicit_zone(text, m.end())
            if aware := _aware(value, zone, default_tz):
                return aware, _precision(h, s)
    dmy, hm_first = _DMY.search(text), _HM_FIRST.search(text)
    if hm_first and (dmy is None or (dmy.group(4) is None and hm_first.start() < dmy.start())):
        h, mi, s, d, mo, y = hm_first.groups()
        try:
            value = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        except ValueError:
            value = None
        if value is not None:
            time_end = hm_first.end(3) if s is not None else hm_first.end(2)
            zone = explicit_zone(text, time_end, hm_first.end())
            if aware := _aware(value, zone, default_tz):
                return aware, _precision(h, s)
    if dmy:
        d, mo, y, h, mi, s, ampm = dmy.groups()
        hour = int(h or 0)
        if ampm and ampm.lower() == "pm" and hour < 12:
            hour += 12
        elif ampm and ampm.lower() == "am" and hour == 12:
            hour = 0
        try:
            value = datetime(int(y), int(mo), int(d), hour, int(mi or 0), int(s or 0))
        except ValueError:
            value = None
        if value is not None:
            zone = explicit_zone(text, dmy.end())
            if aware := _aware(value, zone, default_tz):
                return aware, _precision(h, s)
    value = None
    if not _TWELVE_HOUR.search(text):  # email.utils would read "2:13 PM" as 02:13
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            value = None
    if value is not None:
        zone = value.tzinfo
        if zone is None:  # RFC 822 with a zone email.utils does not know ("ICT") or none
            zone = explicit_zone(text, *(t.end() for t in _TIME.finditer(text)))
        if aware := _aware(value.replace(tzinfo=None), zone, default_tz):
            return aware, "second"
    if use_dateparser and re.search(r"\d", text):
        return _dateparser(text, default_tz)
    return None, None


def _iso_tz(text: str) -> timezone | None:
    if text == "Z":
        return UTC
    text = text.replace(":", "")
    return _fixed(text[0], text[1:3], text[3:5])


def _dateparser(text: str, default_tz: timezone) -> tuple[datetime | None, str | None]:
    import dateparser  # imported lazily: ~0.3 s and rarely needed

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    # Our own zone rules first: dateparser reads "(GMT+7)" as GMT and misses "UTC+7".
    zone, span = None, None
    if found := _gmt(text):
        zone, span = found
    else:
        for time in _TIME.finditer(text):
            if at := _zone_at(text, time.end()):
                zone, span = at
                break
    if span is not None:
        text = f"{text[: span[0]]} {text[span[1] :]}"
    try:
        # Without RETURN_AS_TIMEZONE_AWARE dateparser returns an aware value exactly when the
        # text named a zone (setting it to False made it drop the zone it had read).
        value = dateparser.parse(text, settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError, TypeError, KeyError, IndexError, AttributeError):
        # dateparser's own bugs on odd input (seen with hypothesis); treat as "no date".
        return None, None
    if value is None:
        return None, None
    if zone is None and value.utcoffset() is not None:
        zone = timezone(value.utcoffset())  # type: ignore[arg-type]
    has_time = bool(_TIME.search(text))
    aware = _aware(value.replace(tzinfo=None), zone, default_tz)
    return (aware, "minute" if has_time else "day") if aware else (None, None)


def to_utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def local_date(value: datetime, tz: timezone = VN_TZ) -> datetime:
    return value.astimezone(tz)
