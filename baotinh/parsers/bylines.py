"""Bylines: from a printed credit line to names. One splitter for family and generic parsers.

Written here because no maintained library reads Vietnamese bylines ("Bài và ảnh: A - B",
"Tin, ảnh: A", "Bài: A; ảnh: B", a closing bold name) or tells people from site names and
editorial desks; the multilingual prefixes ("By", "Von", "（责编：") serve the generic parser on
the evaluation corpus.

A wire agency (dpa, AFP, AP, Reuters, TTXVN, ...) named as the byline of a story *is* its
author credit, so it is kept by default (``credit_agencies``); the site's own name and
collective labels ("Redaktion", "Staff", "Newsdesk") never are.
"""

from __future__ import annotations

import re

from baotinh.text import nfc

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
# A label before the names, at the start of the line or of one of its parts.
_PREFIX = re.compile(
    r"^\s*(?:by|von|por|par|di|door|av|af|ved|text|texte|autor(?:in)?|author|written by"
    r"|reporting by|bài và ảnh|bài, ảnh|bài|tin, ảnh|tin và ảnh|tin|ảnh"
    r"|nhóm phóng viên|phóng viên|pv|theo|nguồn)"
    r"\s*[:.]?\s+",
    re.I,
)
# Vietnamese role labels anywhere in the line ("Bài: A; ảnh: B", "Bài và ảnh: A - B"): each one
# starts a new group of names.
_VN_ROLE = re.compile(
    r"(?i)(?:^|(?<=[\s;,(]))(?:bài|tin|ảnh|video|clip|đồ họa|thực hiện|trình bày|ghi chép"
    r"|lược dịch|dịch|nhóm phóng viên)"
    r"(?:\s*(?:,|và|\+|/)\s*(?:bài|tin|ảnh|video|clip))*\s*:\s*"
)
_VN_LABELLED = re.compile(
    r"(?i)^\s*(?:bài|tin|ảnh|video|clip|thực hiện|nhóm phóng viên)"
    r"(?:\s*(?:,|và|\+|/)\s*(?:bài|tin|ảnh|video))*\s*:\s*(.+)$"
)
# Chinese/Japanese byline labels take a full-width colon and no space: "（责编：A、B）".
CJK_PREFIX = re.compile(r"^[（(]?\s*(?:责编|责任编辑|编辑|作者|记者|文|撰文)\s*[:：]\s*")
# Names are separated by commas, semicolons, " - ", "|" or a word for "and" (Vietnamese "và"
# included: "Thu Hà và Minh Đức").
_SPLIT = re.compile(
    r"\s*(?:,|;|、|\band\b|\bund\b|\by\b|\bet\b|\bog\b|\bvà\b|&|\s[-–]\s|\|)\s*", re.I
)
_SLUG = re.compile(r"[a-z]+(?:-[a-z]+)+")  # "sophie-foster": a CMS user id, not a byline
_PARENS = re.compile(r"\s*\([^)]*\)?\s*$")  # "Elena Oberholzer (obe)": initials after a name
_TITLE_SUFFIX = re.compile(r"\s+(?:기자|특파원|記者|记者)$")  # "reporter" after CJK names


def _clean(name: str) -> str:
    name = " ".join(name.split()).strip(" .,:;-–|")
    name = CJK_PREFIX.sub("", name).rstrip("）)")
    name = _PREFIX.sub("", _PARENS.sub("", name)).strip(" .,:;-–|()")
    return _TITLE_SUFFIX.sub("", name)


def is_agency(name: str) -> bool:
    return bool(_AGENCY.match(" ".join(name.split())))


def is_credit(name: str, site_names: set[str] | frozenset[str], credit_agencies: bool) -> bool:
    """A person (or, with ``credit_agencies``, a wire agency); never the site or a desk."""
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


def split_byline(
    text: str,
    site_names: set[str] | frozenset[str] = frozenset(),
    credit_agencies: bool = True,
) -> list[str]:
    """``"Bài và ảnh: Thu Hà - Minh Đức"`` -> ``["Thu Hà", "Minh Đức"]``, in printed order.

    Role labels are dropped wherever they stand; the site's own name, desks and collective
    labels are not credits; a wire agency is one when ``credit_agencies``."""
    text = _VN_ROLE.sub(" ; ", " ".join(nfc(text).split()))  # NFD bylines match as NFC
    names: list[str] = []
    for part in _SPLIT.split(_clean(text)):
        name = _clean(part)
        if is_credit(name, site_names, credit_agencies) and name not in names:
            names.append(name)
    return names


def looks_like_name(text: str) -> bool:
    """Visible byline text: two to five words, each starting with a capital (or a CJK name)."""
    words = text.split()
    if not words:
        return False
    if len(words) == 1:
        # Scripts without case (Chinese, Japanese, Korean) write a name as one word.
        return text[0].isalpha() and not (text[0].isupper() or text[0].islower())
    return 2 <= len(words) <= 5 and all(w[0].isupper() for w in words if w[0].isalpha())


# A signature of initials and a name, one token: "N.LÂN", "T.Hà", "Q.A".
_INITIALS = re.compile(r"^(?:[A-ZĐ]\.\s?){1,3}[A-ZĐ][^\W\d_]*$")


def trailing_byline(
    paragraph: str, site_names: set[str] | frozenset[str] = frozenset(), language: str | None = "vi"
) -> list[str]:
    """Names when a closing paragraph is a Vietnamese byline, else ``[]``.

    Labelled ("Bài và ảnh: A - B", "Tin, ảnh: A") or, on a Vietnamese page, bare: two to
    five capitalised words without closing punctuation ("Lê Phương", "NGUYỄN VĂN AN"), or
    initials and a name ("N.LÂN")."""
    text = " ".join(paragraph.split())
    if len(text) > 100:
        return []
    if _VN_LABELLED.match(text):
        return split_byline(text, site_names)
    if language == "vi" and _INITIALS.match(text):
        return [text]
    if language == "vi" and 2 <= len(text.split()) <= 5 and not text.endswith((".", "?", "!", ":")):
        words = [w for w in re.split(r"[\s\-–,]+", text) if w]
        if words and all(w[0].isupper() for w in words):
            return split_byline(text, site_names)
    return []


def host_names(url: str) -> set[str]:
    """The site's host ("baohatinh.vn") and its first label ("baohatinh"): never a byline."""
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0].casefold()
    return {host, host.split(".")[0]} if host else set()
