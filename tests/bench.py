"""``make bench``: the full pipeline against a bare Scrapy spider, same pages, same run; and
reprocess throughput on one core beside trafilatura (``tests/bench_reprocess.py``).

A bench copy of the baohatinh fixture site is generated with N article pages (distinct text,
so none is a duplicate) listed in one sitemap. Both crawlers fetch them through the fixture
web proxy with the same download settings:
- bare: Scrapy's own SitemapSpider that only parses each page with the same page parser
  (``tests/bench_bare.py``): extraction without the archive's machinery;
- full: ``baotinh crawl`` (discovery, family parser + generic merge, normalize, enrich,
  dedupe, great_expectations in batches, Parquet, ledger).
Runs alternate (bare, full, bare, full, ...) so drift in the machine's load hits both; we
quote medians of pages/s (wall clock inside each crawl) and of CPU seconds per page.

Then the incremental scenario (``tests/bench_incremental.py``): requests per new article, the
304 share, the lag from a feed to a published row under a 15-minute cron, and peak RSS over
10,000 and 1,000,000 known URLs, each beside its target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.fixtureweb.process import REPO, FixtureWebProcess, set_args
from tests.fixtureweb.server import SITES_DIR

HOST = "baohatinh.vn"
TEMPLATE_PAGES = (  # stored-as-article pages of the fixture site, used as templates
    "nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html",
    "khoi-cong-tuyen-duong-ven-bien-xuan-hoi-post300105.html",
    "hoi-cho-nong-san-an-toan-2025-post300108.html",
    "ky-uc-nga-ba-dong-loc-post300111.html",
)
DOWNLOAD_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "WARNING",
}


def build_site(root: Path, pages: int) -> None:
    """A bench copy of the fixture site: ``pages`` articles in one sitemap, nothing else."""
    site = root / HOST
    site.mkdir(parents=True)
    (site / "robots.txt").write_text(f"User-agent: *\nSitemap: https://{HOST}/sitemap.xml\n")
    templates = [(SITES_DIR / HOST / name).read_text("utf-8") for name in TEMPLATE_PAGES]
    urls = []
    for n in range(pages):
        name = f"bai-viet-thu-{n}-post{900000 + n}.html"
        # The page's canonical/og:url name the new URL, so each page is its own article.
        html = templates[n % len(templates)].replace(TEMPLATE_PAGES[n % len(templates)], name)
        # A distinct sentence per page: no two pages are duplicates of each other.
        html = html.replace("</h1>", f" số {n}</h1>", 1)
        (site / name).write_text(html, "utf-8")
        urls.append(f"https://{HOST}/{name}")
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_bare(env: dict[str, str]) -> tuple[int, float, float]:
    before = _child_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench_bare", json.dumps(DOWNLOAD_SETTINGS)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["pages"], result["seconds"], _child_cpu() - before


def run_full(env: dict[str, str], out: Path) -> tuple[int, float, float]:
    shutil.rmtree(out, ignore_errors=True)
    report = out.with_suffix(".json")
    before = _child_cpu()
    subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "crawl", "--source", "baohatinh", "--out",
         str(out), "--report", str(report), *set_args(DOWNLOAD_SETTINGS)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    cpu = _child_cpu() - before
    data = json.loads(report.read_text())
    from datetime import datetime

    seconds = (
        datetime.fromisoformat(data["finished_at"]) - datetime.fromisoformat(data["started_at"])
    ).total_seconds()
    return data["total"]["stored"], seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--part",
        choices=("crawl", "reprocess", "incremental", "all"),
        default="all",
        help="the crawl against a bare spider, reprocess on one core beside trafilatura, the "
        "incremental scenario (tests/bench_incremental.py), or all of them",
    )
    args = parser.parse_args(argv)
    if args.part in ("reprocess", "all"):
        from tests import bench_reprocess

        bench_reprocess.main(["--pages", "2000", "--rounds", "5"])
        print()
    if args.part in ("crawl", "all"):
        crawl_part(args)
        print()
    if args.part in ("incremental", "all"):
        from tests import bench_incremental

        bench_incremental.main([])
    return 0


def crawl_part(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="baotinh-bench-"))
    try:
        build_site(work / "sites", args.pages)
        results: dict[str, list[tuple[int, float, float]]] = {"bare": [], "full": []}
        with FixtureWebProcess(sites=work / "sites") as web:
            env = {**os.environ, **web.proxy_env(), "PYTHONPATH": str(REPO)}
            for round_no in range(1, args.rounds + 1):
                results["bare"].append(run_bare(env))
                results["full"].append(run_full(env, work / f"out-{round_no}"))
                b, f = results["bare"][-1], results["full"][-1]
                print(f"round {round_no}: bare {b[0]} pages in {b[1]:.1f} s, "
                      f"full {f[0]} pages in {f[1]:.1f} s", flush=True)  # fmt: skip
        report(results, args.pages)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results: dict[str, list[tuple[int, float, float]]], pages: int) -> None:
    rate = {k: statistics.median(p / s for p, s, _ in v) for k, v in results.items()}
    cpu = {k: statistics.median(c / p * 1000 for p, _, c in v) for k, v in results.items()}
    for name, runs in results.items():
        if any(p != pages for p, _, _ in runs):
            print(f"warning: {name} handled {[p for p, _, _ in runs]} of {pages} pages")
    print(f"\npages/s (median of {len(results['bare'])} runs, {pages} pages each)")
    print(f"  bare Scrapy spider (parse only): {rate['bare']:7.1f} pages/s  "
          f"{cpu['bare']:6.2f} CPU ms/page")  # fmt: skip
    print(f"  full baotinh pipeline:           {rate['full']:7.1f} pages/s  "
          f"{cpu['full']:6.2f} CPU ms/page")  # fmt: skip
    print(f"  ratio full/bare: {rate['full'] / rate['bare']:.2f} (target >= 0.80)")


if __name__ == "__main__":
    sys.exit(main())
