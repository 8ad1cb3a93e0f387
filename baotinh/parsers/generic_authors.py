"""Authors: people only, from JSON-LD, meta and visible bylines (Vietnamese forms included).

Written here because no maintained library reads bylines in Vietnamese ("Bài và ảnh: A - B",
"Tin, ảnh: A", a trailing bold name) or tells people from agencies and site names.
"""

from __future__ import annotations

import re
from typing import Any

from baotinh.parsers.generic_evidence import Evidence, node_text

# Agencies and collective credits: never a person.
_NOT_PEOPLE = re.compile(
    r"^(?:dpa|afp|ap|sda|sid|kna|epd|apa|ans|ansa|efe|reuters|associated press|the associated press"
    r"|deutsche presse-agentur|agence france-presse|ttxvn|vna|thông tấn xã việt nam|pv|ctv|btv"
    r"|staff|redaktion|redaction|rédaction|redacción|editorial|newsroom|admin|administrator"
    r"|.*\bredaktion\b.*|.*\bstaff\b.*|.*\bnewsdesk\b.*|.*\bonline\b|.*\.(?:com|de|at|ch|net|vn|be|is|tr)"
    r"|anadolu ajansı|.* news)$",
    re.I,
)
_PREFIX = re.compile(
    r"^\s*(?:by|von|por|par|di|door|av|af|ved|text|texte|autor(?:in)?|author|written by"
    r"|reporting by|bài và ảnh|bài, ảnh|bài|tin, ảnh|tin và ảnh|tin|ảnh"
    r"|nhóm phóng viên|phóng viên|pv|theo)"
    r"\s*[:.]?\s+",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\by\b|\bet\b|\bog\b|&|\s[-–]\s|\|)\s*", re.I)
_VN_BYLINE = re.compile(
    r"^(?:bài và ảnh|bài, ảnh|tin, ảnh|tin và ảnh|bài|tin|ảnh|nhóm phóng viên)\s*:\s*(.+)$", re.I
)
_BYLINE_CLASS = re.compile(r"author|byline|writer|creator|tac-gia|tacgia", re.I)


_PARENS = re.compile(r"\s*\([^)]*\)?\s*$")  # "Elena Oberholzer (obe)": initials after a name
_TITLE_SUFFIX = re.compile(r"\s+(?:기자|특파원|記者|记者)$")  # "reporter" after CJK names


def _clean(name: str) -> str:
    name = " ".join(name.split()).strip(" .,:;-–|")
    name = _PREFIX.sub("", _PARENS.sub("", name)).strip(" .,:;-–|()")
    return _TITLE_SUFFIX.sub("", name)


def _looks_like_name(text: str) -> bool:
    """Visible byline text: two to five words, each starting with a capital (or a CJK name)."""
    words = text.split()
    if len(words) == 1:
        # Scripts without case (Chinese, Japanese, Korean) write a name as one word.
        return text[0].isalpha() and not (text[0].isupper() or text[0].islower())
    return 2 <= len(words) <= 5 and all(w[0].isupper() for w in words if w[0].isalpha())


def _is_person(name: str, site_names: set[str]) -> bool:
    folded = name.casefold()
    if not name or len(name) > 60 or len(name.split()) > 6 or "@" in name or "http" in folded:
        return False
    if any(ch.isdigit() for ch in name):
        return False
    if folded in site_names or any(folded in s or s in folded for s in site_names if len(s) > 3):
        return False
    return not _NOT_PEOPLE.match(name)


def split_names(text: str, site_names: set[str]) -> list[str]:
    names: list[str] = []
    for part in _SPLIT.split(_clean(text)):
        name = _clean(part)
        if _is_person(name, site_names) and name not in names:
            names.append(name)
    return names


def _jsonld_authors(value: Any) -> list[str]:
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            kind = str(item.get("@type") or "person").lower()
            if "organization" in kind:
                continue
            if isinstance(item.get("name"), str):
                names.append(item["name"])
    return names


def _visible_bylines(ev: Evidence) -> list[str]:
    found: list[str] = []
    for node in ev.tree.xpath('//body//*[@rel="author" or @itemprop="author"]'):
        named = node.xpath('.//*[@itemprop="name"]')
        text = named[0].get("content") or node_text(named[0]) if named else node_text(node)
        if text:
            found.append(text)
    if found:
        return found
    for node in ev.tree.xpath("//body//*[@class]"):
        if node.tag in ("body", "article", "main", "section", "script", "style"):
            continue
        if _BYLINE_CLASS.search(node.get("class") or ""):
            text = node_text(node)
            if 2 < len(text) <= 80:
                found.append(text)
        if len(found) >= 3:
            break
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


def pick_authors(ev: Evidence, closing_names: list[str]) -> tuple[list[str], str]:
    """People named by JSON-LD, else meta, else a visible byline, else a closing paragraph."""
    site_names = ev.publisher_names
    sources = [
        ("json-ld author", _jsonld_authors(ev.article.get("author"))),
        (
            "meta author",
            [
                v
                for key in (
                    "author",
                    "article:author",
                    "parsely-author",
                    "sailthru.author",
                    "dc.creator",
                    "byl",
                )
                for v in ev.meta.get(key, [])
            ],
        ),
        ("visible byline", _visible_bylines(ev)),
    ]
    for reason, texts in sources:
        names: list[str] = []
        for text in texts:
            found = split_names(text, site_names)
            if reason == "visible byline":
                found = [n for n in found if _looks_like_name(n)]
            names += [n for n in found if n not in names]
        if names:
            return names, reason
    if closing_names:
        return closing_names, "closing byline paragraph"
    return [], "no person named"
