"""Discovery: candidate article URLs from feeds, sitemaps, robots.txt and listing pages.

Pure functions over bytes/responses (no crawling, no state), so each is testable on a saved
file. Sitemaps use Scrapy's own parser (``scrapy.utils.sitemap``); feeds are parsed here with
lxml because Scrapy has no feed parser and feedparser would be a heavy dependency for reading
three elements per item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

import lxml.etree
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from baotinh.dates import parse_date
from baotinh.registry import Source

__all__ = [
    "Candidate",
    "DiscoveryError",
    "ListingLinks",
    "SitemapPage",
    "latest",
    "listing_links",
    "parse_feed",
    "parse_sitemap",
    "sitemap_day",
    "sitemaps_from_robots",
]

GZIP_MAGIC = b"\x1f\x8b"


class DiscoveryError(ValueError):
    """A feed or sitemap body cannot be read as one; the message says which and why."""


@dataclass(frozen=True)
class Candidate:
    """A URL found by discovery, with what the discovery source said about its dates."""

    url: str
    lastmod: datetime | None = None  # sitemap <lastmod>, feed <updated>, else the pubDate
    published: datetime | None = None  # feed <pubDate>/<published>, news <publication_date>
    # The page's other language versions a sitemap lists with it (<xhtml:link hreflang>).
    alternates: tuple[str, ...] = ()


def latest(candidate: Candidate) -> datetime | None:
    """The newest date known for a candidate (for --since: an updated old article counts)."""
    dates = [d for d in (candidate.lastmod, candidate.published) if d is not None]
    return max(dates) if dates else None


def _date(text: str | None) -> datetime | None:
    # Feeds and sitemaps use RFC 822 / ISO 8601: the fast paths only (no dateparser).
    value, _ = parse_date(text, use_dateparser=False)
    return value


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _child_text(element: lxml.etree._Element, *names: str) -> str | None:
    """Text of the first child whose local name is in ``names`` (in ``names`` order)."""
    found: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if name in names and name not in found and child.text and child.text.strip():
            found[name] = child.text.strip()
    return next((found[n] for n in names if n in found), None)


def _atom_link(entry: lxml.etree._Element) -> str | None:
    alternates = []
    for child in entry:
        if _local(child.tag) == "link" and child.get("href"):
            rel = child.get("rel", "alternate")
            if rel == "alternate":
                alternates.append(child.get("href"))
    return alternates[0] if alternates else None


def _xml_root(body: bytes, what: str, url: str) -> lxml.etree._Element:
    if body.startswith(GZIP_MAGIC):
        body = gunzip(body)
    parser = lxml.etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"{what} {url}: not XML ({exc})") from None
    if root is None:
        raise DiscoveryError(f"{what} {url}: empty or not XML")
    return root


def parse_feed(body: bytes, url: str) -> list[Candidate]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order.

    The item URL is its ``<link>`` (Atom: the alternate link), else a permalink ``<guid>``;
    relative links are resolved against the feed URL. ``lastmod`` is ``<updated>`` (or
    ``dc:date``) when present, else the publication date.
    """
    root = _xml_root(body, "feed", url)
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "RDF"):
        raise DiscoveryError(f"feed {url}: root element <{kind}> is not <rss>, <feed> or <RDF>")
    item_tag = "entry" if kind == "feed" else "item"
    candidates: list[Candidate] = []
    for item in root.iter():
        if _local(item.tag) != item_tag:
            continue
        if kind == "feed":
            link = _atom_link(item) or _child_text(item, "id")
            published = _date(_child_text(item, "published", "issued"))
        else:
            link = _child_text(item, "link")
            if not link:
                guid = next((c for c in item if _local(c.tag) == "guid"), None)
                if guid is not None and guid.get("isPermaLink", "true") != "false":
                    link = (guid.text or "").strip() or None
            published = _date(_child_text(item, "pubDate", "date"))
        if not link or not link.startswith(("http", "/")):
            continue
        updated = _date(_child_text(item, "updated", "modified"))
        candidates.append(
            Candidate(urljoin(url, link), lastmod=updated or published, published=published)
        )
    return candidates


@dataclass(frozen=True)
class SitemapPage:
    """One sitemap file: child sitemaps (an index) or page URLs (a urlset)."""

    kind: str  # "sitemapindex" or "urlset"
    sitemaps: list[Candidate]
    urls: list[Candidate]


def parse_sitemap(body: bytes, url: str, max_size: int = 0) -> SitemapPage:
    """A sitemap index or urlset (gzip or not), via Scrapy's ``Sitemap``."""
    if body.startswith(GZIP_MAGIC):
        body = gunzip(body, max_size=max_size)
    try:
        sitemap = Sitemap(body)
    except (lxml.etree.XMLSyntaxError, StopIteration) as exc:
        raise DiscoveryError(f"sitemap {url}: not XML ({str(exc) or 'no root element'})") from None
    if sitemap.type not in ("sitemapindex", "urlset"):
        raise DiscoveryError(
            f"sitemap {url}: root element <{sitemap.type}> is not <sitemapindex> or <urlset>"
        )
    entries = [
        Candidate(
            urljoin(url, entry["loc"]),
            lastmod=_date(entry.get("lastmod")),
            alternates=tuple(urljoin(url, a) for a in entry.get("alternate", ())),
        )
        for entry in sitemap
        if entry.get("loc")
    ]
    if sitemap.type == "urlset" and b"publication_date" in body:
        published = _news_dates(body, url)
        entries = [replace(c, published=published.get(c.url)) for c in entries]
    if sitemap.type == "sitemapindex":
        return SitemapPage("sitemapindex", sitemaps=entries, urls=[])
    return SitemapPage("urlset", sitemaps=[], urls=entries)


def _news_dates(body: bytes, url: str) -> dict[str, datetime]:
    """``<news:publication_date>`` of a news sitemap's URLs (Scrapy's ``Sitemap`` keeps only
    the direct children of ``<url>``)."""
    dates: dict[str, datetime] = {}
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return dates
    if root is None:
        return dates
    for entry in root.iter("{*}url"):
        loc = _child_text(entry, "loc")
        found = next((e.text for e in entry.iter("{*}publication_date") if e.text), None)
        if loc and (when := _date(found)) is not None:
            dates[urljoin(url, loc)] = when
    return dates


_SITEMAP_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})\.xml(?:\.gz)?$")


def sitemap_day(url: str) -> date | None:
    """The day a sitemap file is named after (``/sitemap/sitemap-post/2025-12-12.xml``), None
    for a sitemap not named by a day."""
    found = _SITEMAP_DAY.search(urlsplit(url).path)
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def sitemaps_from_robots(body: bytes, robots_url: str) -> list[str]:
    """``Sitemap:`` lines of a robots.txt, absolute, in file order, without repeats."""
    return list(dict.fromkeys(sitemap_urls_from_robots(body, base_url=robots_url)))


@dataclass(frozen=True)
class ListingLinks:
    articles: list[str]  # links matching the source's article pattern, in page order
    pagination: list[str]  # links matching its pagination pattern


# Scrapy's LinkExtractor resolves <base href>, relative links and entities, and drops
# links to binaries; links to other hosts are filtered by the source patterns below.
_LINKS = LinkExtractor(unique=True, canonicalize=False)


def listing_links(response: HtmlResponse, source: Source) -> ListingLinks:
    """Article and pagination links of a listing page; everything else is navigation."""
    return classify_links((link.url for link in _LINKS.extract_links(response)), source)


def classify_links(urls: Iterable[str], source: Source) -> ListingLinks:
    articles: list[str] = []
    pagination: list[str] = []
    for url in _unique(urls):
        if source.is_article_url(url):
            articles.append(url)
        elif source.is_pagination_url(url):
            pagination.append(url)
    return ListingLinks(articles, pagination)


def _unique(urls: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for url in urls:
        if url not in seen:
            seen.add(url)
            yield url


# Where sites keep their section menus; links elsewhere on a homepage are mostly articles.
_MENU_XPATH = (
    "//nav//a[@href] | //header//a[@href] | "
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' menu')]//a[@href] | "
    "//*[contains(@id, 'menu') or contains(@id, 'nav')]//a[@href]"
)
_FILE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".pdf", ".mp3", ".mp4", ".xml", ".rss", ".js")
MAX_MENU_LINKS = 40


def menu_links(response: HtmlResponse, source: Source) -> list[str]:
    """Section pages linked from a page's menus (for sources whose listings are not known:
    discovery by homepage, robots.txt sitemaps and category menus): same source, not an article,
    not a tag/search page, one or two path segments, at most MAX_MENU_LINKS, in page order."""
    found: list[str] = []
    for href in response.xpath(_MENU_XPATH).xpath("@href").getall():
        url = response.urljoin(href.strip())
        path = url.split("?")[0].split("#")[0]
        segments = [s for s in path.split("/")[3:] if s]
        if (
            not url.startswith(("http://", "https://"))
            or not source.owns(url)
            or source.is_article_url(url)
            or source.is_never_article(url)
            or not 1 <= len(segments) <= 2
            or path.lower().endswith(_FILE_EXTENSIONS)
        ):
            continue
        if url not in found:
            found.append(url)
        if len(found) >= MAX_MENU_LINKS:
            break
    return found
