"""Text normalisation, hashing and counting (NFC before anything is hashed or compared)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_line(text: str | None) -> str:
    """NFC, all kinds of spaces collapsed to one, trimmed. Idempotent."""
    if not text:
        return ""
    # Line breaks become spaces *before* spaces are collapsed, so "a \r\n b" is "a b" in one
    # pass (it took two before; the pipeline cleans twice, so stored text is unchanged).
    line = _SPACES.sub(" ", nfc(text).replace("\r", "").replace("\n", " ")).strip()
    # NFC again: dropping a "\r" between a letter and its combining mark, or trimming, can
    # leave a sequence that composes differently.
    return nfc(line)


def clean_body(text: str | None) -> str:
    """NFC paragraphs separated by exactly one blank line."""
    if not text:
        return ""
    paragraphs = (clean_line(p) for p in _BLANK_LINES.split(nfc(text).replace("\r\n", "\n")))
    return "\n\n".join(p for p in paragraphs if p)


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(p for p in (clean_line(x) for x in paragraphs) if p)


def content_sha256(title: str, body: str) -> str:
    """Hash over NFC title and body only, so a re-parse with a newer parser is not an edit."""
    return hashlib.sha256(f"{nfc(title)}\n\n{nfc(body)}".encode()).hexdigest()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
