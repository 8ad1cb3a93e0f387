"""Shared test fixtures: where the read-only reference material lives, the fixture web."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"reference corpora not found at {CORPORA} (../shared beside the checkout)")
    return CORPORA


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[object]:
    """An open ledger in a fresh dataset folder, holding its writer lock."""
    from baotinh.dataset.ledger import Ledger, WriterLock

    with WriterLock(tmp_path):
        opened = Ledger.open(tmp_path)
        yield opened
        opened.close()


@pytest.fixture(scope="session")
def fixture_web() -> Iterator[object]:
    from tests.fixtureweb.process import FixtureWebProcess

    web = FixtureWebProcess()
    try:
        yield web
    finally:
        web.stop()


def require_datadocs_assets() -> None:
    """Releases copy the Data Docs' scripts and styles from what `make assets` installed."""
    from baotinh.release.datadocs import DataDocsError, assets_dir

    try:
        assets_dir()
    except DataDocsError as exc:
        pytest.skip(f"{exc} (`make test` does it)")


@pytest.fixture(scope="session")
def synthetic_release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A synthetic dataset (``tests.releases``) and its release 1.0.0, cut with small shards
    and row groups so files roll; shared by the release, download and export tests, which
    must not change them."""
    from baotinh.release.build import ReleaseOptions, cut_release
    from tests.releases import make_dataset

    require_datadocs_assets()
    root = tmp_path_factory.mktemp("synthetic")
    dataset = make_dataset(root / "dataset")
    releases = root / "releases"
    options = ReleaseOptions(row_group_bytes=6_000, shard_bytes=12_000, batch_rows=25)
    cut_release(dataset, releases, "1.0.0", options, progress=lambda _m: None)
    return {"dataset": dataset, "releases": releases, "release": releases / "1.0.0"}


@pytest.fixture(scope="session")
def kept_crawl(fixture_web, tmp_path_factory) -> tuple[Path, dict]:
    """One crawl of the fixture web, shared by the tests that only read it (replay, WACZ):
    (dataset folder, run report). Never write into it."""
    import json

    from tests.test_crawl_e2e import FAST, crawl_env, run_cli

    out = tmp_path_factory.mktemp("kept-crawl")
    fixture_web.reset()
    report = out / "report.json"
    done = run_cli(["crawl", "--out", str(out), "--report", str(report), *FAST],
                   crawl_env(fixture_web))  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out, json.loads(report.read_text())
