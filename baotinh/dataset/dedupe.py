"""Deduplication: what a new row is to the articles the dataset already holds.

Versions are ordered by *capture time*, not by when a row arrives (a 2019 capture found in 2026
is not the latest). For a row of article A captured at time t:

- the same capture read again (same WARC record) is a **re-extraction**, never an edit: with the
  same parser and text it is ``unchanged``; otherwise it keeps that capture's version number and
  records the parser that made it;
- else, if the text equals that of A's version captured nearest before t (or, when none is
  earlier, nearest after t) it is ``unchanged`` (not stored);
- else it is a new version: ``max(version) + 1`` (``new`` with version 1 for an unknown article);
- the same text under another article is stored and linked: ``duplicate_of`` = the first
  article that had it.

Deduplication runs after validation (``baotinh.dataset.sink``), so only rows that will be
published enter the history; an in-memory overlay holds this run's rows until their files are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

UNCHANGED = "unchanged"


@dataclass(frozen=True)
class VersionState:
    """One stored version of an article (a row), as deduplication needs it."""

    version: int
    content_sha256: str
    captured_at: datetime | None
    capture: str | None  # the capture's identity (its WARC response record), when known
    extractor: str | None


@dataclass(frozen=True)
class Decision:
    kind: Literal["unchanged", "new", "changed", "reextracted"]
    version: int
    duplicate_of: str | None = None


def capture_of(row: dict[str, Any]) -> str | None:
    """The identity of the capture a row was read from: its WARC response record."""
    return row.get("warc_record_id")


class Deduplicator:
    """Decides per row; ``history`` and ``lookup_hash`` read earlier runs (the ledger)."""

    def __init__(
        self,
        history: Callable[[str], Sequence[VersionState]],
        lookup_hash: Callable[[str], str | None],
    ) -> None:
        self._history = history
        self._lookup_hash = lookup_hash
        self._overlay: dict[str, list[VersionState]] = {}  # this run's rows, by article_id
        self._owner: dict[str, str] = {}  # this run: hash -> first article_id with it

    def _versions(self, article_id: str) -> list[VersionState]:
        return [*self._history(article_id), *self._overlay.get(article_id, ())]

    def _owner_of(self, digest: str) -> str | None:
        return self._owner.get(digest) or self._lookup_hash(digest)

    def keep_published_id(self, row: dict[str, Any]) -> None:
        """A published ``article_id`` never changes: an article the dataset holds under the id
        its URL had before identity was NFC keeps that id (``article.legacy_article_id``)."""
        legacy = row.get("legacy_article_id")
        if legacy and not self._versions(row["article_id"]) and self._versions(legacy):
            row["article_id"] = legacy

    def decide(self, row: dict[str, Any]) -> Decision:
        """Judge one row and remember it (unless unchanged) for the rest of the run."""
        self.keep_published_id(row)
        article_id, digest = row["article_id"], row["content_sha256"]
        captured_at, capture = row.get("crawled_at"), capture_of(row)
        extractor = row.get("extractor")
        versions = self._versions(article_id)
        same_capture = [v for v in versions if capture is not None and v.capture == capture]
        if same_capture:
            known = max(same_capture, key=lambda v: v.version)
            if any(v.content_sha256 == digest and v.extractor == extractor for v in same_capture):
                return Decision(UNCHANGED, known.version)
            decision = Decision("reextracted", known.version)
        else:
            neighbour = _neighbour(versions, captured_at)
            if neighbour is not None and neighbour.content_sha256 == digest:
                return Decision(UNCHANGED, neighbour.version)
            if versions:
                decision = Decision("changed", max(v.version for v in versions) + 1)
            else:
                decision = Decision("new", 1)
        owner = self._owner_of(digest)
        duplicate_of = owner if owner is not None and owner != article_id else None
        decision = Decision(decision.kind, decision.version, duplicate_of)
        self._overlay.setdefault(article_id, []).append(
            VersionState(decision.version, digest, captured_at, capture, extractor)
        )
        self._owner.setdefault(digest, duplicate_of or article_id)
        return decision


def _neighbour(versions: Sequence[VersionState], at: datetime | None) -> VersionState | None:
    """The version captured nearest before ``at`` (ties: the highest version), else the one
    nearest after it. Versions of unknown capture time count as the oldest."""
    if not versions:
        return None

    def when(v: VersionState) -> tuple[float, int]:
        return (v.captured_at.timestamp() if v.captured_at else float("-inf"), v.version)

    if at is None:
        return max(versions, key=when)
    moment = at.timestamp()
    before = [v for v in versions if when(v)[0] <= moment]
    if before:
        return max(before, key=when)
    return min(versions, key=when)
