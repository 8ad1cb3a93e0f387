"""When a copy's text is its original's: exact, or a near duplicate.

A republished copy rarely hashes equal to its original: the portal drops the byline, keeps or
drops the dateline ("BTO - "), loses a caption, adds its trailer. Near-duplicate is measured as
the Jaccard similarity of the two texts' word 3-shingles (lower case, NFC): the share of
three-word sequences the texts have in common. Written here rather than taken from a library
(datasketch, simhash) because two texts are compared at a time, exactly: estimating with
MinHash would only add error to a stated threshold.

``NEAR_DUPLICATE`` = 0.6: a copy with its byline, dateline and a sentence changed scores about
0.9, one that kept two thirds of the original about 0.65; two papers' reports of the same event,
sharing names and phrases, stay below 0.2 (``tests/test_vietnam_alignment.py`` holds these
cases).
"""

from __future__ import annotations

import re
from typing import Literal

from baotinh.text import nfc

NEAR_DUPLICATE = 0.6
SHINGLE_WORDS = 3
_WORD = re.compile(r"\w+")

Match = Literal["exact", "near", "different"]


def shingles(text: str) -> frozenset[str]:
    words = _WORD.findall(nfc(text).casefold())
    if len(words) < SHINGLE_WORDS:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word 3-shingles of ``a`` and ``b`` (0 for two empty texts)."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _words(text: str) -> list[str]:
    return _WORD.findall(nfc(text).casefold())


def compare(copy: str, original: str) -> tuple[Match, float]:
    """How a copy's text relates to its original's, and the similarity."""
    if _words(copy) == _words(original) and _words(copy):
        return "exact", 1.0
    score = similarity(copy, original)
    return ("near" if score >= NEAR_DUPLICATE else "different"), score


def text_of(row: dict[str, object]) -> str:
    """The text compared: sapo and body (a copy may print the sapo in its body or apart)."""
    parts = [row.get("sapo"), row.get("body")]
    return "\n\n".join(p for p in parts if isinstance(p, str) and p)
