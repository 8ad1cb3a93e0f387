"""A new release opens a dataset folder and ledger written by the previous one
(``tests/data/dataset-ledger-3``: ledger version 3, written by the release before scheduled
crawls) and goes on crawling, reporting and backing it up."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from baotinh.dataset.ledger import LEDGER_VERSION, Ledger, WriterLock
from tests.conftest import REPO
from tests.fixtureweb.process import FAST_SETTINGS, set_args

DATA = REPO / "tests" / "data" / "dataset-ledger-3"
BAOTINH = [sys.executable, "-m", "baotinh.cli"]


def _meta(folder: Path) -> dict[str, str]:
    with sqlite3.connect(folder / "state.sqlite") as db:
        return dict(db.execute("SELECT key, value FROM meta"))


def test_the_previous_release_folder_opens_and_upgrades(tmp_path: Path) -> None:
    out = tmp_path / "archive"
    shutil.copytree(DATA, out)
    assert _meta(out)["ledger_version"] == "3"
    with WriterLock(out):
        ledger = Ledger.open(out)
        assert not ledger.recovery.repaired, ledger.recovery
        assert ledger.counts()["stored"] == 6
        assert ledger.document("https://baocantho.com.vn/rss/home.rss") is None
        ledger.close()
    assert _meta(out)["ledger_version"] == str(LEDGER_VERSION)


def test_a_crawl_status_and_backup_carry_on_in_the_previous_release_folder(
    fixture_web, tmp_path: Path
) -> None:
    out = tmp_path / "archive"
    shutil.copytree(DATA, out)
    env = {**os.environ, **fixture_web.proxy_env(), "PYTHONPATH": str(REPO)}
    report = tmp_path / "report.json"
    fixture_web.reset()
    done = subprocess.run(
        [*BAOTINH, "crawl", "--out", str(out), "--source", "baocantho", "--report", str(report),
         *set_args(FAST_SETTINGS)],
        env=env, capture_output=True, text=True, timeout=240, cwd="/",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    total = json.loads(report.read_text())["total"]
    # Its six articles are archived: nothing stored again, no article downloaded again (the
    # listing's second page is not walked: nothing on the first is new).
    assert total["stored"] == 0 and set(total["skipped"]) == {"archived"}, total
    assert 5 <= total["skipped"]["archived"] <= 6
    assert not [u for u in fixture_web.stats() if u.endswith(".html") and "-a19" in u]
    status = subprocess.run([*BAOTINH, "status", str(out), "--json"], capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert status.returncode == 0, status.stdout + status.stderr
    assert json.loads(status.stdout)["sources"]["baocantho"]["last_new_article"]
    backup = subprocess.run([*BAOTINH, "backup", str(out), str(tmp_path / "bk"), "--verify"],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert backup.returncode == 0, backup.stdout + backup.stderr
