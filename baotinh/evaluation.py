"""Extraction quality on real pages: the scorer and the corpus runner behind ``make eval``.

The corpus is ``../shared/corpora/fundus/`` (flairNLP/fundus test data): per country folder, a
``<Publisher>.json`` with the expected output per parser version (``"V1"``, ``"V1_1"``, ...),
the pages ``<Publisher>_<YYYY_MM_DD>.html.gz`` (in date order they pair with the versions in
natural order) and ``meta.info`` with each page's URL.

Scores (defined in issue 3):
- title: exact match after NFC and whitespace collapsing;
- instant: the same instant as ``publishing_date`` to the second (offsets respected); a value
  known only to the day never matches a timestamp;
- author recall: expected names found among the extracted ones, case-insensitive after NFC
  and whitespace collapsing;
- body: word 4-gram shingles over lower-cased Unicode ``\\w+`` tokens of the expected body
  (summary + section headlines + paragraphs); precision and recall averaged over pages, then F1.

``python -m baotinh.evaluation [CORPUS_DIR]`` prints the generic parser beside trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from baotinh.text import nfc

SHINGLE_SIZE = 4
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"(\d+)")
_PAGE_DATE = re.compile(r"_(\d{4})_(\d{2})_(\d{2})\.html(?:\.gz)?$")


def default_corpus_dir() -> Path:
    """``<repo root>/../shared/corpora/fundus`` (works in a CI clone with ``shared`` beside it)."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "fundus"


# --- the corpus -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    title: str | None
    published: datetime | None
    authors: list[str]
    body: str | None


@dataclass(frozen=True)
class CorpusPage:
    name: str  # "<cc>/<file>"
    url: str
    html: str
    expected: Expected


def _natural_key(text: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(text)]


def expected_body(body: dict | None) -> str | None:
    """Summary + section headlines + paragraphs, joined by blank lines."""
    if not body:
        return None
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(parts)


def _expected(entry: dict) -> Expected:
    raw_date = entry.get("publishing_date")
    return Expected(
        title=entry.get("title"),
        published=datetime.fromisoformat(raw_date) if raw_date else None,
        authors=list(entry.get("authors") or []),
        body=expected_body(entry.get("body")),
    )


def load_corpus(root: Path) -> list[CorpusPage]:
    """All pages of the corpus with their expected output; a malformed folder raises ValueError."""
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    pages: list[CorpusPage] = []
    for country in sorted(p for p in root.iterdir() if p.is_dir()):
        meta = json.loads((country / "meta.info").read_text(encoding="utf-8"))
        for expected_file in sorted(country.glob("*.json")):
            publisher = expected_file.stem
            versions = json.loads(expected_file.read_text(encoding="utf-8"))
            files = sorted(
                (f for f in country.glob(f"{publisher}_*.html.gz") if _PAGE_DATE.search(f.name)),
                key=lambda f: _PAGE_DATE.search(f.name).groups(),  # type: ignore[union-attr]
            )
            keys = sorted(versions, key=_natural_key)
            if len(files) != len(keys):
                raise ValueError(
                    f"{expected_file}: {len(keys)} versions but {len(files)} page files"
                )
            for page_file, key in zip(files, keys, strict=True):
                html = gzip.decompress(page_file.read_bytes()).decode("utf-8", errors="replace")
                pages.append(
                    CorpusPage(
                        name=f"{country.name}/{page_file.name}",
                        url=meta[page_file.name]["url"],
                        html=html,
                        expected=_expected(versions[key]),
                    )
                )
    return pages


# --- the scorer -----------------------------------------------------------------------------


def normalise(text: str | None) -> str:
    return " ".join(nfc(text or "").split())


def title_matches(expected: str, got: str | None) -> bool:
    return normalise(expected) == normalise(got)


def instant_matches(expected: datetime, got: datetime | None, precision: str | None) -> bool:
    """Same instant to the second; a day-only (or naive) value never matches a timestamp."""
    if got is None or got.tzinfo is None or precision in (None, "day", "month", "year"):
        return False
    if expected.tzinfo is None:  # the expectation gives no offset: compare the wall clock
        return got.replace(tzinfo=None, microsecond=0) == expected.replace(microsecond=0)
    return int(expected.timestamp()) == int(got.timestamp())


def author_recall(expected: list[str], got: list[str]) -> float:
    wanted = {normalise(a).casefold() for a in expected if normalise(a)}
    if not wanted:
        return 1.0
    found = {normalise(a).casefold() for a in got}
    return len(wanted & found) / len(wanted)


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    tokens = _WORD.findall(nfc(text or "").lower())
    if 0 < len(tokens) < size:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def body_precision_recall(expected: str, got: str | None) -> tuple[float, float]:
    want, have = shingles(expected), shingles(got)
    if not want:
        return (1.0, 1.0) if not have else (0.0, 1.0)
    if not have:
        return 0.0, 0.0
    common = len(want & have)
    return common / len(have), common / len(want)


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


# --- extractors under test ------------------------------------------------------------------


@dataclass
class Extraction:
    title: str | None = None
    published: datetime | None = None
    precision: str | None = None
    authors: list[str] = field(default_factory=list)
    body: str | None = None


Extractor = Callable[[str, str], Extraction]


def generic_extractor() -> Extractor:
    from baotinh.parsers.generic import GenericParser

    parser = GenericParser()

    def extract(html: str, url: str) -> Extraction:
        page = parser.parse(html, url)
        text = "\n\n".join(p for p in [page.sapo or "", page.body] if p)
        return Extraction(
            page.title, page.published_at, page.published_precision, page.authors, text
        )

    return extract


def trafilatura_extractor() -> Extractor:
    import trafilatura

    from baotinh.dates import parse_date

    def extract(html: str, url: str) -> Extraction:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return Extraction()
        published, precision = (None, None)
        if doc.date:
            # trafilatura returns the day only (YYYY-MM-DD); read it as such.
            published, precision = parse_date(doc.date, use_dateparser=False)
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        return Extraction(doc.title, published, precision, authors, doc.text)

    return extract


# --- the run --------------------------------------------------------------------------------


@dataclass
class PageScore:
    name: str
    title: bool | None
    instant: bool | None
    authors: float | None
    body_precision: float | None
    body_recall: float | None


@dataclass
class Report:
    extractor: str
    pages: list[PageScore]
    seconds: float

    def _values(self, attr: str) -> list[float]:
        return [float(v) for p in self.pages if (v := getattr(p, attr)) is not None]

    def mean(self, attr: str) -> float:
        values = self._values(attr)
        return sum(values) / len(values) if values else 0.0

    @property
    def body_f1(self) -> float:
        return f1(self.mean("body_precision"), self.mean("body_recall"))

    @property
    def pages_per_second(self) -> float:
        return len(self.pages) / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, float]:
        return {
            "title": self.mean("title"),
            "instant": self.mean("instant"),
            "author_recall": self.mean("authors"),
            "body_precision": self.mean("body_precision"),
            "body_recall": self.mean("body_recall"),
            "body_f1": self.body_f1,
            "pages_per_second": self.pages_per_second,
        }


def score_page(page: CorpusPage, got: Extraction) -> PageScore:
    exp = page.expected
    precision = recall = None
    if exp.body:
        precision, recall = body_precision_recall(exp.body, got.body)
    return PageScore(
        name=page.name,
        title=title_matches(exp.title, got.title) if exp.title else None,
        instant=(
            instant_matches(exp.published, got.published, got.precision) if exp.published else None
        ),
        authors=author_recall(exp.authors, got.authors) if exp.authors else None,
        body_precision=precision,
        body_recall=recall,
    )


def run(name: str, extractor: Extractor, pages: list[CorpusPage]) -> tuple[Report, list]:
    """Extract every page (timed) and score it; return the report and the raw extractions."""
    started = time.perf_counter()
    extractions = [extractor(page.html, page.url) for page in pages]
    seconds = time.perf_counter() - started
    scores = [score_page(p, e) for p, e in zip(pages, extractions, strict=True)]
    return Report(name, scores, seconds), extractions


def _worst(report: Report, attr: str, count: int) -> Iterator[PageScore]:
    rated = [p for p in report.pages if getattr(p, attr) is not None]
    yield from sorted(rated, key=lambda p: float(getattr(p, attr)))[:count]


def format_reports(reports: list[Report], worst: int = 8) -> str:
    rows = [
        ("title exact", "title", "{:.3f}"),
        ("instant", "instant", "{:.3f}"),
        ("author recall", "author_recall", "{:.3f}"),
        ("body precision", "body_precision", "{:.3f}"),
        ("body recall", "body_recall", "{:.3f}"),
        ("body F1", "body_f1", "{:.3f}"),
        ("pages/s", "pages_per_second", "{:.1f}"),
    ]
    summaries = [r.summary() for r in reports]
    lines = [
        f"{len(reports[0].pages)} pages",
        f"{'':16}" + "".join(f"{r.extractor:>14}" for r in reports),
    ]
    for label, key, fmt in rows:
        lines.append(f"{label:16}" + "".join(f"{fmt.format(s[key]):>14}" for s in summaries))
    first = reports[0]
    for label, attr in [
        ("title", "title"),
        ("instant", "instant"),
        ("authors", "authors"),
        ("body recall", "body_recall"),
        ("body precision", "body_precision"),
    ]:
        bad = [p for p in _worst(first, attr, worst) if float(getattr(p, attr)) < 1.0]
        if bad:
            lines.append(f"\nworst {label} ({first.extractor}):")
            lines.extend(f"  {float(getattr(p, attr)):.2f}  {p.name}" for p in bad)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("corpus", nargs="?", type=Path, default=default_corpus_dir())
    args.add_argument("--worst", type=int, default=8, help="worst pages listed per field")
    args.add_argument("--json", action="store_true", help="print the summaries as JSON")
    options = args.parse_args(argv)
    try:
        pages = load_corpus(options.corpus)
    except (OSError, ValueError) as error:
        print(f"baotinh eval: {error}", file=sys.stderr)
        return 2
    reports = [
        run("generic", generic_extractor(), pages)[0],
        run("trafilatura", trafilatura_extractor(), pages)[0],
    ]
    if options.json:
        print(json.dumps({r.extractor: r.summary() for r in reports}, indent=2))
    else:
        print(format_reports(reports, options.worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
