"""The selector-driven family parser and the registry its versions join by being defined.

A family version is a subclass of ``FamilyParser`` that sets ``family``, ``version`` and
``valid_from`` and its selectors. Defining the class registers it (``__init_subclass__``): there
is no table to edit. A class that only shares selectors with its subclasses says
``abstract = True`` and is not registered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urljoin

from parsel import Selector, SelectorList

from baotinh.dates import VN_TZ, parse_date
from baotinh.parsers.base import Image, PageParser, ParsedPage, empty_page, rights_meta
from baotinh.parsers.bylines import host_names, split_byline, trailing_byline
from baotinh.parsers.datelines import (
    PageDates,
    find_headline,
    is_date_line,
    published_in,
    rank_published,
    updated_in,
)
from baotinh.parsers.generic_evidence import EmptyPage, Evidence, gather
from baotinh.parsers.page_kind import SHELL_TEXT_CHARS, listing_reason, shell_reason
from baotinh.text import clean_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from baotinh.parsers.generic import GenericParser

_BLOCKS = ("p", "h2", "h3", "h4", "blockquote", "li")


class RegistrationError(TypeError):
    """A family version that cannot be registered (missing facts, clashing dates)."""


# family id (casefolded) -> valid_from -> version class
_REGISTRY: dict[str, dict[date, type[FamilyParser]]] = {}
# casefolded -> the id as the versions declare it ("A", "numeric")
_CANONICAL: dict[str, str] = {}


def register(cls: type[FamilyParser]) -> None:
    key = cls.family.casefold()
    versions = _REGISTRY.setdefault(key, {})
    _CANONICAL.setdefault(key, cls.family)
    if _CANONICAL[key] != cls.family:
        raise RegistrationError(
            f"{cls.__qualname__}: family {cls.family!r} is spelled {_CANONICAL[key]!r} elsewhere"
        )
    for other in versions.values():
        # Re-defining the same class (a module reloaded) replaces it.
        same = (other.__module__, other.__qualname__) == (cls.__module__, cls.__qualname__)
        if same:
            del versions[other.valid_from]
            break
    if cls.valid_from in versions:
        raise RegistrationError(
            f"{cls.__qualname__} and {versions[cls.valid_from].__qualname__}: two versions of "
            f"family {cls.family!r} valid from {cls.valid_from}"
        )
    if any(v.version == cls.version for v in versions.values()):
        raise RegistrationError(
            f"{cls.__qualname__}: family {cls.family!r} already has a version {cls.version!r}"
        )
    versions[cls.valid_from] = cls


def unregister(cls: type[FamilyParser]) -> None:
    """Remove a version (tests that define throwaway versions clean up with this)."""
    key = cls.family.casefold()
    versions = _REGISTRY.get(key, {})
    if versions.get(cls.valid_from) is cls:
        del versions[cls.valid_from]
    if not versions:
        _REGISTRY.pop(key, None)
        _CANONICAL.pop(key, None)


def registered() -> dict[str, list[type[FamilyParser]]]:
    """Family id -> its versions, oldest first."""
    return {
        _CANONICAL[key]: [versions[d] for d in sorted(versions)]
        for key, versions in sorted(_REGISTRY.items())
    }


def versions_of(family: str) -> list[type[FamilyParser]]:
    versions = _REGISTRY.get(family.casefold(), {})
    return [versions[d] for d in sorted(versions)]


def _generic_parser() -> GenericParser:
    # Imported lazily: the generic parser loads trafilatura, which a family parser that finds
    # the body never needs (tests, `baotinh extract` on a known family).
    from baotinh.parsers.generic import GenericParser

    return GenericParser()


class FamilyParser(PageParser):
    """Selector-driven parser of one CMS family version.

    Selector tuples are tried in order; the first that yields text wins. Every field the
    selectors leave empty comes from the generic parser (``ParsedPage.merge``); the generic
    body (trafilatura, most of a page's cost) runs only when the selectors found no body.
    """

    abstract: ClassVar[bool] = True
    family: ClassVar[str] = ""
    # False: the version rests only on 2019-2020 crawler configs (selectors-2019-2020.md) that
    # no live page can check any more; its fixtures prove the mechanics, not the selectors.
    # True: its core selectors are documented from the live sites of its period ([page],
    # [cfg25], [app] in research/sources.md); live pages can check them.
    measured: ClassVar[bool] = True

    TITLE: ClassVar[tuple[str, ...]] = ("h1",)
    SAPO: ClassVar[tuple[str, ...]] = ()
    BODY: ClassVar[tuple[str, ...]] = ()
    # Inside the body: furniture that is not article text (captions, related boxes, share bars).
    BODY_EXCLUDE: ClassVar[tuple[str, ...]] = (
        "figure", "figcaption", "table.image", "table.picture", "script", "style", "iframe",
        ".related", ".box-related", ".share", ".social", ".ads", ".advertisement",
    )  # fmt: skip
    BYLINE: ClassVar[tuple[str, ...]] = ()
    # Elements (or ``::attr()`` values) holding the date line. Matches in site chrome or in a
    # teaser are skipped (``PageDates``), so a broad 2019 selector cannot take the header's date.
    DATE: ClassVar[tuple[str, ...]] = ()
    MODIFIED: ClassVar[tuple[str, ...]] = ('meta[property="article:modified_time"]::attr(content)',)
    BREADCRUMB: ClassVar[tuple[str, ...]] = ()
    TAGS: ClassVar[tuple[str, ...]] = ()
    # Image blocks inside the body and, relative to each, the caption.
    IMAGE_BLOCK: ClassVar[str] = "figure"
    IMAGE_CAPTION: ClassVar[str] = "figcaption"
    VIDEO: ClassVar[tuple[str, ...]] = ()
    PHOTO: ClassVar[tuple[str, ...]] = ()
    # Teaser links of the family's listing pages (documentation, and the fixtures' check that
    # the family's article URL pattern takes every one of them).
    LISTING: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        if not cls.family or "version" not in cls.__dict__ or "valid_from" not in cls.__dict__:
            raise RegistrationError(
                f"{cls.__qualname__}: a family version sets family, version and valid_from "
                "(or abstract = True)"
            )
        if "name" not in cls.__dict__:
            cls.name = f"family_{cls.family.lower()}"
        cls.abstract = False
        register(cls)

    # --- the page --------------------------------------------------------------------------

    def parse(self, html: str, url: str) -> ParsedPage:
        try:
            ev = gather(html, url)
        except EmptyPage as empty:
            return empty_page(self.extractor_id(), empty)
        sel = Selector(root=ev.tree, type="html")
        body = self.body(sel)
        paragraphs = self.paragraphs(body)
        title, headline = self.title(sel)
        if headline is None:
            headline = find_headline(ev.tree, title)
        dates = PageDates(ev.tree, headline, url, VN_TZ)
        published, precision, date_text = self.published(sel, dates)
        # Only a page without article text is asked whether it is a shell or a listing, so an
        # article that quotes "access denied" or links to many others is never skipped.
        if sum(map(len, paragraphs)) < SHELL_TEXT_CHARS and (reason := shell_reason(ev.tree)):
            why = {"skip_reason": "a challenge page or an empty script shell"}
            return ParsedPage(skip_reason=reason, extractor=self.extractor_id(), reasons=why)
        if not paragraphs and published is None:
            near = any(line.near for line in rank_published(dates.lines()))
            if listing_reason(ev.tree, url, has_article=near):
                why = {"skip_reason": "no article body or date line; many article links"}
                return ParsedPage(
                    title=title,
                    skip_reason="not_article",
                    extractor=self.extractor_id(),
                    reasons=why,
                )
        sites = host_names(url) | ev.publisher_names
        authors = self.authors(sel, sites)
        if not authors and paragraphs and (names := trailing_byline(paragraphs[-1], sites)):
            # The byline printed as the body's last line (common on provincial papers).
            authors = names
            paragraphs.pop()
        sapo = self.sapo(sel)
        if sapo and paragraphs and paragraphs[0] == sapo:
            paragraphs.pop(0)  # a sapo printed as the body's first (bold) paragraph
        page = ParsedPage(
            title=title,
            sapo=sapo,
            paragraphs=paragraphs,
            authors=authors,
            published_at=published,
            published_precision=precision,
            modified_at=self.modified(sel, date_text),
            category=self.category(sel),
            tags=self.tags(sel),
            images=self.images(body, url),
            language=self.language(sel),
            content_type=self.content_type(sel),
            canonical_url=self.canonical(sel, url),
            extractor=self.extractor_id(),
            rights_meta=rights_meta(ev.meta),
        )
        for name in ("title", "sapo", "body", "authors", "published_at"):
            if getattr(page, name):
                page.reasons[name] = f"{self.extractor_id()} selectors"
        fallback = _generic_parser().parse_evidence(
            ev, html, body=not paragraphs, dates=dates, find_dates=published is None
        )
        return self.finish(page.merge(fallback), ev)

    def finish(self, page: ParsedPage, ev: Evidence) -> ParsedPage:
        """Last word on an article page, after the generic parser filled the gaps: a family
        whose pages carry more than the shared fields (attribution, language versions) or
        whose furniture survives any container reads it here from the same parsed tree."""
        return page

    # --- one method per field -------------------------------------------------------------

    @staticmethod
    def _node_text(node: Selector) -> str:
        """Text of an element, or the value of a ``::text``/``::attr()`` selection."""
        value = node.root
        return clean_line(value if isinstance(value, str) else node.xpath("string()").get())

    def _first_text(self, sel: Selector | SelectorList, queries: tuple[str, ...]) -> str | None:
        for query in queries:
            for node in sel.css(query):
                if text := self._node_text(node):
                    return text
        return None

    def title(self, sel: Selector) -> tuple[str | None, HtmlElement | None]:
        """The headline and its element (the anchor of the date line)."""
        for query in self.TITLE:
            for node in sel.css(query):
                if text := self._node_text(node):
                    return text, None if isinstance(node.root, str) else node.root
        return None, None

    def sapo(self, sel: Selector) -> str | None:
        return self._first_text(sel, self.SAPO)

    def body(self, sel: Selector) -> SelectorList:
        for query in self.BODY:
            found = sel.css(query)
            if found:
                return found[:1]
        return SelectorList([])

    def paragraphs(self, body: SelectorList) -> list[str]:
        if not body:
            return []
        root = body[0].root
        # Furniture, and the byline where the template prints it inside the body.
        queries = (*self.BODY_EXCLUDE, *(q for q in self.BYLINE if "::" not in q))
        excluded = {node.root for node in body.css(", ".join(queries))} if queries else set()
        result = []
        for element in root.iter(*_BLOCKS):
            if any(a in excluded for a in (element, *element.iterancestors())):
                continue
            # A block that holds other blocks (li > p, blockquote > p) is read through them.
            if any(True for _ in element.iterdescendants(*_BLOCKS)):
                continue
            text = clean_line(element.xpath("string()"))
            # A date line printed inside the body container is not body text.
            if text and not is_date_line(text):
                result.append(text)
        # A container without blocks (text split by <br> on old templates) gives nothing here:
        # the generic body (trafilatura) reads it.
        return result

    def authors(self, sel: Selector, sites: set[str]) -> list[str]:
        text = self._first_text(sel, self.BYLINE)
        return split_byline(text, sites) if text else []

    def published(
        self, sel: Selector, dates: PageDates
    ) -> tuple[datetime | None, str | None, str | None]:
        """(value, precision, the date line's text) from the DATE selectors, skipping matches
        in site chrome or in teasers (a 2019 ``.date`` also matches the header's today)."""
        for query in self.DATE:
            for node in sel.css(query):
                element = None if isinstance(node.root, str) else node.root
                if element is not None and (
                    dates.is_teaser(element)
                    or (dates.is_chrome(element) and not dates.is_after_headline(element))
                ):
                    continue
                text = self._node_text(node)
                value, precision = published_in(text, VN_TZ)
                if value is None:
                    value, precision = parse_date(text, use_dateparser=False)
                if value is not None:
                    return value, precision, text
        return None, None, None

    def modified(self, sel: Selector, date_text: str | None) -> datetime | None:
        for value in sel.css(",".join(self.MODIFIED)).getall() if self.MODIFIED else []:
            parsed, _ = parse_date(value, use_dateparser=False)
            if parsed is not None:
                return parsed
        # "Đăng: 13/09/2025 06:32 | Cập nhật: 14/09/2025 08:00" on the date line itself.
        return updated_in(date_text, VN_TZ) if date_text else None

    def category(self, sel: Selector) -> str | None:
        for query in self.BREADCRUMB:
            crumbs = [clean_line(t) for t in sel.css(query).xpath("string()").getall()]
            crumbs = [c for c in crumbs if c and c.lower() not in ("trang chủ", "home")]
            if crumbs:
                return crumbs[-1]  # the most specific section
        return None

    def tags(self, sel: Selector) -> list[str]:
        for query in self.TAGS:
            tags = [clean_line(t) for t in sel.css(query).xpath("string()").getall()]
            tags = [t.lstrip("#").strip() for t in tags if t]
            if tags:
                return list(dict.fromkeys(t for t in tags if t))
        return []

    def images(self, body: SelectorList, url: str) -> list[Image]:
        images = []
        for block in body.css(self.IMAGE_BLOCK):
            src = block.css("img::attr(data-src), img::attr(src)").get()
            if not src or src.startswith("data:"):
                continue
            caption = clean_line(" ".join(block.css(self.IMAGE_CAPTION).xpath("string()").getall()))
            images.append(Image(url=urljoin(url, src.strip()), caption=caption or None))
        return images

    def content_type(self, sel: Selector) -> str:
        if any(sel.css(q) for q in self.VIDEO):
            return "video"
        if any(sel.css(q) for q in self.PHOTO):
            return "photo"
        return "article"

    @staticmethod
    def language(sel: Selector) -> str | None:
        lang = sel.xpath("/html/@lang").get()
        return lang.strip().split("-")[0].lower() if lang and lang.strip() else None

    @staticmethod
    def canonical(sel: Selector, url: str) -> str | None:
        # Raw canonical link; whether it is trusted is the source's decision
        # (``Source.trusts_canonical``), not the parser's.
        href = sel.css('link[rel="canonical"]::attr(href)').get()
        return urljoin(url, href.strip()) if href and href.strip() else None
