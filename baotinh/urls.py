"""URL identity: normalisation, the trusted canonical link, and article ids.

w3lib does the RFC work (percent-encoding, query order, fragments); the rules on top are
this archive's identity choices: https, no ``www.``/``m.``/``amp.`` host prefix, no tracking
parameters, no trailing slash on article paths.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING_PARAMS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "gclid", "fbclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
    "zarsrc", "zalo_source", "gidzl", "_ga", "ref", "ref_src", "share", "amp",
)  # fmt: skip
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|mobile|amp)\.")


def host_of(url: str) -> str:
    """Lower-case host without port and without a www./m./amp. prefix."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return _HOST_PREFIX.sub("", host)


@lru_cache(maxsize=8192)
def normalize_url(url: str) -> str:
    """The archive's identity form of a URL (not necessarily the URL to fetch).

    Cached: a page's URL is normalised several times on its way to a row (identity, canonical
    link, source lookup, dedupe), and the function is pure."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
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


def article_id(canonical_url: str) -> str:
    """Stable id: 128 bits of SHA-256 over the normalised canonical URL."""
    return hashlib.sha256(normalize_url(canonical_url).encode()).hexdigest()[:32]
