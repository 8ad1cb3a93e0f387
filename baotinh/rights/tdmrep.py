"""The W3C TDM Reservation Protocol (TDMRep, final report of 2024).

A rights holder reserves text-and-data-mining rights (EU DSM directive, art. 4) in one of three
ways, from the weakest to the strongest:

1. ``/.well-known/tdmrep.json`` on the origin: a JSON array of rules
   ``{"location": "/news/*", "tdm-reservation": 1, "tdm-policy": "https://..."}``; ``location``
   is a path pattern in robots.txt syntax (``*`` any characters, a final ``$`` anchors the end).
   The first rule whose pattern matches the resource's path (and query) applies.
2. the response headers ``tdm-reservation: 1|0`` and ``tdm-policy: <absolute URL>``, which
   override the file;
3. in an HTML page, ``<meta name="tdm-reservation" content="1">`` and
   ``<meta name="tdm-policy" content="...">``, which override both.

``tdm-reservation`` is 1 (reserved) or 0 (not reserved); any other value declares nothing.
A ``tdm-policy`` must be an absolute URL (a relative one is ignored).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

WELL_KNOWN_PATH = "/.well-known/tdmrep.json"
RESERVATION = "tdm-reservation"
POLICY = "tdm-policy"


class TdmRepError(ValueError):
    """A tdmrep.json that is not a list of rules."""


@dataclass(frozen=True)
class TdmDeclaration:
    """What was declared for one resource; ``source`` says where (meta, header, well-known)."""

    reservation: bool | None
    policy: str | None = None
    source: str | None = None

    @property
    def declared(self) -> bool:
        return self.reservation is not None


NOTHING = TdmDeclaration(None, None, None)


@dataclass(frozen=True)
class TdmRule:
    location: str
    reservation: bool | None
    policy: str | None

    def matches(self, path: str) -> bool:
        return _location_regex(self.location).match(path) is not None


def _reservation(value: object) -> bool | None:
    text = str(value).strip() if value is not None else ""
    return {"1": True, "0": False}.get(text)


def _policy(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def _location_regex(location: str) -> re.Pattern[str]:
    anchored = location.endswith("$")
    body = location[:-1] if anchored else location
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def well_known_url(page_url: str) -> str:
    """Where the origin's tdmrep.json lives for ``page_url``."""
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}{WELL_KNOWN_PATH}"


def parse_well_known(text: str | bytes) -> list[TdmRule]:
    """The rules of a tdmrep.json (TdmRepError when it is not a JSON array of objects)."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TdmRepError(f"tdmrep.json is not JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise TdmRepError("tdmrep.json must be a JSON array of objects")
    rules = []
    for entry in data:
        location = entry.get("location")
        if not isinstance(location, str) or not location.startswith("/"):
            continue  # a rule without a path pattern applies to nothing
        rules.append(
            TdmRule(location, _reservation(entry.get(RESERVATION)), _policy(entry.get(POLICY)))
        )
    return rules


def from_well_known(rules: Sequence[TdmRule], page_url: str) -> TdmDeclaration:
    parts = urlsplit(page_url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    for rule in rules:
        if rule.matches(path):
            if rule.reservation is None:
                return NOTHING
            return TdmDeclaration(rule.reservation, rule.policy, "well-known")
    return NOTHING


def _header(headers: Mapping[str, object], name: str) -> str | None:
    for key, value in headers.items():
        k = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if k.lower() != name:
            continue
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return None if value is None else str(value)
    return None


def from_headers(headers: Mapping[str, object] | None) -> TdmDeclaration:
    if not headers:
        return NOTHING
    reservation = _reservation(_header(headers, RESERVATION))
    if reservation is None:
        return NOTHING
    return TdmDeclaration(reservation, _policy(_header(headers, POLICY)), "header")


def from_html(html: str | bytes | None) -> TdmDeclaration:
    import lxml.html

    if not html or not html.strip():
        return NOTHING
    try:
        doc = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return NOTHING
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name in (RESERVATION, POLICY) and name not in found:
            found[name] = meta.get("content") or ""
    reservation = _reservation(found.get(RESERVATION))
    if reservation is None:
        return NOTHING
    return TdmDeclaration(reservation, _policy(found.get(POLICY)), "meta")


def from_meta(meta: Mapping[str, Sequence[str]]) -> TdmDeclaration:
    """:func:`from_html` from meta values a parser already collected (lower-cased names)."""
    reservation = _reservation(next(iter(meta.get(RESERVATION, ())), None))
    if reservation is None:
        return NOTHING
    return TdmDeclaration(reservation, _policy(next(iter(meta.get(POLICY, ())), None)), "meta")


def resolve_tdm(
    page_url: str,
    headers: Mapping[str, object] | None = None,
    html: str | bytes | None = None,
    well_known: Sequence[TdmRule] | None = None,
    meta: Mapping[str, Sequence[str]] | None = None,
) -> TdmDeclaration:
    """The declaration that applies to a page: HTML meta, else headers, else the origin's file.
    ``meta``: the page's meta values when a parser collected them (then ``html`` is not read)."""
    page = from_meta(meta) if meta is not None else from_html(html)
    for declaration in (page, from_headers(headers)):
        if declaration.declared:
            return declaration
    return from_well_known(well_known or (), page_url)
