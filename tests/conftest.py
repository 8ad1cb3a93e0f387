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
