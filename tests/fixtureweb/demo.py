"""``make demo``: the real crawl against the fixture web on 127.0.0.1, then a DuckDB summary.

Run it twice on the same folder: the second run stores nothing and fetches no archived page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.fixtureweb.process import FAST_SETTINGS, REPO, SOURCE_ARGS, FixtureWebProcess, set_args


def summary(out: Path) -> str:
    files = f"{out}/articles/**/*.parquet"
    if not list((out / "articles").rglob("*.parquet")):
        return "no articles stored yet"
    con = duckdb.connect()
    per_source = con.sql(
        f"SELECT source, count(*) AS articles, count(DISTINCT article_id) AS ids,"
        f" min(published_at)::DATE AS first, max(published_at)::DATE AS last,"
        f" sum(word_count) AS words FROM read_parquet('{files}') GROUP BY source ORDER BY source"
    )
    latest = con.sql(
        f"SELECT source, strftime(published_at, '%Y-%m-%d %H:%M') AS published_utc, title"
        f" FROM read_parquet('{files}') ORDER BY published_at DESC NULLS LAST LIMIT 5"
    )
    return f"{per_source}\n{latest}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "datasets" / "demo")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    report = out / "last-run.json"
    with FixtureWebProcess() as web:
        print(f"fixture web on {web.proxy_url} (pid {web.pid}); crawling into {out}", flush=True)
        done = subprocess.run(
            [sys.executable, "-m", "baotinh.cli", "crawl", "--out", str(out),
             "--report", str(report), *SOURCE_ARGS, *set_args(FAST_SETTINGS)],
            env={**os.environ, **web.proxy_env()},
        )  # fmt: skip
    if done.returncode != 0:
        return done.returncode
    total = json.loads(report.read_text("utf-8"))["total"]
    skipped = ", ".join(f"{k} {v}" for k, v in total["skipped"].items()) or "none"
    failed = ", ".join(f"{k} {v}" for k, v in total["failed"].items()) or "none"
    print(
        f"\nthis run: {total['requests']} requests, {total['discovered']} article URLs: "
        f"{total['stored']} stored, {total['quarantined']} quarantined, "
        f"{total['duplicates']} unchanged; skipped: {skipped}; failed: {failed}\n"
    )
    print(summary(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
