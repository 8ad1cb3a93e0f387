"""Family parsers: one small class per CMS family *version*, selectors as class constants.

Each class takes what its selectors give (headline, sapo, body paragraphs, byline, date line,
breadcrumb, tags, images, content type) and leaves every empty field to the generic parser
(``page.merge(GenericParser().parse(html, url))``). A site redesign adds a new version class with
a later ``valid_from``; old versions stay, so old captures keep parsing with the markup of their
time. ``parser_for(family, captured_at)`` picks the version.

Evidence for the selectors (``../shared/research/sources.md``, sections 2, 3 and 6):
- Family B (ZCE / epicdn "cms" platform): the article selectors ``h1.article__title.cms-title``,
  ``h2.article__sapo.cms-desc`` / ``div.article__sapo`` and
  ``div.article__body.zce-content-body.cms-body`` are documented [page][cfg25]. The meta block
  (``div.article__meta``, ``.article__author``), breadcrumb and tag classes are assumptions in the
  platform's BEM style.
- Family A (vSolutions / VCKM): 2019 baokhanhhoa ``div.detail-news`` body and ``div.date`` [cfg19];
  2022+ ``h2#title``/h1 title and ``div.page-detail-meta`` (baoquangbinh) [app]; current body
  ``div#content.content-detail .td-post-content > p`` (baodongnai, same lineage) [cfg25].
  Byline, breadcrumb and tag classes are assumptions.
- Family C ("-a<id>.html" vendor): 2019 baotayninh date ``.pubdate``, sapo
  ``.fontd.fw600.justify``, body ``.content-fck`` [cfg19]; current sapo ``h4.sapo`` and listing
  ``.article-item`` / ``h3 a`` [cfg25]. The current title, date, body, byline, breadcrumb and tag
  selectors are ASSUMPTIONS (a plausible layout), to be checked against live pages.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import ClassVar
from urllib.parse import urljoin

from parsel import Selector, SelectorList

from baotinh.dates import parse_date
from baotinh.parsers.base import Image, PageParser, ParsedPage
from baotinh.text import clean_line

log = logging.getLogger(__name__)

# Bylines as Vietnamese papers print them: "Bài và ảnh: A - B", "Tin, ảnh: A", "Bài: A; ảnh: B",
# "Nhóm PV". The role words are dropped; names are split on " - ", ",", ";", " và ".
_ROLE = re.compile(
    r"(?i)\b(?:bài|tin|ảnh|video|clip|đồ họa|thực hiện|trình bày|ghi chép|lược dịch|dịch)"
    r"(?:\s*(?:,|và|\+|/)\s*(?:bài|tin|ảnh|video|clip))*\s*:\s*"
)
_BYLINE_START = re.compile(
    r"(?i)^\s*(?:bài|tin|ảnh|video|clip|thực hiện)(?:\s*(?:,|và|\+|/)\s*(?:bài|tin|ảnh|video))*"
    r"\s*:"
)
_SOURCE_PREFIX = re.compile(r"(?i)^\s*(?:theo|nguồn)\s*:?\s+")
_NAME_SPLIT = re.compile(r"\s+[-–]\s+|\s*[,;]\s*|\s+và\s+")
# A final short paragraph that is only a name ("Thu Hà", "NGUYỄN VĂN A"): the byline line of
# many provincial papers. At most five words, each capitalised.
_BARE_NAME = re.compile(r"^(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\w.]*\s*){1,5}$")

# Challenge pages of bot walls and CDNs ("Just a moment...", Cloudflare, Sucuri, custom ones).
_BOT_WALL = re.compile(
    r"(?i)checking your browser|just a moment\.\.\.|cf-challenge|cf_chl_|challenge-platform|"
    r"ddos protection by|attention required|verify you are human|access denied|"
    r"sucuri website firewall|đang kiểm tra trình duyệt"
)
_JS_REQUIRED = re.compile(
    r"(?i)enable javascript|javascript is (?:required|disabled)|bật javascript|"
    r"you need to enable javascript"
)
# Below this much visible text a page cannot hold an article (the smallest real brief is longer).
_SHELL_TEXT_CHARS = 200
_BLOCKS = ("p", "h2", "h3", "h4", "blockquote", "li")


def split_byline(text: str) -> list[str]:
    """``"Bài và ảnh: Thu Hà - Minh Đức"`` -> ``["Thu Hà", "Minh Đức"]``."""
    text = _SOURCE_PREFIX.sub("", clean_line(text))  # "Theo TTXVN" -> the agency
    text = _ROLE.sub(" ; ", text)
    names = []
    for part in _NAME_SPLIT.split(text):
        name = part.strip(" .;:-–()")
        if name and name not in names:
            names.append(name)
    return names


def looks_like_byline(text: str) -> bool:
    text = clean_line(text)
    return (
        bool(text) and len(text) <= 80 and bool(_BYLINE_START.match(text) or _BARE_NAME.match(text))
    )


def shell_reason(sel: Selector) -> str | None:
    """``"bot_wall"`` or ``"js_only"`` when the page is a challenge or an empty JS shell."""
    visible = " ".join(
        t.strip()
        for t in sel.xpath("//body//text()[not(ancestor::script or ancestor::style)]").getall()
    )
    visible = " ".join(visible.split())
    if len(visible) >= 2000:
        return None
    scripts = " ".join(sel.xpath("//script//text() | //script/@src").getall())
    title = " ".join(sel.css("title::text").getall())
    if _BOT_WALL.search(visible) or _BOT_WALL.search(title) or _BOT_WALL.search(scripts):
        return "bot_wall"
    noscript = " ".join(sel.xpath("//noscript//text()").getall())
    outside_noscript = " ".join(
        t.strip()
        for t in sel.xpath(
            "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
        ).getall()
    )
    if len(" ".join(outside_noscript.split())) < _SHELL_TEXT_CHARS and (
        _JS_REQUIRED.search(noscript) or _JS_REQUIRED.search(visible) or sel.css("script[src]")
    ):
        return "js_only"
    return None


def _generic_parse(html: str, url: str, body: bool) -> ParsedPage | None:
    # Imported lazily: the generic parser (issue 3) loads trafilatura, which family-only uses
    # (tests, `baotinh extract` on a known family) should not pay for at import time.
    try:
        from baotinh.parsers.generic import GenericParser
    except ModuleNotFoundError as exc:
        if exc.name != "baotinh.parsers.generic":
            raise
        log.warning("baotinh.parsers.generic is not installed: family selectors only")
        return None
    return GenericParser().parse(html, url, body=body)


class FamilyParser(PageParser):
    """Selector-driven parser; subclasses set the selectors and ``valid_from``.

    Selector tuples are tried in order; the first that yields text wins.
    """

    family: ClassVar[str] = ""
    TITLE: ClassVar[tuple[str, ...]] = ("h1",)
    SAPO: ClassVar[tuple[str, ...]] = ()
    BODY: ClassVar[tuple[str, ...]] = ()
    # Inside the body: furniture that is not article text (captions, related boxes, share bars).
    BODY_EXCLUDE: ClassVar[tuple[str, ...]] = (
        "figure", "figcaption", "table.image", "table.picture", "script", "style", "iframe",
        ".related", ".box-related", ".share", ".social", ".ads", ".advertisement",
    )  # fmt: skip
    BYLINE: ClassVar[tuple[str, ...]] = ()
    DATE: ClassVar[tuple[str, ...]] = ()
    MODIFIED: ClassVar[tuple[str, ...]] = ('meta[property="article:modified_time"]::attr(content)',)
    BREADCRUMB: ClassVar[tuple[str, ...]] = ()
    TAGS: ClassVar[tuple[str, ...]] = ()
    # Image blocks inside the body and, relative to each, the caption.
    IMAGE_BLOCK: ClassVar[str] = "figure"
    IMAGE_CAPTION: ClassVar[str] = "figcaption"
    VIDEO: ClassVar[tuple[str, ...]] = ()
    PHOTO: ClassVar[tuple[str, ...]] = ()

    def parse(self, html: str, url: str) -> ParsedPage:
        sel = Selector(text=html)
        body = self.body(sel)
        paragraphs = self.paragraphs(body)
        # Only a page without article text is checked for a shell, so an article that quotes
        # "access denied" is never mistaken for a bot wall.
        if sum(map(len, paragraphs)) < _SHELL_TEXT_CHARS and (reason := shell_reason(sel)):
            why = {"skip_reason": "a challenge page or an empty script shell"}
            return ParsedPage(skip_reason=reason, extractor=self.extractor_id(), reasons=why)
        authors = self.authors(sel)
        if not authors and paragraphs and looks_like_byline(paragraphs[-1]):
            # The byline printed as the body's last line (common on provincial papers).
            authors = split_byline(paragraphs.pop())
        sapo = self.sapo(sel)
        if sapo and paragraphs and paragraphs[0] == sapo:
            paragraphs.pop(0)  # a sapo printed as the body's first (bold) paragraph
        published, precision = self.published(sel)
        page = ParsedPage(
            title=self.title(sel),
            sapo=sapo,
            paragraphs=paragraphs,
            authors=authors,
            published_at=published,
            published_precision=precision,
            modified_at=self.modified(sel),
            category=self.category(sel),
            tags=self.tags(sel),
            images=self.images(body, url),
            language=self.language(sel),
            content_type=self.content_type(sel),
            canonical_url=self.canonical(sel, url),
            extractor=self.extractor_id(),
        )
        for name in ("title", "sapo", "body", "authors", "published_at"):
            if getattr(page, name):
                page.reasons[name] = f"{self.extractor_id()} selectors"
        fallback = _generic_parse(html, url, body=not paragraphs)
        return page.merge(fallback) if fallback is not None else page

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

    def title(self, sel: Selector) -> str | None:
        return self._first_text(sel, self.TITLE)

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
        # One query for all of them (a union): one walk of the body instead of one per selector.
        excluded = {node.root for node in body.css(", ".join(self.BODY_EXCLUDE))}
        result = []
        for element in root.iter(*_BLOCKS):
            if any(a in excluded for a in (element, *element.iterancestors())):
                continue
            # A block that holds other blocks (li > p, blockquote > p) is read through them.
            if any(True for _ in element.iterdescendants(*_BLOCKS)):
                continue
            text = clean_line(element.xpath("string()"))
            if text:
                result.append(text)
        return result

    def authors(self, sel: Selector) -> list[str]:
        text = self._first_text(sel, self.BYLINE)
        return split_byline(text) if text else []

    def published(self, sel: Selector) -> tuple[datetime | None, str | None]:
        for query in self.DATE:
            for node in sel.css(query):
                parsed, precision = parse_date(self._node_text(node), use_dateparser=False)
                if parsed is not None:
                    return parsed, precision
        return None, None

    def modified(self, sel: Selector) -> datetime | None:
        for value in sel.css(",".join(self.MODIFIED)).getall() if self.MODIFIED else []:
            parsed, _ = parse_date(value, use_dateparser=False)
            if parsed is not None:
                return parsed
        return None

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
                return list(dict.fromkeys(tags))
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


# --- Family A: vSolutions / VCKM ---------------------------------------------------------------


class FamilyA2019(FamilyParser):
    """2018-2022 template (baokhanhhoa 2019 config: ``div.detail-news``, ``div.date``)."""

    name = "family_a"
    version = "2019"
    family = "A"
    valid_from = date(2018, 1, 1)
    TITLE = ("h1.title", "h2#title", "h1")  # h2#title: baoquangbinh 2022 [app]
    SAPO = ("div.sapo", "div.lead", "div.detail-news > p:first-child > strong")
    BODY = ("div.detail-news", "div#content")
    BYLINE = ("div.detail-news p.author", "div.author")  # assumption
    DATE = ("div.date::text", "div.page-detail-meta .date::text", "div.date")
    BREADCRUMB = ("div.breadcrumb a", "ul.breadcrumb a")  # assumption
    TAGS = ("div.tags a", "div.tag a")  # assumption
    IMAGE_BLOCK = "table.image, figure"
    IMAGE_CAPTION = "td.image_desc, figcaption"


class FamilyA2023(FamilyParser):
    """2023+ template with hex ids (baodongnai 2025 config: ``div#content.content-detail``)."""

    name = "family_a"
    version = "2023"
    family = "A"
    valid_from = date(2023, 1, 1)
    TITLE = ("div.page-detail-head h1", "h1.title", "h2#title", "h1")
    SAPO = ("div.page-detail-sapo", "div.sapo", "div.td-post-content > p.sapo")  # assumption
    BODY = ("div#content.content-detail .td-post-content", "div#content.content-detail")
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, "p.sapo", ".page-detail-author")
    BYLINE = ("div.page-detail-author", "div.page-detail-meta .author")  # assumption
    DATE = (
        'meta[property="article:published_time"]::attr(content)',
        "div.page-detail-meta .date",
        "div.date",
    )
    BREADCRUMB = ("ul.breadcrumb li a", "div.breadcrumb a")  # assumption
    TAGS = ("div.page-detail-tags a", "div.tags a")  # assumption
    IMAGE_BLOCK = "figure, table.image"
    IMAGE_CAPTION = "figcaption, td.image_desc"
    VIDEO = ("div.page-detail.video", "div.td-post-content video")  # assumption
    PHOTO = ("div.page-detail.photo", "div.gallery-detail")  # assumption


# --- Family B: ZCE / epicdn "cms" platform -----------------------------------------------------


class FamilyB2023(FamilyParser):
    """The current platform (baohatinh since 2023; also baogialai, sggp)."""

    name = "family_b"
    version = "2023"
    family = "B"
    valid_from = date(2023, 1, 1)
    TITLE = ("h1.article__title.cms-title", "h1.article__title", "h1")
    SAPO = ("h2.article__sapo.cms-desc", "div.article__sapo", ".article__sapo")
    BODY = ("div.article__body.zce-content-body.cms-body", "div.article__body")
    BODY_EXCLUDE = (
        *FamilyParser.BODY_EXCLUDE,
        ".article__author",
        ".article-relate",
        ".zce-related",
        ".article__tag",
    )
    BYLINE = ("div.article__author .name", "div.article__author", ".cms-author")  # assumption
    DATE = (
        "div.article__meta time.time::attr(datetime)",
        "div.article__meta time.time",
        "div.article__meta .time",
        'meta[property="article:published_time"]::attr(content)',
    )
    BREADCRUMB = ("div.breadcrumbs a", "ul.breadcrumb a")  # assumption
    TAGS = ("div.article__tag a", ".cms-tag a")  # assumption
    VIDEO = ("div.article--video", "div.article__video", "div.cms-video", "div.article__body video")
    PHOTO = ("div.article--photo", "div.article__gallery", "div.cms-gallery")


# --- Family C: "-a<id>.html" vendor ------------------------------------------------------------


class FamilyC2019(FamilyParser):
    """2019 template (baotayninh 2019 config: ``.pubdate``, ``.fontd.fw600.justify``)."""

    name = "family_c"
    version = "2019"
    family = "C"
    valid_from = date(2018, 1, 1)
    TITLE = ("h1.title", "h1")
    SAPO = (".fontd.fw600.justify", "h4.sapo")
    BODY = ("div.content-fck",)
    DATE = (".pubdate",)
    BREADCRUMB = ("div.breadcrumb a",)
    TAGS = ("div.tags a",)


class FamilyC2024(FamilyParser):
    """Current template: only ``h4.sapo`` is documented [cfg25]; the rest is ASSUMED."""

    name = "family_c"
    version = "2024"
    family = "C"
    valid_from = date(2024, 1, 1)
    TITLE = ("div.detail-header h1.title", "h1.title", "h1")  # assumption
    SAPO = ("h4.sapo", ".fontd.fw600.justify")  # h4.sapo documented [cfg25]
    BODY = ("div.detail-content.content-fck", "div.content-fck")  # assumption (cfg19 class kept)
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, ".author-name", ".box-tinlienquan")
    BYLINE = ("div.detail-author", ".author-name")  # assumption
    DATE = ("div.detail-header .pubdate", ".pubdate")  # assumption (cfg19 class kept)
    IMAGE_BLOCK = "figure, table.image"  # assumption
    IMAGE_CAPTION = "figcaption, td.image_desc"
    BREADCRUMB = ("ol.breadcrumb li a", "div.breadcrumb a")  # assumption
    TAGS = ("div.detail-tags a", "div.tags a")  # assumption
    VIDEO = ("div.detail-video", "div.content-fck video", "div.content-fck iframe.video")
    PHOTO = ("div.detail-gallery",)


FAMILIES: dict[str, list[type[FamilyParser]]] = {
    "A": [FamilyA2019, FamilyA2023],
    "B": [FamilyB2023],
    "C": [FamilyC2019, FamilyC2024],
}


def parser_for(family: str, captured_at: date | datetime | None = None) -> PageParser:
    """The family's version with the latest ``valid_from`` not after ``captured_at`` (today when
    None); the generic parser for an unknown family or a capture older than every version."""
    when = captured_at.date() if isinstance(captured_at, datetime) else captured_at
    when = when or date.today()
    versions = [v for v in FAMILIES.get(family.upper(), []) if v.valid_from <= when]
    if versions:
        return max(versions, key=lambda v: v.valid_from)()
    from baotinh.parsers.generic import GenericParser  # lazily: see _generic_parse

    return GenericParser()
