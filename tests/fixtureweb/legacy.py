"""Writing Vietnamese in the legacy font encodings, for the fixture web's TCVN3 and VNI pages.

The pages are kept in the repository as readable UTF-8 and encoded when served. The tables
below are typed from the encodings' charts (TCVN 5712:1993 "VN3", the ABC/.VnTime fonts; the
VNI-Windows font layout), deliberately independent of the decoder under test
(``baotinh.encoding`` uses viparse's tables): a test that encodes here and decodes there checks
two sources against each other, not one table against itself.

Only what the fixtures need: Vietnamese letters and ASCII. Anything else raises, so a fixture
cannot silently hold a character the legacy font could not show.
"""

from __future__ import annotations

import unicodedata

# TCVN3 (VN3): one byte per letter. It has no upper-case letters with tone marks (those were
# typed in the .VnTimeH font with the lower-case codes), so they are not encodable here.
_TCVN3_BYTES = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip

# VNI: a base letter followed by a mark byte. Lower-case marks: acute ù (F9), grave ø (F8),
# hook û (FB), tilde õ (F5), dot ï (EF); after a circumflex â (E2): á à å ã ä; after a breve
# ê (EA): é è ú ü ë. ơ ư đ are single bytes (ô ö ñ), as are the i letters í ì æ ó ò.
# Upper-case letters use the upper-case forms of the same marks.
_VNI_TONES = "\u0301\u0300\u0309\u0303\u0323"  # acute, grave, hook, tilde, dot below
_VNI_MARKS = {
    # (lower, upper) mark characters per tone, for plain, circumflex and breve vowels
    "plain": (("ù", "ø", "û", "õ", "ï"), ("Ù", "Ø", "Û", "Õ", "Ï")),
    "circumflex": (("á", "à", "å", "ã", "ä"), ("Á", "À", "Å", "Ã", "Ä")),
    "breve": (("é", "è", "ú", "ü", "ë"), ("É", "È", "Ú", "Ü", "Ë")),
}


def _vni_table() -> dict[str, str]:
    table = {"đ": "ñ", "Đ": "Ñ", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö",
             "â": "aâ", "Â": "AÂ", "ê": "eâ", "Ê": "EÂ", "ô": "oâ", "Ô": "OÂ",
             "ă": "aê", "Ă": "AÊ",
             "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
             "Í": "Í", "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò"}  # fmt: skip
    for tone_index, tone in enumerate(_VNI_TONES):
        for base in "aeouyAEOUY":
            upper = base.isupper()
            marks = _VNI_MARKS["plain"][upper]
            table[unicodedata.normalize("NFC", base + tone)] = base + marks[tone_index]
        for base, row in (("a", "circumflex"), ("e", "circumflex"), ("o", "circumflex"),
                          ("a", "breve")):  # fmt: skip
            accent = "\u0302" if row == "circumflex" else "\u0306"
            for letter in (base, base.upper()):
                upper = letter.isupper()
                char = unicodedata.normalize("NFC", letter + accent + tone)
                table[char] = letter + _VNI_MARKS[row][upper][tone_index]
        for letter, single in (("ơ", "ô"), ("Ơ", "Ô"), ("ư", "ö"), ("Ư", "Ö")):
            upper = letter.isupper()
            char = unicodedata.normalize("NFC", letter + tone)
            table[char] = single + _VNI_MARKS["plain"][upper][tone_index]
    return table


_VNI_TABLE = _vni_table()


def encode_tcvn3(text: str) -> bytes:
    """Unicode Vietnamese -> TCVN3 bytes (raises ValueError on a character TCVN3 lacks)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if ord(char) < 0x80:
            out.append(ord(char))
        elif char in _TCVN3_BYTES:
            out.append(_TCVN3_BYTES[char])
        else:
            raise ValueError(f"TCVN3 has no code for {char!r} (U+{ord(char):04X})")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Unicode Vietnamese -> VNI-Windows bytes (raises ValueError on a character VNI lacks)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if ord(char) < 0x80:
            out.append(char)
        elif char in _VNI_TABLE:
            out.append(_VNI_TABLE[char])
        else:
            raise ValueError(f"VNI has no code for {char!r} (U+{ord(char):04X})")
    return "".join(out).encode("cp1252")


def encode_windows_1258(text: str) -> bytes:
    """Unicode -> windows-1258 the way Vietnamese Windows wrote it: letters cp1258 has
    precomposed (â ê ô ơ ư ă đ and a few toned Latin-1 ones) as one byte, other tone marks as
    a combining character after the letter."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            out += _decompose_for_1258(char).encode("cp1258")
    return bytes(out)


def _decompose_for_1258(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    # The vowel-forming marks (circumflex, breve, horn) stay on the letter, which cp1258 has
    # precomposed (â ă ê ô ơ ư); the tone mark follows as a combining character.
    vowel = "".join(m for m in marks if m in "\u0302\u0306\u031b")
    tones = "".join(m for m in marks if m not in vowel)
    written = unicodedata.normalize("NFC", base + vowel) + tones
    try:
        written.encode("cp1258")
    except UnicodeEncodeError:
        raise ValueError(f"windows-1258 has no way to write {char!r}") from None
    return written


ENCODERS = {"tcvn3": encode_tcvn3, "vni": encode_vni, "windows-1258": encode_windows_1258}
