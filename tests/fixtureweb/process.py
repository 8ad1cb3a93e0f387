"""The fixture web as a separate process, started and stopped by pid.

Used by the test suite, ``make demo`` and ``make bench``: the crawler under test talks to it
only through the standard ``http_proxy``/``https_proxy`` variables.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# Not imported from server.py: ``python -m tests.fixtureweb.server`` imports this package first,
# and a server module already in sys.modules would make runpy warn on every start.
SITES_DIR = Path(__file__).resolve().parent / "sites"

# The live-web politeness limits, lifted explicitly for a server on loopback.
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "BAOTINH_RETRY_AFTER_MAX": "1",
}


# The registered sources the fixture web serves: crawls over it name them (`crawl` alone
# would also try every other active paper, which the fixture web answers with 502).
FIXTURE_SOURCES = ("baohatinh", "baokhanhhoa", "baocantho")
SOURCE_ARGS = [arg for source_id in FIXTURE_SOURCES for arg in ("--source", source_id)]
# The simulated national portal (portal.py): its own crawls, so the papers' tests stay small.
PORTAL_SOURCES = ("vietnamvn",)
PORTAL_ARGS = [arg for source_id in PORTAL_SOURCES for arg in ("--source", source_id)]


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started by a test, by its pid: SIGTERM, then SIGKILL after ``timeout``."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def set_args(settings: dict[str, str], flag: str = "--set") -> list[str]:
    return [arg for name, value in settings.items() for arg in (flag, f"{name}={value}")]


class FixtureWebProcess:
    """The fixture web server as a child process.

    ``fault_share``/``fault_seed`` (and the other ``fault_*`` arguments, named after the
    server's ``--fault-*`` options) turn on transient faults on every site: see README.md.
    """

    def __init__(
        self,
        sites: Path = SITES_DIR,
        timeout: float = 20.0,
        *,
        fault_share: float = 0.0,
        fault_seed: int = 0,
        fault_kinds: tuple[str, ...] | None = None,
        fault_hold: float | None = None,
        fault_retry_after: int | None = None,
        fault_exclude: str | None = None,
    ) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="fixtureweb-"))
        port_file, pid_file = self._dir / "port", self._dir / "pid"
        options = {
            "--fault-share": fault_share or None,
            "--fault-seed": fault_seed if fault_share else None,
            "--fault-kinds": ",".join(fault_kinds) if fault_kinds else None,
            "--fault-hold": fault_hold,
            "--fault-retry-after": fault_retry_after,
            "--fault-exclude": fault_exclude,
        }
        extra = [arg for name, value in options.items() if value is not None
                 for arg in (name, str(value))]  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fixtureweb.server", "--sites", str(sites),
             "--port-file", str(port_file), "--pid-file", str(pid_file), *extra],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not port_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                self.stop()
                raise RuntimeError(f"the fixture web did not start: {err.strip()}")
            time.sleep(0.02)
        self.port = int(port_file.read_text())
        self.pid = int(pid_file.read_text())

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def proxy_env(self) -> dict[str, str]:
        return {"http_proxy": self.proxy_url, "https_proxy": self.proxy_url, "no_proxy": ""}

    def _control(self, path: str) -> bytes:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": self.proxy_url}))
        with opener.open(f"http://fixture.local{path}", timeout=10) as answer:
            return answer.read()

    def stats(self) -> dict[str, int]:
        """Requests per URL since the start or the last reset."""
        result: dict[str, Any] = json.loads(self._control("/_stats"))
        return result

    def responses(self) -> dict[str, dict[str, int]]:
        """Responses per URL and status since the start or the last reset."""
        result: dict[str, Any] = json.loads(self._control("/_responses"))
        return result

    def answers(self) -> dict[str, int]:
        """Answers per kind since the start or the last reset: ``http_<status>``, ``timeout``,
        ``reset``, ``truncate``, ``large``."""
        result: dict[str, int] = json.loads(self._control("/_stats/answers"))
        return result

    def injected_faults(self) -> dict[str, str]:
        """URL -> the fault kind the fault share gave its first request."""
        result: dict[str, str] = json.loads(self._control("/_stats/faults"))
        return result

    def reset(self) -> None:
        self._control("/_reset")

    def stop(self) -> None:
        stop_process(self.proc)
        if self.proc.stderr:
            self.proc.stderr.close()
        for leftover in self._dir.iterdir():
            leftover.unlink()
        self._dir.rmdir()

    def __enter__(self) -> FixtureWebProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
