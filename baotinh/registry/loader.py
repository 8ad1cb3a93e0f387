"""Loading the registry (``data/families.toml`` + ``data/sources.toml``), refusing bad entries.

Every fault is one ``RegistryError`` line naming the entry and what is wrong with it: an unknown
family, a duplicate id or host, a pattern that does not compile, no discovery method, a province
that is not in the province table, a start URL off the source's hosts, an unknown key or tag.
``load_registry`` takes TOML text or a path, so tests load registries of their own.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from baotinh.registry.facts import Fact, FactError, parse_date_text, parse_fact, parse_tags
from baotinh.registry.model import (
    ANY_LANGUAGE,
    GENERIC,
    LANGUAGE_PREFIX,
    Alias,
    Edition,
    FamilyPeriod,
    Host,
    Source,
    archived_original,
    compile_pattern,
    host_key,
)
from baotinh.registry.provinces import ProvinceTable, provinces

ID = re.compile(r"^[a-z0-9_]+$")
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_DURATION = re.compile(r"^(\d+)\s*([mhd])$")
_DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_DUPLICATE_TABLE = re.compile(r"Cannot declare \('source', '([^']*)'\) twice(.*)")

SOURCE_KEYS = {
    "name": "the paper's name (current)",
    "publisher": "publisher_id: stable across renames, domains and the merger",
    "province": "the former province (one of the 63) whose paper it is; none: national",
    "family": "the CMS family, or dated periods of families",
    "domains": "hosts, the home's first",
    "home": "homepage URL (default: https://<first domain>/)",
    "article": "article URL pattern(s), replacing the family's",
    "pagination": "pagination pattern, replacing the family's",
    "feeds": "feed URLs or paths",
    "sitemaps": "sitemap URLs or paths",
    "listings": "listing page URLs or paths",
    "listing_links": "CSS selector hint for article links on listings",
    "editions": "language editions: '<lang>: <host>', '<lang>: /<prefix>/' or '*: /<lang>/'",
    "mirrors": "hosts serving the same pages as the home's",
    "aliases": "moved sections: '<host>[/prefix/] -> <host>[/prefix/]'",
    "names": "other names the paper used, with dates",
    "absorbed_into": "id of the source that absorbed this paper",
    "frozen_since": "date the site stopped changing",
    "redirects_since": "date the site began to redirect",
    "active": "crawled by default (default: not absorbed, frozen or redirecting)",
    "language": "language of the main edition (default vi)",
    "dateline": "the dateline the paper prints before its text (e.g. BTO)",
    "terms": "what the paper says about reuse of its texts (its terms page, with evidence)",
    "download_delay": "seconds between requests (politeness override)",
    "concurrency": "concurrent requests (politeness override)",
    "max_listing_pages": "listing pages walked per listing",
    "poll_interval": "how often to poll (e.g. 30m, 1h, 1d); the crawler's default otherwise",
    "evidence": "the evidence tag of this entry's facts that carry none",
}
FAMILY_KEYS = {"name", "article", "pagination", "feeds", "sitemaps", "listings", "listing_links",
               "menus"}  # fmt: skip


class RegistryError(ValueError):
    """The registry (or a lookup in it) is wrong; the message names what and where."""


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    article: tuple[Fact, ...]
    pagination: Fact | None
    feeds: tuple[Fact, ...] = ()
    sitemaps: tuple[Fact, ...] = ()
    listings: tuple[Fact, ...] = ()
    listing_links: Fact | None = None
    menus: bool = False


@dataclass(frozen=True)
class Registry:
    """Every source by id, the families, and the host index that maps a URL to its source."""

    sources: dict[str, Source]
    families: dict[str, Family]
    never_articles: tuple[Fact, ...] = ()
    host_index: dict[str, str] = field(default_factory=dict)  # host -> source id

    def get(self, source_id: str) -> Source:
        try:
            return self.sources[source_id]
        except KeyError:
            known = ", ".join(self.sources)
            raise RegistryError(f"unknown source {source_id!r} (known: {known})") from None

    def source_for_url(self, url: str) -> Source | None:
        """The source that declared the URL's host (its current, historic, edition, mirror or
        alias host), so old captures resolve to their paper; a Wayback Machine copy resolves
        by the URL it is a copy of."""
        try:
            host = host_key(archived_original(url) or url)
        except ValueError:
            return None
        source_id = self.host_index.get(host)
        return self.sources[source_id] if source_id else None

    def redirect_owner(self, source: Source, url: str) -> Source | None:
        """Whose article ``url`` is when a URL of ``source`` redirected there: ``source``'s
        own when the URL is one of its articles; else that of the paper that absorbed it (or
        that paper's absorber), whose site an absorbed paper's old addresses may now answer
        with (sources.md section 1); None when no paper of the chain takes the URL for an
        article (a removed article sent to a homepage or a listing)."""
        seen: set[str] = set()
        paper: Source | None = source
        while paper is not None and paper.id not in seen:
            if paper.is_article_url(url) or paper.is_article_url(paper.canonical_url(url)):
                return paper
            seen.add(paper.id)
            paper = self.sources.get(paper.absorbed_into) if paper.absorbed_into else None
        return None


# -- reading TOML ------------------------------------------------------------------------------


def _read(text_or_path: str | Path | None, default: str) -> tuple[str, str]:
    """(origin name, TOML text): a path is read, a string is the text itself."""
    if text_or_path is None:
        return default, resources.files("baotinh.data").joinpath(default).read_text("utf-8")
    if isinstance(text_or_path, Path):
        return text_or_path.name, text_or_path.read_text("utf-8")
    return default, text_or_path


def _toml(origin: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if m := _DUPLICATE_TABLE.match(message):
            raise RegistryError(
                f"{origin}: source {m[1]!r}: duplicate id (declared twice{m[2]})"
            ) from None
        raise RegistryError(f"{origin}: not valid TOML: {message}") from None


# -- helpers shared by families and sources ---------------------------------------------------


class _Entry:
    """Reads the facts of one TOML table; every error names the table."""

    def __init__(self, where: str, raw: dict[str, Any], default_evidence: str | None = None):
        self.where, self.raw, self.default_evidence = where, raw, default_evidence

    def fail(self, fault: str) -> RegistryError:
        return RegistryError(f"{self.where}: {fault}")

    def fact(self, key: str, text: object) -> Fact:
        try:
            return parse_fact(text, self.default_evidence)
        except FactError as exc:
            raise self.fail(f"{key}: {exc}") from None

    def facts(self, key: str) -> tuple[Fact, ...] | None:
        """A key holding one fact or a list of them; None when absent."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        items = value if isinstance(value, list) else [value]
        return tuple(self.fact(key, item) for item in items)

    def one(self, key: str) -> Fact | None:
        found = self.facts(key)
        if found is None:
            return None
        if len(found) != 1:
            raise self.fail(f"{key} takes one value, not a list")
        return found[0]

    def pattern(self, key: str, fact: Fact) -> str:
        try:
            compile_pattern(fact.value)
        except re.error as exc:
            raise self.fail(f"{key} pattern {fact.value!r} does not compile: {exc}") from None
        return fact.value

    def typed(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        if key not in self.raw:
            return default
        value = self.raw[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(f"{key} must be {getattr(kind, '__name__', kind)}, not {value!r}")
        return value


def _evidence(facts: Iterable[Fact]) -> str:
    return "; ".join(dict.fromkeys(f.evidence for f in facts if f.evidence))


# -- families ---------------------------------------------------------------------------------


def _families(origin: str, data: dict[str, Any]) -> tuple[dict[str, Family], tuple[Fact, ...]]:
    unknown = set(data) - {"family", "never_articles"}
    if unknown:
        raise RegistryError(f"{origin}: unknown top-level keys {sorted(unknown)}")
    top = _Entry(origin, data)
    never = top.facts("never_articles") or ()
    for fact in never:
        top.pattern("never_articles", fact)
    families: dict[str, Family] = {}
    for family_id, raw in data.get("family", {}).items():
        entry = _Entry(f"{origin}: family {family_id!r}", raw)
        if unknown := set(raw) - FAMILY_KEYS:
            raise entry.fail(f"unknown keys {sorted(unknown)} (known: {sorted(FAMILY_KEYS)})")
        article = entry.facts("article")
        if not article:
            raise entry.fail("no article pattern")
        for fact in article:
            entry.pattern("article", fact)
        pagination = entry.one("pagination")
        if pagination:
            entry.pattern("pagination", pagination)
        families[family_id] = Family(
            id=family_id,
            name=entry.typed("name", str, family_id),
            article=article,
            pagination=pagination,
            feeds=entry.facts("feeds") or (),
            sitemaps=entry.facts("sitemaps") or (),
            listings=entry.facts("listings") or (),
            listing_links=entry.one("listing_links"),
            menus=entry.typed("menus", bool, False),
        )
    return families, never


# -- sources ----------------------------------------------------------------------------------


def _periods(entry: _Entry, families: dict[str, Family]) -> tuple[FamilyPeriod, ...]:
    if "family" not in entry.raw:
        raise entry.fail(f"no family (known: {', '.join(families)})")
    raw = entry.raw["family"]
    items = raw if isinstance(raw, list) else [raw]
    # "generic" is the absence of a family claim: it needs no evidence.
    facts = [Fact(GENERIC, ()) if item == GENERIC else entry.fact("family", item) for item in items]
    if not facts:
        raise entry.fail("family is an empty list")
    override = entry.facts("article")
    article = tuple(entry.pattern("article", f) for f in override) if override else None
    pagination_fact = entry.one("pagination")
    pagination = entry.pattern("pagination", pagination_fact) if pagination_fact else None
    periods: list[FamilyPeriod] = []
    for index, fact in enumerate(facts):
        family = families.get(fact.value)
        if family is None:
            raise entry.fail(f"unknown family {fact.value!r} (known: {', '.join(families)})")
        if index and fact.start is None:
            raise entry.fail(f"family period {fact.value!r} after the first needs `from <date>`")
        previous = periods[-1].start if periods else None
        if previous and fact.start and fact.start.start <= previous.start:
            raise entry.fail(f"family periods are not in date order at {fact.value!r}")
        periods.append(
            FamilyPeriod(
                family=family.id,
                start=fact.start,
                evidence=fact.evidence,
                article=article or tuple(f.value for f in family.article),
                pagination=pagination or (family.pagination.value if family.pagination else None),
            )
        )
    return tuple(periods)


def _host(entry: _Entry, key: str, value: str) -> str:
    host = host_key(value)
    if not HOST.match(host) or "/" in value:
        raise entry.fail(f"{key}: {value!r} is not a host name")
    return host


def _url_side(entry: _Entry, text: str) -> tuple[str, str]:
    """``host[/prefix/]`` of an alias -> (host, prefix)."""
    host, slash, rest = text.strip().partition("/")
    prefix = "/" + rest if slash else "/"
    if not prefix.endswith("/"):
        raise entry.fail(f"aliases: the path prefix {prefix!r} must end with '/'")
    return _host(entry, "aliases", host), prefix


def _duration(entry: _Entry, text: object) -> timedelta | None:
    if text is None:
        return None
    m = _DURATION.match(str(text).strip())
    if not m or int(m[1]) == 0:
        raise entry.fail(f"poll_interval {text!r} is not a duration such as 30m, 1h or 1d")
    return timedelta(**{_DURATION_UNITS[m[2]]: int(m[1])})


def _source(
    source_id: str,
    raw: dict[str, Any],
    origin: str,
    families: dict[str, Family],
    never: tuple[Fact, ...],
    table: ProvinceTable,
) -> Source:
    where = f"{origin}: source {source_id!r}"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: must be a table")
    default = raw.get("evidence")
    if default is not None:
        try:
            parse_tags(str(default), what="evidence")
        except FactError as exc:
            raise RegistryError(f"{where}: {exc}") from None
    entry = _Entry(where, raw, default)
    if not ID.match(source_id):
        raise entry.fail("the id must be lower-case letters, digits and '_' (no dots)")
    if tables := [k for k, v in raw.items() if isinstance(v, dict)]:
        raise entry.fail(
            f"{tables[0]!r} is a table: a dotted id ({source_id}.{tables[0]})? "
            "ids are lower-case letters, digits and '_' (no dots)"
        )
    if unknown := set(raw) - set(SOURCE_KEYS):
        raise entry.fail(f"unknown keys {sorted(unknown)} (known: {', '.join(SOURCE_KEYS)})")
    for key in ("name", "publisher", "domains"):
        if key not in raw:
            raise entry.fail(f"no {key}")
    name = entry.typed("name", str)
    publisher = entry.typed("publisher", str)
    if not ID.match(publisher):
        raise entry.fail(f"publisher {publisher!r} must be lower-case letters, digits and '_'")
    periods = _periods(entry, families)
    today = families[periods[-1].family]

    # Where it belongs.
    former_name = unit_name = None
    if "province" in raw:
        former = table.former_named(entry.typed("province", str))
        if former is None:
            raise entry.fail(
                f"province {raw['province']!r} is not in the province table "
                "(one of the 63 former provinces, datasets/provinces.csv)"
            )
        former_name, unit_name = former.name, table.unit_of(former).name

    # Hosts: domains, editions, mirrors, aliases.
    domain_facts = entry.facts("domains") or ()
    if not domain_facts:
        raise entry.fail("no domains")
    hosts = [Host(_host(entry, "domains", f.value), "domain", f) for f in domain_facts]
    editions: list[Edition] = []
    for fact in entry.facts("editions") or ():
        language, colon, where_text = fact.value.partition(":")
        where_text = where_text.strip()
        if language.strip() == ANY_LANGUAGE or where_text == LANGUAGE_PREFIX:
            # Every language under the prefix of its code: '*: /<lang>/' and nothing else.
            if (language.strip(), where_text) != (ANY_LANGUAGE, LANGUAGE_PREFIX):
                raise entry.fail(
                    f"editions: {fact.value!r}: write '*: /<lang>/' for every language"
                )
            editions.append(Edition(ANY_LANGUAGE, None, LANGUAGE_PREFIX, fact))
            continue
        if not colon or not LANGUAGE.match(language.strip()) or not where_text:
            raise entry.fail(
                f"editions: {fact.value!r} is not '<lang>: <host>', '<lang>: /x/' or '*: /<lang>/'"
            )
        if where_text.startswith("/"):
            if not where_text.endswith("/"):
                raise entry.fail(f"editions: the path prefix {where_text!r} must end with '/'")
            editions.append(Edition(language.strip(), None, where_text, fact))
        else:
            host = _host(entry, "editions", where_text)
            editions.append(Edition(language.strip(), host, None, fact))
            hosts.append(Host(host, "edition", fact))
    primary = hosts[0].host
    aliases: list[Alias] = []
    for fact in entry.facts("mirrors") or ():
        host = _host(entry, "mirrors", fact.value)
        hosts.append(Host(host, "mirror", fact))
        aliases.append(Alias(host, "/", primary, "/", fact))
    declared = {h.host for h in hosts}
    for fact in entry.facts("aliases") or ():
        old, arrow, new = fact.value.partition("->")
        if not arrow:
            raise entry.fail(f"aliases: {fact.value!r} is not '<old> -> <new>'")
        from_host, from_prefix = _url_side(entry, old)
        to_host, to_prefix = _url_side(entry, new)
        if to_host not in declared:
            raise entry.fail(f"aliases: {to_host!r} is not one of the source's hosts")
        if from_host not in declared:
            hosts.append(Host(from_host, "alias", fact))
            declared.add(from_host)
        aliases.append(Alias(from_host, from_prefix, to_host, to_prefix, fact))
    seen: set[str] = set()
    for host in hosts:
        if host.host in seen:
            raise entry.fail(f"host {host.host!r} is declared twice")
        seen.add(host.host)

    # Discovery: the entry's lists replace the family's; paths resolve against the home.
    home = entry.typed("home", str) or f"https://{domain_facts[0].value}/"
    if host_key(home) not in declared:
        raise entry.fail(f"home {home!r} is not on the source's hosts")
    start_facts: list[tuple[str, str, Fact]] = []
    lists: dict[str, list[str]] = {}
    for kind in ("feeds", "sitemaps", "listings"):
        facts = entry.facts(kind)
        if facts is None:
            facts = getattr(today, kind)
        lists[kind] = []
        for fact in facts:
            url = urljoin(home, fact.value)
            if urlsplit(url).scheme not in ("http", "https") or host_key(url) not in declared:
                raise entry.fail(f"{kind}: {url} is not on the source's hosts")
            lists[kind].append(url)
            start_facts.append((kind, url, fact))
    if not any(lists.values()):
        raise entry.fail("no discovery method (no feeds, sitemaps or listings)")

    # History and status.
    names = entry.facts("names") or ()
    absorbed = entry.one("absorbed_into")
    if absorbed and absorbed.value == source_id:
        raise entry.fail("absorbed_into names the source itself")
    dated: dict[str, Fact | None] = {}
    for key in ("frozen_since", "redirects_since"):
        dated[key] = fact = entry.one(key)
        if fact is not None:
            try:
                parse_date_text(fact.value)
            except FactError as exc:
                raise entry.fail(f"{key}: {exc}") from None
    inactive_by_history = bool(absorbed or dated["frozen_since"] or dated["redirects_since"])
    dateline = entry.one("dateline")
    terms = entry.one("terms")
    listing_links = entry.one("listing_links") or today.listing_links
    language = entry.typed("language", str, "vi")
    if not LANGUAGE.match(language):
        raise entry.fail(f"language {language!r} is not a BCP 47 tag")
    delay = entry.typed("download_delay", (int, float))
    concurrency = entry.typed("concurrency", int)
    max_pages = entry.typed("max_listing_pages", int, 5)
    if (delay is not None and delay < 0) or (concurrency is not None and concurrency < 1):
        raise entry.fail("download_delay must be >= 0 and concurrency >= 1")
    if max_pages < 1:
        raise entry.fail("max_listing_pages must be at least 1")

    evidence = {
        "family": "; ".join(
            f"{p.family}{f' from {p.start}' if p.start else ''} [{p.evidence}]"
            for p in periods
            if p.evidence
        ),
        "domains": _evidence(h.fact for h in hosts),
        "article": _evidence(
            entry.facts("article") or [f for p in periods for f in families[p.family].article]
        ),
        **{
            kind: _evidence(f for k, _, f in start_facts if k == kind)
            for kind in ("feeds", "sitemaps", "listings")
        },
        "absorbed_into": absorbed.evidence if absorbed else "",
        **{k: f.evidence if f else "" for k, f in dated.items()},
    }
    return Source(
        id=source_id,
        name=name,
        publisher_id=publisher,
        province=unit_name,
        former_province=former_name,
        domains=tuple(dict.fromkeys(h.host for h in hosts)),
        home=home,
        periods=periods,
        feeds=tuple(lists["feeds"]),
        sitemaps=tuple(lists["sitemaps"]),
        listings=tuple(lists["listings"]),
        never_articles=tuple(f.value for f in never),
        language=language,
        active=entry.typed("active", bool, not inactive_by_history),
        unverified=all(p.family == GENERIC for p in periods) and "article" not in raw,
        dateline=dateline.value if dateline else None,
        terms=terms.value if terms else None,
        download_delay=float(delay) if delay is not None else None,
        concurrency=concurrency,
        max_listing_pages=max_pages,
        poll_interval=_duration(entry, raw.get("poll_interval")),
        listing_links=listing_links.value if listing_links else None,
        follow_menus=today.menus,
        absorbed_into=absorbed.value if absorbed else None,
        frozen_since=dated["frozen_since"],
        redirects_since=dated["redirects_since"],
        hosts=tuple(hosts),
        editions=tuple(editions),
        aliases=tuple(aliases),
        names=names,
        start_facts=tuple(start_facts),
        evidence={k: v for k, v in evidence.items() if v},
    )


def load_registry(
    sources: str | Path | None = None,
    families: str | Path | None = None,
    province_table: ProvinceTable | None = None,
    extra: Sequence[str | Path] = (),
) -> Registry:
    """Load and check a registry: TOML text or a path for each file, the package data when None.

    ``extra``: more sources files (an operator's own papers, in the same format), checked with
    the others: an id or domain already registered is refused."""
    family_origin, family_text = _read(families, "families.toml")
    family_table, never = _families(family_origin, _toml(family_origin, family_text))
    entries: list[tuple[str, str, dict[str, Any]]] = []
    for item in (sources, *extra):
        origin, text = _read(item, "sources.toml")
        data = _toml(origin, text)
        if unknown := set(data) - {"source"}:
            raise RegistryError(
                f"{origin}: unknown top-level keys {sorted(unknown)} (entries are [source.<id>])"
            )
        entries += [(origin, sid, raw) for sid, raw in data.get("source", {}).items()]
    table = province_table or provinces()
    result: dict[str, Source] = {}
    host_index: dict[str, str] = {}
    origin = "sources.toml"
    for origin, source_id, raw in entries:
        if source_id in result:
            raise RegistryError(f"{origin}: source {source_id!r}: duplicate id")
        source = _source(source_id, raw, origin, family_table, never, table)
        for host in source.domains:
            if (owner := host_index.get(host)) is not None:
                raise RegistryError(
                    f"{origin}: source {source_id!r}: duplicate domain {host!r} "
                    f"(already source {owner!r}'s)"
                )
            host_index[host] = source_id
        result[source_id] = source
    for source in result.values():
        if source.absorbed_into and source.absorbed_into not in result:
            raise RegistryError(
                f"{origin}: source {source.id!r}: absorbed_into {source.absorbed_into!r} "
                "is not a registered source"
            )
    return Registry(result, family_table, never, host_index)
