"""The paper a copy credits: the original's URL and the printed name, resolved to a registered
source (so to its publisher and, through ``enrich``, its province).

The URL decides when it belongs to a registered paper (``source_for_url``: current, historic,
edition, mirror and alias hosts); else the printed name (the paper's names over time, as the
registry records them); else the dateline the copy kept ("BTO - ..." is Báo Bình Thuận Online).
A credit of the copier itself ("Việt Nam" on the portal's own stories) is no credit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from baotinh import registry
from baotinh.registry import Source
from baotinh.text import nfc
from baotinh.urls import normalize_url

# Words a credited name may add to the paper's registered name ("Báo Bình Thuận Online",
# "Báo điện tử Khánh Hòa").
_DECORATION = frozenset({"online", "dien", "tu", "electronic", "newspaper", "e"})
# The portal's own stories credit the country ("Việt Nam") or the portal.
_OWN_NAMES = frozenset({"viet nam", "vietnam", "vietnam vn", "vietnamvn"})
# A dateline opening the text: "BTO - ", "(BTO) - ", "BTO – ".
_DATELINE = re.compile(r"^\(?(?P<tag>[^\W\d_][\w.Đđ ]{0,24}?)\)?\s*[-–—]\s")


@dataclass(frozen=True)
class Credit:
    """What a copy credits: the original's URL (normalised), the paper's name as printed (or
    the registry's when only the URL names it), the registered paper when known."""

    url: str | None
    name: str | None
    source: Source | None


def fold_name(name: str) -> str:
    """A paper's name for comparison: NFC, no marks, lower case, words only, decoration out."""
    text = unicodedata.normalize("NFD", nfc(name).replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.findall(r"\w+", bare)
    return " ".join(w for w in words if w not in _DECORATION)


@cache
def _names() -> dict[str, str | None]:
    """Folded name -> source id for every name a registered paper used (None: ambiguous)."""
    index: dict[str, str | None] = {}
    for source in registry.sources().values():
        for name in (source.name, *(fact.value for fact in source.names)):
            key = fold_name(name)
            if key:
                index[key] = source.id if index.get(key, source.id) == source.id else None
    return index


@cache
def _datelines() -> dict[str, str | None]:
    index: dict[str, str | None] = {}
    for source in registry.sources().values():
        if source.dateline:
            key = source.dateline.casefold()
            index[key] = source.id if index.get(key, source.id) == source.id else None
    return index


def source_named(name: str | None) -> Source | None:
    """The registered paper of a printed name (any name it used), None when unknown."""
    source_id = _names().get(fold_name(name)) if name else None
    return registry.sources()[source_id] if source_id else None


def source_of_dateline(text: str | None) -> Source | None:
    """The paper whose dateline opens ``text`` ("BTO - Am heutigen Nachmittag ...")."""
    found = _DATELINE.match(text or "")
    source_id = _datelines().get(found["tag"].strip().casefold()) if found else None
    return registry.sources()[source_id] if source_id else None


def _is_own(name: str | None, copier: Source | None) -> bool:
    if not name:
        return False
    key = fold_name(name)
    return key in _OWN_NAMES or (copier is not None and key == fold_name(copier.name))


def url_forms(url: str) -> list[str]:
    """The identity forms an original's URL may be archived under: normalised, and mapped onto
    its paper's current form (a moved section, a mirror)."""
    try:
        forms = [normalize_url(url)]
    except ValueError:
        return []
    source = registry.source_for_url(url)
    if source is not None and (mapped := source.canonical_url(url)) not in forms:
        forms.append(mapped)
    return forms


def credit_of(
    original_url: str | None,
    name: str | None,
    opening: str | None = None,
    copier: Source | None = None,
) -> Credit:
    """Resolve what a page credits (``opening``: its first paragraph, for a dateline)."""
    url: str | None = None
    by_url: Source | None = None
    if original_url:
        try:
            url = normalize_url(original_url)
        except ValueError:
            url = None
        by_url = registry.source_for_url(original_url) if url else None
        if by_url is not None and copier is not None and by_url.id == copier.id:
            url = by_url = None  # a link to the portal itself credits nothing
    if _is_own(name, copier):
        name = None
        if url is None:
            return Credit(None, None, None)
    source = by_url or source_named(name) or source_of_dateline(opening)
    if source is not None and (source.national or (copier is not None and source.id == copier.id)):
        source = None
    if name is None and source is not None:
        name = source.name
    return Credit(url, name, source)
