"""Robots directives of a page: ``<meta name="robots">`` tags and ``X-Robots-Tag`` headers.

Both carry comma-separated directives (``noindex, noarchive``); some take a value
(``max-snippet: 50``, ``unavailable_after: 2026-01-01``). A meta tag named after one crawler
(``<meta name="googlebot">``) and a header value prefixed with one (``X-Robots-Tag: googlebot:
noarchive``) address that crawler only: we keep the directives meant for every robot and for
ours (``BOT_NAME``). Results are lower case, in page order, without repeats; ``none`` is expanded
to ``noindex`` and ``nofollow`` as its definition says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

BOT_NAME = "baotinh"
# Directives that take a value after a colon: a value prefix must not be read as a user agent.
VALUED = frozenset({"max-snippet", "max-image-preview", "max-video-preview", "unavailable_after"})
_SPACE = re.compile(r"\s+")


def _split(content: str) -> list[str]:
    """``"NoIndex , max-snippet : 20"`` -> ``["noindex", "max-snippet:20"]``."""
    out = []
    for token in content.split(","):
        token = _SPACE.sub(" ", token).strip().lower()
        if not token:
            continue
        name, sep, value = token.partition(":")
        out.append(f"{name.strip()}:{value.strip()}" if sep else name.strip())
    return out


def _finish(tokens: Iterable[str]) -> list[str]:
    result: list[str] = []
    for token in tokens:
        expanded = ["noindex", "nofollow"] if token == "none" else [token]
        for t in expanded:
            if t not in result:
                result.append(t)
    return result


def robots_meta_directives(html: str | bytes, bot_name: str = BOT_NAME) -> list[str]:
    """Directives of the page's ``<meta name="robots">`` tags (and ``<meta name="<bot_name>">``)."""
    import lxml.html

    if not html or not html.strip():
        return []
    try:
        doc = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    names = {"robots", bot_name.lower()}
    tokens: list[str] = []
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name in names:
            tokens += _split(meta.get("content") or "")
    return _finish(tokens)


def robots_meta_from(meta: Mapping[str, Sequence[str]], bot_name: str = BOT_NAME) -> list[str]:
    """:func:`robots_meta_directives` from meta values a parser already collected
    (lower-cased ``name`` -> contents), so the page is not parsed again."""
    tokens: list[str] = []
    for name in ("robots", bot_name.lower()):
        for content in meta.get(name, ()):
            tokens += _split(content)
    return _finish(tokens)


def x_robots_tag_directives(
    values: Iterable[str] | str | None, bot_name: str = BOT_NAME
) -> list[str]:
    """Directives of ``X-Robots-Tag`` header values that apply to every robot or to ours.

    ``values``: each header line's value (a response may repeat the header). A value whose first
    token is ``<agent>: <directive>`` with an agent that is not a directive name addresses that
    agent only (Google's documented syntax).
    """
    if values is None:
        return []
    if isinstance(values, str | bytes):
        values = [values]
    tokens: list[str] = []
    for raw in values:
        value = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
        head, sep, rest = value.partition(":")
        agent = head.strip().lower()
        if sep and agent and " " not in agent and "," not in agent and agent not in VALUED:
            if agent not in ("*", bot_name.lower()) and _looks_like_agent(agent):
                continue  # meant for another crawler
            if _looks_like_agent(agent):
                value = rest
        tokens += _split(value)
    return _finish(tokens)


_KNOWN = frozenset(
    {
        "all",
        "noindex",
        "nofollow",
        "none",
        "noarchive",
        "nosnippet",
        "indexifembedded",
        "notranslate",
        "noimageindex",
        "noai",
        "noimageai",
        "nocache",
        "noodp",
        "noydir",
        *VALUED,
    }
)


def _looks_like_agent(token: str) -> bool:
    return token not in _KNOWN
