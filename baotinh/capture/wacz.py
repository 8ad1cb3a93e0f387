"""``baotinh export-wacz DIR``: the dataset's captures as one WACZ package.

A WACZ (Web Archive Collection Zipped, https://specs.webrecorder.net/wacz/1.1.1/) bundles the
WARC files (``archive/``, stored uncompressed), a CDXJ index of their records
(``indexes/``), the list of pages a reader should start from (``pages/pages.jsonl``) and a
``datapackage.json`` with every file's hash; replay tools (ReplayWeb.page, pywb) open it as is.
The ``wacz`` package of the Webrecorder project writes it; this module chooses what goes in:

- the folder's WARC files the ledger lists as closed (a file a running crawl still writes to
  is left for the next export);
- one page per stored article row whose record is in those files: its WARC-Target-URI and
  WARC-Date (how the index keys the record) and the row's title.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baotinh.capture.archive import ArchiveError, WarcStream
from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import Ledger

PAGES_SQL = """
SELECT warc_file, warc_offset, warc_length, title
FROM read_parquet('{glob}') WHERE warc_file IS NOT NULL
ORDER BY crawled_at, warc_file, warc_offset
"""


@dataclass
class WaczResult:
    path: Path
    warc_files: int
    pages: int
    bytes: int

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.warc_files} WARC files, {self.pages} pages, "
            f"{self.bytes / 1024 / 1024:.1f} MiB"
        )


def closed_warc_files(layout: Layout) -> list[str]:
    """The folder's WARC files (relative paths) that no writer holds open."""
    with Ledger.open(layout.root, recover=False) as ledger:
        rows = ledger.conn.execute(
            "SELECT path FROM warc_files WHERE closed_at IS NOT NULL ORDER BY path"
        ).fetchall()
    return [path for (path,) in rows if (layout.root / path).is_file()]


def article_pages(layout: Layout, files: set[str]) -> list[dict[str, Any]]:
    """pages.jsonl entries for the article rows whose response record is in ``files``."""
    import duckdb

    if not layout.parquet_files():
        return []
    pages: dict[tuple[str, str], dict[str, Any]] = {}
    for warc_file, offset, length, title in duckdb.sql(
        PAGES_SQL.format(glob=layout.glob())
    ).fetchall():
        if warc_file not in files:
            continue  # e.g. a replayed row pointing into an archive outside the folder
        record = WarcStream(layout.root / warc_file, warc_file).record_at(offset, length)
        url = record.rec_headers.get_header("WARC-Target-URI")
        date = record.rec_headers.get_header("WARC-Date")
        pages[(url, date)] = {"url": url, "ts": date, "title": title or url}
    return list(pages.values())


def export_wacz(
    dataset: Path, output: Path, *, title: str | None = None, description: str | None = None
) -> WaczResult:
    from wacz.main import main as wacz_main

    layout = Layout.of(dataset)
    if not layout.ledger.is_file():
        raise ArchiveError(f"{layout.root} is not a dataset folder (no {layout.ledger.name})")
    files = closed_warc_files(layout)
    if not files:
        raise ArchiveError(f"{layout.root} holds no WARC file to export")
    pages = article_pages(layout, set(files))
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baotinh-wacz-") as work:
        pages_file = Path(work) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Article pages"}
        lines = [header, *pages]
        pages_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in lines))
        args = ["create", "-o", str(output), "--pages", str(pages_file)]
        args += ["--title", title or f"baotinh: {layout.root.name}"]
        if description:
            args += ["--desc", description]
        args += [str(layout.root / f) for f in files]
        said = io.StringIO()
        with contextlib.redirect_stdout(said):  # the wacz tool narrates every step
            code = wacz_main(args)
        if code:
            raise RuntimeError(f"wacz create failed ({code}): {said.getvalue()[-2000:]}")
    return WaczResult(output, len(files), len(pages), output.stat().st_size)
