"""Cadence: how often each discovery document is polled and what `crawl --due` polls."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime, timedelta

from baotinh.crawl.cadence import (
    FEED,
    LISTING,
    ROBOTS,
    SITEMAP,
    Cadence,
    due_documents,
    is_due,
    start_documents,
)
from baotinh.dataset.ledger import Ledger
from baotinh.registry import get

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_feeds_and_news_sitemaps_hourly_the_rest_daily_entries_override() -> None:
    source, plan = get("baohatinh"), Cadence()
    assert plan.interval(source, FEED, "https://baohatinh.vn/rss") == timedelta(hours=1)
    news = "https://baohatinh.vn/sitemaps/news-2025-12.xml"
    assert plan.interval(source, SITEMAP, news) == timedelta(hours=1)
    assert plan.interval(source, SITEMAP, "https://baohatinh.vn/sitemap.xml") == timedelta(days=1)
    assert plan.interval(source, LISTING, "https://baohatinh.vn/") == timedelta(days=1)
    assert plan.interval(source, ROBOTS, "https://baohatinh.vn/robots.txt") == timedelta(days=1)
    slow = dataclasses.replace(source, poll_interval=timedelta(hours=3))
    assert plan.interval(slow, FEED, "https://baohatinh.vn/rss") == timedelta(hours=3)
    assert plan.interval(slow, LISTING, "https://baohatinh.vn/") == timedelta(days=1)
    weekly = dataclasses.replace(source, poll_interval=timedelta(days=7))
    assert plan.interval(weekly, LISTING, "https://baohatinh.vn/") == timedelta(days=7)


def test_a_15_minute_cron_polls_an_hourly_feed_every_hour_not_every_75_minutes(
    ledger: Ledger,
) -> None:
    url = "https://baohatinh.vn/rss"
    assert is_due(None, timedelta(hours=1), NOW)
    # Polled at 09:00:20 (its answer arrived a little after the run started) ...
    ledger.document_polled(url, "baohatinh", FEED, NOW + timedelta(seconds=20), answer="200")
    polled = ledger.document(url)
    hour = timedelta(hours=1)
    assert not is_due(polled, hour, NOW + timedelta(minutes=45))
    assert is_due(polled, hour, NOW + timedelta(hours=1, seconds=5))  # the 10:00 run
    # A failed poll does not count as one: the document is due again at the next run.
    ledger.document_polled(url, "baohatinh", FEED, NOW + timedelta(hours=1), answer="dns")
    assert ledger.document(url).polled_at == NOW + timedelta(seconds=20)


def test_due_documents_are_the_start_documents_whose_interval_passed(ledger: Ledger) -> None:
    source = get("baohatinh")
    everything = start_documents(source)
    assert (ROBOTS, "https://baohatinh.vn/robots.txt") in everything
    plan = Cadence()
    assert due_documents(source, ledger, plan, NOW, due_only=True) == everything
    for kind, url in everything:
        ledger.document_polled(url, source.id, kind, NOW, answer="304")
    assert due_documents(source, ledger, plan, NOW + timedelta(minutes=30), due_only=True) == []
    in_two_hours = due_documents(source, ledger, plan, NOW + timedelta(hours=2), due_only=True)
    assert in_two_hours == [(k, u) for k, u in everything if k == FEED]
    assert due_documents(source, ledger, plan, NOW + timedelta(days=1), due_only=True) == everything
    assert due_documents(source, ledger, plan, NOW, due_only=False) == everything
    days = ledger.polls_by_day("2026-01-01")
    assert days == [("baohatinh", "2026-01-05", len(everything), 0, len(everything), 0)]


def test_young_articles_are_rechecked_at_doubling_ages(ledger: Ledger) -> None:
    from tests.rows import article_row

    row = article_row(1, crawled_at=NOW, first_seen_at=NOW, source_id="baohatinh")
    ledger.publish_rows("articles", "articles/x/part-1.parquet", [row])
    window, every = timedelta(days=3), timedelta(hours=6)

    def due(at: datetime) -> bool:
        found = ledger.recheck_candidates("baohatinh", at - window, at - every, 10, at)
        return [r.url for r in found] == [row["url"]]

    checks = []
    at = NOW
    while at < NOW + window:
        at += timedelta(minutes=15)  # a cron every 15 minutes
        if due(at):
            checks.append(at - NOW)
            ledger.set_status(row["url"], "duplicate", "not_modified", fetched_at=at)
    # First after 6 hours (the 06:15 run: "older than"), then each time the age has doubled,
    # to within one cron tick: four checks in three days.
    minutes = [c / timedelta(minutes=1) for c in checks]
    assert len(minutes) == 4 and minutes[0] == 375, minutes
    for before, after in itertools.pairwise(minutes):
        assert 2 * before <= after <= 2 * before + 15, minutes
