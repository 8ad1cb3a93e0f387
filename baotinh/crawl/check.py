"""``baotinh check``: do the registry's facts still hold on the live sites?

Most facts in the registry come from configs and apps, not from the sites themselves (see each
entry's ``evidence``). A check runs the real crawl for a few articles per source into a
throw-away folder and prints, per source, what every feed, sitemap and listing page answered and
what the parser made of the articles it stored or quarantined: the quickest way to see that a
feed moved or a redesign broke the family parser. Where discovery gave a ``lastmod``, it also
measures how that clock stands to the pages' own publication dates (``lastmod_line``).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from baotinh.crawl.runner import Busy, run_crawl
from baotinh.dataset.layout import ARTICLES, QUARANTINE, Layout
from baotinh.registry import get

SAMPLE_SQL = """
SELECT source, strftime(published_at, '%Y-%m-%d %H:%M') AS published_utc, title, authors,
       word_count, extractor || CASE WHEN language = 'vi' THEN '' ELSE ' ' || language END
FROM read_parquet('{files}') ORDER BY source, published_at DESC NULLS LAST
"""
QUARANTINE_SQL = """
SELECT source, url, failed_expectations FROM read_parquet('{files}') ORDER BY source
"""


def _rows(sql: str, layout: Layout, table: str) -> list[tuple[Any, ...]]:
    import duckdb

    if not layout.parquet_files(table):
        return []
    return duckdb.sql(sql.format(files=layout.glob(table))).fetchall()


COVERAGE_FIELDS = ("title", "sapo", "body", "authors", "published_at", "category")
ROWS_SQL = """
SELECT *, '{outcome}' AS outcome FROM read_parquet('{files}', union_by_name = true)
"""


def _extracted(layout: Layout) -> list[dict[str, Any]]:
    """Every row the check extracted (stored and quarantined), with its outcome."""
    import duckdb

    found: list[dict[str, Any]] = []
    for table, outcome in ((ARTICLES, "stored"), (QUARANTINE, "quarantined")):
        if not layout.parquet_files(table):
            continue
        relation = duckdb.sql(ROWS_SQL.format(outcome=outcome, files=layout.glob(table)))
        names = [c[0] for c in relation.description]
        found += [dict(zip(names, r, strict=True)) for r in relation.fetchall()]
    return found


def _record_urls(layout: Layout, rows: list[dict[str, Any]]) -> None:
    """Each row's ``record_url``: the URL of the response record it was read from."""
    from baotinh.capture.archive import WarcStream

    for row in rows:
        row["record_url"] = row["url"]
        if row.get("warc_file") and row.get("warc_offset") is not None:
            stream = WarcStream(layout.root / row["warc_file"], row["warc_file"])
            record = stream.record_at(row["warc_offset"], row["warc_length"])
            row["record_url"] = record.rec_headers.get_header("WARC-Target-URI")


def coverage_table(rows: list[dict[str, Any]], source_ids: Sequence[str]) -> list[str]:
    """Per source, the share of extracted rows that have each field."""
    head = f"{'source':<20} {'articles':>8}" + "".join(f" {f:>12}" for f in COVERAGE_FIELDS)
    lines = [head]
    for source_id in source_ids:
        mine = [r for r in rows if r.get("source_id") == source_id]
        cells = []
        for name in COVERAGE_FIELDS:
            have = sum(1 for r in mine if r.get(name) not in (None, "", []))
            cells.append(f"{100 * have / len(mine):11.0f}%" if mine else f"{'-':>12}")
        lines.append(f"{source_id:<20} {len(mine):>8}" + "".join(f" {c}" for c in cells))
    return lines


def _lastmods(folder: Path, layout: Layout) -> dict[str, list[tuple[float, str]]]:
    """Per source: (hours from ``published_at`` to the discovery ``lastmod``, precision) of
    every stored row whose URL came with one (a sitemap's, else a feed's date; for a
    translation: its story's)."""
    import sqlite3

    import duckdb

    if not layout.parquet_files(ARTICLES) or not layout.ledger.exists():
        return {}
    with sqlite3.connect(layout.ledger) as db:
        lastmods = db.execute(
            "SELECT url, coalesce(lastmod, feed_lastmod) AS listed FROM urls"
            " WHERE listed IS NOT NULL AND status = 'stored'"
        ).fetchall()
    if not lastmods:
        return {}
    con = duckdb.connect()
    con.execute("CREATE TABLE lastmods (url VARCHAR, lastmod TIMESTAMPTZ)")
    con.executemany("INSERT INTO lastmods VALUES (?, ?)", lastmods)
    found = con.execute(
        f"""
        SELECT a.source, (epoch(l.lastmod) - epoch(a.published_at)) / 3600.0,
               a.published_precision
        FROM read_parquet('{layout.glob(ARTICLES)}') a
        JOIN lastmods l ON l.url = a.url OR l.url = a.canonical_url
        WHERE a.published_at IS NOT NULL
        """
    ).fetchall()
    con.close()
    result: dict[str, list[tuple[float, str]]] = {}
    for source, hours, precision in found:
        result.setdefault(source, []).append((float(hours), precision or "?"))
    return result


def lastmod_line(offsets: list[tuple[float, str]]) -> str:
    """How a source's sitemap lastmod stands to its pages' publication: what ``baotinh check``
    measures of a clock it does not control (local time labelled UTC shows as about +7 h on
    pages dated to the minute; a lastmod that moves on regeneration, as days after)."""
    hours = sorted(h for h, _ in offsets)
    median = hours[len(hours) // 2]
    before = sum(h < 0 for h in hours)
    later = sum(h > 24 for h in hours)
    day_only = sum(p == "day" for _, p in offsets)
    return (
        f"lastmod - published_at over {len(hours)} stored pages: median {median:+.1f} h "
        f"(min {hours[0]:+.1f} h, max {hours[-1]:+.1f} h); {before} before publication, "
        f"{later} more than a day after; {day_only} dated to the day only"
    )


def check_sources(
    source_ids: Sequence[str],
    articles: int,
    overrides: dict[str, Any] | None = None,
    out: TextIO = sys.stdout,
    save_fixtures: Path | None = None,
) -> bool:
    """Crawl ``articles`` pages per source into a temporary folder and describe the outcome
    (with ``save_fixtures``, also save what was fetched there as fixture web sites). True when
    every source stored at least one article."""
    from baotinh.crawl.fixtures import save_fixtures as save

    folder = Path(tempfile.mkdtemp(prefix="baotinh-check-"))
    try:
        # The report below is the check's output: Scrapy's log only for errors, unless asked.
        settings = {"LOG_LEVEL": "ERROR", **(overrides or {}),
                    "BAOTINH_MAX_ARTICLES_PER_SOURCE": articles, "BAOTINH_WARC": True}  # fmt: skip
        result = run_crawl(list(source_ids), folder, overrides=settings, summary=False)
        assert not isinstance(result, Busy)  # not a scheduled run: a busy folder raises
        layout = Layout.of(folder)
        stored = _rows(SAMPLE_SQL, layout, ARTICLES)
        quarantined = _rows(QUARANTINE_SQL, layout, QUARANTINE)
        extracted = _extracted(layout)
        saved = None
        if save_fixtures is not None:
            _record_urls(layout, extracted)
            saved = save(folder, save_fixtures, extracted)
        lastmods = _lastmods(folder, layout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    healthy = True
    reached = [s for s in source_ids if s not in result.unreachable]
    if len(reached) < len(source_ids):
        healthy = False  # run_crawl has said so, one line per source
    for source_id in reached:
        source = get(source_id)
        counts = result.report["sources"].get(source_id, {})
        print(f"\n{source.id}: {source.name} (family {source.family})", file=out)
        for url, found in counts.get("discovery_pages", {}).items():
            print(f"  {found:<28} {url}", file=out)
        mine = [r for r in stored if r[0] == source_id]
        for _, published, title, authors, words, extractor in mine:
            names = ", ".join(authors) or "no author"
            print(f"  stored  {published or 'no date'}  {title}  [{names}]  {words} words  "
                  f"{extractor}", file=out)  # fmt: skip
        for _, url, failed in (r for r in quarantined if r[0] == source_id):
            print(f"  quarantined  {url}: {', '.join(failed)}", file=out)
        if lastmods.get(source_id):
            print(f"  {lastmod_line(lastmods[source_id])}", file=out)
        skipped = ", ".join(f"{k} {v}" for k, v in counts.get("skipped", {}).items())
        failed = ", ".join(f"{k} {v}" for k, v in counts.get("failed", {}).items())
        print(f"  skipped: {skipped or 'none'}; failed: {failed or 'none'}", file=out)
        if not mine:
            healthy = False
            print(f"  PROBLEM: no article stored from {source_id}", file=out)
    if reached:
        print("\nfield coverage of the extracted articles (stored and quarantined)", file=out)
        for line in coverage_table(extracted, reached):
            print(f"  {line}", file=out)
    if saved is not None and reached:
        print(f"\n{saved} in {save_fixtures}", file=out)
    return healthy
