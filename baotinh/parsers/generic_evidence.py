"""The evidence a page offers, gathered once per page: its DOM, JSON-LD article, meta tags.

JSON-LD is read with ``json`` directly rather than extruct: extruct re-parses the document
(a second lxml parse per page) and we already hold the tree; we only need the article node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "report",
        "techarticle",
        "videoobject",
        "photograph",
        "imagegallery",
    }
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def norm(text: str | None) -> str:
    """Whitespace collapsed to single spaces, trimmed."""
    return " ".join((text or "").split())


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type") or []
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _walk(node: Any) -> list[dict[str, Any]]:
    """Flatten lists, ``@graph`` and ``mainEntity`` into one list of objects."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                if isinstance(item.get(key), (dict, list)):
                    stack.append(item[key])
    return found


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, strict=False)
    except ValueError:
        # Hand-written JSON-LD often carries trailing commas or HTML comments.
        cleaned = _TRAILING_COMMA.sub(r"\1", text.replace("<!--", "").replace("-->", ""))
        try:
            return json.loads(cleaned, strict=False)
        except ValueError:
            return None


@dataclass
class Evidence:
    url: str
    tree: lxml.html.HtmlElement
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # every JSON-LD object
    article: dict[str, Any] = field(default_factory=dict)  # the article object, if any

    def first_meta(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, []):
                if value.strip():
                    return value.strip()
        return None

    @property
    def publisher_names(self) -> set[str]:
        """Names of the site/publisher (never an author)."""
        names = {self.first_meta("og:site_name") or ""}
        for node in [self.article, *self.jsonld]:
            for key in ("publisher", "sourceOrganization"):
                pub = node.get(key)
                for item in pub if isinstance(pub, list) else [pub]:
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        names.add(item["name"])
            is_site = _types(node) & {"organization", "newsmediaorganization", "website"}
            if is_site and isinstance(node.get("name"), str):
                names.add(node["name"])
        return {n.strip().casefold() for n in names if n and n.strip()}


class EmptyPage(ValueError):
    """The page holds no document at all (an empty 200, bytes that parse to no element)."""


def gather(html: str, url: str) -> Evidence:
    """Parse the page once and collect its structured evidence; EmptyPage when there is none."""
    if not html or not html.strip():
        raise EmptyPage("empty page")
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        # lxml refuses str with an XML encoding declaration: retry on bytes.
        try:
            tree = lxml.html.document_fromstring(html.encode("utf-8"))
        except (etree.ParserError, ValueError):
            raise EmptyPage(f"unparsable page: {error}") from error
    evidence = Evidence(url=url, tree=tree)
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = node.get("content")
        if key and content is not None:
            evidence.meta.setdefault(key.strip().lower(), []).append(content)
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        data = _load_json(script.text or "")
        if data is not None:
            evidence.jsonld.extend(_walk(data))
    articles = [n for n in evidence.jsonld if _types(n) & ARTICLE_TYPES]
    # Prefer a real article type with a headline over a VideoObject or a bare WebPage.
    articles.sort(key=lambda n: (not n.get("headline"), bool(_types(n) & {"videoobject"})))
    if articles:
        evidence.article = articles[0]
    return evidence


def node_text(node: lxml.html.HtmlElement) -> str:
    return " ".join(node.text_content().split())
