"""Title and dates from the page's evidence, each with the reason it was chosen."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timezone
from html import unescape
from typing import Any

from baotinh.dates import VN_TZ, parse_date
from baotinh.parsers.datelines import PageDates, rank_published, rank_updated
from baotinh.parsers.generic_evidence import Evidence, node_text, norm

_SEPARATORS = re.compile(r"\s+[|\-–—:·•»*]+\s+|\s*[：｜ㅣ]\s*")
_TRAILING_SEPARATOR = re.compile(r"(?:\s[|\-–—:·•»*]+\s|\s*[：｜ㅣ]\s*)$")
_TIGHT_SUFFIX = re.compile(r"\s*[|\-–—·]\s*\w[\w ]*")
# Typographic quotes → ASCII, to see that two titles differ only in quote style.
_QUOTES = str.maketrans(dict.fromkeys("‘’‚‛", "'") | dict.fromkeys("“”„‟«»", '"'))
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")


def _strip_site(title: str, site_names: set[str]) -> str:
    """Drop trailing (or a leading) site-name segments such as ``Headline | Site``."""
    for _ in range(3):  # "Headline | Section | Site": at most a few segments
        shorter = _strip_once(title, site_names)
        if shorter == title:
            return title
        title = shorter
    return title


def _strip_once(title: str, site_names: set[str]) -> str:
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _SEPARATORS.findall(title)
    last, first = parts[-1].strip().casefold(), parts[0].strip().casefold()
    if (
        last.startswith("by ")
        or last in site_names
        or any(last and (last in s or s in last) for s in site_names)
    ):
        return title[: title.rfind(seps[-1])].strip()
    if first in site_names:
        return title[len(parts[0]) + len(seps[0]) :].strip()
    return title


def _jsonld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return norm(value) if isinstance(value, str) else None


def _clean_title(value: str | None, site_names: set[str]) -> str:
    # JSON-LD is often written with HTML entities still in it ("Swift&#8217;s").
    return _strip_site(norm(unescape(value or "")), site_names)


def _reduce_to(value: str, others: list[str]) -> str:
    """``Headline - Section`` or ``Kicker | Headline`` where another source gives ``Headline``:
    the extra segment is a section or site label, so the shorter form is the headline."""
    folded = value.casefold()
    for other in others:
        core = other.casefold()
        if len(core) < 10 or core == folded:
            continue
        rest = value[len(other) :]
        if folded.startswith(core) and (
            _SEPARATORS.match(rest) or (_TIGHT_SUFFIX.fullmatch(rest) and len(rest) <= 20)
        ):
            return other
        if folded.endswith(core) and _TRAILING_SEPARATOR.search(value[: -len(other)]):
            return other
    return value


def _headings(ev: Evidence) -> list[str]:
    """Visible headline candidates: every ``<h1>`` and ``itemprop=headline`` element."""
    nodes = ev.tree.xpath("//body//h1 | //body//*[@itemprop='headline'][not(self::meta)]")
    return [t for n in nodes if 3 <= len(t := norm(unescape(node_text(n)))) <= 400]


def _plain_quotes(text: str) -> str:
    return text.translate(_QUOTES).casefold()


def pick_title(ev: Evidence) -> tuple[str | None, str]:
    """The page's declared headline, checked against the visible one.

    og:title comes first: editors write it as the article's headline, while an ``<h1>`` may be
    a teaser or section heading and JSON-LD ``headline`` a shortened SEO form. It is corrected
    when the page shows it is damaged: a site or section segment that the other sources lack
    (``Headline - Section``), a value cut short (an unescaped quote in the attribute ends it),
    or quotes flattened to ASCII where the printed heading has typographic ones. Without
    og:title, a heading (``<h1>``, ``itemprop=headline``) that JSON-LD or twitter:title repeat
    wins, then JSON-LD, twitter:title, ``<title>`` and the first heading.
    """
    site_names = ev.publisher_names | {_host_label(ev.url)}
    declared = [
        ("og:title", _clean_title(ev.first_meta("og:title"), site_names)),
        ("json-ld headline", _clean_title(_jsonld_text(ev.article.get("headline")), site_names)),
        ("twitter:title", _clean_title(ev.first_meta("twitter:title"), site_names)),
        ("<title>", _clean_title(ev.tree.findtext(".//title"), site_names)),
    ]
    declared = [(n, v) for n, v in declared if v]
    headings = _headings(ev)
    values = [v for _, v in declared] + headings
    reduced = [(n, _reduce_to(v, values)) for n, v in declared]
    note = {
        n: " (extra segment dropped)"
        for (n, v), (_, r) in zip(declared, reduced, strict=True)
        if v != r
    }
    declared = reduced
    if declared and declared[0][0] == "og:title":
        og = declared[0][1]
        for heading in headings:
            if heading != og and _plain_quotes(heading) == _plain_quotes(og):
                return heading, "og:title, typography of the printed heading"
        for other in [v for _, v in declared] + headings:
            rest = other[len(og) :]
            # Cut mid-sentence (an unescaped quote ended the attribute), not a suffix segment.
            cut = other.casefold().startswith(og.casefold()) and rest[:2] in (' "', " '")
            if cut and not _SEPARATORS.match(rest) and not rest.startswith(" ,"):
                return other, "og:title was cut short; its full form"
        return og, "og:title" + note.get("og:title", "")
    for heading in headings:
        agree = [n for n, v in declared if n != "<title>" and v.casefold() == heading.casefold()]
        if agree:
            return heading, "heading confirmed by " + " = ".join(agree)
    if declared:
        name, value = declared[0]
        return value, name + note.get(name, "")
    if headings:
        return headings[0], "first heading (no metadata)"
    return None, "no title found"


def _host_label(url: str) -> str:
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return host.casefold()


# --- dates ----------------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "published_time",
    "datepublished",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "cxenseparse:recs:publishtime",
    "article_date_original",
    "originalpublicationdate",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "lastmod",
    "dcterms.modified",
    "last-modified",
)
_PRECISE = ("second", "minute", "hour")


def page_timezone(ev: Evidence, language: str | None) -> timezone:
    """+07:00 for Vietnamese pages (they omit it); UTC elsewhere as the least-wrong guess."""
    if (language or "").startswith("vi") or _host_label(ev.url).endswith(".vn"):
        return VN_TZ
    return UTC


def _date_candidates(ev: Evidence, keys_ld: tuple[str, ...], metas: tuple[str, ...]):
    for key in keys_ld:
        value = _jsonld_text(ev.article.get(key))
        if value:
            yield f"json-ld {key}", value
    for key in metas:
        for value in ev.meta.get(key, []):
            yield f"meta {key}", value


def pick_date(
    ev: Evidence, tz: timezone, dates: PageDates, *, modified: bool = False
) -> tuple[datetime | None, str | None, str]:
    """The publication (or modification) date, with the reason it was chosen.

    Structured data first (JSON-LD, then meta): the first value known to the minute wins. Else
    the article's date line (``PageDates``: by the headline, never site chrome or a teaser;
    "Đăng" before an unlabelled line before "Cập nhật"). A structured value known only to the
    day is upgraded by a date line with a time on the same day. Then class-marked dates that
    only dateparser reads, then a date in the URL.
    """
    if modified:
        candidates = list(_date_candidates(ev, ("dateModified",), _MODIFIED_META))
    else:
        candidates = list(_date_candidates(ev, ("datePublished", "dateCreated"), _PUBLISHED_META))
    day_only: tuple[datetime, str, str] | None = None
    for source, text in candidates:
        value, precision = parse_date(text, default_tz=tz, use_dateparser=False)
        if value is None or precision is None:
            continue
        if precision in _PRECISE:
            return value, precision, f"{source}: {norm(text)[:60]}"
        if day_only is None:
            day_only = (value, precision, f"{source}: {norm(text)[:60]}")
    ranked = rank_updated(dates.lines()) if modified else rank_published(dates.lines())
    if day_only is not None:
        day = day_only[0].astimezone(tz).date()
        for line in ranked:
            if line.has_time and line.value.astimezone(tz).date() == day:
                return line.value, line.precision, line.describe() + " (time of the day given)"
        return day_only
    if ranked:
        return ranked[0].value, ranked[0].precision, ranked[0].describe()
    if modified:
        return None, None, "no date found"
    ranked = rank_published(dates.class_marked())
    if ranked:
        return ranked[0].value, ranked[0].precision, ranked[0].describe()
    if m := _URL_DATE.search(ev.url):
        try:
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=tz), "day", "date in the URL"
        except ValueError:
            pass
    return None, None, "no date found"
