"""The source registry: declarative entries shipped as package data (``data/sources.toml``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from baotinh.urls import decoded_path, is_homepage, on_domains

MERGER_DATE = date(2025, 7, 1)


class RegistryError(ValueError):
    """The registry (or a lookup in it) is wrong; the message names what and where."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    publisher_id: str
    province: str
    province_before_2025: str
    domains: tuple[str, ...]
    home: str
    article_pattern: str
    family: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    pagination_pattern: str | None = None
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    active: bool = True  # False: a frozen archive, crawled for backfill only
    dateline: str | None = None
    # Per-source politeness overrides (Scrapy download slot settings).
    download_delay: float | None = None
    concurrency: int | None = None
    max_listing_pages: int = 5
    # What the paper's site says about reuse of its texts (quoted, with the page's URL), when
    # known: printed in the dataset card of every release.
    terms: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def article_re(self) -> re.Pattern[str]:
        return _compile(self.article_pattern)

    def owns(self, url: str) -> bool:
        return on_domains(url, self.domains)

    def is_article_url(self, url: str) -> bool:
        """On this source's domains and matching its article pattern (percent-decoded)."""
        return self.owns(url) and bool(self.article_re.search(decoded_path(url)))

    def is_pagination_url(self, url: str) -> bool:
        return bool(
            self.pagination_pattern
            and self.owns(url)
            and _compile(self.pagination_pattern).search(url)
        )

    def trusts_canonical(self, canonical: str) -> bool:
        """A canonical link counts only on this publisher, and not for a homepage or listing."""
        return (
            self.owns(canonical) and not is_homepage(canonical) and self.is_article_url(canonical)
        )

    def province_at(self, when: datetime | None) -> str:
        if when is not None and when.date() < MERGER_DATE:
            return self.province_before_2025
        return self.province

    def start_urls(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *self.listings]


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _read_toml(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("baotinh.data").joinpath(name).read_text("utf-8"))


@cache
def provinces() -> dict[str, tuple[str, ...]]:
    """Current unit -> the pre-July-2025 provinces it was formed from."""
    return {u["name"]: tuple(u["formed_from"]) for u in _read_toml("provinces.toml")["unit"]}


def _build(entry: dict[str, Any]) -> Source:
    where = f"source {entry.get('id', '?')!r} in sources.toml"
    try:
        for key in ("domains", "feeds", "sitemaps", "listings"):
            if key in entry:
                entry[key] = tuple(entry[key])
        source = Source(**entry)
    except TypeError as exc:
        raise RegistryError(f"{where}: {exc}") from None
    units = provinces()
    if source.province not in units:
        raise RegistryError(f"{where}: province {source.province!r} is not a current unit")
    former = {p for olds in units.values() for p in olds}
    if source.province_before_2025 not in former:
        raise RegistryError(f"{where}: {source.province_before_2025!r} is not a former province")
    try:
        _compile(source.article_pattern)
    except re.error as exc:
        raise RegistryError(f"{where}: bad article_pattern: {exc}") from None
    for url in source.start_urls():
        if not source.owns(url):
            raise RegistryError(f"{where}: {url} is not on the source's domains")
    return source


@cache
def sources() -> dict[str, Source]:
    """All registered sources by id, in registry order."""
    result: dict[str, Source] = {}
    for entry in _read_toml("sources.toml")["source"]:
        source = _build(dict(entry))
        if source.id in result:
            raise RegistryError(f"source id {source.id!r} is registered twice")
        result[source.id] = source
    return result


def get(source_id: str) -> Source:
    try:
        return sources()[source_id]
    except KeyError:
        known = ", ".join(sources())
        raise RegistryError(f"unknown source {source_id!r} (known: {known})") from None


def source_for_url(url: str) -> Source | None:
    for source in sources().values():
        if source.owns(url):
            return source
    return None
