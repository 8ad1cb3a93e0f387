"""scrapyd, for real: a scrapyd 1.6 in its own environment (tests/scrapyd_env.py: the locked
dependencies, never baotinh) on 127.0.0.1, the project deployed as an egg built from
``setup.py``/pyproject (with the registry as package data) through the addversion.json API, one
``archive`` job scheduled for what is due; the rows are published, the job ran the egg's code,
and a job on a folder another crawl holds does not run beside it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import duckdb
import pytest

from baotinh.dataset.ledger import WriterLock
from tests.conftest import REPO
from tests.fixtureweb.process import FAST_SETTINGS, FIXTURE_SOURCES, stop_process
from tests.scrapyd_env import ensure_venv

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_egg(python: Path, work: Path) -> Path:
    """The egg scrapyd-deploy would upload: built by setuptools from a clean copy."""
    source = work / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in ("baotinh", "spiders", "pipelines"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "setup.py", "scrapy.cfg"):
        shutil.copy(REPO / name, source / name)
    subprocess.run([str(python), "setup.py", "--quiet", "bdist_egg", "--dist-dir", str(work)],
                   cwd=source, check=True, capture_output=True)  # fmt: skip
    (egg,) = work.glob("baotinh-*.egg")
    return egg


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())  # fmt: skip
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     .encode() + data + b"\r\n")  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Scrapyd:
    def __init__(self, venv: Path, home: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        (home / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            f"bind_address = 127.0.0.1\nhttp_port = {self.port}\n"
            f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
            "items_dir =\nmax_proc = 2\npoll_interval = 0.5\n"
        )
        self.log = open(home / "scrapyd.out", "wb")  # noqa: SIM115 - closed in stop()
        # cwd: the folder of scrapyd.conf, far from the checkout; no PYTHONPATH to it.
        self.proc = subprocess.Popen([str(venv / "bin" / "scrapyd")], cwd=home, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError((home / "scrapyd.out").read_text()[-3000:])
            time.sleep(0.3)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def _open(self, request: urllib.request.Request | str) -> dict[str, Any]:
        # Straight to 127.0.0.1: the fixture web's proxy variables are for the crawl only.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as answer:
            result: dict[str, Any] = json.loads(answer.read())
            return result

    def get(self, path: str) -> dict[str, Any]:
        return self._open(self.url(path))

    def post(self, path: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        body = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.url(path), data=body))

    def deploy(self, egg: Path, version: str) -> dict[str, Any]:
        body, kind = _multipart({"project": "baotinh", "version": version},
                                {"egg": (egg.name, egg.read_bytes())})  # fmt: skip
        request = urllib.request.Request(self.url("addversion.json"), data=body,
                                         headers={"Content-Type": kind})  # fmt: skip
        return self._open(request)

    def wait(self, job: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = self.get("listjobs.json?project=baotinh")
            if any(j["id"] == job for j in jobs["finished"]):
                return
            time.sleep(0.5)
        raise TimeoutError(f"scrapyd job {job} did not finish")

    def job_log(self, job: str) -> str:
        return (self.home / "logs" / "baotinh" / "archive" / f"{job}.log").read_text()

    def stop(self) -> None:
        stop_process(self.proc, timeout=30)
        self.log.close()


def _schedule(scrapyd: Scrapyd, out: Path) -> str:
    settings = {**FAST_SETTINGS, "BAOTINH_OUT": str(out), "BAOTINH_DUE": "True"}
    fields = [("project", "baotinh"), ("spider", "archive"),
              ("sources", ",".join(FIXTURE_SOURCES))]  # fmt: skip
    fields += [("setting", f"{k}={v}") for k, v in settings.items()]
    answer = scrapyd.post("schedule.json", fields)
    assert answer["status"] == "ok", answer
    return str(answer["jobid"])


def test_scrapyd_runs_the_deployed_egg_for_what_is_due(fixture_web, tmp_path: Path) -> None:
    venv = ensure_venv()
    check = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import baotinh"],
        cwd="/", capture_output=True, text=True, env={"PATH": os.environ["PATH"]},
    )  # fmt: skip
    assert check.returncode != 0, "baotinh is installed in scrapyd's environment"
    egg = build_egg(venv / "bin" / "python", tmp_path / "build")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(fixture_web.proxy_env())
    scrapyd = Scrapyd(venv, tmp_path / "scrapyd", env)
    try:
        deployed = scrapyd.deploy(egg, "r1")
        assert deployed["status"] == "ok", deployed
        assert "archive" in scrapyd.get("listspiders.json?project=baotinh")["spiders"]
        out = tmp_path / "archive"
        job = _schedule(scrapyd, out)
        scrapyd.wait(job)
        log = scrapyd.job_log(job)
        reports = [json.loads(p.read_text()) for p in (out / "runs").glob("*.json")]
        assert len(reports) == 1, log[-3000:]
        report = reports[0]
        assert report["total"]["stored"] > 0 and report["total"]["lost"] == 0, report["total"]
        assert ".egg" in report["code"] and str(REPO) not in report["code"], report["code"]
        rows = duckdb.sql(
            f"SELECT count(*) FROM read_parquet('{out}/articles/**/*.parquet')"
        ).fetchall()[0][0]
        assert rows == report["total"]["stored"]

        # Another crawl holds the folder (a cron run, a backfill): the job does not run beside it.
        with WriterLock(out):
            blocked = _schedule(scrapyd, out)
            scrapyd.wait(blocked)
        assert "is writing to" in scrapyd.job_log(blocked)
        assert len(list((out / "runs").glob("*.json"))) == 1
        with sqlite3.connect(out / "state.sqlite") as db:  # counted for `baotinh status`
            assert db.execute("SELECT count(*) FROM busy").fetchone()[0] == 1
    finally:
        scrapyd.stop()
