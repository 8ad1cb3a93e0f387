"""export-wacz: the crawl's WARC files as a WACZ that the wacz validator accepts and pywb, a
real replay server, plays back; the replay index reads it in place too."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import zipfile

import duckdb

from baotinh.capture.archive import ArchiveIndex, WarcStream
from tests.archive_servers import BIN, pywb, wb_manager
from tests.conftest import REPO


def test_export_wacz_validates_and_replays_in_pywb(kept_crawl, tmp_path):
    crawled, report = kept_crawl
    package = tmp_path / "fixture-web.wacz"
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "export-wacz", str(crawled), "-o", str(package)],
        capture_output=True, text=True, timeout=240, cwd="/", env={"PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    stored = report["total"]["stored"]
    assert f"{stored} pages" in done.stdout, done.stdout

    checked = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(package)],
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert checked.returncode == 0 and "is valid" in checked.stdout, checked.stdout

    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
        assert {"datapackage.json", "datapackage-digest.json", "pages/pages.jsonl"} <= set(names)
        assert any(n.startswith("indexes/") for n in names)
        warcs = [i for i in zf.infolist() if i.filename.startswith("archive/")]
        assert warcs and all(i.compress_type == zipfile.ZIP_STORED for i in warcs)
        pages = [json.loads(x) for x in zf.read("pages/pages.jsonl").decode().splitlines()][1:]
        resources = json.loads(zf.read("datapackage.json"))["resources"]
        assert all(r["hash"].startswith("sha256:") for r in resources)
    assert len(pages) == stored

    # One article page, as the crawl kept it.
    warc_file, offset, length = duckdb.sql(
        f"SELECT warc_file, warc_offset, warc_length FROM "
        f"read_parquet('{crawled}/articles/**/*.parquet') ORDER BY url LIMIT 1"
    ).fetchall()[0]
    record = WarcStream(crawled / warc_file, warc_file).record_at(offset, length)
    target = record.rec_headers.get_header("WARC-Target-URI")
    page = record.content_stream().read()
    page_entry = next(p for p in pages if p["url"] == target)
    timestamp = "".join(c for c in page_entry["ts"] if c.isdigit())[:14]

    # The replay index reads the package in place.
    answer = ArchiveIndex.of([package]).lookup(target)
    assert answer is not None and answer.body == page
    assert answer.location.file.endswith(f"{package.name}#archive/{warc_file.split('/')[-1]}")

    # pywb: a collection made from the package (its own index), served on 127.0.0.1.
    root = tmp_path / "pywb"
    root.mkdir()
    wb_manager(root, "init", "fixtures")
    wb_manager(root, "add", "--unpack-wacz", "fixtures", str(package))
    with pywb(root) as server:
        replayed = urllib.request.urlopen(f"{server.url}/fixtures/{timestamp}id_/{target}")
        assert replayed.status == 200
        assert replayed.read() == page
