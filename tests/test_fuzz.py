"""Property tests (hypothesis): parsers, dates, URL identity, bylines, text and page decoding
take arbitrary input without an exception escaping, and what they give back keeps its contract.

Bounded for a 2-core machine: fixed example counts, derandomized (the same examples on every
run, so CI cannot flake), no example database. ``HYPOTHESIS_PROFILE=explore`` runs many more,
random examples locally.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from baotinh import registry
from baotinh.article import article_from_page
from baotinh.dates import parse_date, to_utc
from baotinh.encoding import decode_page
from baotinh.normalize import normalize_fields
from baotinh.parsers.base import ParsedPage
from baotinh.parsers.bylines import split_byline
from baotinh.parsers.families import parser_for
from baotinh.parsers.generic import GenericParser
from baotinh.text import clean_body, clean_line
from baotinh.urls import article_id, normalize_url

settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
settings.register_profile("explore", max_examples=2000, deadline=None)
# Per-test example counts below are for the "ci" profile; "explore" multiplies them.
_SCALE = 20 if os.environ.get("HYPOTHESIS_PROFILE") == "explore" else 1


def examples(n: int) -> settings:
    return settings(max_examples=n * _SCALE)


settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# -- strategies -----------------------------------------------------------------------------

VIET_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "AĂÂĐÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
)
MARKS = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"  # tones, circumflex, breve, horn
WORDS = [
    "Hà Tĩnh", "Khánh Hòa", "Cần Thơ", "người", "dân", "tỉnh", "huyện", "Ủy ban", "thủy",
    "khẳng định", "Bài và ảnh:", "Tin, ảnh:", "Theo TTXVN", "Thứ Sáu,", "12/12/2025", "14:13",
    "(GMT+7)", "GMT+0", "Uhr", "MEZ", "ICT", "-", "–", ",", ";", ".", "và", "Nguồn:", "Ảnh:",
    "Just a moment...", "enable JavaScript", "&amp;", "&#7871;", "\u00a0", "\u200b", "\r\n",
]  # fmt: skip


def _decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


vi_words = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=VIET_LETTERS, min_size=1, max_size=8),
    st.sampled_from(WORDS).map(_decomposed),
)
vi_text = st.one_of(
    st.lists(vi_words, max_size=12).map(" ".join),
    st.text(alphabet=VIET_LETTERS + MARKS + " \t\n\r.,:;-–()/", max_size=60),
    st.text(max_size=40),  # anything at all, surrogates excepted
)

TAGS = ["div", "p", "span", "h1", "h2", "h3", "a", "article", "section", "time", "figure",
        "figcaption", "table", "td", "ul", "li", "b", "strong", "em", "noscript", "script",
        "style", "header", "footer", "main", "nav"]  # fmt: skip
CLASSES = [
    "article__title cms-title", "article__sapo cms-desc", "article__meta", "article__author",
    "article__body zce-content-body cms-body", "breadcrumbs", "article__tag", "page-detail-head",
    "page-detail-sapo", "content-detail td-post-content", "page-detail-meta", "date", "title",
    "detail-header", "sapo", "detail-content", "detail-author", "content-fck", "pubdate", "story",
    "time",
]  # fmt: skip
attributes = st.dictionaries(
    st.sampled_from(["class", "id", "href", "datetime", "content", "property", "name", "itemprop"]),
    st.one_of(st.sampled_from(CLASSES), vi_text, st.sampled_from(
        ["2025-12-12T14:13:00+0700", "og:title", "description", "/tin-moi.html",
         "https://baohatinh.vn/x-post1.html", "articleBody"])),
    max_size=3,
)  # fmt: skip


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, attrs: dict[str, str], inner: list[str]) -> str:
        quoted = {k: _escape(v).replace('"', "&quot;") for k, v in attrs.items()}
        rendered = "".join(f' {k}="{v}"' for k, v in quoted.items())
        return f"<{tag}{rendered}>{''.join(inner)}</{tag}>"

    return st.builds(render, st.sampled_from(TAGS), attributes, st.lists(children, max_size=4))


html_fragment = st.recursive(
    st.one_of(vi_text.map(_escape), st.sampled_from(["<br>", "<p>", "</div>", "<", "&", "<!--"])),
    _element,
    max_leaves=25,
)
html_page = st.one_of(
    st.builds(
        lambda title, meta, body: (
            f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{_escape(title)}"
            f"</title>{meta}</head><body>{body}</body></html>"
        ),
        vi_text,
        st.sampled_from(
            [
                "",
                '<meta property="og:title" content="Tin - Báo">',
                '<script type="application/ld+json">{"@type":"NewsArticle",'
                '"headline":"Tin","datePublished":"2025-12-12T14:13:00+07:00"}</script>',
                '<meta property="article:published_time" content="12/12/2025 14:13">',
            ]
        ),
        html_fragment,
    ),
    html_fragment,
    st.text(max_size=200),
)


# -- parsers ---------------------------------------------------------------------------------

PAGE_URL = "https://baohatinh.vn/tin-bai-post300101.html"


def _check_page(page: ParsedPage) -> None:
    texts = [page.title, page.sapo, page.category, *page.paragraphs, *page.authors, *page.tags]
    assert all(text is None or isinstance(text, str) for text in texts)
    for value in (page.published_at, page.modified_at):
        assert value is None or (value.tzinfo is not None and value.utcoffset() is not None)
        assert value is None or to_utc(value).tzinfo == UTC
    assert page.skip_reason in (None, "js_only", "bot_wall", "not_article", "empty_body")


def _check_row(page: ParsedPage) -> None:
    """ParsedPage text is raw-ish by contract; what is stored (the row after the normalize
    step) must be NFC, with times in UTC."""
    row = article_from_page(page, PAGE_URL, registry.get("baohatinh"), datetime.now(UTC))
    normalize_fields(row)
    for name in ("title", "sapo", "category", "body", "url", "canonical_url"):
        assert row[name] is None or nfc(row[name]), (name, row[name])
    for name in ("authors", "tags"):
        assert all(nfc(v) for v in row[name] or []), (name, row[name])
    for name in ("published_at", "modified_at"):
        assert row[name] is None or row[name].utcoffset() == timedelta(0), (name, row[name])


def _parse(parse: Callable[[str, str], ParsedPage], html: str) -> ParsedPage | None:
    """The parsers' contract (generic_evidence.gather): ValueError on a page lxml cannot build
    a tree from ("empty page", "unparsable page: ..."); the spider books it failed:parser_error
    (reported: such pages should be skipped empty_body). Anything else escaping is a finding."""
    try:
        return parse(html, PAGE_URL)
    except ValueError as exc:
        assert str(exc) == "empty page" or str(exc).startswith("unparsable page:"), exc
        return None


@examples(50)
@given(html=html_page)
def test_family_parsers_take_any_html(html: str) -> None:
    for family in ("A", "B", "C"):
        page = _parse(parser_for(family).parse, html)
        if page is not None:
            _check_page(page)
            _check_row(page)


@examples(50)
@given(html=html_page)
def test_generic_parser_takes_any_html(html: str) -> None:
    page = _parse(GenericParser().parse, html)
    if page is not None:
        _check_page(page)
        _check_row(page)


# -- dates ----------------------------------------------------------------------------------

date_parts = st.one_of(
    st.integers(0, 40).map(str), st.integers(1900, 2100).map(str), st.integers(0, 99999).map(str),
    st.sampled_from(["/", "-", ".", ":", "h", " ", ", ", " - ", "T", "Z", "+", "+07:00", "+0700",
                     "GMT", "GMT+7", "(GMT+07:00)", "UTC+7", "GMT+0", "GMT-99", "ICT", "MEZ", "Uhr",
                     "CEST", "EST", "JST", "KST", "AM", "PM", "lúc", "ngày", "Thứ Sáu", "tháng",
                     "năm", "Dec", "December", "Fri,", "Oktober", "giờ"]),
)  # fmt: skip
date_text = st.one_of(st.lists(date_parts, max_size=12).map("".join), vi_text)


@examples(400)
@given(text=date_text)
def test_fast_date_paths_take_any_text(text: str) -> None:
    value, precision = parse_date(text, use_dateparser=False)
    assert (value is None) == (precision is None)
    if value is not None:
        assert value.utcoffset() is not None and precision in ("day", "minute", "second")
        assert to_utc(value).tzinfo == UTC


@examples(40)
@given(text=date_text)
def test_dateparser_path_takes_any_text(text: str) -> None:
    value, precision = parse_date(text)
    if value is not None:
        assert value.utcoffset() is not None and precision in ("day", "minute", "second")
        to_utc(value)


HOUR = timedelta(hours=1)
ZONES = [("GMT+7", 7 * HOUR), ("(GMT+07:00)", 7 * HOUR), ("UTC+7", 7 * HOUR), ("GMT+0", 0 * HOUR),
         ("GMT", 0 * HOUR), ("UTC", 0 * HOUR), ("+0700", 7 * HOUR), ("-0500", -5 * HOUR),
         ("(GMT-3)", -3 * HOUR), ("GMT+5:30", timedelta(hours=5, minutes=30)), ("ICT", 7 * HOUR),
         ("CET", 1 * HOUR), ("CEST", 2 * HOUR), ("Uhr MEZ", 1 * HOUR), ("Uhr MESZ", 2 * HOUR),
         ("EST", -5 * HOUR), ("EDT", -4 * HOUR), ("JST", 9 * HOUR), ("KST", 9 * HOUR),
         ("", None)]  # fmt: skip
FAST_FORMATS = [
    "{d:02d}/{m:02d}/{y} {H:02d}:{M:02d} {zone}",
    "Thứ Sáu, {d}/{m}/{y} - {H}:{M:02d} {zone}",
    "{d}.{m}.{y}, {H}:{M:02d} {zone}",
    "{H:02d}:{M:02d} {d}/{m}/{y} {zone}",
    "{y}-{m:02d}-{d:02d} {H:02d}:{M:02d} {zone}",
]
SLOW_FORMATS = ["{d} tháng {m} năm {y} {H}:{M:02d} {zone}", "{d}. Dezember {y}, {H}:{M:02d} {zone}"]


@examples(150)
@given(
    when=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31)),
    zone=st.sampled_from(ZONES),
    shape=st.sampled_from(FAST_FORMATS),
)
def test_a_stated_zone_is_kept_and_no_zone_means_plus_seven(
    when: datetime, zone: tuple[str, timedelta | None], shape: str
) -> None:
    name, offset = zone
    text = shape.format(
        d=when.day, m=when.month, y=when.year, H=when.hour, M=when.minute, zone=name
    )
    value, precision = parse_date(text, use_dateparser=False)
    assert value is not None, text
    assert value.replace(tzinfo=None) == when.replace(second=0, microsecond=0), text
    assert value.utcoffset() == (offset if offset is not None else 7 * HOUR), text
    assert precision == "minute"


@examples(12)
@given(
    when=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31)),
    zone=st.sampled_from(ZONES),
    shape=st.sampled_from(SLOW_FORMATS),
)
def test_a_stated_zone_is_kept_through_dateparser(
    when: datetime, zone: tuple[str, timedelta | None], shape: str
) -> None:
    name, offset = zone
    # One language per date: German dates say "Dezember" and "Uhr", Vietnamese ones "tháng".
    assume(
        ("Dezember" in shape) == ("Uhr" in name) and ("Dezember" not in shape or when.month == 12)
    )
    text = shape.format(
        d=when.day, m=when.month, y=when.year, H=when.hour, M=when.minute, zone=name
    )
    value, _ = parse_date(text)
    assert value is not None, text
    assert value.replace(tzinfo=None) == when.replace(second=0, microsecond=0), text
    assert value.utcoffset() == (offset if offset is not None else 7 * HOUR), text


# -- URLs -----------------------------------------------------------------------------------

segment = st.one_of(
    st.text(alphabet=VIET_LETTERS + "abcdefghijklmnopqrstuvwxyz0123456789-_.~", min_size=1,
            max_size=20),
    st.sampled_from(["xã-hội", "xây-dựng-đô-thị", "tin-tức", "a%2Fb", "%C3%A1", "a%CC%81",
                     "%41%CC%81", "%C3", "index.html", "tin-bai-post300101.html", "..", "."]),
)  # fmt: skip
url_strategy = st.builds(
    lambda scheme, host, segments, query, slash, fragment: (
        f"{scheme}://{host}/{'/'.join(segments)}{'/' if slash else ''}{query}{fragment}"
    ),
    st.sampled_from(["https", "http"]),
    st.sampled_from(["baohatinh.vn", "www.baohatinh.vn", "m.baokhanhhoa.vn", "baolaichau.vn",
                     "baocantho.com.vn:8443"]),
    st.lists(segment, max_size=4),
    st.sampled_from(["", "?page=2", "?utm_source=zalo&id=5", "?q=c%C3%A0+ph%C3%AA", "?q=cà phê",
                     "?b=2&a=1", "?x=%2F"]),
    st.booleans(),
    st.sampled_from(["", "#binh-luan"]),
)  # fmt: skip


@examples(300)
@given(url=url_strategy)
def test_normalize_url_is_idempotent_and_nfc_stable(url: str) -> None:
    key = normalize_url(url)
    assert normalize_url(key) == key
    assert key.isascii() and key.startswith("https://")
    for form in ("NFC", "NFD"):
        assert normalize_url(unicodedata.normalize(form, url)) == key
    assert article_id(unicodedata.normalize("NFD", url)) == article_id(url)
    # The same URL percent-encoded (as a browser would send it) is the same identity.
    scheme, rest = url.split("://", 1)
    assert normalize_url(f"{scheme}://{quote(rest, safe='/?&=:#%+~')}") == key


@examples(200)
@given(text=st.text(max_size=80))
def test_normalize_url_takes_any_text(text: str) -> None:
    try:
        key = normalize_url(text)
    except ValueError:
        # w3lib refuses some malformed URLs (e.g. an unclosed IPv6 bracket): a clear refusal
        # the caller can count, not a crash. Nothing else may escape.
        return
    assert normalize_url(key) == key


# -- bylines and text -----------------------------------------------------------------------


@examples(300)
@given(text=vi_text)
def test_split_byline_takes_any_text(text: str) -> None:
    names = split_byline(text)
    assert all(isinstance(n, str) and n and nfc(n) for n in names)
    assert len(names) == len(set(names))


@examples(300)
@given(text=vi_text)
def test_clean_text_is_nfc_and_stable(text: str) -> None:
    line = clean_line(text)
    assert nfc(line) and "\n" not in line and "\r" not in line and line == line.strip()
    assert clean_line(line) == line
    body = clean_body(text)
    assert nfc(body) and clean_body(body) == body


# -- decoding -------------------------------------------------------------------------------

content_types = st.sampled_from([
    None, "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1252",
    "text/html; charset=iso-8859-1", "text/html; charset=windows-1258", "text/html; charset=bogus",
    "text/html; charset=utf-16", "application/octet-stream",
])  # fmt: skip
page_bytes = st.one_of(
    st.binary(max_size=300),
    html_page.map(lambda h: h.encode("utf-8", "surrogatepass")),
    html_page.map(lambda h: h.encode("cp1258", "ignore")),
)


@examples(200)
@given(body=page_bytes, content_type=content_types)
def test_decode_page_takes_any_bytes(body: bytes, content_type: str | None) -> None:
    assume(b"\x00" not in body[:2] or len(body) > 2)
    decoded = decode_page(body, content_type)
    assert isinstance(decoded.text, str) and nfc(decoded.text)
    assert decoded.legacy in (None, "tcvn3", "vni")
