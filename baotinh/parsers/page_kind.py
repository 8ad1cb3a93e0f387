"""What kind of page this is when it is not an article: a bot wall, a script shell, a listing.

One set of rules, used by the family parsers and the generic parser alike. Each rule is asked
only about a page on which the parser found no article (a short or missing body, no date line),
so an article that quotes "access denied" or links to many others is never skipped.

Skip reasons (``ParsedPage.skip_reason``, counted by the spider as skipped):
- ``bot_wall``: a challenge page of a CDN or firewall ("Just a moment...", Cloudflare, Sucuri);
- ``js_only``: an empty shell whose text a script would render;
- ``not_article``: a tag, event, category or search page: many article links, no article;
- ``empty_body``: none of these, and still no text.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html

# Challenge pages of bot walls and CDNs ("Just a moment...", Cloudflare, Sucuri, custom ones).
_BOT_WALL = re.compile(
    r"(?i)checking your browser|just a moment\.\.\.|just a moment|cf-challenge|cf_chl_"
    r"|challenge-platform|cf-browser-verification|ddos protection by|ddos protection"
    r"|attention required|verify you are human|are you a robot|access denied|captcha"
    r"|sucuri website firewall|please enable cookies|đang kiểm tra trình duyệt"
)
# The scripts of a challenge page (a normal page may load a captcha script for its forms).
_WALL_SCRIPT = re.compile(
    r"(?i)cf-challenge|cf_chl_|challenge-platform|cf-browser-verification|sucuri|ddos-guard"
)
_JS_REQUIRED = re.compile(
    r"(?i)enable javascript|javascript is (?:required|disabled)|requires javascript"
    r"|bật javascript|you need to enable javascript"
)
# Below this much text a page cannot hold an article (the smallest real brief is longer).
SHELL_TEXT_CHARS = 200
# Above this much visible text a page is not a challenge page, whatever words it contains.
_WALL_TEXT_CHARS = 2000

_NO_TEXT = "[not(ancestor::script or ancestor::style or ancestor::template)]"


def _squash(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


def shell_reason(tree: lxml.html.HtmlElement) -> str | None:
    """``"bot_wall"`` or ``"js_only"`` when the page is a challenge or an empty script shell.

    Ask only about a page without article text (the callers do)."""
    visible = _squash(tree.xpath(f"//body//text(){_NO_TEXT}"))
    title = _squash(tree.xpath("//title//text()"))
    if _BOT_WALL.search(title) or (len(visible) < _WALL_TEXT_CHARS and _BOT_WALL.search(visible)):
        return "bot_wall"
    if len(visible) < _WALL_TEXT_CHARS:
        scripts = " ".join(tree.xpath("//script/@src | //script/text()"))
        if _WALL_SCRIPT.search(scripts):
            return "bot_wall"
    noscript = _squash(tree.xpath("//noscript//text()"))
    outside = _squash(
        tree.xpath(
            "//body//text()[not(ancestor::script or ancestor::style or ancestor::template"
            " or ancestor::noscript)]"
        )
    )
    if _JS_REQUIRED.search(noscript) or _JS_REQUIRED.search(outside):
        return "js_only"
    if len(outside) < SHELL_TEXT_CHARS:
        return "js_only"
    return None


# --- listings ---------------------------------------------------------------------------------

# Site furniture around the content: links there are menus, not teasers.
_CHROME_TAGS = frozenset({"nav", "footer", "header"})
_WORD = re.compile(r"\w+")
# A teaser headline: at least this many words (a menu entry or tag name has fewer).
TEASER_WORDS = 5
# At least this many teaser links make a page a listing (when it holds no article).
LISTING_TEASERS = 6
# A smaller listing needs this many, and no text but theirs (``only_link_text``).
SMALL_LISTING_TEASERS = 2
_NOT_ARTICLE_PATH = re.compile(r"^/?$|\.(?:jpe?g|png|gif|webp|pdf|mp3|mp4|rss|xml)$", re.I)


def teaser_links(tree: lxml.html.HtmlElement, url: str) -> list[str]:
    """Distinct links to other pages of the site with a headline for text, outside menus."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    own = urlsplit(url).path
    found: dict[str, None] = {}
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        text = link.text_content()
        if len(_WORD.findall(text)) < TEASER_WORDS:
            continue
        target = urlsplit(urljoin(url, href))
        if (target.hostname or "").removeprefix("www.") != host or target.path == own:
            continue
        if _NOT_ARTICLE_PATH.search(target.path):
            continue
        if any(a.tag in _CHROME_TAGS for a in link.iterancestors()):
            continue
        found[target.path] = None
    return list(found)


# A paragraph of article prose is at least this long; a block holding a teaser link and at most
# this much text is a teaser (headline + lead), not an article.
PROSE_CHARS = 150
_TEASER_BLOCK_CHARS = 600
# This many prose paragraphs outside teaser blocks make a page an article (a listing's leads
# sit beside their links).
ARTICLE_PROSE = 2


def _is_teaser_link(link: lxml.html.HtmlElement) -> bool:
    href = (link.get("href") or "").strip()
    return (
        bool(href)
        and not href.startswith("#")
        and len(_WORD.findall(link.text_content())) >= TEASER_WORDS
    )


def _in_teaser(node: lxml.html.HtmlElement) -> bool:
    """The node stands in a teaser: a link, or a small block that also holds a headline link
    to another page (headline + lead + date)."""
    for block in (node, *node.iterancestors()):
        if block.tag in ("body", "html", "article", "main"):
            return False
        if len(" ".join(block.text_content().split())) > _TEASER_BLOCK_CHARS:
            return False
        if block.tag == "a" or any(_is_teaser_link(a) for a in block.iter("a")):
            return True
    return False


def prose_paragraphs(tree: lxml.html.HtmlElement, paragraphs: list[str]) -> int:
    """How many of ``paragraphs`` are article prose: long, and not the lead of a teaser (a
    small block that also holds a headline link to another page)."""
    wanted = {p for p in paragraphs if len(p) >= PROSE_CHARS}
    if not wanted:
        return 0
    count = 0
    for node in tree.iter("p", "div", "li", "td"):
        text = " ".join(node.text_content().split())
        if text not in wanted:
            continue
        wanted.discard(text)
        count += not _in_teaser(node)
    # Paragraphs that match no single element (joined by the extractor) count as prose.
    return count + len(wanted)


def only_link_text(tree: lxml.html.HtmlElement, paragraphs: list[str]) -> bool:
    """Every one of ``paragraphs`` is the text of a link (a menu entry, a teaser's headline)
    or stands in a teaser (its lead): what an extractor finds on a listing, never an article."""
    wanted = set(paragraphs) - {" ".join(a.text_content().split()) for a in tree.iter("a")}
    for node in tree.iter("p", "div", "li", "td", "span", "h2", "h3", "h4"):
        if not wanted:
            break
        text = " ".join(node.text_content().split())
        if text in wanted and _in_teaser(node):
            wanted.discard(text)
    return bool(paragraphs) and not wanted


def listing_reason(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    has_article: bool,
    paragraphs: list[str] | None = None,
) -> str | None:
    """``"not_article"`` for a page with teaser links and no sign of an article of its own:
    tag, event, category and search pages. Many teasers make a listing; a few (a new tag, a
    short topic page) do when the extracted ``paragraphs`` are only their text.

    ``has_article`` is the caller's evidence that the page is one article: a family parser's
    body or date line; for the generic parser, structured article data or a date line by a
    headline (a listing's teasers print dates too, but none stands by an article headline)."""
    if has_article:
        return None
    teasers = len(teaser_links(tree, url))
    if teasers >= LISTING_TEASERS:
        return "not_article"
    if teasers >= SMALL_LISTING_TEASERS and paragraphs and only_link_text(tree, paragraphs):
        return "not_article"
    return None
