"""Cadence: how often each discovery document of a source is polled, and what is due now.

Feeds and news sitemaps change with every article: polled hourly by default. Full sitemaps,
sitemap indexes, robots.txt and listing pages are polled daily (a sitemap index's children are
polled when the index says they changed, the newest one always). A registry entry's
``poll_interval`` replaces the hourly cadence and is the floor of the daily one. ``crawl --due``
polls only documents whose interval has passed, so cron can run it every 15 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from baotinh.dataset.ledger import DocumentState, Ledger
from baotinh.registry import Source

FEED_INTERVAL = timedelta(hours=1)
FULL_INTERVAL = timedelta(days=1)
# Young articles are re-checked (conditionally) for this long after first sight: first after
# RECHECK_INTERVAL, then each time their age has doubled (Ledger.recheck_candidates).
RECHECK_INTERVAL = timedelta(hours=6)
RECHECK_WINDOW = timedelta(days=3)
# A scheduled run starts a little before the interval has fully passed since the last poll
# (which was stamped when its answer arrived): without slack an hourly feed polled from a
# 15-minute cron would be polled every 75 minutes.
MAX_TOLERANCE = timedelta(minutes=5)

FEED, ROBOTS, SITEMAP, LISTING = "feed", "robots", "sitemap", "listing"


@dataclass(frozen=True)
class Cadence:
    feed: timedelta = FEED_INTERVAL
    full: timedelta = FULL_INTERVAL
    recheck_interval: timedelta = RECHECK_INTERVAL
    recheck_window: timedelta = RECHECK_WINDOW

    @classmethod
    def from_settings(cls, settings: object) -> Cadence:
        def seconds(name: str, default: timedelta) -> timedelta:
            value = settings.getfloat(name, default.total_seconds())  # type: ignore[attr-defined]
            return timedelta(seconds=value)

        return cls(
            seconds("BAOTINH_FEED_INTERVAL", FEED_INTERVAL),
            seconds("BAOTINH_FULL_INTERVAL", FULL_INTERVAL),
            seconds("BAOTINH_RECHECK_INTERVAL", RECHECK_INTERVAL),
            seconds("BAOTINH_RECHECK_WINDOW", RECHECK_WINDOW),
        )

    def interval(self, source: Source, kind: str, url: str) -> timedelta:
        """How often ``url`` (a top-level discovery document of ``source``) is polled."""
        if is_frequent(kind, url):
            return source.poll_interval or self.feed
        return max(self.full, source.poll_interval or self.full)


def is_frequent(kind: str, url: str) -> bool:
    """Feeds and news sitemaps: where new articles appear first."""
    return kind == FEED or (kind == SITEMAP and "news" in url.lower())


def is_due(document: DocumentState | None, every: timedelta, now: datetime) -> bool:
    """Never answered (200 or 304) yet, or ``every`` has passed since it last answered."""
    if document is None or document.polled_at is None:
        return True
    tolerance = min(MAX_TOLERANCE, every / 4)
    return document.polled_at + every - tolerance <= now


def start_documents(source: Source) -> list[tuple[str, str]]:
    """(kind, url) of the documents a source's discovery starts from."""
    robots = source.home.rstrip("/") + "/robots.txt"
    return [
        *((FEED, u) for u in source.feeds),
        (ROBOTS, robots),
        *((SITEMAP, u) for u in source.sitemaps),
        *((LISTING, u) for u in source.listings),
    ]


def due_documents(
    source: Source, ledger: Ledger, cadence: Cadence, now: datetime, *, due_only: bool
) -> list[tuple[str, str]]:
    """The start documents to poll now: all of them, or (``due_only``) those that are due."""
    documents = start_documents(source)
    if not due_only:
        return documents
    return [
        (kind, url)
        for kind, url in documents
        if is_due(ledger.document(url), cadence.interval(source, kind, url), now)
    ]
