"""Decoding pages: bytes + Content-Type -> Unicode NFC text, legacy Vietnamese encodings included.

The charset comes, in this order, from a byte-order mark, the HTTP ``Content-Type`` header, the
page's ``<meta>`` declaration (w3lib's ``html_to_unicode`` implements the WHATWG rules for these,
e.g. ``latin-1``/``ascii`` are read as windows-1252), else it is sniffed: valid UTF-8 is UTF-8,
anything else windows-1252, the single-byte charset old Vietnamese pages were served in.

Two Vietnamese specifics on top:
- **windows-1258** writes most tone marks as *combining* characters (``e`` + U+0301); the text is
  put in NFC, so it compares and hashes equal to the same words typed in Unicode.
- A page declared windows-1252/latin-1 whose bytes are valid UTF-8 is read as UTF-8 (a stale
  template declaration; such text is practically never valid UTF-8 by accident).
- **TCVN3 (ABC) and VNI** are font encodings, not charsets: pages of the late 1990s and 2000s
  were set in ``.VnTime`` or ``VNI-Times`` and served as windows-1252/latin-1 or undeclared, so
  their bytes decode to mojibake such as ``Céng hoµ`` (TCVN3) or ``Coäng hoøa`` (VNI). When a page
  is read as a Latin single-byte charset, its visible text is scored as TCVN3 and as VNI, and a
  clear winner that then reads as Vietnamese is converted to Unicode.

The conversion tables and the content scoring are viparse's (a maintained, dependency-free
package whose TCVN3 and VNI tables were measured against real documents; see ``_VNI``). We use
its low-level modules rather than ``viparse.fix`` because ``fix`` also rewrites whitespace and
control characters, which must not happen to markup.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass

from viparse.normalize.detector import detect_encoding_by_content
from viparse.normalize.tables import Charmap, build_charmap, convert
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
)

# viparse 0.1.31 leaves "ẳ"/"Ẳ" out of VNI because its corpus of administrative texts never
# had one; news text has it all the time ("khẳng định", "thẳng", "chẳng"). In VNI the breve
# row is é è ú ü ë for ắ ằ ẳ ẵ ặ (ẵ = "aü" is in viparse's table, observed), so ẳ is "aú".
_VNI: Charmap = build_charmap("vni", [*VNI.pairs, ("aú", "ẳ"), ("AÚ", "Ẳ")])
LEGACY_CHARMAPS: dict[str, Charmap] = {"tcvn3": TCVN3, "vni": _VNI}

# The codecs a legacy font page is read with: what it was declared as (or sniffed to).
_LATIN_SINGLE_BYTE = frozenset({"cp1252", "latin_1", "latin-1", "iso8859-1", "iso8859-15"})
_UTF8 = frozenset({"utf8", "utf-8"})
_SAMPLE_CHARS = 200_000
_INVISIBLE = re.compile(
    r"(?is)<!--.*?-->|<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|<[^>]*>"
)


@dataclass(frozen=True)
class DecodedPage:
    text: str  # the page as Unicode, NFC
    encoding: str  # the codec the bytes were read with (Python's name: "utf-8", "cp1258", ...)
    declared: str | None  # the charset the response or the page declared, if any
    legacy: str | None = None  # "tcvn3" or "vni" when the text was converted from that font


def decode_page(body: bytes, content_type: str | None = None) -> DecodedPage:
    """The page's text as Unicode NFC, whatever the bytes and the header say.

    Never raises on bad input: an unknown charset is ignored (the next rule applies) and
    undecodable bytes become U+FFFD.
    """
    declared = _declared(body, content_type)
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_sniff)
    encoding = _python_name(encoding)
    legacy = None
    if encoding in _LATIN_SINGLE_BYTE and not body.isascii() and _is_utf8(body):
        # Declared windows-1252/latin-1 but the bytes are UTF-8 (a template's stale meta tag):
        # text in those charsets is practically never valid UTF-8 by accident.
        encoding, text = "utf-8", body.decode("utf-8")
    elif encoding in _LATIN_SINGLE_BYTE:
        legacy, text = _legacy_font(text)
    elif encoding in _UTF8 and "\ufffd" in text and not _is_utf8(body):
        # Declared UTF-8 but not UTF-8: a legacy font page behind a template's meta tag.
        legacy, converted = _legacy_font(body.decode("cp1252", errors="replace"))
        if legacy:
            text, encoding = converted, "cp1252"
    return DecodedPage(unicodedata.normalize("NFC", text), encoding, declared, legacy)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Shorthand for ``decode_page(...).text``."""
    return decode_page(body, content_type).text


def detect_legacy_font(text: str) -> str | None:
    """ "tcvn3" or "vni" when ``text`` (Latin-1/windows-1252 surface characters) reads as
    Vietnamese once converted from that font encoding; None for Unicode or other languages."""
    # A sample is enough to tell, and keeps the cost flat on big pages.
    sample = html.unescape(_INVISIBLE.sub(" ", text[:_SAMPLE_CHARS]))
    if not any(ord(ch) > 0x7F for ch in sample):
        return None
    verdict = detect_encoding_by_content(sample, LEGACY_CHARMAPS)
    return verdict.encoding if verdict.encoding in LEGACY_CHARMAPS else None


def from_legacy_font(text: str, encoding: str) -> str:
    """``text`` read from TCVN3 or VNI surface characters into Unicode NFC."""
    return convert(text, LEGACY_CHARMAPS[encoding])


def _legacy_font(text: str) -> tuple[str | None, str]:
    found = detect_legacy_font(text)
    return (found, from_legacy_font(text, found)) if found else (None, text)


def _declared(body: bytes, content_type: str | None) -> str | None:
    bom, _ = read_bom(body)
    if bom:
        return bom
    header = http_content_type_encoding(content_type) if content_type else None
    return header or html_body_declared_encoding(body)


def _sniff(body: bytes) -> str:
    """Undeclared pages: UTF-8 if the bytes are UTF-8, else windows-1252 (what browsers in
    Vietnam defaulted to, and what TCVN3/VNI pages were written in)."""
    return "utf-8" if _is_utf8(body) else "cp1252"


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _python_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding
