"""What becomes of a capture: a row to validate and store, or a counted skip or failure.

The crawl's extract pipeline, ``baotinh reprocess`` and backfill call
:meth:`CaptureProcessor.process`; deduplication follows validation in the row sink
(``baotinh.dataset.sink``), so a quarantined row never takes a version number and never becomes
the original a copy points at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from baotinh.capture.record import Capture
from baotinh.capture.rows import Parsers, extract
from baotinh.dates import local_date
from baotinh.registry import Source, redirect_owner
from baotinh.urls import normalize_url

logger = logging.getLogger(__name__)

REDIRECTED_NOT_ARTICLE = "redirected_not_article"
PARSER_ERROR = "parser_error"
SINCE = "since"  # left for a later run: published before --since
UNTIL = "until"  # left for a later run: published after --until


@dataclass
class Outcome:
    """``row``: to validate and store; ``skipped``/``failed``: counted with ``reason``;
    ``left``: deliberately left for a later run (``reason`` from the closed list)."""

    kind: Literal["row", "skipped", "failed", "left"]
    reason: str | None = None
    row: dict[str, Any] | None = None
    html: str | None = None


class CaptureProcessor:
    """Turns captures of registered (or unregistered) sources into outcomes."""

    def __init__(
        self,
        since: date | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        until: date | None = None,
    ) -> None:
        self.since = since
        self.until = until
        self.now = now
        self.parsers = Parsers()

    def process(
        self,
        capture: Capture,
        source: Source | None,
        *,
        first_seen_at: datetime | None = None,
        last_seen_at: datetime | None = None,
    ) -> Outcome:
        if source is not None and normalize_url(capture.final_url) != normalize_url(capture.url):
            # An absorbed paper's old URL may answer with the same article on the paper that
            # absorbed it: the page is that paper's (its row, its identity, stored once however
            # many of its URLs were fetched). Anything else off the article pattern is a
            # removed article sent home.
            owner = redirect_owner(source, capture.final_url)
            if owner is None:
                return Outcome("skipped", REDIRECTED_NOT_ARTICLE)
            source = owner
        try:
            extraction = extract(
                capture,
                source,
                parsers=self.parsers,
                first_seen_at=first_seen_at,
                last_seen_at=last_seen_at,
                now=self.now,
            )
        except Exception:
            # A parser bug is our failure, not the page's: counted, and fetched again next run.
            logger.exception("the parser failed on %s", capture.final_url)
            return Outcome("failed", PARSER_ERROR)
        if extraction.row is None:
            return Outcome("skipped", extraction.skip_reason, html=extraction.html)
        row = extraction.row
        if reason := self.outside_range(row.get("published_at"), row.get("modified_at")):
            return Outcome("left", reason)
        return Outcome("row", row=row, html=extraction.html)

    def outside_range(self, published: Any, modified: Any = None) -> str | None:
        """``since``/``until`` when a row falls outside the run's dates, by its local (+07:00)
        day. A range (``--until`` given) is read by publication date alone; ``--since`` alone
        keeps what changed since (an old article updated since counts). Undated rows stay."""
        published = published if isinstance(published, datetime) and published.tzinfo else None
        modified = modified if isinstance(modified, datetime) and modified.tzinfo else None
        if self.until is not None:
            day = local_date(published).date() if published else None
            if day is not None and day > self.until:
                return UNTIL
            if day is not None and self.since is not None and day < self.since:
                return SINCE
            return None
        dates = [d for d in (published, modified) if d is not None]
        if self.since and dates and local_date(max(dates)).date() < self.since:
            return SINCE
        return None
