"""``make bench`` (second part): reprocess throughput on one core, beside trafilatura.

The pages are the crawl benchmark's: ``N`` article pages of the baohatinh fixture site (family
B, distinct text each), here packed into one WARC file with a 2025 capture date, so the family
parser of that date reads them. Each round runs in a fresh process pinned to one CPU core:

- reprocess: ``baotinh.capture.reprocess.reprocess`` into a new dataset folder with validation
  in the same process (no second core): decode, family parser (+ generic merge for what it
  lacks), normalise, enrich, validate (great_expectations, batches of 1000), deduplicate, write
  Parquet, merge the staging area. Timed from the call to its return; the process first warms
  up on a one-page WARC (imports, great_expectations' context, parser classes), so the figure
  is the steady rate of a long reprocess, not its start-up;
- trafilatura: ``trafilatura.bare_extraction(html, url, with_metadata=True)`` on the same
  pages' decoded HTML (text and metadata only: no storage, no validation).

We quote the median pages/s of the rounds. ``--profile`` prints the hot path of one reprocess.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.bench import HOST, build_site
from tests.fixtureweb.process import REPO

CAPTURED = "2025-12-12T08:00:00Z"


def build_warc(pages: int, work: Path, name: str = "pages.warc.gz") -> Path:
    """``pages`` article pages of the bench site as response records of one WARC file."""
    sites = work / f"sites-{pages}"
    build_site(sites, pages)
    path = work / name
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page in sorted((sites / HOST).glob("*-post*.html")):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://{HOST}/{page.name}",
                "response",
                payload=io.BytesIO(page.read_bytes()),
                http_headers=http,
                warc_headers_dict={"WARC-Date": CAPTURED},
            )
            writer.write_record(record)
    return path


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _reprocess_round(warc: Path, warmup: Path, work: Path, profile: bool) -> dict[str, float]:
    from baotinh.capture.reprocess import reprocess

    _pin()
    reprocess([warmup], work / "warmup", in_background=False)
    out = work / "out"
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = reprocess([warc], out, in_background=False)
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(35)
    return {"pages": result.stored, "seconds": seconds, "cpu": cpu, "records": result.records}


def _trafilatura_round(warc: Path) -> dict[str, float]:
    import trafilatura

    from baotinh.capture.archive import WarcStream
    from baotinh.capture.reprocess import captures

    _pin()
    pages = [(c.final_url, c.text()) for c in captures(WarcStream(warc, warc.name))]
    trafilatura.bare_extraction(pages[0][1], url=pages[0][0], with_metadata=True)  # warm up
    started, cpu = time.perf_counter(), time.process_time()
    extracted = sum(
        1
        for url, html in pages
        if trafilatura.bare_extraction(html, url=url, with_metadata=True) is not None
    )
    return {"pages": extracted, "seconds": time.perf_counter() - started,
            "cpu": time.process_time() - cpu}  # fmt: skip


def child(args: argparse.Namespace) -> int:
    work = Path(args.work)
    if args.child == "reprocess":
        result = _reprocess_round(Path(args.warc), Path(args.warmup), work, args.profile)
    else:
        result = _trafilatura_round(Path(args.warc))
    print(json.dumps(result))
    return 0


def run_round(kind: str, warc: Path, warmup: Path, work: Path, profile: bool = False) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    command = [sys.executable, "-m", "tests.bench_reprocess", "--child", kind, "--warc", str(warc),
               "--warmup", str(warmup), "--work", str(work)]  # fmt: skip
    if profile:
        command.append("--profile")
    env = {**os.environ, "PYTHONPATH": str(REPO), "GX_ANALYTICS_ENABLED": "false"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{kind} round failed: {done.stderr[-3000:]}")
    if profile:
        print(done.stderr[-12000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench_reprocess",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one reprocess round")
    parser.add_argument("--child", choices=("reprocess", "trafilatura"), help=argparse.SUPPRESS)
    parser.add_argument("--warc", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    work = Path(tempfile.mkdtemp(prefix="baotinh-bench-reprocess-"))
    try:
        warc = build_warc(args.pages, work)
        warmup = build_warc(1, work, "warmup.warc.gz")
        if args.profile:
            run_round("reprocess", warc, warmup, work / "round", profile=True)
            return 0
        rates: dict[str, list[float]] = {"reprocess": [], "trafilatura": []}
        per_cpu: dict[str, list[float]] = {"reprocess": [], "trafilatura": []}
        for number in range(1, args.rounds + 1):
            for kind in rates:
                got = run_round(kind, warc, warmup, work / "round")
                if got["pages"] != args.pages:
                    print(f"warning: {kind} handled {got['pages']} of {args.pages} pages")
                rates[kind].append(got["pages"] / got["seconds"])
                per_cpu[kind].append(got["pages"] / got["cpu"])
            print(f"round {number}: reprocess {rates['reprocess'][-1]:.0f} pages/s, "
                  f"trafilatura {rates['trafilatura'][-1]:.0f} pages/s", flush=True)  # fmt: skip
        print(f"\npages/s on one core (median of {args.rounds} rounds, {args.pages} family-B "
              "pages each; per wall-clock second, and per CPU second, which a busy machine lowers "
              "much less)")  # fmt: skip
        for kind, label in (
            ("reprocess", "baotinh reprocess (parse, normalise, enrich, validate, dedupe, store)"),
            ("trafilatura", "trafilatura bare_extraction (text and metadata only)"),
        ):
            target = "  (target >= 300)" if kind == "reprocess" else ""
            print(f"  {label:<72} {statistics.median(rates[kind]):6.1f} wall, "
                  f"{statistics.median(per_cpu[kind]):6.1f} CPU{target}")  # fmt: skip
        print(f"  load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
