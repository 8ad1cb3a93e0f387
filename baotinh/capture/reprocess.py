"""``baotinh reprocess WARC_OR_DIR ... --out DIR``: rows again from kept captures, offline.

Every ``response`` record of the WARC files (or of the WARCs inside WACZ packages) becomes a
:class:`Capture` and goes through the crawl's own path (the parser version valid at the capture
date, normalise, enrich), then the row sink (validate, deduplicate, store). A page read again is
not a publisher's edit: a re-extraction of a capture the folder already holds keeps that
capture's version and records the parser that made it; versions are ordered by capture time.
Revisit records add nothing (their payload is the response they refer to). Nothing is fetched.

The rows go to a staging area (``baotinh.dataset.staging``) and are merged into the dataset by a
short locked step at the end, so a long reprocess never blocks the scheduled crawl; when a crawl
holds the folder for longer than ``merge_wait_s`` the work stays staged for ``baotinh merge``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from baotinh import registry
from baotinh.alignment.linker import CopyLinker
from baotinh.capture.archive import (
    WARC_SUFFIXES,
    WIRE_HEADERS,
    ArchiveError,
    WarcStream,
    archive_files,
    name_in,
    warc_date,
    warc_streams,
)
from baotinh.capture.process import CaptureProcessor
from baotinh.capture.record import Capture, WarcLocation
from baotinh.dataset.layout import Layout
from baotinh.dataset.staging import StagingArea
from baotinh.dataset.store import default_run_id
from baotinh.rights.tombstones import TombstoneList
from baotinh.urls import normalize_url
from baotinh.validation import BackgroundValidator, BatchValidator

logger = logging.getLogger(__name__)

__all__ = ["WARC_SUFFIXES", "ReprocessError", "ReprocessResult", "captures", "reprocess"]

ReprocessError = ArchiveError  # an input that is not a WARC/WACZ file or folder of them


def captures(stream: WarcStream, source: str = "crawl") -> Iterator[Capture]:
    """The response records of one WARC as captures (``stream.name``: how rows refer to it)."""
    with stream.open() as handle:
        records = ArchiveIterator(handle)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            body = record.content_stream().read()  # chunks joined, Content-Encoding removed
            headers = tuple(
                (k, v) for k, v in record.http_headers.headers if k.lower() not in WIRE_HEADERS
            )
            uri = record.rec_headers.get_header("WARC-Target-URI")
            status = record.http_headers.get_statuscode()
            location = WarcLocation(
                stream.name,
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
                captured_at=warc_date(record.rec_headers.get_header("WARC-Date")),
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
    staged_in: Path | None = None  # set when the merge had to be left for later
    skipped: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())) or "none"
        text = (
            f"{self.files} WARC files, {self.records} responses: {self.stored} rows stored, "
            f"{self.unchanged} unchanged, {self.quarantined} quarantined, {self.lost} lost; "
            f"skipped: {skipped}"
        )
        if self.staged_in is not None:
            text += (
                f"\n{self.rows} rows wait in {self.staged_in} (a crawl held the dataset): "
                "`baotinh merge` adds them"
            )
        return text


def reprocess(
    inputs: Iterable[Path],
    out_dir: Path,
    *,
    capture_source: str = "crawl",
    # A validation call costs about half a second whatever its size, then ~0.1 ms a row: a bulk
    # job validates in larger batches than a crawl (which keeps 1000 for publication latency).
    batch_rows: int = 5000,
    in_background: bool = True,
    merge_wait_s: float = 600.0,
) -> ReprocessResult:
    layout = Layout.of(out_dir)
    streams: list[WarcStream] = []
    for path in archive_files(inputs):
        streams += warc_streams(path, name_in(layout.root, path))
    result = ReprocessResult(files=len(streams))
    run_id = f"reprocess-{default_run_id()}"
    processor = CaptureProcessor()
    tombstones = TombstoneList.load(layout.tombstones)
    validator = BackgroundValidator() if in_background else BatchValidator()
    with StagingArea(layout.root, run_id) as staging:
        # Copies link to their archived originals in the dataset (read-only; never written).
        linker = CopyLinker(staging.main, layout.root)
        writers = staging.start(validator, run_id=run_id, batch_rows=batch_rows, link=linker.link)
        for stream in streams:
            for capture in captures(stream, capture_source):
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
                if tombstones and tombstones.blocks_url(
                    normalize_url(capture.final_url), source.id, source.publisher_id
                ):
                    result.skipped["tombstoned"] += 1  # taken down: not read again
                    continue
                outcome = processor.process(capture, source)
                if outcome.kind != "row" or outcome.row is None:
                    result.skipped[outcome.reason or outcome.kind] += 1
                    continue
                result.rows += 1
                writers.sink.add(outcome.row, outcome.html)
            writers.sink.tick()
        merged = staging.merge(wait_s=merge_wait_s)
        writers.close()
        result.lost = writers.sink.stats.lost
        result.unchanged = writers.unchanged
        if merged is None:
            result.staged_in = staging.root
            return result
        result.stored, result.quarantined = merged.stored, merged.quarantined
        result.unchanged += merged.unchanged
        if staging.is_empty():
            staging.remove()
    return result
