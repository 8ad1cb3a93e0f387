"""What one registry entry is once loaded: a ``Source`` with its dated facts.

A ``Source`` is self-contained (its family's patterns are copied into it at load time), so a
test can derive a variant with ``dataclasses.replace`` and every method still holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from urllib.parse import unquote, urlsplit, urlunsplit

from baotinh.registry.facts import Fact, FactDate
from baotinh.registry.provinces import before_merger, local_day, provinces
from baotinh.urls import host_of, is_homepage, normalize_url

GENERIC, NATIONAL_FAMILY = "generic", "vietnamvn"


@cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def match_targets(url: str) -> tuple[str, ...]:
    """What article patterns are matched against: the percent-decoded path (slugs may keep
    Vietnamese diacritics) and, when the URL has a query, ``path?query`` (``?itemid=``)."""
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    return (path, f"{path}?{unquote(parts.query)}") if parts.query else (path,)


# A Wayback Machine copy: /web/<timestamp>[<flag>_]/<original URL, scheme optional>.
_WAYBACK = re.compile(r"^/web/\d{1,14}(?:[a-z]{2}_)?/+(?P<original>.+)$")
_WAYBACK_HOSTS = frozenset({"web.archive.org", "wayback.archive.org"})


def archived_original(url: str) -> str | None:
    """The original URL of a Wayback Machine copy (``https://web.archive.org/web/2019.../http://
    baothuathienhue.vn/...``), None for any other URL."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _WAYBACK_HOSTS:
        return None
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    match = _WAYBACK.match(target)
    if match is None:
        return None
    original = match["original"]
    # Wayback collapses the double slash of the scheme in some links: "http:/host/...".
    original = re.sub(r"^(https?):/+", r"\1://", original)
    return original if "://" in original else "http://" + original


def host_key(host_or_url: str) -> str:
    """A host as the registry compares it: lower case, no port, no www./m./amp. prefix."""
    text = host_or_url if "//" in host_or_url else "//" + host_or_url
    return host_of(text)


@dataclass(frozen=True)
class FamilyPeriod:
    """The family a source used from ``start`` (None: from its beginning) until the next
    period's start, with the URL patterns valid then."""

    family: str
    start: FactDate | None
    evidence: str
    article: tuple[str, ...]
    pagination: str | None

    @cached_property
    def article_res(self) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_pattern(p) for p in self.article)

    def matches(self, url: str) -> bool:
        targets = match_targets(url)
        return any(r.search(t) for r in self.article_res for t in targets)


# An edition declared as ``"*: /<lang>/"``: every language, each under a path prefix of its
# code (vietnam.vn serves /de/<slug>, /ko/<slug>, ... and adds languages over time).
ANY_LANGUAGE, LANGUAGE_PREFIX = "*", "/<lang>/"
_LANGUAGE_SEGMENT = re.compile(r"^/([a-z]{2}(?:-[a-z]{2,4})?)(?:/|$)")


@dataclass(frozen=True)
class Edition:
    """A language edition: on its own host (``news.baokhanhhoa.vn``), under a path prefix
    of the source's hosts (``/de/`` on vietnam.vn), or every language under the prefix of its
    code (``*: /<lang>/``: two letters, maybe a region or script, ``/zh-tw/``)."""

    language: str
    host: str | None
    path_prefix: str | None
    fact: Fact

    def matches(self, url: str) -> bool:
        return self.language_at(url) is not None

    def language_at(self, url: str) -> str | None:
        """The language of ``url`` in this edition, None when the URL is not in it."""
        if self.host is not None:
            return self.language if host_key(url) == self.host else None
        path = urlsplit(url).path
        assert self.path_prefix is not None
        if self.path_prefix == LANGUAGE_PREFIX:
            found = _LANGUAGE_SEGMENT.match(path)
            return found[1] if found else None
        if path.startswith(self.path_prefix) or path == self.path_prefix.rstrip("/"):
            return self.language
        return None


@dataclass(frozen=True)
class Alias:
    """Another URL form of the same pages: ``old host[/prefix/]`` -> ``new host[/prefix/]``
    (a moved section, a mirror, a sub-portal). Only declared where the research says the
    pages are the same; a prefix alias leaves query-addressed URLs (``?p=``) alone."""

    from_host: str
    from_prefix: str
    to_host: str
    to_prefix: str
    fact: Fact

    def apply(self, url: str) -> str | None:
        parts = urlsplit(url)
        if host_key(url) != self.from_host or not parts.path.startswith(self.from_prefix):
            return None
        if self.from_prefix != "/" and parts.query:
            return None
        path = self.to_prefix + parts.path[len(self.from_prefix) :]
        return urlunsplit(("https", self.to_host, path, parts.query, ""))


@dataclass(frozen=True)
class Host:
    """A host the source owns, what kind it is and what the research says about it."""

    host: str
    kind: str  # domain, edition, mirror, alias
    fact: Fact


@dataclass(frozen=True)
class Source:
    """One paper (or the national portal): where it lives, how to discover and recognise its
    articles, and where it belongs, each fact dated and with its evidence."""

    id: str
    name: str
    publisher_id: str
    province: str | None  # the current unit; None for a national source
    former_province: str | None  # the former province whose paper it is (before the merger)
    domains: tuple[str, ...]  # every host it owns, the home's first
    home: str
    periods: tuple[FamilyPeriod, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    never_articles: tuple[str, ...] = field(default=(), repr=False)
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    active: bool = True  # False: not crawled unless named (absorbed, frozen, or no parser yet)
    unverified: bool = False  # no URL shape is known: the generic rules only
    dateline: str | None = None
    terms: str | None = None  # the paper's own reuse terms, where known (for the dataset card)
    # Per-source politeness overrides (Scrapy download slot settings).
    download_delay: float | None = None
    concurrency: int | None = None
    max_listing_pages: int = 5
    poll_interval: timedelta | None = None  # None: the crawler's default cadence
    listing_links: str | None = None  # CSS selector hint for article links on listings
    follow_menus: bool = False  # discovery also walks the homepage's category menu
    absorbed_into: str | None = None
    frozen_since: Fact | None = None
    redirects_since: Fact | None = None
    hosts: tuple[Host, ...] = field(default=(), repr=False)
    editions: tuple[Edition, ...] = field(default=(), repr=False)
    aliases: tuple[Alias, ...] = field(default=(), repr=False)
    # Other names the paper used, with dates; the facts behind the start URLs (kind, URL, fact).
    names: tuple[Fact, ...] = field(default=(), repr=False)
    start_facts: tuple[tuple[str, str, Fact], ...] = field(default=(), repr=False)
    evidence: dict[str, str] = field(default_factory=dict, repr=False)  # fact -> its evidence

    # -- the family and URL patterns, per period ------------------------------------------

    def period_at(self, when: date | datetime | None = None) -> FamilyPeriod:
        """The period in force at ``when`` (today when None); before the first dated period
        the earliest one."""
        day = local_day(when) if when is not None else date.today()
        current = self.periods[0]
        for period in self.periods[1:]:
            if period.start is not None and period.start.start <= day:
                current = period
        return current

    def family_at(self, when: date | datetime | None = None) -> str:
        return self.period_at(when).family

    @property
    def family(self) -> str:
        """Today's family."""
        return self.family_at(None)

    @property
    def article_pattern(self) -> str:
        """Today's article pattern(s) as one regular expression."""
        patterns = self.period_at(None).article
        return patterns[0] if len(patterns) == 1 else "|".join(f"(?:{p})" for p in patterns)

    @property
    def article_re(self) -> re.Pattern[str]:
        return compile_pattern(self.article_pattern)

    @property
    def pagination_pattern(self) -> str | None:
        return self.period_at(None).pagination

    @cached_property
    def _host_set(self) -> frozenset[str]:
        return frozenset(host_key(d) for d in self.domains)

    def owns(self, url: str) -> bool:
        """The URL's host is one this source declared (domains, editions, mirrors, aliases).

        Hosts match exactly after ``www.``/``m.``/``amp.``: a subdomain belongs to a source only
        when declared, so news.example.vn is never example.vn's by accident."""
        return host_key(url) in self._host_set

    def is_never_article(self, url: str) -> bool:
        return any(
            compile_pattern(p).search(t) for p in self.never_articles for t in match_targets(url)
        )

    def is_article_url(self, url: str, when: date | datetime | None = None) -> bool:
        """On this source's hosts, not a tag/event/search page, and matching the article
        pattern of the period of ``when``; with ``when=None`` the pattern of any period (old
        URL shapes stay the same articles' identities in sitemaps, redirects and archives)."""
        if not self.owns(url) or self.is_never_article(url):
            return False
        if when is not None:
            return self.period_at(when).matches(url)
        return any(p.matches(url) for p in self.periods)

    def is_pagination_url(self, url: str) -> bool:
        patterns = {p.pagination for p in self.periods if p.pagination}
        return self.owns(url) and any(compile_pattern(p).search(url) for p in patterns)

    def trusts_canonical(self, canonical: str) -> bool:
        """A canonical link counts only on this publisher, and not for a homepage or listing."""
        return (
            self.owns(canonical) and not is_homepage(canonical) and self.is_article_url(canonical)
        )

    # -- URL forms -------------------------------------------------------------------------

    def canonical_url(self, url: str) -> str:
        """The current form of a URL of this source (normalised): an aliased or mirrored form
        mapped onto the form the research says replaced it; any other URL unchanged."""
        current = normalize_url(url)
        # Forms chain (a mirror's copy of a sub-portal page): map until nothing applies.
        for _ in range(len(self.aliases)):
            moved = next(
                (
                    m
                    for a in sorted(self.aliases, key=lambda a: -len(a.from_host + a.from_prefix))
                    if (m := a.apply(current)) is not None
                ),
                None,
            )
            if moved is None or normalize_url(moved) == current:
                break
            current = normalize_url(moved)
        return current

    def edition_for(self, url: str) -> Edition | None:
        return next((e for e in self.editions if e.matches(url)), None)

    def language_of(self, url: str) -> str:
        """The language of the edition a URL is in (the source's language otherwise)."""
        for edition in self.editions:
            if (language := edition.language_at(url)) is not None:
                return language
        return self.language

    @property
    def path_editions(self) -> bool:
        """Its editions live under path prefixes of one site (``/de/<slug>``): a story keeps
        its path in every language, so the path (less the prefix) identifies the story."""
        return any(e.path_prefix is not None for e in self.editions)

    # -- discovery ---------------------------------------------------------------------------

    def start_urls(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *self.listings]

    @cached_property
    def probes(self) -> frozenset[str]:
        """Start URLs known only from the unverified generated list (``guess``)."""
        return frozenset(normalize_url(u) for _, u, f in self.start_facts if f.is_probe)

    def is_probe(self, url: str) -> bool:
        """True when ``url`` comes from a fact tagged ``guess``: its failure is the list's,
        not the source's, and what it finds is not the source's coverage."""
        try:
            return normalize_url(url) in self.probes
        except ValueError:
            return False

    # -- where it belongs ------------------------------------------------------------------

    @property
    def national(self) -> bool:
        return self.former_province is None

    def province_at(self, when: date | datetime | None) -> str | None:
        """The province-level unit of this paper's articles at ``when``: before 1 July 2025
        00:00 +07:00 its former province (named as on that day, e.g. Thừa Thiên Huế before
        2025-01-01), from then on the current unit; None for a national source."""
        if self.former_province is None:
            return None
        if when is None or not before_merger(when):
            return self.province
        former = provinces().former_named(self.former_province)
        return former.name_at(when) if former else self.former_province
