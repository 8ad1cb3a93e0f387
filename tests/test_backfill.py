"""Backfill of a frozen paper (Báo Bình Thuận, numeric family, absorbed into Báo Lâm Đồng)
from a local Common Crawl and a local Wayback Machine built from real tools: WARC files indexed
by cdxj-indexer, served by pywb (CDX API, ZipNum paging, ``id_`` replay) and by Twisted's
byte-range file server; the clients reach them through the endpoint settings only."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from baotinh.backfill.services import parse_cdx
from tests.archive_servers import BIN, pywb, static_files, wb_manager
from tests.conftest import REPO

pytestmark = pytest.mark.slow

PAGES = REPO / "tests/archives/baobinhthuan"
HOST = "baobinhthuan.com.vn"
PO_DAM = f"https://{HOST}/thap-po-dam-ngoi-thap-co-nhat-cua-nguoi-cham-124375.html"
THANH_LONG = f"http://www.{HOST}/mua-thanh-long-tren-dat-ham-thuan-bac-124510.html"
NGHINH_ONG = f"https://{HOST}/le-hoi-nghinh-ong-o-phan-thiet-131022.html"
TAG = f"https://{HOST}/quy-nhon-ptag.html"
HOME = f"https://{HOST}/"
# (url, page file, WARC-Date) per Common Crawl crawl, and for the Wayback Machine.
CRAWLS = {
    "CC-MAIN-2019-35": [
        (PO_DAM, "thap-po-dam.html", "2019-08-21T03:10:00Z"),
        (THANH_LONG, "thanh-long.html", "2019-08-23T05:00:00Z"),
        (TAG, "tag.html", "2019-08-24T06:00:00Z"),
    ],
    "CC-MAIN-2021-04": [
        (HOME, "tag.html", "2021-01-18T01:00:00Z"),
        (NGHINH_ONG, "nghinh-ong.html", "2021-01-18T02:00:00Z"),
        (PO_DAM, "thap-po-dam.html", "2021-01-19T04:00:00Z"),  # the same text, seen again
    ],
}
WAYBACK = [
    (PO_DAM, "thap-po-dam.html", "2019-08-21T07:00:00Z"),
    (NGHINH_ONG, "nghinh-ong-edited.html", "2021-02-01T09:00:00Z"),  # edited since
    (TAG, "tag.html", "2019-08-25T00:00:00Z"),
]
ARGS = ["backfill", "--source", "baobinhthuan", "--from", "2019-01-01", "--to", "2022-12-31"]
FAST = ["--set", "BAOTINH_BACKFILL_INDEX_PER_MINUTE=6000", "--set",
        "BAOTINH_BACKFILL_FETCH_INTERVAL=0", "--set", "BAOTINH_BACKFILL_BACKOFF=0.05",
        "--set", "BAOTINH_VALIDATE_IN_BACKGROUND=False"]  # fmt: skip


def write_warc(path: Path, captures: list[tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, page, date in captures:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")  # fmt: skip
            body = (PAGES / page).read_bytes()
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Date": date}))  # fmt: skip


def zipnum_index(root: Path, warc: str, folder: Path) -> Path:
    """A ZipNum index of one crawl, as Common Crawl serves its indexes: cdxj-indexer writes the
    sorted, block-compressed CDXJ (one capture per block, so every capture is its own page)
    and its block index, which becomes pywb's cluster.idx + cluster.loc."""
    folder.mkdir(parents=True)
    subprocess.run([str(BIN / "cdxj-indexer"), "--sort", "--dir-root", ".", "--lines", "1",
                    "--compress", str(folder / "cluster.cdxj.gz"), "-o",
                    str(folder / "blocks.idx"), warc],
                   cwd=root, check=True, timeout=60)  # fmt: skip
    data = (folder / "cluster.cdxj.gz").read_bytes()
    lines = []
    for line in (folder / "blocks.idx").read_text().splitlines():
        if line.startswith("!meta"):
            continue
        prefix, block = line.split(" {", 1)
        where = json.loads("{" + block)
        offset, length = where["offset"], where["length"]
        if not zlib.decompress(data[offset : offset + length], 31):
            continue  # the indexer's closing empty block
        lines.append(f"{prefix}\tcluster.cdxj.gz\t{offset}\t{length}\t{len(lines) + 1}\n")
    (folder / "cluster.idx").write_text("".join(lines))
    (folder / "cluster.loc").write_text("cluster.cdxj.gz\tcluster.cdxj.gz\n")
    return folder / "cluster.idx"


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("web-archives")
    data, pywb_root = root / "commoncrawl-data", root / "pywb"
    pywb_root.mkdir()
    config = ["collections:"]
    for crawl, captures in CRAWLS.items():
        warc = f"crawl-data/{crawl}/segments/1566027313501.0/warc/{crawl}-00000.warc.gz"
        write_warc(data / warc, captures)
        index = zipnum_index(data, warc, root / "commoncrawl-index" / f"{crawl}-index")
        config += [f"  {crawl}-index:", f"    index_paths: {index}",
                   f"    archive_paths: {data}/"]  # fmt: skip
    (pywb_root / "config.yaml").write_text("\n".join(config) + "\n")
    wayback_warc = root / "wayback" / "ia-2019-2021.warc.gz"
    write_warc(wayback_warc, WAYBACK)
    wb_manager(pywb_root, "init", "web")
    wb_manager(pywb_root, "add", "web", str(wayback_warc))
    log = root / "data-access.log"
    with pywb(pywb_root) as archive, static_files(data, log) as files:
        collinfo = [
            {"id": crawl, "name": crawl, "cdx-api": f"{archive.url}/{crawl}-index/cdx"}
            for crawl in CRAWLS
        ]
        (data / "collinfo.json").write_text(json.dumps(collinfo))
        env = {
            "BAOTINH_CC_COLLINFO_URL": f"{files.url}/collinfo.json",
            "BAOTINH_CC_DATA_URL": f"{files.url}/",
            "BAOTINH_WAYBACK_CDX_URL": f"{archive.url}/web/cdx",
            "BAOTINH_WAYBACK_URL": f"{archive.url}/web/",
        }
        yield {"env": env, "data": data, "pywb": archive, "files": files, "log": log}


def run(args: list[str], env: dict[str, str], **extra_env: str) -> subprocess.CompletedProcess:
    # No network: a dead proxy for everything but the archive servers on this machine.
    dead = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
            "no_proxy": "127.0.0.1,localhost"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "baotinh.cli", *args], capture_output=True, text=True,
        timeout=240, cwd="/", env={**os.environ, "PYTHONPATH": str(REPO), **dead, **env,
                                   **extra_env},
    )  # fmt: skip


def rows(out: Path) -> list[dict[str, Any]]:
    rel = duckdb.sql(
        "SELECT url, title, version, crawled_at, capture_source, capture_uri, warc_file,"
        " warc_record_id, warc_offset, warc_length, province_at_publication, source, body"
        f" FROM read_parquet('{out}/articles/**/*.parquet') ORDER BY url, version"
    )
    names = [c[0] for c in rel.description]
    return [dict(zip(names, r, strict=True)) for r in rel.fetchall()]


def record_at(out: Path, row: dict[str, Any]) -> Any:
    with open(out / row["warc_file"], "rb") as handle:
        handle.seek(row["warc_offset"])
        return next(iter(ArchiveIterator(io.BytesIO(handle.read(row["warc_length"])))))


def test_backfill_from_common_crawl_then_the_wayback_machine(archives, tmp_path):
    out = tmp_path / "archive"
    done = run([*ARGS, "--via", "cc", "--out", str(out), *FAST], archives["env"])
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout
    assert "3 rows stored, 1 unchanged" in done.stdout, done.stdout
    stored = rows(out)
    assert len(stored) == 3 and all(r["version"] == 1 for r in stored)
    by_url = {r["url"]: r for r in stored}
    assert set(by_url) == {PO_DAM, NGHINH_ONG, THANH_LONG.replace("http://www.", "https://")}
    po_dam = by_url[PO_DAM]
    assert po_dam["title"] == "Tháp Pô Đam, ngôi tháp cổ nhất của người Chăm"
    assert po_dam["crawled_at"].isoformat() == "2019-08-21T03:10:00+00:00"  # the capture time
    assert po_dam["capture_source"] == "commoncrawl"
    assert po_dam["province_at_publication"] == "Bình Thuận" and po_dam["source"] == "baobinhthuan"
    files = archives["files"].url
    assert po_dam["capture_uri"].startswith(f"{files}/crawl-data/CC-MAIN-2019-35/")
    assert "#bytes=" in po_dam["capture_uri"]
    # The kept record is Common Crawl's own, byte for byte, in the dataset's warc/.
    kept = record_at(out, po_dam)
    assert po_dam["warc_file"].startswith("warc/")
    assert kept.rec_headers.get_header("WARC-Record-ID") == po_dam["warc_record_id"]
    source_path, span = po_dam["capture_uri"][len(files) + 1 :].split("#bytes=")
    first, last = (int(x) for x in span.split("-"))
    original = (archives["data"] / source_path).read_bytes()[first : last + 1]
    with open(out / po_dam["warc_file"], "rb") as handle:
        handle.seek(po_dam["warc_offset"])
        assert handle.read(po_dam["warc_length"]) == original
    assert not (out / "staging").exists() or not any((out / "staging").iterdir())
    assert "not_article_url 2" in done.stdout  # the tag page and the homepage: never fetched

    # Again: every query is done, nothing is fetched.
    again = run([*ARGS, "--via", "cc", "--out", str(out), *FAST], archives["env"])
    assert again.returncode == 0, again.stderr[-3000:]
    assert "(2 done before)" in again.stdout and " 0 fetched" in again.stdout, again.stdout
    assert len(rows(out)) == 3

    # The Wayback Machine: the 2019 page unchanged, the edit of 2021 a second version.
    wayback = run([*ARGS, "--via", "wayback", "--out", str(out), *FAST], archives["env"])
    assert wayback.returncode == 0, wayback.stderr[-3000:]
    assert "1 rows stored, 1 unchanged" in wayback.stdout, wayback.stdout
    edited = [r for r in rows(out) if r["url"] == NGHINH_ONG]
    assert [(r["version"], r["capture_source"]) for r in edited] == [
        (1, "commoncrawl"), (2, "wayback")]  # fmt: skip
    assert edited[1]["capture_uri"] == (
        f"{archives['pywb'].url}/web/20210201090000id_/{NGHINH_ONG}"
    )
    assert "sông Cà Ty" in edited[1]["body"] and "sông Cà Ty" not in edited[0]["body"]
    kept = record_at(out, edited[1])
    assert kept.rec_headers.get_header("WARC-Target-URI") == NGHINH_ONG
    assert kept.rec_headers.get_header("WARC-Date").startswith("2021-02-01T09:00:00")
    with Ledger(out) as ledger:
        assert set(ledger.warc_files()) == {r["warc_file"] for r in rows(out)}


class Ledger:
    """The dataset's ledger, read-only, for the assertions."""

    def __init__(self, out: Path) -> None:
        from baotinh.dataset.ledger import Ledger as Real

        self.ledger = Real.open_readonly(out)

    def __enter__(self) -> Any:
        return self.ledger

    def __exit__(self, *exc: object) -> None:
        self.ledger.close()


def test_a_killed_backfill_resumes_where_it_stopped(archives, tmp_path):
    out = tmp_path / "archive"
    killed = run([*ARGS, "--via", "cc", "--out", str(out), *FAST], archives["env"],
                 BAOTINH_FAULT="kill:backfill_page",
                 BAOTINH_FAULT_ONCE=str(tmp_path / "once"))  # fmt: skip
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert (out / "staging" / "backfill-baobinhthuan").is_dir()  # its work waits there
    resumed = run([*ARGS, "--via", "cc", "--out", str(out), *FAST], archives["env"])
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    # The first index page (one capture, thanh-long, fetched) was done before the kill: the
    # resumed run starts at the second page of the first crawl and fetches the three others.
    assert "5 index pages, 5 captures listed, 3 fetched" in resumed.stdout, resumed.stdout
    assert len(rows(out)) == 3
    assert not (out / "staging" / "backfill-baobinhthuan").exists()


class _TooMany(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(429)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_first_429_drops_the_service_for_the_rest_of_the_run(archives, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TooMany)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        busy = f"http://127.0.0.1:{server.server_address[1]}"
        env = {**archives["env"], "BAOTINH_CC_COLLINFO_URL": f"{busy}/collinfo.json"}
        done = run([*ARGS, "--out", str(tmp_path / "archive"), *FAST], env)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 1, done.stderr[-2000:]
    assert "commoncrawl" in done.stdout and "DROPPED" in done.stdout, done.stdout
    assert _TooMany.hits == 1  # no retry after a 429
    assert "2 rows stored" in done.stdout  # the Wayback Machine went on


def test_both_cdx_answer_forms_are_read() -> None:
    wayback = json.dumps([
        ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
        ["vn,com,baobinhthuan)/a-1.html", "20190821031000", PO_DAM, "text/html", "200", "X", "9"],
        [], ["vn%2Ccom%2Cbaobinhthuan%29%2Fb-2.html+20190822000000"],
    ])  # fmt: skip
    rows_, resume = parse_cdx(wayback)
    assert rows_[0]["original"] == PO_DAM and resume.endswith("20190822000000")
    pywb_lines = json.dumps({"url": PO_DAM, "timestamp": "20190821031000", "status": "200"})
    rows_, resume = parse_cdx(pywb_lines + "\n")
    assert rows_[0]["url"] == PO_DAM and resume is None
    assert parse_cdx("") == ([], None)
