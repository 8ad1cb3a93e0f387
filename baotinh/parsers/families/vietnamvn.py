"""vietnam.vn, the national portal: republished provincial articles in Vietnamese and their
machine translations into many languages.

What is known (``../shared/research/sources.md`` §5 and the seed page in ``../shared/seed/``;
no saved HTML page of the portal exists, so the *markup* below is an assumption throughout and
the parser leans on what the page text shows instead):
- URLs: ``/<Vietnamese slug>``, translations ``/<lang>/<the same slug>``; mirrors
  ``thongtin.vietnam.vn`` and ``vjs.vietnam.vn``; provincial sub-portals ``/binhthuan/<slug>``
  [pub]. Slugs may be damaged by decomposed Unicode (``cu-ng-ca-nuo-c``) [pub].
- Page text: header "Vietnam.vn - Nền tảng quảng bá Việt Nam", title, sapo, then a *source
  line* printing the credited paper's name twice and the date without a time:
  ``Báo Khánh HòaBáo Khánh Hòa24/04/2025``, ``Báo Dân trí•25/08/2024`` [pub]; the portal's own
  stories credit ``Việt Nam``. Translated bodies keep ``[ad_1]``/``[Anzeige_1]`` placeholders;
  pages end with a source block ("Quelle", "Nguồn", ...) and a comment widget ("Kommentar (0)")
  [pub, the seed]. Older pages show a breadcrumb "Trang chủ › News › <category>".
- Listings: ``a.v-link-title`` with the headline in ``title`` [app].

So the family reads by text and structure where a selector would be a guess: the date from the
source line, the body from the container holding most paragraph text, the furniture removed by
what it says (source labels and comment widgets in the languages the portal serves, placeholder
tokens in any script), the attribution from the source block's link or the page's structured
data, the other language versions from hreflang links and the language switcher.

``story_links`` gives the crawl what it needs from a Vietnamese page before extraction: its
translations and the date of its source line (translations of a story outside a --since/--until
range are not fetched).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote, urljoin, urlsplit

from parsel import Selector, SelectorList

from baotinh.dates import VN_TZ
from baotinh.parsers.base import Image, ParsedPage
from baotinh.parsers.bylines import host_names, trailing_byline
from baotinh.parsers.datelines import PageDates
from baotinh.parsers.families.base import FamilyParser
from baotinh.parsers.generic_evidence import Evidence, gather
from baotinh.parsers.page_kind import (
    ARTICLE_PROSE,
    TEASER_WORDS,
    listing_reason,
    prose_paragraphs,
)
from baotinh.text import clean_line, nfc
from baotinh.urls import host_of

if TYPE_CHECKING:
    from lxml.html import HtmlElement

PORTAL = "vietnam.vn"
MAIN_LANGUAGE = "vi"

# -- URLs of the portal ------------------------------------------------------------------------

_TRANSLATION_PATH = re.compile(r"^/([a-z]{2}(?:-[a-z]{2,4})?)/([^/]+)/?$")
_STORY_PATH = re.compile(r"^/([^/]+)/?$")
# A provincial sub-portal: /binhthuan/<slug> (its canonical link points at www).
_SUB_PORTAL_PATH = re.compile(r"^/([a-z]{3,})/([^/]+)/?$")


def is_portal_url(url: str) -> bool:
    host = host_of(url)
    return host == PORTAL or host.endswith("." + PORTAL)


def story_of(url: str) -> tuple[str, str] | None:
    """(language, slug) of a portal story URL: ``/de/<slug>`` is German, ``/<slug>`` and a
    sub-portal's ``/binhthuan/<slug>`` Vietnamese; None for anything else (homes, category and
    tag pages). The slug is percent-decoded and NFC."""
    if not is_portal_url(url):
        return None
    path = nfc(unquote(urlsplit(url).path))
    if found := _TRANSLATION_PATH.match(path):
        language, slug = found[1], found[2]
    elif found := _STORY_PATH.match(path):
        language, slug = MAIN_LANGUAGE, found[1]
    elif (found := _SUB_PORTAL_PATH.match(path)) and found[1] not in ("category", "tag", "tags"):
        language, slug = MAIN_LANGUAGE, found[2]
    else:
        return None
    if "-" not in slug.strip("-"):
        return None  # one word: a section or a static page, not a story
    return language, slug


def fold_slug(slug: str) -> str:
    """A slug reduced to its letters and digits without marks: the damage decomposed Unicode
    does to a slug (``cu-ng-ca-nuo-c`` for ``cung-ca-nuoc``, or marks kept as escapes) does not
    change it. Only for *recognising* one story's URLs; the stored key is the slug itself."""
    text = unicodedata.normalize("NFD", nfc(slug).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))


# -- text of the page --------------------------------------------------------------------------

# The source block's label in the portal's languages (the seed: "Quelle").
SOURCE_LABELS = (
    "nguồn", "nguồn tin", "quelle", "quellen", "source", "sources", "fuente", "fuentes", "fonte",
    "источник", "출처", "来源", "來源", "出典", "ソース", "แหล่งที่มา", "ແຫຼ່ງຂໍ້ມູນ", "ប្រភព", "sumber",
    "المصدر", "स्रोत",
)  # fmt: skip
COMMENT_LABELS = (
    "bình luận", "ý kiến", "kommentar", "kommentare", "comment", "comments", "comentario",
    "comentarios", "commentaire", "commentaires", "commento", "commenti", "comentário",
    "comentários", "комментарий", "комментарии", "댓글", "评论", "評論", "コメント",
    "ความคิดเห็น", "komentar", "التعليقات", "टिप्पणी",
)  # fmt: skip
_LABEL_ALT = "|".join(sorted((re.escape(x) for x in SOURCE_LABELS), key=len, reverse=True))
_COMMENT_ALT = "|".join(sorted((re.escape(x) for x in COMMENT_LABELS), key=len, reverse=True))
# "Quelle", "Nguồn:", "Source https://...", "Nguồn: Báo Khánh Hòa" (a short credit after a colon,
# no sentence): never "Nguồn lực cho phát triển", a subheading that starts with the word.
SOURCE_BLOCK = re.compile(
    rf"^(?:{_LABEL_ALT})\s*(?:[:：]\s*(?P<rest>https?://\S+|[^.!?。！？]{{0,80}})"
    rf"|\s(?P<url>https?://\S+))?$",
    re.I,
)
# "Kommentar (0)", "Bình luận (12)", "0 Kommentare", "댓글 0": the comment widget.
COMMENT_WIDGET = re.compile(
    rf"^(?:(?:{_COMMENT_ALT})\s*[(（]?\s*\d*\s*[)）]?|\d+\s*(?:{_COMMENT_ALT}))$", re.I
)
# "Nguồn: Báo Khánh Hòa 24/04/2025": a label before the credited name.
LABEL_PREFIX = re.compile(rf"^\s*(?:{_LABEL_ALT})\s*[:：]\s*", re.I)
# Ad placeholders left in translated bodies: [ad_1], [Anzeige_1], [광고_1] (any script).
PLACEHOLDER = re.compile(r"\[[^\W\d_][\w ]{0,23}?_\d{1,3}\]")
# The site slogan ("Vietnam.vn - Nền tảng quảng bá Việt Nam" and its translations).
SLOGAN = re.compile(r"^vietnam\.vn\s*[-–—:|]\s*.{0,80}$|^nền tảng quảng bá việt nam$", re.I)
# The source line: the credited paper's name (printed twice) and dd/mm/yyyy, maybe a time.
SOURCE_LINE = re.compile(
    r"^(?P<name>.*?[^\W\d_].*?)\s*[•·|,\-–—]?\s*"
    r"(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})"
    r"(?:\s*[-,|]?\s*(?P<hour>\d{1,2})[:h](?P<minute>\d{2}))?$"
)
# Words that make a dated line a date line, not a credit ("Thứ Sáu, 12/12/2025", "Cập nhật:").
_NOT_A_CREDIT = re.compile(
    r"(?i)^(?:thứ\s|chủ nhật|ngày\b|cập nhật|đăng|updated|published|posted|date\b|datum|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|\W*$)|[:：]\s*$"
)
BARE_URL = re.compile(r"^https?://\S+$")
MAX_SOURCE_LINE = 160
TRAILER_BLOCK_CHARS = 300  # a source box: label, link, name
MIN_SCORED_CHARS = 12  # a paragraph that counts towards its container (CJK text is short)
TEASER_BLOCK_CHARS = 600  # a teaser (headline, lead, credit) is shorter; an article is longer
TRAILER_WINDOW = 6  # the source block and comment widget sit among the last paragraphs

_BLOCK_TAGS = ("p", "h2", "h3", "h4", "blockquote", "li")
_SKIP_ANCESTORS = frozenset({"a", "li", "head", "script", "style", "title", "option", "select"})
# Containers of the language switcher (class or id), by what their names say.
_SWITCHER = re.compile(r"lang|ngon-?ngu|translat|locale|i18n|switcher|flags?\b", re.I)
# Structured data that names the page a copy is based on.
_BASED_ON_KEYS = ("isBasedOn", "isBasedOnUrl", "citation")
_ORIGINAL_META = ("original-source", "syndication-source", "dc.source", "dcterms.source")


@dataclass(frozen=True)
class SourceLine:
    name: str
    published: datetime
    precision: str
    element: HtmlElement


@dataclass(frozen=True)
class StoryLinks:
    """What the crawl reads from a story page before extraction."""

    alternates: dict[str, str]  # language -> URL (the page's other language versions)
    published: datetime | None  # the source line's date


def _text(node: HtmlElement) -> str:
    return clean_line(node.text_content())


def _undouble(name: str) -> str:
    """ "Báo Khánh HòaBáo Khánh Hòa" -> "Báo Khánh Hòa" (the line prints the name twice)."""
    twice = re.fullmatch(r"(.+?)\s*\1", name)
    return twice[1].strip() if twice else name.strip()


def read_source_line(text: str) -> tuple[str, datetime, str] | None:
    """(credited name, date, precision) of a source line, None for any other text."""
    if len(text) > MAX_SOURCE_LINE or not (found := SOURCE_LINE.match(text)):
        return None
    name = _undouble(LABEL_PREFIX.sub("", found["name"]).strip(" •·|,-–—"))
    if not name or len(name) > 80 or _NOT_A_CREDIT.search(name):
        return None
    try:
        day = datetime(
            int(found["year"]),
            int(found["month"]),
            int(found["day"]),
            int(found["hour"] or 0),
            int(found["minute"] or 0),
            tzinfo=VN_TZ,
        )
    except ValueError:
        return None
    return name, day, "minute" if found["hour"] else "day"


def _in_skipped(node: HtmlElement) -> bool:
    return any(a.tag in _SKIP_ANCESTORS for a in (node, *node.iterancestors()))


def find_source_line(tree: HtmlElement) -> SourceLine | None:
    """The source line under the headline: the first short element (innermost) whose text is a
    name and a date, after the page's ``h1`` when it has one (the header's date comes before
    it, teasers of related stories after the article's own line)."""
    elements = [e for e in tree.iter() if isinstance(e.tag, str)]
    order = {id(e): i for i, e in enumerate(elements)}
    h1 = next((e for e in elements if e.tag == "h1"), None)
    start = order[id(h1)] if h1 is not None else 0
    for element in elements[start:]:
        if element.tag in ("h1", "body", "html") or _in_skipped(element):
            continue
        text = _text(element)
        if len(text) > MAX_SOURCE_LINE or (read := read_source_line(text)) is None:
            continue
        if any(read_source_line(_text(c)) for c in element if isinstance(c.tag, str)):
            continue  # an inner element holds the whole line: take that one
        if _in_teaser(element):
            continue  # a related story's (or a listing's) credit and date
        return SourceLine(read[0], read[1], read[2], element)
    return None


def _in_teaser(element: HtmlElement) -> bool:
    """Inside a small block that also holds a headline link to another page: a teaser."""
    for block in element.iterancestors():
        if block.tag in ("body", "html", "article", "main"):
            return False
        if len(_text(block)) > TEASER_BLOCK_CHARS:
            return False
        if any(_headline_link(a) for a in block.iter("a")):
            return True
    return False


# Containers of teasers by their names (related stories, "cùng chuyên mục", other news).
_TEASER_LIST = re.compile(
    r"related|relate|lien-?quan|cung-?chuyen-?muc|same-?cat|more-?news|other-?news|teaser"
    r"|tin-?khac|suggest|recommend",
    re.I,
)
SITE_NAME = re.compile(r"^(?:www\.)?vietnam\.vn$", re.I)


def _in_teaser_list(node: HtmlElement) -> bool:
    for block in node.iterancestors():
        if block.tag in ("body", "html"):
            return False
        if _TEASER_LIST.search(f"{block.get('class', '')} {block.get('id', '')}"):
            return True
    return False


def _headline_link(link: HtmlElement) -> bool:
    href = (link.get("href") or "").strip()
    return (
        bool(href) and not href.startswith("#") and len(link.text_content().split()) >= TEASER_WORDS
    )


def is_furniture(text: str) -> bool:
    """A paragraph that is page furniture in any language: placeholder, slogan, comment widget,
    source line."""
    bare = clean_line(PLACEHOLDER.sub(" ", text))
    return (
        not bare
        or bool(SLOGAN.match(bare))
        or bool(COMMENT_WIDGET.match(bare))
        or read_source_line(bare) is not None
    )


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """The body without the trailing source block and comment widget (and all after them),
    placeholders, slogan and source line, in any language."""
    kept = [clean_line(PLACEHOLDER.sub(" ", p)) for p in paragraphs]
    kept = [p for p in kept if p]
    cut = len(kept)
    for index in range(len(kept) - 1, max(len(kept) - TRAILER_WINDOW, 0) - 1, -1):
        if SOURCE_BLOCK.match(kept[index]) or COMMENT_WIDGET.match(kept[index]):
            cut = index
    return [p for p in kept[:cut] if not is_furniture(p)]


# -- attribution ----------------------------------------------------------------------------------


def _url_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("url", "@id", "sameAs"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    if isinstance(value, list):
        return next((u for v in value if (u := _url_of(v))), None)
    return None


def _name_of(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("publisher", "sourceOrganization", "author"):
            inner = value.get(key)
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, dict) and isinstance(inner.get("name"), str):
                return inner["name"].strip() or None
    if isinstance(value, list):
        return next((n for v in value if (n := _name_of(v))), None)
    return None


def _external(href: str | None, base: str) -> str | None:
    """An absolute http(s) link off the portal, else None."""
    if not href or href.strip().startswith(("#", "javascript:", "mailto:")):
        return None
    url = urljoin(base, href.strip())
    if urlsplit(url).scheme not in ("http", "https") or is_portal_url(url):
        return None
    return url


def _is_article_link(url: str) -> bool:
    """A link to a page, not to a paper's homepage."""
    return urlsplit(url).path.strip("/") != ""


def _source_blocks(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose text is a source label ("Quelle", "Nguồn: ..."), innermost first."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head"):
            continue
        text = _text(element)
        if len(text) <= 140 and SOURCE_BLOCK.match(text):
            found.append(element)
    return found


def _links_near(element: HtmlElement, base: str) -> list[tuple[str, str]]:
    """(url, text) of external links in the element, or after it among its next siblings (the
    label and its link are often siblings), or in its parent."""
    places = [element]
    sibling = element.getnext()
    while sibling is not None and len(places) < 4:
        places.append(sibling)
        sibling = sibling.getnext()
    parent = element.getparent()
    if parent is not None and len(_text(parent)) <= TRAILER_BLOCK_CHARS:
        places.append(parent)  # a small source box, not the article around it
    result = []
    for place in places:
        for link in place.iter("a") if place.tag != "a" else [place]:
            if url := _external(link.get("href"), base):
                label = clean_line(link.text_content()) or clean_line(link.get("title"))
                if not label:
                    label = next((clean_line(i.get("alt")) for i in link.iter("img")), "")
                result.append((url, label))
        if result:
            break
    return result


@dataclass(frozen=True)
class Attribution:
    url: str | None
    name: str | None


def attribution(ev: Evidence, line: SourceLine | None) -> Attribution:
    """The original a copy credits: its URL from the source block's link, the page's structured
    data or the source line's link (an article page, not a homepage); the paper's name as the
    source line prints it, else as the structured data or the block names it."""
    base = ev.url
    urls: list[str] = []
    names: list[str] = []
    for block in _source_blocks(ev.tree):
        for url, label in _links_near(block, base):
            urls.append(url)
            if label and not label.lower().startswith("http"):
                names.append(label)
        rest = SOURCE_BLOCK.match(_text(block))
        if rest and rest["rest"] and not rest["rest"].startswith("http"):
            names.append(rest["rest"].strip())
        # A link printed as text: "Quelle: https://..." or on the line after the label.
        following = block.getnext()
        printed = (rest["rest"] or rest["url"]) if rest else None
        for text in (printed, _text(following) if following is not None else None):
            if text and BARE_URL.match(text) and (url := _external(text, base)) is not None:
                urls.append(url)
    for node in [ev.article, *ev.jsonld]:
        for key in _BASED_ON_KEYS:
            if key in node:
                if (url := _external(_url_of(node[key]), base)) is not None:
                    urls.append(url)
                if name := _name_of(node[key]):
                    names.append(name)
        organization = node.get("sourceOrganization")
        if isinstance(organization, dict) and isinstance(organization.get("name"), str):
            names.append(organization["name"].strip())
    for key in _ORIGINAL_META:
        if (url := _external(ev.first_meta(key), base)) is not None:
            urls.append(url)
    if line is not None:
        for link in line.element.iter("a"):
            if (url := _external(link.get("href"), base)) is not None:
                urls.append(url)
    pages = [u for u in urls if _is_article_link(u)]
    name = line.name if line is not None else next((n for n in names if n), None)
    return Attribution(pages[0] if pages else None, name)


# -- language versions -----------------------------------------------------------------------------


def _language_code(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().lower().replace("_", "-")
    if code == "x-default":
        return code
    primary = code.split("-")[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def language_versions(tree: HtmlElement, url: str) -> dict[str, str]:
    """The page's other language versions, strongest evidence first: ``<link rel=alternate
    hreflang>``, links with ``hreflang``/``lang``, links in a language switcher, and links to
    the same story (its slug, damaged or not) under a language prefix. Language -> URL; the
    page's own URL is left out."""
    own = story_of(url)
    own_fold = fold_slug(own[1]) if own else None
    found: dict[str, str] = {}

    def add(language: str | None, href: str | None) -> None:
        if not language or not href or language in found:
            return
        target = urljoin(url, href.strip())
        if story_of(target) is None or _same_page(target, url):
            return
        found[language] = target

    for link in tree.xpath("//link[@rel='alternate'][@hreflang][@href]"):
        add(_language_code(link.get("hreflang")), link.get("href"))
    anchors = [a for a in tree.iter("a") if a.get("href")]
    for anchor in anchors:
        add(_language_code(anchor.get("hreflang") or anchor.get("lang")), anchor.get("href"))
    for anchor in anchors:
        if any(_SWITCHER.search(f"{e.get('class', '')} {e.get('id', '')}") for e in
               anchor.iterancestors()):  # fmt: skip
            target = urljoin(url, anchor.get("href", "").strip())
            if story := story_of(target):
                add(story[0], target)
    for option in tree.xpath("//select/option[@value]"):
        target = urljoin(url, option.get("value", "").strip())
        if story := story_of(target):
            add(story[0], target)
    if own_fold:
        for anchor in anchors:
            target = urljoin(url, anchor.get("href", "").strip())
            story = story_of(target)
            if story and fold_slug(story[1]) == own_fold:
                add(story[0], target)
    return found


def _same_page(a: str, b: str) -> bool:
    sa, sb = story_of(a), story_of(b)
    return sa is not None and sa == sb


def story_links(html: str, url: str) -> StoryLinks:
    """A story page's other language versions and the date of its source line (the crawl asks
    before the page is extracted: it fetches the translations of stories in its range)."""
    tree = gather(html, url).tree
    line = find_source_line(tree)
    return StoryLinks(language_versions(tree, url), line.published if line else None)


# -- the parser ------------------------------------------------------------------------------


class Portal2023(FamilyParser):
    """The portal's article template (2023 on: vietnam.vn as "Nền tảng quảng bá Việt Nam").

    Selectors are common names for the parts, tried before the structural rules; none is
    documented for this portal (no saved page), so each is an assumption."""

    family = "vietnamvn"
    version = "2023"
    valid_from = date(2023, 1, 1)
    measured = False  # no real page of the portal was ever saved: the markup is assumed
    TITLE = ("article h1", "h1")
    SAPO = (
        "[class*=sapo]",
        "[class*=summary]",
        "[class*=description]",
        "[class*=lead]",
        "[itemprop=description]",
    )
    BODY = (
        "[itemprop=articleBody]",
        "[class*=article-content]",
        "[class*=article__content]",
        "[class*=article-body]",
        "[class*=article__body]",
        "[class*=post-content]",
        "[class*=entry-content]",
        "[class*=detail-content]",
        "[class*=content-detail]",
        "[class*=news-content]",
    )
    BODY_EXCLUDE = (
        *FamilyParser.BODY_EXCLUDE,
        "[class*=related]", "[class*=relate]", "[class*=comment]", "[class*=share]",
        "[class*=social]", "[class*=breadcrumb]", "[class*=source]", "[class*=language]",
        "[class*=lang-]", "[class*=tags]", "[class*=author]", "nav", "aside", "footer", "form",
    )  # fmt: skip
    BYLINE = ("[itemprop=author] [itemprop=name]", ".author-name", ".article-author")
    DATE: ClassVar[
        tuple[str, ...]
    ] = ()  # the source line (find_source_line), then the generic search
    BREADCRUMB = ("[class*=breadcrumb] a", "nav[aria-label*=readcrumb] a")
    TAGS = ('[class*=tag] a[href*="/tag/"]', 'a[rel="tag"]')
    IMAGE_BLOCK = "figure, img"
    LISTING = ("a.v-link-title",)

    def body(self, sel: Selector) -> SelectorList:
        """The container holding most paragraph text: the named containers, or where the
        paragraphs' parents (and, half-weighted, grandparents) add up to the most text, as
        readability scores them. A named container that holds most of the text wins."""
        scores: dict[int, tuple[float, Any]] = {}
        for paragraph in sel.root.iter("p"):
            if _in_skipped(paragraph) or _in_teaser_list(paragraph):
                continue
            length = len(clean_line(paragraph.text_content()))
            if length < MIN_SCORED_CHARS:
                continue
            parent = paragraph.getparent()
            for node, weight in ((parent, 1.0), (parent.getparent() if parent is not None
                                                  else None, 0.5)):  # fmt: skip
                if node is not None:
                    score, _ = scores.get(id(node), (0.0, node))
                    scores[id(node)] = (score + weight * length, node)
        best = max(scores.values(), key=lambda s: s[0], default=None)
        for query in self.BODY:
            for match in sel.css(query):
                text = sum(len(clean_line(p.text_content())) for p in match.root.iter("p"))
                if best is None or text >= 0.6 * best[0]:
                    return SelectorList([match])
        if best is None:
            return SelectorList([])
        return SelectorList([Selector(root=best[1], type="html")])

    def title(self, sel: Selector) -> tuple[str | None, HtmlElement | None]:
        """The article's ``h1``: not one in the site header or naming the site (a logo)."""
        for query in self.TITLE:
            for node in sel.css(query):
                text = self._node_text(node)
                chrome = any(a.tag in ("header", "nav") for a in node.root.iterancestors())
                if text and not chrome and not SITE_NAME.match(text):
                    return text, node.root
        return super().title(sel)

    def paragraphs(self, body: SelectorList) -> list[str]:
        if not body:
            return []
        root = body[0].root
        excluded = {node.root for node in body.css(", ".join(self.BODY_EXCLUDE))}
        result = []
        for element in root.iter(*_BLOCK_TAGS):
            if any(a in excluded for a in (element, *element.iterancestors())):
                continue
            if any(True for _ in element.iterdescendants(*_BLOCK_TAGS)):
                continue
            text = clean_line(element.text_content())
            links = [clean_line(a.text_content()) for a in element.iter("a")]
            if text and len(links) == 1 and links[0] == text and element.tag in ("li", "p"):
                continue  # a related story's headline (or the source link) alone
            if text:
                result.append(text)
        return clean_paragraphs(result)

    def published(
        self, sel: Selector, dates: PageDates
    ) -> tuple[datetime | None, str | None, str | None]:
        line = find_source_line(sel.root)
        if line is not None:
            return line.published, line.precision, _text(line.element)
        return super().published(sel, dates)

    def images(self, body: SelectorList, url: str) -> list[Image]:
        images: list[Image] = []
        seen: set[str] = set()
        for block in body.css("figure, img"):
            if block.root.tag == "img" and any(
                a.tag == "figure" for a in block.root.iterancestors()
            ):
                continue  # read with its figure (and caption)
            src = block.css("img::attr(data-src), img::attr(src)").get() or block.root.get("src")
            if not src or src.startswith("data:"):
                continue
            image = urljoin(url, src.strip())
            if image in seen:
                continue
            seen.add(image)
            caption = clean_line(" ".join(block.css("figcaption").xpath("string()").getall()))
            images.append(Image(url=image, caption=caption or None))
        return images

    def finish(self, page: ParsedPage, ev: Evidence) -> ParsedPage:
        line = find_source_line(ev.tree)
        paragraphs = clean_paragraphs(page.paragraphs)
        if line is None:
            # No credit and date under a headline: an article only if it has prose of its own
            # (a category page's teaser leads sit beside their links).
            prose = prose_paragraphs(ev.tree, paragraphs) >= ARTICLE_PROSE
            if listing_reason(ev.tree, ev.url, has_article=prose):
                why = {"skip_reason": "no source line or prose; many article links"}
                return ParsedPage(
                    title=page.title,
                    skip_reason="not_article",
                    extractor=self.extractor_id(),
                    reasons=why,
                )
        credit = attribution(ev, line)
        authors = page.authors
        language = story_of(ev.url)
        if paragraphs and not authors:
            sites = host_names(ev.url) | ev.publisher_names
            if line is not None:
                sites = sites | {line.name.casefold()}
            vietnamese = language is None or language[0] == MAIN_LANGUAGE
            names = trailing_byline(paragraphs[-1], sites, "vi" if vietnamese else None)
            if names:
                authors = names
                paragraphs = paragraphs[:-1]
        if page.sapo and paragraphs and paragraphs[0] == clean_line(page.sapo):
            paragraphs = paragraphs[1:]
        page.paragraphs = paragraphs
        page.authors = authors
        page.original_url = credit.url
        page.original_source_name = credit.name
        page.alternates = language_versions(ev.tree, ev.url)
        if line is not None:
            page.reasons["published_at"] = "the source line under the headline"
            page.reasons["original_source_name"] = "the source line under the headline"
        return page
