"""What scrapyd eggs and wheels carry is all a deployed crawler has: the registry and the
province table must travel as package data, beside the spiders and pipelines."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_the_wheel_carries_the_registry_spiders_and_pipelines(tmp_path):
    source = tmp_path / "src"  # a copy: setuptools writes build/ beside the sources
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("baotinh", "spiders", "pipelines"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--wheel-dir", str(tmp_path), str(source)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("baotinh-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"baotinh/data/sources.toml", "baotinh/data/provinces.toml"} <= names
    assert {"spiders/archive.py", "pipelines/store.py", "baotinh/settings.py"} <= names
    # What `baotinh release` needs at run time: its page template and the list of Data Docs
    # assets (installed from npm by `make assets`).
    assert {
        "baotinh/release/templates/index.html.j2",
        "baotinh/release/__init__.py",
        "baotinh/release/assets/package.json",
        "baotinh/rights/tombstones.py",
    } <= names
    assert not any(n.startswith(("tests/", "datasets/")) for n in names)
