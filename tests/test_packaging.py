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
    assert {
        "baotinh/data/sources.toml",
        "baotinh/data/families.toml",
        "baotinh/data/provinces.toml",
        "baotinh/data/divisions.json",
        "baotinh/registry/__init__.py",
    } <= names
    assert {"spiders/archive.py", "pipelines/store.py", "baotinh/settings.py"} <= names
    # parser_for finds the family modules by listing the package: every one must travel.
    families = {
        p.relative_to(REPO).as_posix() for p in (REPO / "baotinh/parsers/families").glob("*.py")
    }
    assert len(families) >= 7 and families <= names
    # ... and are found when the package is imported from the archive (eggs are zip files).
    probe = (
        "import baotinh.parsers.families as f; "
        "print(f.__file__); print(','.join(sorted(f.registered())))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(wheel), "PATH": ""},
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout.split()  # fmt: skip
    assert found[0].startswith(str(wheel)), found[0]
    assert found[1] == "A,B,C,D,E,numeric,vietnamvn"
    # What `baotinh release` needs at run time: its page template and the list of Data Docs
    # assets (installed from npm by `make assets`).
    assert {
        "baotinh/release/templates/index.html.j2",
        "baotinh/release/__init__.py",
        "baotinh/release/assets/package.json",
        "baotinh/rights/tombstones.py",
    } <= names
    assert "baotinh/alignment/table.py" in names  # the alignment job travels too
    assert not any(n.startswith(("tests/", "datasets/")) for n in names)
