"""A synthetic dataset folder for the release, download and export tests (SYNTHETIC rows from
``tests.rows``: two languages, two sources, two years, an edited article, a merged province,
rows that rights signals withhold, and crawl runs for the polling table)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.dataset.store import ParquetStore
from baotinh.text import content_sha256
from tests.rows import article_row

HOUR = timedelta(hours=1)


def synthetic_rows() -> list[dict[str, Any]]:
    rows = []
    for n in range(40):
        source = "baohatinh" if n % 2 else "baocantho"
        published = datetime(2024 + n % 2, 1 + n % 12, 1 + n % 27, 3, tzinfo=UTC)
        row = article_row(
            n,
            source_id=source,
            publisher_id=f"bao_{source[3:]}",
            url=f"https://{source}.example.vn/tin-{n}.html",
            published_at=published,
            language="en" if n % 5 == 0 else "vi",
            province="Hà Tĩnh" if source == "baohatinh" else "Cần Thơ",
            province_at_publication="Hà Tĩnh" if source == "baohatinh" else "Sóc Trăng",
            body=f"Đoạn một của bài {n}. " * (20 + n) + "\n\nĐoạn hai.",
        )
        rows.append(row)
    rows[7].update(robots_meta=["noarchive"], robots_txt="allowed")
    rows[9].update(tdm_reservation=True, tdm_policy="https://baohatinh.example.vn/tdm.json")
    rows[11].update(x_robots_tag=["noindex"])  # released: a search-engine directive only
    # Article 3 edited by its publisher: version 2, a day later.
    edited = dict(rows[3])
    edited.update(
        version=2,
        body=rows[3]["body"] + "\n\nĐính chính.",
        crawled_at=rows[3]["crawled_at"] + timedelta(days=1),
        modified_at=rows[3]["published_at"] + timedelta(days=1),
    )
    edited["content_sha256"] = content_sha256(edited["title"], edited["body"])
    rows.append(edited)
    return rows


def run_report(source_counts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"run_id": "x", "sources": source_counts, "total": {}}


def make_dataset(out: Path, rows: list[dict[str, Any]] | None = None) -> Path:
    """Write rows (default: :func:`synthetic_rows`) through the real store, and three runs."""
    with WriterLock(out):
        ledger = Ledger.open(out)
        with ParquetStore(out, ledger, buffer_rows=500) as store:
            store.add(rows if rows is not None else synthetic_rows())
        day = datetime(2025, 12, 10, 1, tzinfo=UTC)
        runs = [
            (
                day,
                {
                    "baohatinh": {
                        "requests": 30,
                        "responses": {"200": 28, "304": 2},
                        "stored": 12,
                        "discovery_errors": {},
                        "failed": {},
                    },
                    "baocantho": {
                        "requests": 20,
                        "responses": {"200": 19, "503": 1},
                        "stored": 0,
                        "discovery_errors": {"http_503": 1},
                        "failed": {},
                    },
                },
            ),
            (
                day + timedelta(days=2),
                {
                    "baohatinh": {
                        "requests": 5,
                        "responses": {},
                        "stored": 0,
                        "failed": {"dns": 5},
                    },
                    "baocantho": {"requests": 4, "responses": {"200": 4}, "stored": 0},
                },
            ),
        ]
        for n, (when, sources) in enumerate(runs):
            ledger.start_run(f"run-{n}", when)
            ledger.finish_run(f"run-{n}", when + HOUR, run_report(sources))
        ledger.close()
    return out


def front_matter(card: str) -> dict[str, Any]:
    import yaml

    assert card.startswith("---\n")
    return yaml.safe_load(card.split("---\n", 2)[1])


def manifest(release_dir: Path) -> dict[str, Any]:
    return json.loads((release_dir / "manifest.json").read_text("utf-8"))
