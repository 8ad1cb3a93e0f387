"""The inputs and the arithmetic of README's estimate of a year of vietnam.vn in all languages.

``python -m tests.measure_volume [L ...]`` measures, on the real pages of
``../shared/corpora/fundus`` (182 news pages with their expected text), the page size raw and
gzipped (about a WARC record) and the Parquet bytes of a row of this archive's schema holding
each text, then prints the estimate for L translation languages (default 5 and 10).
"""

from __future__ import annotations

import gzip
import io
import json
import statistics
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from baotinh.dataset.store import COMPRESSION
from baotinh.schema import ARTICLE_SCHEMA
from tests.conftest import CORPORA
from tests.rows import article_row

STORIES_PER_DAY = 1576  # research §5: the daily post sitemap's size, counted live 2026-07-08
REQUESTS_PER_SECOND = 1.0  # DOWNLOAD_DELAY 1 s, AutoThrottle target concurrency 1, one slot
DISCOVERY_REQUESTS = 400  # 365 daily sitemaps, the index, the news sitemap, feeds, robots.txt


def measure(fundus: Path) -> dict[str, float]:
    pages = [p.read_bytes() for p in sorted(fundus.glob("*/*.html.gz"))]
    texts: list[tuple[str, str]] = []
    for expected in sorted(fundus.glob("*/*.json")):
        for entry in json.loads(expected.read_text("utf-8")).values():
            body = entry.get("body") or {}
            paragraphs = list(body.get("summary", []))
            for section in body.get("sections", []):
                paragraphs += section.get("paragraphs", [])
            if paragraphs:
                texts.append((entry.get("title") or "-", "\n\n".join(paragraphs)))
    rows = [
        article_row(i, title=title, body=body, url=f"https://example.vn/a-{i}")
        for i, (title, body) in enumerate(texts)
    ]
    buffer = io.BytesIO()
    pq.write_table(
        pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA), buffer, compression=COMPRESSION
    )
    return {
        "pages": len(pages),
        "page_raw": statistics.median(len(gzip.decompress(p)) for p in pages),
        "page_gzip": statistics.median(len(p) for p in pages),
        "body": statistics.median(len(b.encode()) for _, b in texts),
        "row_parquet": buffer.tell() / len(rows),
    }


def main(argv: list[str]) -> int:
    fundus = CORPORA / "fundus"
    if not fundus.is_dir():
        print(f"the corpus is not at {fundus} (../shared beside the checkout)", file=sys.stderr)
        return 1
    m = measure(fundus)
    print(
        f"{m['pages']:.0f} pages: median {m['page_raw']:,.0f} B raw, {m['page_gzip']:,.0f} B "
        f"gzipped; body median {m['body']:,.0f} B; {m['row_parquet']:,.0f} B per Parquet row"
    )
    stories = STORIES_PER_DAY * 365
    for languages in [int(a) for a in argv] or [5, 10]:
        rows = stories * (1 + languages)
        requests = rows + DISCOVERY_REQUESTS
        hours = requests / REQUESTS_PER_SECOND / 3600
        print(
            f"L={languages}: {stories:,} stories, {rows:,} rows, {requests:,} requests, "
            f"Parquet {rows * m['row_parquet'] / 1e9:.1f} GB, WARC "
            f"{requests * m['page_gzip'] / 1e9:.0f} GB, {hours:,.0f} h ({hours / 24:.0f} days) "
            f"at {REQUESTS_PER_SECOND:g} request/s; one day of the portal "
            f"{STORIES_PER_DAY * (1 + languages) / REQUESTS_PER_SECOND / 3600:.1f} h"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
