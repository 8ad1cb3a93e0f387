"""The article's date line: the date printed by its headline, never the site's chrome.

Vietnamese papers print today's date in the site header ("Thứ Bảy, ngày 27/09/2025") and the
article's own date line by the headline ("Ngày 13/09/2025 06:32 GMT+7", "Cập nhật: ..."), with
more dates in related-article teasers. Taking the first date of the page gives today's date on
every article (issue 6 item 1). Here every printed date is a candidate, and a candidate is
weighed by where it stands:

- **chrome**: inside the site's header, navigation, footer or sidebar (an element that does
  not also hold the headline) — never the article's date, unless it stands right after the
  headline (a template may name its own date box like furniture);
- **teaser**: inside a link or a small block holding a link to another story (related
  articles, listings) — another story's date;
- **near**: within a few elements before or after the headline;
- **label**: "Đăng"/"Ngày đăng"/"Xuất bản" (published) beats an unlabelled line, which beats
  "Cập nhật" (updated); an update line gives ``modified_at``;
- **precision**: a line with a time of day beats a day-only one.

Written here because the library made for it, htmldate (trafilatura's date search), weighs
markup, metadata and how often a date occurs, not where it stands against the headline: on the
pages of ``tests/fixtures/generic/datelines/`` (``find_date(..., extensive_search=True,
original_date=True)``, htmldate 1.11) it got 0 of 12 right, 7 of them the header's today-date,
and none with the time of day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from typing import Literal
from urllib.parse import urljoin

import lxml.html

from baotinh.dates import parse_date

Label = Literal["published", "updated", ""]

# A date as pages print it: 13/09/2025, 13-9-2025, 13.09.2025, 2025-09-13, 13 tháng 9 năm 2025.
_DATE_SHAPE = re.compile(
    r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?!\d)|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"
    r"|(?<!\d)\d{1,2}\s+tháng\s+\d{1,2}",
    re.I,
)
# Elements whose class or id names a date, for the shapes only dateparser reads
# ("April 25, 2024", "25. April 2024").
_DATE_CLASS = re.compile(r"date|time|publish|posted|meta|byline|ngay|thoi-gian", re.I)
_LABEL = re.compile(
    r"(?P<published>(?:ngày\s+)?đăng(?:\s+(?:lúc|ngày|tải))?|xuất bản|phát hành|published|posted"
    r"|veröffentlicht|publié|publicado|pubblicato|erschienen)"
    r"|(?P<updated>cập nhật|updated?|last modified|modified|aktualisiert|mis à jour|actualizado"
    r"|aggiornato|chỉnh sửa|sửa lúc)",
    re.I,
)
LINE_CHARS = 120  # a date line is short; a paragraph that mentions a date is not one
_CLIMB = 3  # levels above a date's own element that may still be its line
_TEASER_BLOCK_CHARS = 400  # a teaser: headline + lead + date; an article block is longer
_TEASER_WORDS = 5
NEAR_BEFORE, NEAR_AFTER = 15, 60  # elements around the headline that count as "by it"
# A date in site chrome counts only this close after the headline (a template's own date box
# named like furniture, "sc-longform-header-meta"); further on it is the page's footer or
# sidebar, which on a short page (a small topic page) still stands within NEAR_AFTER.
CHROME_AFTER = 10

_CHROME_TAGS = frozenset({"header", "nav", "footer", "aside"})
# Whole class/id tokens of site furniture: "header", "site-header", "top-bar", "menu", "footer",
# "sidebar", "weather", "today", "current-date", ... ("detail-header", "article-footer" are not).
_CHROME_TOKEN = re.compile(
    r"(?:site|page|main|global|top|web)?[-_]?"
    r"(?:header|head|top|topbar|top-bar|masthead|navbar|nav|navigation|menu|mainmenu|footer|foot"
    r"|sidebar|side-bar|widget|weather|thoitiet|thoi-tiet|clock|today|current[-_]?date|date[-_]?now"
    r"|ngay[-_]?hom[-_]?nay|ticker|marquee|breaking|banner|logo)"
    r"(?:[-_]?(?:wrap|wrapper|bar|inner|area|container|box|top|right|left|main|info|date|time))?",
    re.I,
)


@dataclass(frozen=True)
class DateLine:
    text: str
    value: datetime
    precision: str
    label: Label
    position: int  # document order of the date's own element
    distance: int | None  # elements from the headline (None: no headline)
    chrome: bool
    teaser: bool
    source: str  # "<time datetime>", "date line", "class-marked date (dateparser)"

    @property
    def near(self) -> bool:
        return self.distance is not None and -NEAR_BEFORE <= self.distance <= NEAR_AFTER

    @property
    def right_after_headline(self) -> bool:
        """Within CHROME_AFTER elements after the headline."""
        return self.distance is not None and 0 < self.distance <= CHROME_AFTER

    @property
    def has_time(self) -> bool:
        return self.precision in ("second", "minute", "hour")

    def describe(self) -> str:
        where = "by the headline" if self.near else "away from the headline"
        if self.chrome:
            where += ", in site chrome"
        label = f"{self.label} " if self.label else ""
        return f"{label}{self.source} {where}: {self.text[:60]}"


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def find_headline(tree: lxml.html.HtmlElement, title: str | None) -> lxml.html.HtmlElement | None:
    """The element printing the headline: an ``<h1>`` (or ``itemprop=headline``) that reads as
    the title, else the first ``<h1>`` of three words or more outside site chrome."""
    nodes = tree.xpath("//body//h1 | //body//*[@itemprop='headline'][not(self::meta)]")
    wanted = _norm(title).casefold()
    if wanted:
        for node in nodes:
            text = _norm(node.text_content()).casefold()
            if text and (
                text == wanted or (len(text) >= 10 and (text in wanted or wanted in text))
            ):
                return node
        # A headline printed in another element (h2.title, div.title) on older templates.
        for node in tree.xpath("//body//*[self::h2 or self::h3 or contains(@class, 'title')]"):
            if _norm(node.text_content()).casefold() == wanted:
                return node
    for node in nodes:
        if len(_norm(node.text_content()).split()) >= 3 and not _in_chrome_tags(node):
            return node
    return None


def _in_chrome_tags(node: lxml.html.HtmlElement) -> bool:
    return any(a.tag in _CHROME_TAGS for a in node.iterancestors())


# Words that name site furniture wherever they stand in a class name ("c-header__date",
# "header__top", "site-footer-info"); ambiguous words ("top", "head", "nav", "date") count only
# as whole tokens (above).
_CHROME_PART = frozenset(
    {"header", "masthead", "navbar", "menu", "mainmenu", "footer", "sidebar", "topbar",
     "weather", "thoitiet", "clock", "today", "ticker", "marquee", "breaking"}
)  # fmt: skip
_PARTS = re.compile(r"[-_]+")


def _chrome_tokens(node: lxml.html.HtmlElement) -> bool:
    tokens = (node.get("class") or "").split() + (node.get("id") or "").split()
    return any(
        _CHROME_TOKEN.fullmatch(t) or not _CHROME_PART.isdisjoint(_PARTS.split(t.casefold()))
        for t in tokens
    )


class PageDates:
    """The dates a page prints, weighed against its headline; computed once per page."""

    def __init__(
        self,
        tree: lxml.html.HtmlElement,
        headline: lxml.html.HtmlElement | None,
        url: str,
        tz: timezone,
    ) -> None:
        self.tree, self.url, self.tz = tree, url, tz
        self.headline = headline
        self.head_line: set[lxml.html.HtmlElement] = (
            {headline, *headline.iterancestors()} if headline is not None else set()
        )
        self.head_article = (
            next((a for a in headline.iterancestors() if a.tag == "article"), None)
            if headline is not None
            else None
        )
        self._lines: list[DateLine] | None = None

    @cached_property
    def order(self) -> dict[lxml.html.HtmlElement, int]:
        """Document order of every element (computed on first use)."""
        return {el: i for i, el in enumerate(self.tree.iter())}

    def distance(self, node: lxml.html.HtmlElement) -> int | None:
        if self.headline is None:
            return None
        return self.order.get(node, 0) - self.order.get(self.headline, 0)

    def is_after_headline(self, node: lxml.html.HtmlElement) -> bool:
        """Within a few elements after the headline."""
        distance = self.distance(node)
        return distance is not None and 0 < distance <= NEAR_AFTER

    def _below_headline(self, node: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
        """The node and its ancestors up to (not including) the first that holds the headline."""
        path = []
        for el in (node, *node.iterancestors()):
            if el in self.head_line or el.tag in ("body", "html"):
                break
            path.append(el)
        return path

    def is_chrome(self, node: lxml.html.HtmlElement) -> bool:
        """In the site's header, navigation, footer or sidebar (not in the headline's block)."""
        in_article = self.head_article is not None and (
            node is self.head_article or self.head_article in node.iterancestors()
        )
        for el in self._below_headline(node):
            if el.tag in ("nav", "aside") or _chrome_tokens(el):
                return True
            # <header>/<footer> inside the headline's <article> are the article's own.
            if el.tag in ("header", "footer") and not in_article:
                return True
        return False

    def is_teaser(self, node: lxml.html.HtmlElement) -> bool:
        """Inside a link, or a small block that links to another story (related, listing)."""
        for level, el in enumerate(self._below_headline(node)):
            if el.tag == "a":
                return True
            if level > 4 or len(_norm(el.text_content())) > _TEASER_BLOCK_CHARS:
                break
            for link in el.iter("a"):
                href = (link.get("href") or "").strip()
                if not href or href.startswith("#") or urljoin(self.url, href) == self.url:
                    continue
                if len(_norm(link.text_content()).split()) >= _TEASER_WORDS:
                    return True
        return False

    def _line(self, node, text: str, source: str, label: Label, value, precision) -> DateLine:
        return DateLine(
            text=_norm(text),
            value=value,
            precision=precision,
            label=label,
            position=self.order.get(node, 0),
            distance=self.distance(node),
            chrome=self.is_chrome(node),
            teaser=self.is_teaser(node),
            source=source,
        )

    def lines(self) -> list[DateLine]:
        """Every date the page prints (fast-path shapes), with where it stands."""
        if self._lines is None:
            self._lines = self._collect()
        return self._lines

    def _collect(self) -> list[DateLine]:
        lines: list[DateLine] = []
        for node in self.tree.iter("time"):
            stamp = node.get("datetime")
            value, precision = parse_date(stamp, default_tz=self.tz, use_dateparser=False)
            if value is None or precision is None:
                continue
            context = _norm(_line_of(node).text_content())
            # The label printed right before this element ("Cập nhật: <time> · Đăng: <time>").
            before = _norm(" ".join(node.xpath("preceding::text()[position() <= 3]")))
            marks = list(_LABEL.finditer(before))
            label: Label = ""
            if marks:
                label = "published" if marks[-1].group("published") else "updated"
            lines.append(
                self._line(node, context or stamp, "<time datetime>", label, value, precision)
            )
        texts = self.tree.xpath(
            "//body//text()[normalize-space()]"
            "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
        )
        seen: set[lxml.html.HtmlElement] = set()
        for text in texts:
            if len(text) > 300 or not _DATE_SHAPE.search(text):
                continue
            owner = text.getparent()
            if owner is not None and text.is_tail:
                owner = owner.getparent()
            if owner is None:
                continue
            line = _line_of(owner)
            if line in seen:
                continue
            seen.add(line)
            line_text = _norm(line.text_content())
            if len(line_text) > LINE_CHARS:
                # A paragraph that mentions a date, not a date line; read the text node alone.
                line_text = _norm(str(text))
                if len(line_text) > LINE_CHARS:
                    continue
            for label, value, precision in labelled_dates(line_text, self.tz):
                lines.append(self._line(owner, line_text, "date line", label, value, precision))
        return lines

    def class_marked(self) -> list[DateLine]:
        """Class-marked date texts that only dateparser reads ("April 25, 2024")."""
        xpath = (
            "//body//*[self::span or self::div or self::p or self::li or self::small"
            " or self::time][@class or @id][not(*[self::div or self::p])]"
        )
        found = []
        for node in self.tree.xpath(xpath):
            marker = (node.get("class") or "") + " " + (node.get("id") or "")
            if not _DATE_CLASS.search(marker):
                continue
            text = _norm(node.text_content())
            if not (6 <= len(text) <= LINE_CHARS and re.search(r"\d", text)):
                continue
            value, precision = parse_date(text, default_tz=self.tz, use_dateparser=True)
            if value is not None and precision is not None:
                found.append(
                    self._line(node, text, "class-marked date (dateparser)", "", value, precision)
                )
        return found


def _line_of(node: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The date line a date belongs to: its element, or a short ancestor that also holds the time
    printed beside it (``<span>13/09/2025</span> <span>06:32</span>``)."""
    line = node
    for _ in range(_CLIMB):
        parent = line.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main", "h1"):
            break
        if len(_norm(parent.text_content())) > LINE_CHARS:
            break
        line = parent
    return line


def labelled_dates(text: str, tz: timezone) -> list[tuple[Label, datetime, str]]:
    """The dates of one line with their labels: ``"Đăng: A | Cập nhật: B"`` -> two values."""
    marks = list(_LABEL.finditer(text))
    segments: list[tuple[Label, str]] = []
    if not marks:
        segments.append(("", text))
    else:
        if _DATE_SHAPE.search(text[: marks[0].start()]):
            segments.append(("", text[: marks[0].start()]))
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            label: Label = "published" if mark.group("published") else "updated"
            segments.append((label, text[mark.end() : end]))
    found = []
    for label, segment in segments:
        value, precision = parse_date(segment, default_tz=tz, use_dateparser=False)
        if value is not None and precision is not None:
            found.append((label, value, precision))
    return found


_DATE_TOKENS = re.compile(
    r"\d{1,4}(?:[/.:hg-]\d{1,4})*|gmt|utc|[+-]\d{1,2}(?::?\d{2})?|am|pm|[|,()\-–:]", re.I
)
DATE_LINE_WORDS = 6  # "Thứ Bảy, ngày", "Đăng lúc ... Cập nhật": a few words beside the dates


def is_date_line(text: str) -> bool:
    """A short paragraph that is only a date line ("Thứ Sáu, 12/12/2025 - 14:13",
    "Đăng lúc 06:32 ngày 17/09/2025 - Cập nhật: 18/09/2025 08:00"), not body text."""
    if len(text) > LINE_CHARS or not _DATE_SHAPE.search(text):
        return False
    if parse_date(text, use_dateparser=False)[0] is None:
        return False
    return len(_DATE_TOKENS.sub(" ", text).split()) <= DATE_LINE_WORDS


def published_in(text: str, tz: timezone) -> tuple[datetime | None, str | None]:
    """The publication date of one date line: its published or unlabelled date, else the only
    (updated) one."""
    found = sorted(labelled_dates(text, tz), key=lambda f: f[0] == "updated")
    return (found[0][1], found[0][2]) if found else (None, None)


def updated_in(text: str, tz: timezone) -> datetime | None:
    return next((v for label, v, _ in labelled_dates(text, tz) if label == "updated"), None)


def rank_published(lines: list[DateLine]) -> list[DateLine]:
    """Candidates for the publication date, best first; chrome and teaser dates left out
    (chrome right after the headline stays: a template may wrap its own date line in a box
    named like furniture; chrome before the headline is the site's header, and further after
    it the footer's, e.g. a licence "cấp ngày 12/02/2021")."""
    usable = [d for d in lines if not d.teaser and (not d.chrome or d.right_after_headline)]
    label_rank = {"published": 0, "": 1, "updated": 2}
    return sorted(
        usable,
        key=lambda d: (
            not d.near,
            label_rank[d.label],
            not d.has_time,
            abs(d.distance) if d.distance is not None else d.position,
        ),
    )


def rank_updated(lines: list[DateLine]) -> list[DateLine]:
    usable = [d for d in lines if d.label == "updated" and not d.teaser and not d.chrome]
    return sorted(usable, key=lambda d: (not d.near, abs(d.distance or 0)))
