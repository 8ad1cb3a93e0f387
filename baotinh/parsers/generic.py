"""The generic parser: any page without a family parser, and ``baotinh extract``.

Per field it weighs the evidence the page offers (JSON-LD, meta, ``<time>``, the visible
headline, date line and byline, trafilatura for the body) and records in ``reasons`` why each
value was chosen. Stateless: one instance serves any number of pages and threads.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from baotinh.parsers.base import PageParser, ParsedPage, empty_page, rights_meta
from baotinh.parsers.bylines import trailing_byline
from baotinh.parsers.datelines import PageDates, find_headline, is_date_line, rank_published
from baotinh.parsers.generic_authors import pick_authors
from baotinh.parsers.generic_body import (
    content_type,
    pick_body,
    pick_images,
    pick_sapo,
    visible_text,
)
from baotinh.parsers.generic_evidence import EmptyPage, Evidence, gather, norm
from baotinh.parsers.generic_meta import page_timezone, pick_date, pick_title
from baotinh.parsers.page_kind import (
    ARTICLE_PROSE,
    SHELL_TEXT_CHARS,
    listing_reason,
    prose_paragraphs,
    shell_reason,
)

_LANG = re.compile(r"^[a-z]{2,3}$")


def _language(ev: Evidence) -> str | None:
    for raw in (
        ev.tree.get("lang"),
        ev.tree.get("xml:lang"),
        ev.first_meta("og:locale"),
        ev.first_meta("content-language"),
        ev.first_meta("language"),
        ev.article.get("inLanguage") if isinstance(ev.article.get("inLanguage"), str) else None,
    ):
        primary = (raw or "").strip().replace("_", "-").split("-")[0].lower()
        if _LANG.match(primary):
            return primary
    return None


def _listing(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out += [t.strip() for t in item.split(",") if t.strip()]
    return out


class GenericParser(PageParser):
    name = "generic"
    version = "1"

    def __init__(self, *, credit_agencies: bool = True) -> None:
        # Wire agencies named as a story's byline are its author credit (see generic_authors).
        self.credit_agencies = credit_agencies

    def parse(self, html: str, url: str, *, body: bool = True) -> ParsedPage:
        """``body=False`` leaves the body (and the skip check that needs it) to the caller: a
        family parser that found the body saves trafilatura, most of the cost of a page."""
        try:
            evidence = gather(html, url)
        except EmptyPage as empty:
            return empty_page(self.extractor_id(), empty)
        return self.parse_evidence(evidence, html, body=body)

    def parse_evidence(
        self,
        ev: Evidence,
        html: str,
        *,
        body: bool = True,
        dates: PageDates | None = None,
        find_dates: bool = True,
    ) -> ParsedPage:
        """``parse`` on a page already gathered (a family parser's tree is reused).
        ``find_dates=False``: the caller has the dates (a family parser's date line)."""
        url = ev.url
        page = ParsedPage(extractor=self.extractor_id(), rights_meta=rights_meta(ev.meta))
        reasons = page.reasons
        page.language = _language(ev)
        reasons["language"] = "html lang / og:locale" if page.language else "not declared"
        tz = page_timezone(ev, page.language)

        page.title, reasons["title"] = pick_title(ev)
        if dates is None:
            dates = PageDates(ev.tree, find_headline(ev.tree, page.title), url, tz)
        if find_dates:
            page.published_at, page.published_precision, reasons["published_at"] = pick_date(
                ev, tz, dates
            )
            page.modified_at, _, reasons["modified_at"] = pick_date(ev, tz, dates, modified=True)

        text = visible_text(ev)
        page.sapo, reasons["sapo"] = pick_sapo(ev, text)
        paragraphs: list[str] = []
        if body:
            paragraphs, reasons["paragraphs"] = pick_body(ev, html, page.title, page.sapo)

        # A date line that trafilatura took for text ("Thứ Sáu, 12/12/2025 - 14:13") is not body.
        dated = [p for p in paragraphs if is_date_line(p)]
        if dated:
            paragraphs = [p for p in paragraphs if p not in dated]
            reasons["paragraphs"] += ", date line removed"
        # A closing byline paragraph ("Lê Phương", "Bài và ảnh: A - B") is not body text.
        closing = paragraphs[-1] if paragraphs else None
        closing_names = (
            trailing_byline(closing, ev.publisher_names, page.language) if closing else []
        )
        if closing_names:
            paragraphs = paragraphs[:-1]
            reasons["paragraphs"] += ", closing byline removed"
        page.paragraphs = paragraphs
        page.authors, reasons["authors"] = pick_authors(
            ev, closing_names, credit_agencies=self.credit_agencies
        )

        section = ev.article.get("articleSection") or ev.first_meta("article:section")
        page.category = norm(_listing(section)[0]) if _listing(section) else None
        tags = _listing(ev.article.get("keywords")) or [
            t
            for key in ("article:tag", "news_keywords", "keywords")
            for v in ev.meta.get(key, [])
            for t in _listing(v)
        ]
        page.tags = list(dict.fromkeys(norm(t) for t in tags if norm(t)))
        page.images = pick_images(ev)
        canonical = ev.tree.xpath('//link[@rel="canonical"]/@href') or [ev.first_meta("og:url")]
        page.canonical_url = urljoin(url, canonical[0]) if canonical[0] else None
        page.content_type = content_type(ev)
        if body:
            page.skip_reason, why = self._skip_reason(ev, page, dates)
            if page.skip_reason:
                reasons["skip_reason"] = why
        return page

    @staticmethod
    def _skip_reason(ev: Evidence, page: ParsedPage, dates: PageDates) -> tuple[str | None, str]:
        """Why the page is not an archivable article (``page_kind``), or None."""
        chars = sum(map(len, page.paragraphs))
        if chars < SHELL_TEXT_CHARS and (reason := shell_reason(ev.tree)):
            return reason, f"text of {chars} characters: a challenge page or a script shell"
        # A listing's teasers print dates and leads too, but no date stands by an article
        # headline and no prose stands outside a teaser.
        has_article = (
            bool(ev.article.get("headline") or ev.article.get("datePublished"))
            or ev.first_meta("article:published_time") is not None
            or any(line.near for line in rank_published(dates.lines()))
            or prose_paragraphs(ev.tree, page.paragraphs) >= ARTICLE_PROSE
        )
        if reason := listing_reason(
            ev.tree, ev.url, has_article=has_article, paragraphs=page.paragraphs
        ):
            why = "teaser links; no article data, date line by a headline or prose"
            return reason, why
        if not page.paragraphs:
            return "empty_body", "no text found"
        return None, ""
