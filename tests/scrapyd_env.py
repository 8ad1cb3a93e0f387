"""scrapyd's own virtual environment for tests/test_scrapyd.py, made once per lock file.

It holds scrapyd 1.6 (which needs ``pkg_resources``: setuptools < 81, ``tests/scrapyd/
requirements.txt``) and the project's locked dependencies, never baotinh itself, so a job can
only run the code of the egg deployed to it. It is cached under ``.venv/scrapyd-<hash>`` (or the
temporary folder when the checkout has no ``.venv``), keyed by the lock and requirement files;
``make test`` builds it before the suite (``python -m tests.scrapyd_env``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO / "tests" / "scrapyd" / "requirements.txt"
LOCK = REPO / "requirements.lock"


def venv_path() -> Path:
    key = hashlib.sha256(LOCK.read_bytes() + REQUIREMENTS.read_bytes()).hexdigest()[:12]
    base = REPO / ".venv" if (REPO / ".venv").is_dir() else Path(tempfile.gettempdir())
    return base / f"scrapyd-{key}"


def ensure_venv() -> Path:
    """The environment's folder, built first if missing (serialised by a lock file)."""
    target = venv_path()
    if (target / ".complete").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if (target / ".complete").exists():
            return target
        # Built in place (a venv is not relocatable); ".complete" marks a finished build, so a
        # build interrupted half-way is started again.
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
        # The lock pins setuptools for the project; scrapyd needs an older one.
        lock = target / "requirements.lock"
        lock.write_text(
            "".join(
                line for line in LOCK.read_text().splitlines(keepends=True)
                if not line.lower().startswith("setuptools==")
            )
        )  # fmt: skip
        subprocess.run(
            [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet",
             "--disable-pip-version-check", "-r", str(lock), "-r", str(REQUIREMENTS)],
            check=True, env={**os.environ, "PIP_NO_INPUT": "1"},
        )  # fmt: skip
        (target / ".complete").write_text("ok\n")
    return target


if __name__ == "__main__":
    print(ensure_venv())
