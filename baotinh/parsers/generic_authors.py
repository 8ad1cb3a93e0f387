"""Authors: people (and wire agencies on wire copy) from JSON-LD, meta and visible bylines.

Where the credit is found is decided here; how a credit line becomes names (labels, separators,
agencies, desks) is ``baotinh.parsers.bylines``, shared with the family parsers.
"""

from __future__ import annotations

import re
from typing import Any

from baotinh.parsers.bylines import (
    CJK_PREFIX,
    host_names,
    is_agency,
    looks_like_name,
    split_byline,
)
from baotinh.parsers.generic_evidence import Evidence, node_text

_BYLINE_CLASS = re.compile(r"author|byline|writer|creator|tac-gia|tacgia", re.I)
# Author pages are linked from the byline on most CMSs ("/autoren/name/max-kolter").
_AUTHOR_HREF = re.compile(r"/(?:author|authors|autor|autoren|auteur|autore|journalist|reporter)/")
_FURNITURE = re.compile(r"related|teaser|recommend|comment|footer|sidebar|most-?read|share", re.I)

_PHOTO_CREDIT = re.compile(r"^(?:foto|photo|bild|image|kuva|zdjęcie)s?\s*:", re.I)
_META_KEYS = (
    "author",
    "article:author",
    "articleauthor",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
)


def _person_name(item: dict[str, Any]) -> str | None:
    name = item.get("name")
    if isinstance(name, list):
        name = next((n for n in name if isinstance(n, str)), None)
    if isinstance(name, str) and name.strip():
        return name
    # schema.org Person may give only the parts ("givenName": "Anna Giulia", "familyName": ...).
    parts = [item.get("givenName"), item.get("familyName")]
    joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return joined or None


def _jsonld_authors(value: Any) -> list[str]:
    """Names of JSON-LD authors; organisations only when they are a wire agency."""
    names: list[str] = []
    stack = value if isinstance(value, list) else [value]
    for item in stack:
        if isinstance(item, list):  # nested arrays occur ("author": [{...}, [{...}]])
            names += _jsonld_authors(item)
        elif isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            name = _person_name(item)
            kind = str(item.get("@type") or "person").lower()
            if name and ("organization" not in kind or is_agency(name)):
                names.append(name)
    return names


def _meta_authors(ev: Evidence) -> list[str]:
    found = [v for key in _META_KEYS for v in ev.meta.get(key, [])]
    # Yoast (WordPress) writes the byline as twitter "Written by" label/data pairs.
    for index in range(1, 5):
        label = (ev.first_meta(f"twitter:label{index}") or "").casefold()
        if label in ("written by", "geschrieben von", "escrito por", "écrit par"):
            found += ev.meta.get(f"twitter:data{index}", [])
    found += ev.meta.get("twitter:misc:written by", [])
    return found


def _in_furniture(node: Any) -> bool:
    """Inside a related-articles list, comments, footer or sidebar (not this article's byline)."""
    for ancestor in node.iterancestors():
        if ancestor.tag in ("aside", "footer", "nav"):
            return True
        if ancestor.tag in ("body", "html", "main"):  # page-wide classes say nothing here
            break
        if _FURNITURE.search(ancestor.get("class") or ""):
            return True
    return False


def _marked_bylines(ev: Evidence) -> list[str]:
    """Bylines in author markup (``rel=author``, ``itemprop=author``) outside page furniture."""
    found: list[str] = []
    for node in ev.tree.xpath('//body//*[@rel="author" or @itemprop="author"]'):
        if _in_furniture(node):
            continue
        named = node.xpath('.//*[@itemprop="name"]')
        text = named[0].get("content") or node_text(named[0]) if named else node_text(node)
        if text and not _PHOTO_CREDIT.match(text):
            found.append(text)
    return found


def _visible_bylines(ev: Evidence) -> list[str]:
    """Byline texts printed on the page, most reliable markup first."""
    found = _marked_bylines(ev)
    for node in ev.tree.xpath("//body//a[@href]"):
        if len(found) >= 6:
            break
        if _AUTHOR_HREF.search(node.get("href") or "") and not _in_furniture(node):
            text = node_text(node)
            if 2 < len(text) <= 60:
                found.append(text)
    if found:
        return found
    for node in ev.tree.xpath("//body//*[@class]"):
        if node.tag in ("body", "article", "main", "section", "script", "style"):
            continue
        if _BYLINE_CLASS.search(node.get("class") or "") and not _in_furniture(node):
            text = node_text(node)
            if 2 < len(text) <= 80:
                found.append(text)
        if len(found) >= 3:
            break
    if found:
        return found
    # A labelled byline in plain markup: "(责编：A、B)".
    for node in ev.tree.xpath("//body//*[self::div or self::p or self::span][not(*)]"):
        text = node_text(node)
        if len(text) <= 60 and CJK_PREFIX.match(text):
            found.append(text)
    return found


def site_names(ev: Evidence) -> set[str]:
    """The publisher's names plus its host ("lto.de") and the host's first label ("lto")."""
    return ev.publisher_names | host_names(ev.url)


def pick_authors(
    ev: Evidence, closing_names: list[str], *, credit_agencies: bool = True
) -> tuple[list[str], str]:
    """Credits named by JSON-LD, else meta, else a visible byline, else a closing paragraph.

    JSON-LD often lists only the first of several authors, or an editor: names printed in the
    page's own byline markup (``rel=author``, ``itemprop=author``, author-page links) are added.
    """
    sites = site_names(ev)

    def names_of(texts: list[str], visible: bool) -> list[str]:
        names: list[str] = []
        for text in texts:
            found = split_byline(text, sites, credit_agencies)
            if visible:
                found = [n for n in found if looks_like_name(n) or is_agency(n)]
            names += [n for n in found if n not in names]
        return names

    for reason, texts in [
        ("json-ld author", _jsonld_authors(ev.article.get("author"))),
        ("meta author", _meta_authors(ev)),
    ]:
        names = names_of(texts, visible=False)
        if names:
            folded = " ".join(n.casefold() for n in names)
            marked = names_of(_marked_bylines(ev), visible=True)
            extra = [n for n in marked if n.casefold() not in folded]
            if extra and len(extra) <= 3:
                return names + extra, f"{reason} + byline markup"
            return names, reason
    visible = names_of(_visible_bylines(ev), visible=True)
    if visible:
        return visible, "visible byline"
    if closing_names:
        return closing_names, "closing byline paragraph"
    return [], "no person named"
