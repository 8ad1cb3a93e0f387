"""The `baotinh` command as a user meets it: real subprocesses, real files."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys

import pytest

from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.dataset.store import ParquetStore
from tests.conftest import REPO
from tests.rows import article_rows

FIXTURE_SITES = REPO / "tests/fixtureweb/sites"


def baotinh(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "baotinh.cli", *args],
        capture_output=True, text=True, timeout=180, cwd="/", env=env or os.environ.copy(),
    )  # fmt: skip


def one_error_line(done: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_sources_lists_the_registry():
    done = baotinh("sources", "--json")
    assert done.returncode == 0
    entries = json.loads(done.stdout)
    assert [e["id"] for e in entries[:3]] == ["baohatinh", "baokhanhhoa", "baocantho"]
    assert [e["family"] for e in entries[:3]] == ["B", "A", "C"]
    assert all(e["evidence"] for e in entries)
    table = baotinh("sources").stdout.splitlines()
    assert len(table) == len(entries) and table[0].startswith("baohatinh")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["crawl", "--source", "nope"], ["unknown source 'nope'", "baohatinh"]),
        (["crawl", "--since", "2025-13-01"], ["not a date", "2025-13-01"]),
        (["crawl", "--max-articles", "-3"], ["non-negative"]),
        (["crawl", "--set", "NOEQUALS"], ["NAME=VALUE"]),
        (["crawl", "--out", "/proc/baotinh-cannot-be-here"], ["cannot write to"]),
        (["frobnicate"], ["invalid choice"]),
        (["extract", "/nonexistent/page.html"], ["no such file"]),
        (["validate", "/nonexistent/dir"], ["not a dataset folder"]),
        (["compact", "/nonexistent/dir"], ["not a dataset folder"]),
    ],
)
def test_bad_input_gets_one_line_and_a_non_zero_exit(args, needles):
    one_error_line(baotinh(*args), 2, *needles)


def test_a_corrupt_page_file_is_one_line(tmp_path):
    bad = tmp_path / "page.html.gz"
    bad.write_bytes(b"this is not gzip")
    one_error_line(baotinh("extract", str(bad), "--url", "https://x.vn/a-1.html"), 2, str(bad))


def test_a_page_without_url_or_canonical_is_one_line(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Tiêu đề</h1><p>Nội dung.</p></body></html>")
    one_error_line(baotinh("extract", str(page)), 2, "no --url")


def test_extract_vnexpress_exactly(corpora):
    page = corpora / "fundus/vn/VnExpress_2025_10_22.html.gz"
    expected = json.loads((corpora / "fundus/vn/VnExpress.json").read_text("utf-8"))["V1"]
    url = json.loads((corpora / "fundus/vn/meta.info").read_text())[page.name]["url"]
    done = baotinh("extract", str(page), "--url", url)
    assert done.returncode == 0, done.stderr
    (row,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert row["title"] == expected["title"]
    assert row["authors"] == expected["authors"]
    assert row["published_at"] == "2025-10-22T12:25:52+00:00"  # 19:25:52 +07:00
    assert row["published_precision"] == "second"
    paragraphs = [p for s in expected["body"]["sections"] for p in s["paragraphs"]]
    assert row["body"] == "\n\n".join(paragraphs)
    assert row["language"] == "vi"
    assert row["url"] == url


def test_extract_many_files_in_order_using_their_canonical_links(tmp_path):
    names = ["baocantho.com.vn/cho-noi-cai-rang-don-khach-dip-cuoi-nam-a190002.html",
             "baohatinh.vn/ky-uc-nga-ba-dong-loc-post300111.html"]  # fmt: skip
    files = []
    for i, name in enumerate(names):  # one plain, one gzipped
        html = (FIXTURE_SITES / name).read_bytes()
        path = tmp_path / (f"{i}.html.gz" if i else f"{i}.html")
        path.write_bytes(gzip.compress(html) if i else html)
        files.append(str(path))
    done = baotinh("extract", *files)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["source_id"] for r in rows] == ["baocantho", "baohatinh"]
    assert [r["extractor"].split("@")[0] for r in rows] == ["family_c", "family_b"]
    assert all(r["title"] and r["body"] and r["content_sha256"] for r in rows)


def test_validate_and_compact_a_dataset(tmp_path):
    with WriterLock(tmp_path):
        ledger = Ledger.open(tmp_path)
        for start in (0, 5, 10):  # three publications: three small files per partition
            store = ParquetStore(tmp_path, ledger)
            store.add(article_rows(5, start=start))
            store.close()
        ledger.close()
    files_before = len(list((tmp_path / "articles").rglob("*.parquet")))
    assert baotinh("validate", str(tmp_path)).returncode == 0
    done = baotinh("compact", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "articles").rglob("*.parquet"))) < files_before
    assert baotinh("validate", str(tmp_path)).returncode == 0

    broken = next((tmp_path / "articles").rglob("*.parquet"))
    broken.write_bytes(b"PAR1 not really parquet")
    done = baotinh("validate", str(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr


def test_unreachable_sources_end_with_one_line_each(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on: the proxy is "down"
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    env = {**os.environ, "http_proxy": dead, "https_proxy": dead, "no_proxy": ""}
    done = baotinh("crawl", "--out", str(tmp_path), "--source", "baocantho",
                   "--source", "baokhanhhoa", "--set", "RETRY_TIMES=0", env=env)  # fmt: skip
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("baotinh: ")]
    assert sorted(line.split(":")[1].strip() for line in lines) == ["baocantho", "baokhanhhoa"]
    assert all("unreachable" in line for line in lines)


def test_a_bad_file_keeps_its_place_and_the_others_are_extracted(tmp_path):
    good = tmp_path / "good.html"
    good.write_text(  # minified markup: unquoted attributes
        "<html lang=vi><head><link href=https://baocantho.com.vn/a-a1.html rel=canonical>"
        "</head><body><h1>Tiêu đề bài viết</h1><p>Nội dung bài viết đủ dài để đọc.</p>"
        "</body></html>"
    )
    done = baotinh("extract", str(tmp_path / "missing.html"), str(good))
    assert done.returncode == 2
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert "no such file" in first["error"]
    assert second["url"] == "https://baocantho.com.vn/a-a1.html"
    assert len(done.stderr.strip().splitlines()) == 1
