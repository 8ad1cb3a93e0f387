"""Deduplication: unchanged captures are not stored, edits become new versions, copies are linked.

Rules (docs/ARCHITECTURE.md, "Identity and versions"):
- same article_id and same content hash -> not stored, counted as ``duplicates`` ("unchanged");
- same article_id, new hash -> stored as ``version = latest + 1``;
- same hash under another article_id -> stored with ``duplicate_of`` = that article_id.
The ledger knows what earlier runs published; an in-memory overlay knows this run's rows that
are buffered or in files not yet published, so two captures in one run are judged alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

UNCHANGED = "unchanged"


class ArticleStateLike(Protocol):
    latest_version: int
    content_sha256: str


@dataclass(frozen=True)
class Decision:
    kind: Literal["unchanged", "new", "changed"]
    version: int
    duplicate_of: str | None = None


class Deduplicator:
    """Decides per capture; ``lookup_article``/``lookup_hash`` read earlier runs (the ledger)."""

    def __init__(
        self,
        lookup_article: Callable[[str], ArticleStateLike | None],
        lookup_hash: Callable[[str], str | None],
    ) -> None:
        self._lookup_article = lookup_article
        self._lookup_hash = lookup_hash
        self._latest: dict[str, tuple[int, str]] = {}  # this run: article_id -> (version, hash)
        self._owner: dict[str, str] = {}  # this run: hash -> first article_id with it

    def _latest_of(self, article_id: str) -> tuple[int, str] | None:
        if article_id in self._latest:
            return self._latest[article_id]
        state = self._lookup_article(article_id)
        return (state.latest_version, state.content_sha256) if state is not None else None

    def _owner_of(self, digest: str) -> str | None:
        return self._owner.get(digest) or self._lookup_hash(digest)

    def decide(self, article_id: str, digest: str) -> Decision:
        """Judge one capture and remember it (unless unchanged) for the rest of the run."""
        latest = self._latest_of(article_id)
        if latest is not None and latest[1] == digest:
            return Decision(UNCHANGED, latest[0])
        owner = self._owner_of(digest)
        duplicate_of = owner if owner is not None and owner != article_id else None
        if latest is None:
            decision = Decision("new", 1, duplicate_of)
        else:
            decision = Decision("changed", latest[0] + 1, duplicate_of)
        self._latest[article_id] = (decision.version, digest)
        self._owner.setdefault(digest, duplicate_of or article_id)
        return decision
