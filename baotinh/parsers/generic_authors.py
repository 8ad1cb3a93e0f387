"""Authors: people (and wire agencies on wire copy) from JSON-LD, meta and visible bylines.

Written here because no maintained library reads bylines in Vietnamese ("Bài và ảnh: A - B",
"Tin, ảnh: A", a trailing bold name) or tells people from site names and editorial desks.

A wire agency (dpa, AFP, AP, Reuters, TTXVN, ...) named as the byline of a story *is* its
author credit, so it is kept by default (``credit_agencies``); the site's own name and
collective labels ("Redaktion", "Staff", "Newsdesk") never are.
"""

from __future__ import annotations

import re
from typing import Any

from baotinh.parsers.generic_evidence import Evidence, node_text

_AGENCY = re.compile(
    r"^(?:dpa|afp|ap|sda|sid|kna|epd|apa|ans|ansa|efe|reuters|associated press"
    r"|the associated press|deutsche presse-agentur|agence france-presse|ttxvn|vna"
    r"|thông tấn xã việt nam|anadolu ajansı|anadolu agency|aa|kyodo|xinhua|yonhap|tass"
    r"|pa|pa media|bloomberg|dts|afp/dpa|dpa/afp|reuters/dpa)$",
    re.I,
)
# Collective credits and generic words: never a person, never an agency.
_COLLECTIVE = re.compile(
    r"^(?:pv|ctv|btv|staff|redaktion|redaction|rédaction|redacción|redação|editorial|newsroom"
    r"|admin|administrator|nachrichten|news|noticias|nieuws|notizie|nyheter|haberler|tin tức"
    r"|.*\bredaktion\b.*|.*\bstaff\b.*|.*\bnewsdesk\b.*|.*\bonline\b|.*\.(?:com|de|at|ch|net|vn|be|is|tr)"
    r"|.* news)$",
    re.I,
)
_PREFIX = re.compile(
    r"^\s*(?:by|von|por|par|di|door|av|af|ved|text|texte|autor(?:in)?|author|written by"
    r"|reporting by|bài và ảnh|bài, ảnh|bài|tin, ảnh|tin và ảnh|tin|ảnh"
    r"|nhóm phóng viên|phóng viên|pv|theo)"
    r"\s*[:.]?\s+",
    re.I,
)
# Chinese/Japanese byline labels take a full-width colon and no space: "（责编：A、B）".
_CJK_PREFIX = re.compile(r"^[（(]?\s*(?:责编|责任编辑|编辑|作者|记者|文|撰文)\s*[:：]\s*")
_SPLIT = re.compile(r"\s*(?:,|;|、|\band\b|\bund\b|\by\b|\bet\b|\bog\b|&|\s[-–]\s|\|)\s*", re.I)
_VN_BYLINE = re.compile(
    r"^(?:bài và ảnh|bài, ảnh|tin, ảnh|tin và ảnh|bài|tin|ảnh|nhóm phóng viên)\s*:\s*(.+)$", re.I
)
_BYLINE_CLASS = re.compile(r"author|byline|writer|creator|tac-gia|tacgia", re.I)
# Author pages are linked from the byline on most CMSs ("/autoren/name/max-kolter").
_AUTHOR_HREF = re.compile(r"/(?:author|authors|autor|autoren|auteur|autore|journalist|reporter)/")
_FURNITURE = re.compile(r"related|teaser|recommend|comment|footer|sidebar|most-?read|share", re.I)

_PHOTO_CREDIT = re.compile(r"^(?:foto|photo|bild|image|kuva|zdjęcie)s?\s*:", re.I)
_SLUG = re.compile(r"[a-z]+(?:-[a-z]+)+")  # "sophie-foster": a CMS user id, not a byline
_PARENS = re.compile(r"\s*\([^)]*\)?\s*$")  # "Elena Oberholzer (obe)": initials after a name
_TITLE_SUFFIX = re.compile(r"\s+(?:기자|특파원|記者|记者)$")  # "reporter" after CJK names
_META_KEYS = (
    "author",
    "article:author",
    "articleauthor",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
)


def _clean(name: str) -> str:
    name = " ".join(name.split()).strip(" .,:;-–|")
    name = _CJK_PREFIX.sub("", name).rstrip("）)")
    name = _PREFIX.sub("", _PARENS.sub("", name)).strip(" .,:;-–|()")
    return _TITLE_SUFFIX.sub("", name)


def _looks_like_name(text: str) -> bool:
    """Visible byline text: two to five words, each starting with a capital (or a CJK name)."""
    words = text.split()
    if len(words) == 1:
        # Scripts without case (Chinese, Japanese, Korean) write a name as one word.
        return text[0].isalpha() and not (text[0].isupper() or text[0].islower())
    return 2 <= len(words) <= 5 and all(w[0].isupper() for w in words if w[0].isalpha())


def is_agency(name: str) -> bool:
    return bool(_AGENCY.match(" ".join(name.split())))


def _is_credit(name: str, site_names: set[str], credit_agencies: bool) -> bool:
    folded = name.casefold()
    if not name or len(name) > 60 or len(name.split()) > 6 or "@" in name or "http" in folded:
        return False
    if any(ch.isdigit() for ch in name) or "/" in name or _SLUG.fullmatch(name):
        return False
    if is_agency(name):
        return credit_agencies
    if folded in site_names or any(folded in s or s in folded for s in site_names if len(s) > 3):
        return False
    if folded.split()[0] in site_names:  # "MDR THÜRINGEN" on mdr.de: a desk of the site
        return False
    return not _COLLECTIVE.match(name)


def split_names(text: str, site_names: set[str], credit_agencies: bool = True) -> list[str]:
    names: list[str] = []
    for part in _SPLIT.split(_clean(text)):
        name = _clean(part)
        if _is_credit(name, site_names, credit_agencies) and name not in names:
            names.append(name)
    return names


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
        if len(text) <= 60 and _CJK_PREFIX.match(text):
            found.append(text)
    return found


def trailing_byline(paragraph: str, site_names: set[str], language: str | None) -> list[str]:
    """A Vietnamese closing byline paragraph ("Lê Phương", "Bài và ảnh: A - B") → names."""
    text = " ".join(paragraph.split())
    if m := _VN_BYLINE.match(text):
        return split_names(m.group(1), site_names)
    if language == "vi" and 2 <= len(text.split()) <= 5 and not text.endswith((".", "?", "!", ":")):
        words = [w for w in re.split(r"[\s\-–,]+", text) if w]
        if words and all(w[0].isupper() for w in words):
            return split_names(text, site_names)
    return []


def site_names(ev: Evidence) -> set[str]:
    """The publisher's names plus its host ("lto.de") and the host's first label ("lto")."""
    host = re.sub(r"^https?://(www\.)?", "", ev.url).split("/")[0].casefold()
    return ev.publisher_names | {host, host.split(".")[0]}


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
            found = split_names(text, sites, credit_agencies)
            if visible:
                found = [n for n in found if _looks_like_name(n) or is_agency(n)]
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
