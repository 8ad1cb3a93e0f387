"""URL identity: normalisation, the trusted canonical link, and article ids.

w3lib does the RFC work (percent-encoding, query order, fragments); the rules on top are
this archive's identity choices: https, no ``www.``/``m.``/``amp.`` host prefix, no tracking
parameters, no trailing slash on article paths, and Unicode NFC for Vietnamese slugs: a path
written with decomposed letters (``xa\u0303-ho\u0323\u0302i``, percent-encoded or not) and the
same path precomposed (``xã-hội``) are one URL, so one article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote, unquote_to_bytes, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "gclid", "fbclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
    "zarsrc", "zalo_source", "gidzl", "_ga", "ref", "ref_src", "share", "amp",
)  # fmt: skip
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|mobile|amp)\.")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def host_of(url: str) -> str:
    """Lower-case host without port and without a www./m./amp. prefix."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return _HOST_PREFIX.sub("", host)


@lru_cache(maxsize=8192)
def normalize_url(url: str, *, nfc: bool = True) -> str:
    """The archive's identity form of a URL (not necessarily the URL to fetch).

    Cached: a page's URL is normalised several times on its way to a row (identity, canonical
    link, source lookup, dedupe), and the function is pure.

    ``nfc=False`` gives the identity used before URLs were NFC-normalised, so an archive can
    find the article ids it stored for non-NFC URLs and keep them. Raises ValueError for what
    w3lib cannot parse (a bad port, an unclosed IPv6 bracket).
    """
    key = _normalize_once(url, nfc)
    if key.startswith("https:///"):
        # No host: not a page's identity, but stay idempotent. canonicalize_url leaves dot
        # segments of a relative input (".//0" -> "https:///.//0") that it resolves once the
        # result is absolute, so repeat until nothing changes (two or three passes).
        for _ in range(4):
            again = _normalize_once(key, nfc)
            if again == key:
                break
            key = again
    return key


def _normalize_once(url: str, nfc: bool) -> str:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if nfc:
        url = nfc_url(url)
    url = url_query_cleaner(url, TRACKING_PARAMS, remove=True)
    url = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(url)
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    netloc = host_of(url)
    if parts.port and parts.port not in (80, 443):
        netloc += f":{parts.port}"
    return urlunsplit(("https", netloc, path or "/", parts.query, ""))


def nfc_url(url: str) -> str:
    """``url`` with its path and query in Unicode NFC, percent-encoded letters included.

    Escapes that spell UTF-8 letters are decoded so NFC can compose them with their neighbours
    (the caller re-encodes; ``canonicalize_url`` writes every non-ASCII character as UTF-8
    escapes). Escaped reserved characters (``%2F``, ``%3F``, ``%25`` ...) stay escaped: decoding
    them would change what the URL means. Invalid UTF-8 escapes are left as they are.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path, query = _nfc_component(parts.path), _nfc_component(parts.query)
    if (path, query) == (parts.path, parts.query):
        return url
    return urlunsplit(parts._replace(path=path, query=query))


def _nfc_component(text: str) -> str:
    if text.isascii() and "%" not in text:
        return text
    decoded = _ESCAPES.sub(_decode_escapes, text)
    return unicodedata.normalize("NFC", decoded)


def _decode_escapes(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        chars = unquote_to_bytes(run).decode("utf-8")
    except UnicodeDecodeError:
        return run
    return "".join(c if ord(c) > 0x7F or c in _UNRESERVED else f"%{ord(c):02X}" for c in chars)


def fetch_url(url: str) -> str:
    """The URL to request: as published, less tracking parameters and fragment (servers
    ignore both; keeping them would only make one page look like many)."""
    return canonicalize_url(url_query_cleaner(url.strip(), TRACKING_PARAMS, remove=True))


def decoded_path(url: str) -> str:
    """Percent-decoded path, for matching slugs that keep Vietnamese diacritics."""
    return unquote(urlsplit(url).path)


def on_domains(url: str, domains: Iterable[str]) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in (host_of("//" + x) for x in domains))


def is_homepage(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") or parts.path.lower() in ("/index.html", "/index.htm")


def article_id(canonical_url: str, *, nfc: bool = True) -> str:
    """Stable id: 128 bits of SHA-256 over the normalised canonical URL.

    ``nfc=False``: the id this URL had before identity was NFC (see ``normalize_url``); it
    differs from the current id only for URLs that are not NFC.
    """
    return hashlib.sha256(normalize_url(canonical_url, nfc=nfc).encode()).hexdigest()[:32]
