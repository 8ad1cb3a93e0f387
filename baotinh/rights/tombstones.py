"""The takedown list: articles, URL patterns and whole publishers taken out of the archive.

The list lives in the dataset folder (``Layout.tombstones``, one JSON object per line, appended
by ``baotinh takedown``)::

    {"kind": "article", "value": "<article_id>", "reason": "...", "date": "2026-01-05"}
    {"kind": "url", "value": "https://baohatinh.vn/tin-noi-bo/*", "reason": "...", "date": ...}
    {"kind": "publisher", "value": "bao_ha_tinh", "reason": "...", "date": ...}

- ``article`` matches rows with that ``article_id`` (every version);
- ``url`` matches rows whose ``url`` or ``canonical_url`` matches the pattern: the normalised URL
  (``https://``, no ``www.``) with ``*`` standing for any characters; without ``*`` it is one URL;
- ``publisher`` matches rows with that ``publisher_id`` or ``source_id`` (the whole paper).

Published lists (``PublishedTombstones``) hold only SHA-256 hashes, so a release does not name
what it removed: an article entry is ``sha256(article_id)``, a publisher entry
``sha256(publisher_id)``; URL patterns are published as the articles they matched.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

KINDS = ("article", "url", "publisher")
PUBLISHED_FORMAT = "baotinh-tombstones"
PUBLISHED_VERSION = 1
_ARTICLE_ID = re.compile(r"^[0-9a-f]{32}$")
_ID = re.compile(r"^[a-z0-9_]+$")


class TombstoneError(ValueError):
    """A malformed tombstone entry or list (the message says which line)."""


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def pattern_regex(pattern: str) -> str:
    """A URL pattern (``*`` = any characters) as an anchored regular expression (Python and
    RE2 read it alike, so rows are matched the same way in Python and in Arrow)."""
    return "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"


@dataclass(frozen=True)
class Tombstone:
    kind: str
    value: str
    reason: str
    date: str  # ISO date of the decision
    added_at: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise TombstoneError(f"tombstone kind must be one of {', '.join(KINDS)}: {self.kind!r}")
        if not self.reason.strip():
            raise TombstoneError("a tombstone needs a reason")
        try:
            date.fromisoformat(self.date)
        except ValueError:
            raise TombstoneError(f"tombstone date is not YYYY-MM-DD: {self.date!r}") from None
        if self.kind == "article" and not _ARTICLE_ID.match(self.value):
            raise TombstoneError(f"not an article_id (32 hex digits): {self.value!r}")
        if self.kind == "publisher" and not _ID.match(self.value):
            raise TombstoneError(f"not a publisher or source id: {self.value!r}")
        if self.kind == "url" and not re.match(r"^https?://[^/*]+", self.value):
            raise TombstoneError(f"a URL pattern starts with http(s)://host: {self.value!r}")

    @classmethod
    def new(cls, kind: str, value: str, reason: str, on: date | None = None) -> Tombstone:
        return cls(
            kind,
            value.strip(),
            reason.strip(),
            (on or datetime.now(UTC).date()).isoformat(),
            datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def matches(self, row: Mapping[str, Any]) -> bool:
        if self.kind == "article":
            return row.get("article_id") == self.value
        if self.kind == "publisher":
            return self.value in (row.get("publisher_id"), row.get("source_id"))
        regex = re.compile(pattern_regex(self.value))
        return any(regex.match(row.get(c) or "") for c in ("url", "canonical_url"))


@dataclass
class TombstoneList:
    entries: list[Tombstone] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TombstoneList:
        """The list at ``path`` (an empty list when there is no file)."""
        p = Path(path)
        if not p.exists():
            return cls()
        entries = []
        for number, line in enumerate(p.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                entries.append(Tombstone(**data))
            except (ValueError, TypeError) as exc:
                raise TombstoneError(f"{p}:{number}: bad tombstone: {exc}") from None
        return cls(entries)

    @staticmethod
    def append(path: str | os.PathLike[str], entry: Tombstone) -> None:
        """Add one entry (one line, fsynced: a takedown is never half-recorded)."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def __bool__(self) -> bool:
        return bool(self.entries)

    def _values(self, kind: str) -> list[str]:
        return [e.value for e in self.entries if e.kind == kind]

    @property
    def url_regex(self) -> str | None:
        patterns = self._values("url")
        return "|".join(f"(?:{pattern_regex(p)})" for p in patterns) if patterns else None

    def matches(self, row: Mapping[str, Any]) -> bool:
        return any(e.matches(row) for e in self.entries)

    def blocks_url(
        self, url: str, source_id: str | None = None, publisher_id: str | None = None
    ) -> bool:
        """Whether a crawl, backfill or reprocess must leave this (normalised) URL alone."""
        from baotinh.urls import article_id

        row = {
            "url": url,
            "canonical_url": url,
            "article_id": article_id(url),
            "source_id": source_id,
            "publisher_id": publisher_id,
        }
        return self.matches(row)

    def mask(self, table: pa.Table | pa.RecordBatch) -> pa.Array:
        """Per row, True when a tombstone matches (the vectorised :meth:`matches`)."""
        hit = pa.array([False] * table.num_rows, pa.bool_())
        ids = self._values("article")
        if ids:
            hit = pc.or_(hit, pc.is_in(table["article_id"], pa.array(ids, pa.string())))
        publishers = self._values("publisher")
        if publishers:
            value_set = pa.array(publishers, pa.string())
            for column in ("publisher_id", "source_id"):
                hit = pc.or_(hit, pc.is_in(table[column], value_set))
        regex = self.url_regex
        if regex:
            for column in ("url", "canonical_url"):
                found = pc.match_substring_regex(table[column], pattern=regex)
                hit = pc.or_(hit, pc.fill_null(found, False))
        return pc.fill_null(hit, False)

    def published(self, matched_article_ids: Iterable[str] = ()) -> PublishedTombstones:
        """The hashed form: every article and publisher entry, and the articles URL patterns
        matched (``matched_article_ids``, found when the rows were filtered)."""
        entries: dict[tuple[str, str], str] = {}
        for e in self.entries:
            if e.kind in ("article", "publisher"):
                entries[(e.kind, sha256_hex(e.value))] = e.date
        first_date = min((e.date for e in self.entries), default=None)
        for article in matched_article_ids:
            entries.setdefault(("article", sha256_hex(article)), first_date or "")
        return PublishedTombstones(entries)


@dataclass
class PublishedTombstones:
    """Hashes only: ``{(kind, sha256): date}``; applied by ``download`` to any release."""

    entries: dict[tuple[str, str], str] = field(default_factory=dict)

    def merged(self, other: PublishedTombstones) -> PublishedTombstones:
        merged = dict(self.entries)
        for key, when in other.entries.items():
            merged.setdefault(key, when)
        return PublishedTombstones(merged)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def _hashes(self, kind: str) -> set[str]:
        return {h for (k, h) in self.entries if k == kind}

    def mask(self, table: pa.Table | pa.RecordBatch) -> pa.Array:
        """Per row, True when its article or publisher is on the list."""
        articles, publishers = self._hashes("article"), self._hashes("publisher")
        ids = table["article_id"].to_pylist()
        pubs = table["publisher_id"].to_pylist() if "publisher_id" in table.column_names else []
        srcs = table["source_id"].to_pylist() if "source_id" in table.column_names else []
        hit = []
        for i, article in enumerate(ids):
            h = article is not None and sha256_hex(article) in articles
            if not h and publishers:
                h = any(
                    v is not None and sha256_hex(v) in publishers
                    for v in ((pubs[i] if pubs else None), (srcs[i] if srcs else None))
                )
            hit.append(h)
        return pa.array(hit, pa.bool_())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PUBLISHED_FORMAT,
            "version": PUBLISHED_VERSION,
            "hash": "sha256",
            "about": "Removed from the archive: sha256 of an article_id or of a publisher_id.",
            "entries": [
                {"kind": k, "sha256": h, "date": d} for (k, h), d in sorted(self.entries.items())
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> PublishedTombstones:
        if not isinstance(data, dict) or data.get("format") != PUBLISHED_FORMAT:
            raise TombstoneError("not a baotinh tombstone list")
        if data.get("version") != PUBLISHED_VERSION:
            raise TombstoneError(f"unknown tombstone list version {data.get('version')!r}")
        entries = {}
        for e in data.get("entries", []):
            if e.get("kind") not in ("article", "publisher") or not re.fullmatch(
                r"[0-9a-f]{64}", str(e.get("sha256"))
            ):
                raise TombstoneError(f"bad published tombstone entry: {e!r}")
            entries[(e["kind"], e["sha256"])] = str(e.get("date") or "")
        return cls(entries)
