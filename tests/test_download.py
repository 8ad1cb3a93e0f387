"""``baotinh download`` against real servers on 127.0.0.1: a static HTTP server (with ranges)
and a local S3 endpoint (moto in server mode), both started and stopped by these tests; and a
plain folder. Filters, checksums, resume, refusals, tombstones."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from baotinh.dates import VN_TZ
from baotinh.release.manifest import sha256_file
from baotinh.rights.tombstones import sha256_hex
from tests.conftest import REPO
from tests.releases import manifest
from tests.static_server import StaticServer

BAOTINH = [sys.executable, "-m", "baotinh.cli"]


def baotinh(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BAOTINH, *args],
        capture_output=True,
        text=True,
        cwd="/",
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        timeout=300,
    )


def rows(folder: Path, config: str = "latest") -> list[dict]:
    files = list((folder / "data" / config).rglob("*.parquet"))
    if not files:
        return []
    return (
        duckdb.sql(
            f"SELECT * FROM read_parquet({[str(f) for f in files]}, hive_partitioning = false)"
        )
        .arrow()
        .read_all()
        .to_pylist()
    )


def ids(records: list[dict]) -> list[tuple[str, int]]:
    return sorted((r["article_id"], r["version"]) for r in records)


def copy_releases(synthetic_release, tmp_path: Path) -> Path:
    target = tmp_path / "served"
    shutil.copytree(synthetic_release["releases"], target, ignore=shutil.ignore_patterns(".lock"))
    return target


def edit_manifest(release: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = manifest(release)
    change(data)
    (release / "manifest.json").write_text(json.dumps(data))


@pytest.fixture(scope="module")
def http_releases(synthetic_release) -> Iterator[StaticServer]:
    with StaticServer(synthetic_release["releases"]) as server:
        yield server


def test_http_download_with_a_language_filter_fetches_only_what_it_needs(
    synthetic_release, http_releases, tmp_path
):
    release = synthetic_release["release"]
    out = tmp_path / "out"
    done = baotinh("download", http_releases.url + "/", "--out", str(out), "--language", "en")
    assert done.returncode == 0, done.stderr
    for config in ("latest", "versions"):
        expected = [r for r in rows(release, config) if r["language"] == "en"]
        assert ids(rows(out, config)) == ids(expected) and expected
    fetched = [r["path"] for r in http_releases.requests() if r["path"].endswith(".parquet")]
    assert fetched and all("/language=en/" in p for p in fetched)
    assert "[1/" in done.stderr  # progress
    record = json.loads((out / "download.json").read_text())
    assert record["version"] == "1.0.0" and record["filters"]["language"] == ["en"]
    for f in record["files"]:
        assert sha256_file(out / f["path"]) == f.get("sha256", sha256_file(out / f["path"]))
    assert (out / "README.md").exists() and not (out / ".baotinh-download").exists()


def test_http_download_with_source_and_date_filters(synthetic_release, http_releases, tmp_path):
    release = synthetic_release["release"]
    out = tmp_path / "out"
    before = len(http_releases.requests())
    done = baotinh(
        "download",
        http_releases.url,
        "--out",
        str(out),
        "--version",
        "1.0.0",
        "--source",
        "baohatinh",
        "--since",
        "2025-03-01",
        "--until",
        "2025-06-30",
    )
    assert done.returncode == 0, done.stderr
    for config in ("latest", "versions"):
        expected = [
            r
            for r in rows(release, config)
            if r["source_id"] == "baohatinh"
            and date(2025, 3, 1) <= r["published_at"].astimezone(VN_TZ).date() <= date(2025, 6, 30)
        ]
        assert expected and ids(rows(out, config)) == ids(expected)
    fetched = [
        r["path"] for r in http_releases.requests()[before:] if r["path"].endswith(".parquet")
    ]
    assert fetched and all("source=baohatinh/year=2025" in p for p in fetched)


def test_local_download_by_province_at_publication(synthetic_release, tmp_path):
    release = synthetic_release["release"]
    out = tmp_path / "out"
    done = baotinh(
        "download", str(synthetic_release["releases"]), "--out", str(out), "--province", "sóc trăng"
    )
    assert done.returncode == 0, done.stderr
    expected = [r for r in rows(release) if r["province_at_publication"] == "Sóc Trăng"]
    assert expected and ids(rows(out)) == ids(expected)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[dict[str, str]]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield env
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def test_s3_download_with_a_source_filter(synthetic_release, s3_endpoint, tmp_path, monkeypatch):
    import boto3

    for name, value in s3_endpoint.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="baotinh")
    root = synthetic_release["releases"]
    for path in root.rglob("*"):
        if path.is_file() and path.name != ".lock":
            s3.upload_file(str(path), "baotinh", f"releases/{path.relative_to(root).as_posix()}")
    out = tmp_path / "out"
    done = baotinh(
        "download",
        "s3://baotinh/releases",
        "--out",
        str(out),
        "--source",
        "baocantho",
        env=s3_endpoint,
    )
    assert done.returncode == 0, done.stderr
    for config in ("latest", "versions"):
        expected = [
            r for r in rows(synthetic_release["release"], config) if r["source_id"] == "baocantho"
        ]
        assert expected and ids(rows(out, config)) == ids(expected)


def test_a_tampered_file_is_refused_with_nothing_written(synthetic_release, tmp_path):
    served = copy_releases(synthetic_release, tmp_path)
    victim = next(f for f in manifest(served / "1.0.0")["files"] if f["kind"] == "data")
    path = served / "1.0.0" / victim["path"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other bytes
    path.write_bytes(bytes(data))
    out = tmp_path / "out"
    with StaticServer(served) as server:
        done = baotinh("download", server.url, "--out", str(out))
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .startswith(f"baotinh: error: checksum mismatch for {victim['path']}")
    )
    assert not out.exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    done = baotinh("download", str(served), "--out", str(existing))
    assert done.returncode == 1 and list(existing.iterdir()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["files"][0].update(path="../escape.parquet"), "escapes the output folder"),
        (lambda m: m["files"][0].update(path="/etc/passwd"), "escapes the output folder"),
        (lambda m: m.update(schema_version="9.0.0"), "unknown schema version '9.0.0'"),
        (lambda m: m["files"][0].update(schema_version="0.1.0"), "unknown schema version"),
        (lambda m: m.update(manifest_version=7), "unknown manifest version 7"),
    ],
)
def test_a_bad_manifest_is_refused_with_nothing_written(
    synthetic_release, tmp_path, change, message
):
    served = copy_releases(synthetic_release, tmp_path)
    edit_manifest(served / "1.0.0", change)
    out = tmp_path / "out"
    done = baotinh("download", str(served), "--out", str(out))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("baotinh: error: ")
    assert not out.exists()


def test_an_interrupted_download_resumes_where_it_stopped(synthetic_release, tmp_path):
    release = synthetic_release["release"]
    entry = max(
        (f for f in manifest(release)["files"] if f["kind"] == "data"), key=lambda f: f["bytes"]
    )
    url_path = f"/1.0.0/{entry['path']}"
    half = entry["bytes"] // 2
    out = tmp_path / "out"
    with StaticServer(synthetic_release["releases"], cut={url_path: half}) as server:
        first = baotinh("download", server.url, "--out", str(out))
        assert first.returncode == 1
        assert "run it again to resume" in first.stderr.strip().splitlines()[-1]
        partial = out / ".baotinh-download/1.0.0" / (entry["path"] + ".part")
        kept = partial.stat().st_size  # what arrived before the cut, in whole reads
        assert 0 < kept <= half
        assert not (out / "data").exists()  # nothing in place before every file is verified
        second = baotinh("download", server.url, "--out", str(out))
        assert second.returncode == 0, second.stderr
        asked = [r for r in server.requests() if r["path"] == url_path]
    assert [r["range"] for r in asked] == [None, f"bytes={kept}-"]
    assert asked[-1]["status"] == 206 and "resuming at" in second.stderr
    assert ids(rows(out)) == ids(rows(release))
    assert ids(rows(out, "versions")) == ids(rows(release, "versions"))


def test_downloads_drop_tombstoned_articles_from_older_releases(synthetic_release, tmp_path):
    served = copy_releases(synthetic_release, tmp_path)
    gone = rows(synthetic_release["release"])[0]
    published = json.loads((served / "tombstones.sha256.json").read_text())
    published["entries"].append(
        {"kind": "article", "sha256": sha256_hex(gone["article_id"]), "date": "2026-01-01"}
    )
    (served / "tombstones.sha256.json").write_text(json.dumps(published))
    out = tmp_path / "out"
    done = baotinh("download", str(served), "--out", str(out), "--version", "1.0.0")
    assert done.returncode == 0, done.stderr
    kept = rows(out)
    assert gone["article_id"] not in {r["article_id"] for r in kept}
    assert len(kept) == len(rows(synthetic_release["release"])) - 1
