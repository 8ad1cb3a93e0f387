"""``baotinh reprocess WARC_OR_DIR ... --out DIR``: rows again from kept captures, offline.

Every ``response`` record of the WARC files becomes a :class:`Capture` and goes through the
crawl's own path (the parser version valid at the capture date, normalise, enrich), then the
row sink (validate, deduplicate, store). A page read again is not a publisher's edit: a
re-extraction of a capture the folder already holds keeps that capture's version and records the
parser that made it; versions are ordered by capture time. Revisit records add nothing (their
payload is the response they refer to). Nothing is fetched.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from baotinh import registry
from baotinh.alignment.linker import CopyLinker
from baotinh.capture.process import CaptureProcessor
from baotinh.capture.record import Capture, WarcLocation
from baotinh.dataset.dedupe import UNCHANGED, Deduplicator
from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.dataset.sink import RowSink
from baotinh.dataset.store import ParquetStore, QuarantineStore, default_run_id
from baotinh.validation import BackgroundValidator, BatchValidator

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
# Headers that described the bytes on the wire; the capture's body is decoded.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class ReprocessError(ValueError):
    """An input is not a WARC file or folder of them; the message names it."""


def warc_files(inputs: Iterable[Path]) -> list[Path]:
    """The WARC files named, or found under the folders named, in name order."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.name.endswith(WARC_SUFFIXES))
        elif path.is_file() and path.name.endswith(WARC_SUFFIXES):
            found.append(path)
        elif not path.exists():
            raise ReprocessError(f"{path}: no such file or folder")
        else:
            raise ReprocessError(f"{path}: not a WARC file (.warc or .warc.gz)")
    return found


def _warc_date(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def captures(path: Path, name: str, source: str = "crawl") -> Iterator[Capture]:
    """The response records of one WARC file as captures (``name``: how rows refer to it)."""
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            body = record.content_stream().read()  # chunks joined, Content-Encoding removed
            headers = tuple(
                (k, v) for k, v in record.http_headers.headers if k.lower() not in _WIRE_HEADERS
            )
            uri = record.rec_headers.get_header("WARC-Target-URI")
            status = record.http_headers.get_statuscode()
            location = WarcLocation(
                name,
                record.rec_headers.get_header("WARC-Record-ID"),
                records.get_record_offset(),
                records.get_record_length(),
            )
            yield Capture(
                url=uri,
                final_url=uri,
                status=int(status) if status and status.isdigit() else None,
                headers=headers,
                body=body,
                captured_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
                source=source,
                uri=None,
                warc=location,
            )


@dataclass
class ReprocessResult:
    files: int = 0
    records: int = 0
    rows: int = 0
    stored: int = 0
    unchanged: int = 0
    quarantined: int = 0
    lost: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())) or "none"
        return (
            f"{self.files} WARC files, {self.records} responses: {self.stored} rows stored, "
            f"{self.unchanged} unchanged, {self.quarantined} quarantined, {self.lost} lost; "
            f"skipped: {skipped}"
        )


def reprocess(
    inputs: Iterable[Path],
    out_dir: Path,
    *,
    capture_source: str = "crawl",
    batch_rows: int = 1000,
    in_background: bool = True,
) -> ReprocessResult:
    layout = Layout.of(out_dir)
    files = warc_files(inputs)
    result = ReprocessResult(files=len(files))
    run_id = f"reprocess-{default_run_id()}"
    processor = CaptureProcessor()
    with WriterLock(layout.root), Ledger.open(layout.root) as ledger:
        ledger.require_current_schema()
        store = ParquetStore(layout.root, ledger, run_id=run_id)
        quarantine = QuarantineStore(layout.root, ledger, run_id=run_id)
        validator = BackgroundValidator() if in_background else BatchValidator()

        def unchanged(row: dict) -> None:
            ledger.set_status(
                row["url"],
                "duplicate",
                UNCHANGED,
                article_id=row["article_id"],
                content_sha256=row["content_sha256"],
                fetched_at=row["crawled_at"],
            )

        sink = RowSink(
            store,
            quarantine,
            Deduplicator(ledger.version_history, ledger.article_with_hash),
            validator,
            batch_rows=batch_rows,
            on_unchanged=unchanged,
            link=CopyLinker(ledger, layout.root).link,
        )
        try:
            for path in files:
                name = _name_in(layout, path)
                for capture in captures(path, name, capture_source):
                    result.records += 1
                    source = registry.source_for_url(capture.final_url)
                    if source is None:
                        result.skipped["unregistered"] += 1
                        continue
                    if capture.status != 200:
                        result.skipped[f"http_{capture.status}"] += 1
                        continue
                    if not source.is_article_url(source.canonical_url(capture.final_url)):
                        result.skipped["not_article_url"] += 1
                        continue
                    outcome = processor.process(capture, source)
                    if outcome.kind != "row" or outcome.row is None:
                        result.skipped[outcome.reason or outcome.kind] += 1
                        continue
                    result.rows += 1
                    sink.add(outcome.row, outcome.html)
                sink.tick()
        finally:
            sink.close()
            store.close()
            quarantine.close()
        stats = sink.stats
        result.stored, result.unchanged = stats.stored, stats.unchanged
        result.quarantined, result.lost = stats.quarantined, stats.lost
    return result


def _name_in(layout: Layout, path: Path) -> str:
    """How rows name a WARC file: relative to the dataset folder when inside it, else its URI."""
    resolved = path.resolve()
    if resolved.is_relative_to(layout.root):
        return layout.relative(resolved)
    return resolved.as_uri()
