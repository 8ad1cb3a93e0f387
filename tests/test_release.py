"""``baotinh release`` on a synthetic dataset: layout, manifest, configs, card, validation,
immutability, tombstones, re-cuts; and ``baotinh export``."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from baotinh.release.build import ReleaseOptions, cut_release, recut_releases
from baotinh.release.manifest import Manifest, sha256_file
from baotinh.release.site import card_snippets
from baotinh.release.source import ReleaseError, polling_table
from baotinh.rights.tombstones import PublishedTombstones, Tombstone, TombstoneList, sha256_hex
from baotinh.schema import ARTICLE_SCHEMA, SCHEMA_VERSION, card_table
from tests.conftest import REPO, require_datadocs_assets
from tests.releases import front_matter, make_dataset, manifest, synthetic_rows
from tests.rows import article_row

BAOTINH = [sys.executable, "-m", "baotinh.cli"]
QUIET = {"progress": lambda _m: None}


def baotinh(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*BAOTINH, *args], capture_output=True, text=True, env=env, cwd=cwd or "/", timeout=300
    )


def offline_env() -> dict[str, str]:
    return {
        **os.environ,
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }


def read(release: Path, config: str) -> list[dict]:
    glob = f"{release}/data/{config}/**/*.parquet"
    return (
        duckdb.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = false)")
        .arrow()
        .read_all()
        .to_pylist()
    )


def test_manifest_lists_every_file_with_its_checksum(synthetic_release):
    release = synthetic_release["release"]
    data = manifest(release)
    Manifest.from_json(data)  # what download checks
    listed = {f["path"]: f for f in data["files"]}
    on_disk = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    assert on_disk - {"manifest.json"} == set(listed)
    for path, entry in listed.items():
        assert entry["bytes"] == (release / path).stat().st_size, path
        assert entry["sha256"] == sha256_file(release / path), path
    data_files = [f for f in data["files"] if f["kind"] == "data"]
    assert data["schema_version"] == SCHEMA_VERSION == data_files[0]["schema_version"]
    for f in data_files:
        p = f["partition"]
        assert f["path"].startswith(
            f"data/{f['config']}/language={p['language']}/source={p['source']}/year={p['year']}/"
        )
        parquet = pq.ParquetFile(release / f["path"])
        assert parquet.metadata.num_rows == f["rows"]
        assert parquet.schema_arrow.remove_metadata().equals(ARTICLE_SCHEMA.remove_metadata())
        table = parquet.read()
        assert set(table["language"].to_pylist()) == {p["language"]}
        assert set(table["year"].to_pylist()) == {p["year"]}
    latest = json.loads((synthetic_release["releases"] / "latest.json").read_text())
    assert latest["version"] == "1.0.0"
    assert latest["manifest_sha256"] == sha256_file(release / "manifest.json")


def test_shards_roll_and_row_groups_stay_small(synthetic_release):
    release = synthetic_release["release"]
    data_files = [f for f in manifest(release)["files"] if f["kind"] == "data"]
    partitions = {(f["config"], json.dumps(f["partition"], sort_keys=True)) for f in data_files}
    assert len(data_files) > len(partitions)  # some partition rolled into several files
    groups = 0
    for f in data_files:
        meta = pq.ParquetFile(release / f["path"]).metadata
        for i in range(meta.num_row_groups):
            groups += 1
            # The test release asks for 6 kB row groups (the default is 64 MiB, the hub's limit
            # 100 MiB): Parquet's uncompressed size stays near what was asked.
            assert meta.row_group(i).total_byte_size < 2 * 6_000
    assert groups > len(data_files)


def test_configs_hold_latest_versions_and_every_version(synthetic_release):
    release = synthetic_release["release"]
    source = synthetic_rows()
    released = [r for r in source if not (r.get("robots_meta") or r.get("tdm_reservation"))]
    latest, versions = read(release, "latest"), read(release, "versions")
    assert len(versions) == len(released) == 40 - 2 + 1
    assert len(latest) == len({r["article_id"] for r in released}) == 38
    edited = [r for r in latest if r["version"] == 2]
    assert len(edited) == 1 and edited[0]["article_id"] == source[3]["article_id"]
    withheld = {source[7]["article_id"], source[9]["article_id"]}
    assert not withheld & {r["article_id"] for r in versions}
    assert source[11]["article_id"] in {r["article_id"] for r in latest}  # noindex: released
    assert {r["language"] for r in latest} == {"vi", "en"}


def test_card_header_is_what_the_hub_reads(synthetic_release):
    from huggingface_hub import DatasetCard

    release = synthetic_release["release"]
    text = (release / "README.md").read_text("utf-8")
    meta = front_matter(text)
    card = DatasetCard(text)  # the hub's own parser
    assert card.data.license == "other" and card.data.license_name and card.data.license_link
    assert (release / meta["license_link"]).is_file()
    assert sorted(meta["language"]) == ["en", "vi"]
    assert meta["size_categories"] == ["n<1K"] and meta["task_categories"]
    assert meta["pretty_name"]
    names = [c["config_name"] for c in meta["configs"]]
    assert names[0] == "default" and meta["configs"][0]["default"] is True
    assert set(names) == {"default", "vi", "en", "all_versions"}


def test_datasets_loads_every_config_as_the_card_says(synthetic_release, tmp_path):
    release = synthetic_release["release"]
    latest = read(release, "latest")
    expected = {
        "default": len(latest),
        "vi": sum(r["language"] == "vi" for r in latest),
        "en": sum(r["language"] == "en" for r in latest),
        "all_versions": len(read(release, "versions")),
    }
    script = (
        "import json, os, sys\n"
        "from datasets import load_dataset\n"
        "out = {}\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    ds = load_dataset(os.path.abspath('.'), name, split='train')\n"
        "    out[name] = [ds.num_rows, ds.column_names]\n"
        "print(json.dumps(out))\n"
    )
    env = {**offline_env(), "HF_HOME": str(tmp_path / "hf")}
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(list(expected))],
        cwd=release,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert {k: v[0] for k, v in loaded.items()} == expected
    assert all(v[1] == ARTICLE_SCHEMA.names for v in loaded.values())


@pytest.mark.parametrize("name", ["duckdb", "datasets", "pandas", "polars"])
def test_card_snippets_run(synthetic_release, tmp_path, name):
    release = synthetic_release["release"]
    snippets = card_snippets((release / "README.md").read_text("utf-8"))
    assert set(snippets) == {"duckdb", "datasets", "pandas", "polars"}
    env = {**offline_env(), "HF_HOME": str(tmp_path / "hf")}
    done = subprocess.run(
        [sys.executable, "-c", snippets[name]],
        cwd=release,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    latest = read(release, "latest")
    if name == "datasets":
        vi = sum(r["language"] == "vi" for r in latest)
        assert done.stdout.strip().startswith(f"{vi} ['article_id'")
    if name == "duckdb":
        assert "baohatinh" in done.stdout and "baocantho" in done.stdout


def test_card_content(synthetic_release):
    release = synthetic_release["release"]
    text = (release / "README.md").read_text("utf-8")
    assert card_table() in text  # the field table from the one schema definition
    for needle in (
        "Merged provinces",
        "Machine translations",
        "Unverified sources",
        "syllables",
        "belong to their newspapers",
        "MIT",
        "Removal",
        "Personal data",
        "noarchive",
        "tdm-reservation",
        "CITATION.cff",
        "noarchive: 1",
        "tdm_reservation: 1",
        "Sóc Trăng",
    ):
        if needle == "Sóc Trăng":
            continue  # the province at publication is in the data, not the card
        assert needle in text, needle
    # The polling table: a silent day, an unreachable one, a day not polled.
    for needle in (
        "| 2025-12-10 | baocantho |",
        "reached, errors",
        "unreachable",
        "not polled",
        "new articles",
    ):
        assert needle in text, needle
    polling = (release / "polling.csv").read_text("utf-8").splitlines()
    assert polling[0].startswith("date,source,runs")
    assert len(polling) == 1 + 2 * 3  # two sources, three days (one not polled)
    cff = yaml.safe_load((release / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == "1.0.0" and cff["type"] == "dataset"
    for plot in (
        "articles-per-province-month",
        "articles-per-language",
        "field-coverage-per-source",
    ):
        png = release / "plots" / f"{plot}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"plots/{plot}.png" in text


def test_polling_table_tells_silent_from_unreachable(synthetic_release):
    rows = polling_table(synthetic_release["dataset"])
    by = {(r["date"], r["source"]): r["outcome"] for r in rows}
    assert by == {
        ("2025-12-10", "baohatinh"): "new articles",
        ("2025-12-10", "baocantho"): "reached, errors",
        ("2025-12-11", "baohatinh"): "not polled",
        ("2025-12-11", "baocantho"): "not polled",
        ("2025-12-12", "baohatinh"): "unreachable",
        ("2025-12-12", "baocantho"): "reached, nothing new",
    }


def test_data_docs_and_index_reference_nothing_external(synthetic_release):
    from lxml import html as lxml_html

    release = synthetic_release["release"]
    pages = [p for p in release.rglob("*.html")]
    assert release / "index.html" in pages and release / "data_docs/index.html" in pages
    assert any("validations" in p.as_posix() for p in pages)
    for page in pages:
        doc = lxml_html.fromstring(page.read_bytes())
        for element in doc.iter():
            for attribute in ("src", "href"):
                value = element.get(attribute) if isinstance(element.tag, str) else None
                if not value or value.startswith(("#", "data:", "javascript:")):
                    continue
                assert "//" not in value, f"{page}: {value}"
                target = (page.parent / value.split("#")[0].split("?")[0]).resolve()
                assert target.exists(), f"{page}: {value}"
    for css in release.rglob("*.css"):
        assert "url(http" not in css.read_text("utf-8", "replace").replace('"', "").replace(
            "'", ""
        ), css


def test_a_release_is_never_rewritten(synthetic_release):
    before = manifest(synthetic_release["release"])
    done = baotinh(
        "release",
        str(synthetic_release["dataset"]),
        "--version",
        "1.0.0",
        "--out",
        str(synthetic_release["releases"]),
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"baotinh: error: release 1.0.0 exists in {synthetic_release['releases']}; "
        "releases are never rewritten"
    )
    assert manifest(synthetic_release["release"]) == before
    bad = baotinh(
        "release",
        str(synthetic_release["dataset"]),
        "--version",
        "1.0",
        "--out",
        str(synthetic_release["releases"]),
    )
    assert bad.returncode == 2 and "MAJOR.MINOR.PATCH" in bad.stderr


def test_failed_validation_refuses_the_release(tmp_path):
    require_datadocs_assets()
    rows = [article_row(n) for n in range(3)]
    rows[1]["title"] = "ab"  # shorter than the schema allows: the store writes it, GX refuses
    dataset = make_dataset(tmp_path / "dataset", rows)
    releases = tmp_path / "releases"
    # What a killed release left: a snapshot of a dead process, a staging folder.
    dead = subprocess.Popen(["true"])
    dead.wait()
    (dataset / f"staging/release-{dead.pid}-0a1b2c3d/articles").mkdir(parents=True)
    (releases / ".0.9.0.staging-0a1b2c3d").mkdir(parents=True)
    options = ReleaseOptions(batch_rows=2)  # batch by batch: the failure is found in batch 1
    with pytest.raises(ReleaseError, match="failed validation") as failure:
        cut_release(dataset, releases, "1.0.0", options, **QUIET)
    assert "2 failed rows" in str(failure.value)  # the latest version and all versions
    assert f"#1 {rows[1]['article_id']}: expect_column_value_lengths_to_be_between(title)" in str(
        failure.value
    )
    assert sorted(p.name for p in releases.iterdir()) == [".lock"]  # nothing published
    assert not list((dataset / "staging").iterdir())  # the snapshot is gone


def test_a_dataset_of_another_schema_version_is_refused(tmp_path):
    old = tmp_path / "old"
    shutil.copytree(REPO / "tests/data/dataset-schema-1.0.0", old)
    done = baotinh("release", str(old), "--version", "1.0.0", "--out", str(tmp_path / "r"))
    assert done.returncode == 2
    assert "baotinh migrate" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_tombstones_leave_rows_out_and_a_takedown_recuts_releases(tmp_path):
    require_datadocs_assets()
    rows = synthetic_rows()
    dataset = make_dataset(tmp_path / "dataset", rows)
    releases = tmp_path / "releases"
    target = rows[4]
    # A tombstone before the first release: a URL pattern.
    TombstoneList.append(
        dataset / "tombstones.jsonl",
        Tombstone.new("url", "https://baocantho.example.vn/tin-1*.html", "r"),
    )
    small = ReleaseOptions(row_group_bytes=1 << 20, shard_bytes=1 << 24)
    cut_release(dataset, releases, "0.9.0", small, **QUIET)
    cut_release(dataset, releases, "1.0.0", small, **QUIET)
    pattern = re.compile(r"https://baocantho\.example\.vn/tin-1.*\.html")
    pattern_hits = {r["article_id"] for r in rows if pattern.fullmatch(r["url"])}
    assert len(pattern_hits) == 5  # tin-10 ... tin-18
    released = {r["article_id"] for r in read(releases / "1.0.0", "versions")}
    assert not pattern_hits & released
    published = PublishedTombstones.from_json(
        json.loads((releases / "tombstones.sha256.json").read_text())
    )
    assert {sha256_hex(a) for a in pattern_hits} <= {h for _k, h in published.entries}
    assert "tin-1" not in (releases / "tombstones.sha256.json").read_text()

    # The takedown: one article, through the CLI; both releases are re-cut as patch versions.
    done = baotinh(
        "takedown",
        str(dataset),
        "--article",
        target["article_id"],
        "--reason",
        "the paper asked",
        "--releases",
        str(releases),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "release 1.0.0 re-cut as 1.0.1" in done.stdout
    assert "release 0.9.0 re-cut as 0.9.1" in done.stdout
    assert not (releases / "1.0.0").exists() and not (releases / "0.9.0").exists()
    latest = json.loads((releases / "latest.json").read_text())
    assert latest["version"] == "1.0.1"
    history = json.loads((releases / "releases.json").read_text())["releases"]
    status = {r["version"]: (r["status"], r.get("replaced_by")) for r in history}
    assert status == {
        "0.9.0": ("replaced", "0.9.1"),
        "0.9.1": ("current", None),
        "1.0.0": ("replaced", "1.0.1"),
        "1.0.1": ("current", None),
    }
    recut = releases / "1.0.1"
    ids = {r["article_id"] for r in read(recut, "versions")}
    assert target["article_id"] not in ids and not pattern_hits & ids
    assert len(read(recut, "latest")) == 38 - len(pattern_hits) - 1
    assert manifest(recut)["replaces"] == "1.0.0"
    assert "re-cut of release 1.0.0" in (recut / "README.md").read_text("utf-8")
    published = json.loads((releases / "tombstones.sha256.json").read_text())
    assert sha256_hex(target["article_id"]) in {e["sha256"] for e in published["entries"]}
    # A download of the withdrawn release gets its re-cut, without the article.
    out = tmp_path / "download"
    done = baotinh("download", str(releases), "--out", str(out), "--version", "1.0.0")
    assert done.returncode == 0, done.stderr
    assert "release 1.0.0 was withdrawn after a takedown; using its re-cut 1.0.1" in done.stderr
    downloaded = {r["article_id"] for r in read(out, "versions")}
    assert (
        downloaded == ids and json.loads((out / "download.json").read_text())["version"] == "1.0.1"
    )
    # Nothing left to re-cut: a second pass changes nothing.
    assert recut_releases(releases, TombstoneList.load(dataset / "tombstones.jsonl"), **QUIET) == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_streams_filtered_rows(synthetic_release, tmp_path, fmt):
    release = synthetic_release["release"]
    out = tmp_path / f"rows.{fmt}"
    done = baotinh(
        "export",
        str(release),
        "--format",
        fmt,
        "--output",
        str(out),
        "--language",
        "vi",
        "--since",
        "2025-01-01",
    )
    assert done.returncode == 0, done.stderr
    expected = sorted(
        r["article_id"]
        for r in read(release, "latest")
        if r["language"] == "vi" and r["published_at"].year >= 2025
    )
    text = out.read_text("utf-8")
    if fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
        assert isinstance(rows[0]["authors"], list) and rows[0]["published_at"].endswith("+00:00")
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert json.loads(rows[0]["images"])[0]["url"].startswith("https://")
        assert list(rows[0]) == ARTICLE_SCHEMA.names
    assert sorted(r["article_id"] for r in rows) == expected
    assert f"exported {len(expected)} rows" in done.stderr


def test_export_of_a_dataset_folder_obeys_tombstones_and_rights(tmp_path):
    rows = synthetic_rows()
    dataset = make_dataset(tmp_path / "dataset", rows)
    TombstoneList.append(
        dataset / "tombstones.jsonl", Tombstone.new("publisher", "bao_cantho", "asked")
    )
    done = baotinh("export", str(dataset), "--format", "jsonl", "--all-versions")
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in done.stdout.splitlines()]
    expected = [
        r
        for r in rows
        if r["source_id"] == "baohatinh" and not (r.get("robots_meta") or r.get("tdm_reservation"))
    ]
    assert sorted((r["article_id"], r["version"]) for r in exported) == sorted(
        (r["article_id"], r["version"]) for r in expected
    )
    bad = baotinh("export", str(tmp_path), "--format", "jsonl")
    assert bad.returncode == 2 and "neither a dataset folder" in bad.stderr
