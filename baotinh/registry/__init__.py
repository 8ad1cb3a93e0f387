"""The source registry: one entry per paper, shipped as package data.

- ``data/families.toml``: what the papers of one CMS family share (URL patterns, pagination,
  discovery defaults), declared once.
- ``data/sources.toml``: one ``[source.<id>]`` per paper (and the national portal), naming its
  family and overriding only what differs; every fact keeps its evidence tag (``facts.py``).
- ``data/divisions.json`` + ``data/provinces.toml``: the province table (``provinces.py``).

``load_registry`` checks everything at load time and refuses a bad entry with one line; the
functions below use the shipped registry, loaded once.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from baotinh.registry.loader import Family, Registry, RegistryError, load_registry
from baotinh.registry.model import Alias, Edition, FamilyPeriod, Host, Source
from baotinh.registry.provinces import (
    MERGER_ADOPTED,
    MERGER_DATE,
    MERGER_IN_FORCE,
    MERGER_RESOLUTION,
    ProvinceTable,
    provinces,
)

__all__ = [
    "MERGER_ADOPTED",
    "MERGER_DATE",
    "MERGER_IN_FORCE",
    "MERGER_RESOLUTION",
    "Alias",
    "Edition",
    "Family",
    "FamilyPeriod",
    "Host",
    "ProvinceTable",
    "Registry",
    "RegistryError",
    "Source",
    "families",
    "get",
    "load_registry",
    "provinces",
    "redirect_owner",
    "registry",
    "source_for_url",
    "sources",
]


# An operator's own papers: extra sources files (same format as data/sources.toml), separated
# by the OS path separator, loaded with the shipped ones and checked alike.
EXTRA_SOURCES_ENV = "BAOTINH_SOURCES"


@cache
def registry() -> Registry:
    """The shipped registry (package data) plus ``$BAOTINH_SOURCES``, loaded and checked once."""
    extra = [Path(p) for p in os.environ.get(EXTRA_SOURCES_ENV, "").split(os.pathsep) if p]
    for path in extra:
        if not path.is_file():
            raise RegistryError(f"{EXTRA_SOURCES_ENV}: {path}: no such sources file")
    return load_registry(extra=extra)


def sources() -> dict[str, Source]:
    """All registered sources by id, in registry order."""
    return registry().sources


def families() -> dict[str, Family]:
    return registry().families


def get(source_id: str) -> Source:
    return registry().get(source_id)


def source_for_url(url: str) -> Source | None:
    """The paper a URL belongs to: the source that declared its host (current, historic,
    edition, mirror or alias host); None for a host no source declared."""
    return registry().source_for_url(url)


def redirect_owner(source: Source, url: str) -> Source | None:
    """The paper whose article a redirect from one of ``source``'s URLs reached (itself, or
    the paper that absorbed it), None when it is no article (``Registry.redirect_owner``)."""
    return registry().redirect_owner(source, url)
