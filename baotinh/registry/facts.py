"""One registry fact as the TOML writes it: ``"<value> [from D] [until D] [seen D] [<tags>]"``.

The research (``../shared/research/sources.md``) tags every fact with how it is known; the
registry keeps that tag on the fact itself, so an entry stays one line per fact::

    domains = ["huengaynay.vn [cfg25]", "baothuathienhue.vn seen 2019 [cfg19]"]
    family = ["A [app]", "numeric from 2025 [app]"]
    feeds = ["/rss/home.rss [guess]"]

``from D`` is the earliest date the research shows the fact holding (the change may be
earlier; nothing better is known), ``until D`` the first date it no longer held, ``seen D`` an
observation with neither bound. ``D`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a local,
+07:00, date) and means the start of that period. A tag may carry a note: ``[page 2018, app]``.
An entry's ``evidence`` key gives the tag of its facts that carry none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# The research's evidence tags (sources.md, "Evidence tags"), strongest first.
EVIDENCE_TAGS: dict[str, str] = {
    "page": "seen in real saved HTML/RSS",
    "cfg25": "a 2025-26 crawler's per-site configuration",
    "cfg19": "docbao's 2019-2020 crawl configurations",
    "app": "a URL used by a public app or scraper",
    "pub": "seen in the text of stored public web pages",
    "guess": "only in an unverified generated list: a probe",
    "bg": "general knowledge, not verified",
}
PROBE_TAG = "guess"

_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_FACT = re.compile(
    rf"^(?P<value>.*?)"
    rf"(?:\s+from\s+(?P<start>{_DATE}))?"
    rf"(?:\s+until\s+(?P<until>{_DATE}))?"
    rf"(?:\s+seen\s+(?P<seen>{_DATE}))?"
    r"(?:\s+\[(?P<tags>[^\[\]]*)\])?\s*$",
    re.S,
)

_STRAY_DATE = re.compile(rf"\s(?:from|until|seen)\s+{_DATE}(?:\s|$)")


class FactError(ValueError):
    """A fact string that does not parse; the message says what is wrong with it."""


@dataclass(frozen=True)
class FactDate:
    """A date as precise as the research gives it (``2025``, ``2025-10``, ``2025-10-22``)."""

    text: str

    @property
    def start(self) -> date:
        """The first day of the period the text names."""
        parts = [int(p) for p in self.text.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    @property
    def precision(self) -> str:
        return ("year", "month", "day")[self.text.count("-")]

    def __str__(self) -> str:
        return self.text


def parse_date_text(text: str) -> FactDate:
    text = str(text).strip()
    if not re.fullmatch(_DATE, text):
        raise FactError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    value = FactDate(text)
    try:
        value.start  # noqa: B018 - validates the month and day
    except ValueError as exc:
        raise FactError(f"{text!r} is not a date: {exc}") from None
    return value


@dataclass(frozen=True)
class Fact:
    """A value with its dates and evidence."""

    value: str
    tags: tuple[str, ...]
    notes: tuple[str, ...] = ()
    start: FactDate | None = None
    until: FactDate | None = None
    seen: FactDate | None = None

    @property
    def evidence(self) -> str:
        """The tags as the research writes them, notes included: ``"page 2018, app"``."""
        return ", ".join(f"{t} {n}".strip() for t, n in zip(self.tags, self.notes, strict=True))

    @property
    def is_probe(self) -> bool:
        """Known only from the unverified generated list: trying it may fail, and that is
        the list's failure, not the source's."""
        return set(self.tags) == {PROBE_TAG}

    def holds_on(self, day: date) -> bool:
        """Within ``from``/``until`` (a fact without dates always holds)."""
        return (self.start is None or self.start.start <= day) and (
            self.until is None or day < self.until.start
        )

    def dates(self) -> dict[str, str]:
        found = {"from": self.start, "until": self.until, "seen": self.seen}
        return {k: str(v) for k, v in found.items() if v is not None}

    def as_json(self) -> dict[str, object]:
        return {"value": self.value, **self.dates(), "evidence": self.evidence}


def parse_fact(text: object, default_evidence: str | None = None) -> Fact:
    """Parse one fact string; ``default_evidence`` is used when the string has no tags."""
    if not isinstance(text, str):
        raise FactError(f"{text!r} is not a string")
    match = _FACT.match(text.strip())
    if match is None or not match["value"].strip():  # pragma: no cover - the regex always matches
        raise FactError(f"{text!r}: no value")
    if _STRAY_DATE.search(match["value"]):
        raise FactError(f"{text!r}: write the dates after the value, as from, until, seen")
    tags_text = match["tags"] if match["tags"] is not None else default_evidence
    if not tags_text:
        raise FactError(f"{text!r} has no evidence tag ([page], [cfg25], ... or `evidence`)")
    tags, notes = parse_tags(tags_text, what=repr(text))
    start, until, seen = (
        parse_date_text(match[k]) if match[k] else None for k in ("start", "until", "seen")
    )
    if start and until and until.start <= start.start:
        raise FactError(f"{text!r}: `until` {until} is not after `from` {start}")
    return Fact(match["value"].strip(), tags, notes, start, until, seen)


def parse_tags(text: str, what: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tags: list[str] = []
    notes: list[str] = []
    for item in text.split(","):
        tag, _, note = item.strip().partition(" ")
        if tag not in EVIDENCE_TAGS:
            known = ", ".join(EVIDENCE_TAGS)
            raise FactError(f"{what}: unknown evidence tag {tag!r} (known: {known})")
        tags.append(tag)
        notes.append(note.strip())
    return tuple(tags), tuple(notes)
