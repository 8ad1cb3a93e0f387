"""Page parsers: extraction only, no crawling (a parser runs on a saved page alone).

A parser takes ``(html, url)`` and returns a ``ParsedPage``. Family parsers (one small class
per CMS family *version*, selectors as constants) take what their selectors give and leave the
rest to the generic parser, field by field (``merge``). A site redesign adds a new version with
a ``valid_from`` date; old versions stay for old captures.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import ClassVar

# Meta names by which a page states its reuse terms: robots directives (for every robot and for
# ours) and the W3C TDM Reservation Protocol.
RIGHTS_META = frozenset({"robots", "baotinh", "tdm-reservation", "tdm-policy"})


def rights_meta(meta: dict[str, list[str]]) -> dict[str, list[str]]:
    """The RIGHTS_META entries of a page's meta values (lower-cased name -> contents)."""
    return {name: values for name, values in meta.items() if name in RIGHTS_META}


@dataclass(frozen=True)
class Image:
    url: str
    caption: str | None = None


@dataclass
class ParsedPage:
    """What a parser found on one page. Text is raw-ish; the normalize pipeline cleans it."""

    title: str | None = None
    sapo: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # tz-aware
    published_precision: str | None = None  # second, minute, hour, day, month, year
    modified_at: datetime | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    language: str | None = None
    content_type: str = "article"
    canonical_url: str | None = None
    # A republished copy: the URL of the original and the name of the paper the page credits.
    original_url: str | None = None
    original_source_name: str | None = None
    # The page's other language versions as it declares them (hreflang links, its language
    # switcher): language code -> absolute URL.
    alternates: dict[str, str] = field(default_factory=dict)
    # Set when the page is not an archivable article: "js_only", "bot_wall", "not_article",
    # "empty_body". The spider counts it as skipped with this reason.
    skip_reason: str | None = None
    extractor: str = ""
    # The page's own reuse signals: meta values of RIGHTS_META names (baotinh.rights reads them).
    rights_meta: dict[str, list[str]] = field(default_factory=dict)
    # field name -> why this value was chosen (for debugging extraction)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return "\n\n".join(p for p in self.paragraphs if p.strip())

    def merge(self, fallback: ParsedPage) -> ParsedPage:
        """Fill every empty field of this page from ``fallback``; keep what this page has."""
        updates = {}
        for f in fields(self):
            if f.name in ("reasons", "extractor", "content_type", "skip_reason"):
                continue
            mine, theirs = getattr(self, f.name), getattr(fallback, f.name)
            if mine in (None, "", []) and theirs not in (None, "", []):
                updates[f.name] = theirs
                if f.name in fallback.reasons:
                    self.reasons[f.name] = (
                        f"fallback {fallback.extractor}: " + fallback.reasons[f.name]
                    )
        if self.content_type == "article" and fallback.content_type != "article":
            updates["content_type"] = fallback.content_type
        if not self.paragraphs and fallback.skip_reason:
            updates["skip_reason"] = fallback.skip_reason
            if "skip_reason" in fallback.reasons:
                self.reasons["skip_reason"] = (
                    f"fallback {fallback.extractor}: " + fallback.reasons["skip_reason"]
                )
        return replace(self, **updates)


class PageParser:
    """Base of all parsers. Subclasses set ``name``, ``version`` and ``valid_from``."""

    name: ClassVar[str] = "base"
    version: ClassVar[str] = "1"
    valid_from: ClassVar[date] = date(1990, 1, 1)

    @classmethod
    def extractor_id(cls) -> str:
        return f"{cls.name}@{cls.version}"

    def parse(self, html: str, url: str) -> ParsedPage:
        raise NotImplementedError


EMPTY_BODY = "empty_body"


def empty_page(extractor: str, why: Exception) -> ParsedPage:
    """What a parser makes of a page with no document at all: nothing to store, and why."""
    return ParsedPage(
        skip_reason=EMPTY_BODY, extractor=extractor, reasons={"skip_reason": str(why)}
    )
