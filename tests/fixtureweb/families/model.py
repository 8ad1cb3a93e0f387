"""What a site of the families web is made of (SYNTHETIC; see README.md).

An ``Article`` holds what a reader sees on the page (title, sapo, paragraphs, byline, the date
line as printed) and what a correct extraction gives (``published``, ``precision``,
``authors``): the expected values written by hand, beside the words the page prints. The page
templates (``templates.py``) print the same facts in each family's markup; the crawl must read
them back from the markup, past the site header's today-date and the teasers' dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How a page is reached: "home" (the listing's first page), "home2" (its page 2, only reached
# through pagination), "feed:<path>", "sitemap:<path>", "cat:<path>" (a category page found
# in the homepage's menu), "cat2:<path>" (that category's page 2), "redirect" (only through
# an old domain's redirect).
Via = str


@dataclass(frozen=True)
class Article:
    path: str  # as the site links it (absolute path)
    title: str
    sapo: str
    body: tuple[str, ...]
    authors: tuple[str, ...]
    published: str  # ISO 8601 with the offset the page implies (+07:00)
    precision: str  # minute or day
    date_line: str  # the article's own date line, as printed by the headline
    category: tuple[str, str]  # (name, path)
    tags: tuple[tuple[str, str], ...] = ()
    via: tuple[Via, ...] = ("home",)
    style: str = ""  # a template variant (see templates.py)
    byline: str | None = None  # the byline as printed, when it is not the names alone
    nfd: bool = False  # the page is served in Unicode NFD (decomposed tone marks)
    province_at_publication: str | None = None  # set where the merger makes it a case


@dataclass(frozen=True)
class Page:
    """A tag, event, category or search page: a listing that must never be stored."""

    path: str
    kind: str  # tag, event, category, search
    title: str
    links: tuple[str, ...] = ()  # article paths it lists


@dataclass(frozen=True)
class Redirect:
    """An old-domain URL that answers 301 with the same article on its new paper's site."""

    path: str  # on this site
    to: str  # absolute URL
    via: tuple[Via, ...] = ("feed:/rss/home.rss",)


@dataclass
class Site:
    host: str
    source_id: str
    paper: str  # the name the pages print ("Báo Nghệ An")
    family: str  # the registry's family of the site's current template
    today: str  # the site header's date box (today, for the page: never an article's date)
    articles: list[Article]
    pages: list[Page] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    menu: tuple[tuple[str, str], ...] = ()
    # Feeds, sitemaps and listings list the articles whose ``via`` names them; a sitemap
    # index lists its child sitemaps.
    sitemap_index: dict[str, list[str]] = field(default_factory=dict)
    robots_sitemaps: tuple[str, ...] = ()
    listing: str = "/"  # the registry's listing page of the site
    next_page: str = "?page=2"  # how its listing's page 2 is linked

    @property
    def home(self) -> str:
        return f"https://{self.host}"

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.home + path
