"""WARC capture: records as sent, revisits, torn tails after a kill; rows point at records."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from warcio.archiveiterator import ArchiveIterator

from baotinh.capture.warc import Exchange, WarcWriter, complete_length, recover_warc_files
from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.urls import normalize_url
from tests.test_crawl_e2e import first_crawl  # noqa: F401 - the module's crawl, reused

WHEN = datetime(2025, 12, 12, 8, 0, tzinfo=UTC)
PAGE = "<html><body><p>Xin chào Hà Tĩnh</p></body></html>".encode()


def _exchange(url: str, body: bytes, headers: tuple = ()) -> Exchange:
    return Exchange(
        url=url,
        method="GET",
        request_headers=(("User-Agent", "baotinh-test"), ("Accept-Encoding", "gzip")),
        status=200,
        response_headers=headers or (("Content-Type", "text/html; charset=utf-8"),),
        body=body,
        captured_at=WHEN,
    )


def _records(path: Path) -> list:
    with open(path, "rb") as handle:
        out = []
        for record in ArchiveIterator(handle):
            out.append((record.rec_type, record.rec_headers, record.http_headers,
                        record.content_stream().read()))  # fmt: skip
        return out


def test_the_exchange_is_kept_as_sent_and_repeats_become_revisits(tmp_path: Path) -> None:
    zipped = gzip.compress(PAGE)
    headers = (
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked"),
    )
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        writer = WarcWriter(tmp_path, ledger, "run1")
        first = writer.write(_exchange("https://baohatinh.vn/a-post1.html", zipped, headers))
        again = writer.write(_exchange("https://baohatinh.vn/a-post1.html", zipped, headers))
        other = writer.write(_exchange("https://baohatinh.vn/b-post2.html", PAGE))
        writer.close()
        assert again == first  # a revisit points rows at the response that holds the payload
        assert other.offset > first.offset
        assert ledger.warc_files() == {first.file: (tmp_path / first.file).stat().st_size}
        assert ledger.open_warc_files() == []
    records = _records(tmp_path / first.file)
    kinds = [kind for kind, *_ in records]
    assert kinds == ["warcinfo", "response", "request", "revisit", "request", "response", "request"]
    _, rec, http, payload = records[1]
    assert http.get_header("Content-Encoding") == "gzip"
    assert http.get_header("Transfer-Encoding") is None
    assert payload == PAGE  # warcio decodes the gzip it was given: the bytes were kept as sent
    assert rec.get_header("WARC-Target-URI") == "https://baohatinh.vn/a-post1.html"
    revisit = records[3][1]
    assert revisit.get_header("WARC-Refers-To") == first.record_id
    assert "identical-payload-digest" in revisit.get_header("WARC-Profile")
    _, request, request_http, _ = records[2]
    assert request_http.to_str().startswith("GET /a-post1.html HTTP/1.1\r\n")
    assert request_http.get_header("Host") == "baohatinh.vn"
    assert request.get_header("WARC-Concurrent-To") == first.record_id
    # The location points at exactly one record: a reader can seek there without an index.
    with open(tmp_path / first.file, "rb") as handle:
        handle.seek(first.offset)
        record = next(iter(ArchiveIterator(io.BytesIO(handle.read(first.length)))))
        assert record.rec_headers.get_header("WARC-Record-ID") == first.record_id


def test_a_killed_writer_leaves_the_file_readable_up_to_its_last_record(tmp_path: Path) -> None:
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        writer = WarcWriter(tmp_path, ledger, "run1")
        for n in range(3):
            location = writer.write(_exchange(f"https://baohatinh.vn/{n}-post{n}.html", PAGE))
        writer.sync()  # as before a publication; then the process dies mid-record
        path = tmp_path / location.file
        whole = path.stat().st_size
        with open(path, "ab") as handle:
            handle.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" * 50)[:40])
        assert complete_length(path) == whole
        assert ledger.open_warc_files() == [location.file]
        assert recover_warc_files(tmp_path, ledger) == [location.file]
        assert path.stat().st_size == whole and ledger.open_warc_files() == []
    responses = [kind for kind, *_ in _records(path) if kind == "response"]
    assert len(responses) == 3


def test_every_row_points_at_its_response_record(first_crawl):  # noqa: F811
    out, _, _ = first_crawl
    rows = duckdb.sql(
        f"SELECT url, title, warc_file, warc_record_id, warc_offset, warc_length, http_status"
        f" FROM read_parquet('{out}/articles/**/*.parquet')"
    ).fetchall()
    assert rows and all(r[2] for r in rows)
    for url, _, warc_file, record_id, offset, length, status in rows:
        with open(out / warc_file, "rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(io.BytesIO(handle.read(length)))))
        assert record.rec_type == "response" and status == 200
        assert record.rec_headers.get_header("WARC-Record-ID") == record_id
        assert normalize_url(record.rec_headers.get_header("WARC-Target-URI")) == url
    # Feeds, sitemaps, robots.txt and error answers are captured too.
    with Ledger.open(out, recover=False) as ledger:
        files = list(ledger.warc_files())
    uris = [rec.get_header("WARC-Target-URI") for f in files for kind, rec, *_ in _records(out / f)
            if kind in ("response", "revisit")]  # fmt: skip
    assert any(u.endswith("/robots.txt") for u in uris)
    assert any(u.endswith(".rss") or u.endswith("/rss") for u in uris)
    assert any(u.endswith("sitemap.xml") for u in uris)


def _article_rows(out: Path) -> dict:
    rel = duckdb.sql(
        f"SELECT article_id, version, content_sha256, title, body, extractor"
        f" FROM read_parquet('{out}/articles/**/*.parquet')"
    )
    return {r[0]: r[1:] for r in rel.fetchall()}


def test_reprocess_rebuilds_every_article_offline_with_no_new_versions(first_crawl, tmp_path):  # noqa: F811
    import shutil
    import subprocess
    import sys

    from tests.conftest import REPO

    crawled, _, _ = first_crawl
    kept = tmp_path / "kept-warc"
    shutil.copytree(crawled / "warc", kept)  # the dataset itself is gone; its captures remain
    rebuilt = tmp_path / "rebuilt"
    offline = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
               "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}  # fmt: skip
    for attempt in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "baotinh.cli", "reprocess", str(kept), "--out", str(rebuilt)],
            capture_output=True, text=True, timeout=240, env=offline, cwd="/",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        original = _article_rows(crawled)
        if attempt == 0:
            assert f"{len(original)} rows stored" in done.stdout, done.stdout
        else:  # again: every capture is known, nothing new
            assert "0 rows stored" in done.stdout and f"{len(original)} unchanged" in done.stdout
        assert _article_rows(rebuilt) == original
    # Into the crawl's own folder: the same captures, the same parser: nothing new either.
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "reprocess", str(kept), "--out", str(crawled)],
        capture_output=True, text=True, timeout=240, env=offline, cwd="/",
    )  # fmt: skip
    assert done.returncode == 0 and "0 rows stored" in done.stdout, done.stdout + done.stderr


def test_a_304_is_a_server_not_modified_revisit_of_the_latest_response(tmp_path: Path) -> None:
    url = "https://baohatinh.vn/a-post1.html"
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        writer = WarcWriter(tmp_path, ledger, "run1")
        first = writer.write(_exchange(url, PAGE))
        edited = writer.write(_exchange(url, PAGE + "<!-- sửa -->".encode()))
        not_modified = Exchange(
            url=url, method="GET",
            request_headers=(("If-None-Match", '"v2"'),), status=304,
            response_headers=(("ETag", '"v2"'),), body=b"", captured_at=WHEN,
        )  # fmt: skip
        confirmed = writer.write(not_modified)
        unknown = writer.write(
            Exchange(
                url="https://baohatinh.vn/b-post2.html",
                method="GET",
                request_headers=(),
                status=304,
                response_headers=(),
                body=b"",
                captured_at=WHEN,
            )
        )
        writer.close()
    assert confirmed == edited != first  # rows point at the response the 304 confirms
    records = [r for r in _records(tmp_path / first.file) if r[0] in ("response", "revisit")]
    kind, headers, http, payload = records[2]
    assert kind == "revisit" and payload == b""
    assert headers.get_header("WARC-Profile").endswith("/revisit/server-not-modified")
    assert headers.get_header("WARC-Refers-To") == edited.record_id
    assert headers.get_header("WARC-Refers-To-Target-URI") == url
    assert http.get_statuscode() == "304"
    # A 304 without an earlier capture of the URL is kept as the response it is.
    assert records[3][0] == "response" and unknown.record_id != edited.record_id
