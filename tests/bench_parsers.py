"""Parse time per page: each family version against the generic parser, on the family fixtures.

Every article page of ``tests/fixtures/parsers/<family>/<version>/`` is parsed ``--repeat`` times
by the version ``parser_for`` picks for its capture date and by ``GenericParser``, in one process
after a warm-up (imports, trafilatura's first run); the figure per page is the median of its
runs, and the table gives the median over a version's pages.

``python -m tests.bench_parsers [--repeat N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path

from baotinh.parsers.families import parser_for
from baotinh.parsers.generic import GenericParser

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"


def _median_ms(parse, html: str, url: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse(html, url)
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=30)
    repeat = args.parse_args().repeat
    pages = []
    for expected in sorted(FIXTURES.glob("*/*/*.json")):
        want = json.loads(expected.read_text("utf-8"))
        if want["expected"].get("skip_reason") is None:
            html = expected.with_suffix(".html").read_text("utf-8")
            family, version = expected.parent.parent.name, expected.parent.name
            pages.append((f"{family}/{version}", family, want, html))
    generic = GenericParser()
    for _, family, want, html in pages:  # warm-up
        parser_for(family, date.fromisoformat(want["captured_at"])).parse(html, want["url"])
        generic.parse(html, want["url"])
    rows: dict[str, list[tuple[float, float]]] = {}
    for key, family, want, html in pages:
        parser = parser_for(family, date.fromisoformat(want["captured_at"]))
        fam = _median_ms(parser.parse, html, want["url"], repeat)
        gen = _median_ms(generic.parse, html, want["url"], repeat)
        rows.setdefault(key, []).append((fam, gen))
    print(f"{len(pages)} article pages, median of {repeat} runs each (ms per page)")
    print(f"{'version':14s} {'pages':>5s} {'family':>8s} {'generic':>8s}")
    for key, values in rows.items():
        fam = statistics.median(v[0] for v in values)
        gen = statistics.median(v[1] for v in values)
        print(f"{key:14s} {len(values):5d} {fam:8.2f} {gen:8.2f}")
    every = [v for values in rows.values() for v in values]
    fam = statistics.median(v[0] for v in every)
    gen = statistics.median(v[1] for v in every)
    print(f"{'all':14s} {len(every):5d} {fam:8.2f} {gen:8.2f}")


if __name__ == "__main__":
    main()
