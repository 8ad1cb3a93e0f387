"""Real web-archive servers for the tests, each its own process on 127.0.0.1, stopped by pid.

- ``pywb`` (Webrecorder's Wayback Machine): a collection's CDX index API (``/<coll>/cdx``, the
  server Common Crawl's index runs) and raw replay (``/<coll>/<timestamp>id_/<url>``, the
  Wayback Machine's ``id_`` mode).
- ``static_files``: Twisted's static file server, which answers byte ranges (``Range:``) as
  Common Crawl's data host does for a record of a WARC file.

The clients under test reach them only through their configured endpoint URLs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.fixtureweb.process import stop_process

BIN = Path(sys.executable).parent  # the virtual environment's console scripts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """A server command started in ``cwd``; ready when ``ready_path`` answers at all."""

    def __init__(
        self, command: list[str], port: int, cwd: Path, ready_path: str = "/", timeout: float = 60
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = cwd / f"server-{port}.log"
        with open(self.log, "wb") as log:
            env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
            self.proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(self.url + ready_path, timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers: up
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"{command[0]} did not start: {self.log.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.1)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        stop_process(self.proc)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def pywb(root: Path) -> ServerProcess:
    """pywb's ``wayback`` over the collections under ``root/collections`` (and its
    ``config.yaml``, when there is one)."""
    port = free_port()
    command = [str(BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1", "-t", "8"]
    return ServerProcess(command, port, root)


def wb_manager(root: Path, *args: str) -> None:
    """pywb's collection manager (``init``, ``add``, ...) run in ``root``."""
    subprocess.run([str(BIN / "wb-manager"), *args], cwd=root, check=True,
                   capture_output=True, timeout=120)  # fmt: skip


def static_files(root: Path, access_log: Path) -> ServerProcess:
    """Twisted's static file server over ``root`` (byte ranges; one CLF line per request)."""
    port = free_port()
    command = [sys.executable, "-m", "twisted", "web", "--listen",
               f"tcp:{port}:interface=127.0.0.1", "--path", str(root),
               "--logfile", str(access_log)]  # fmt: skip
    return ServerProcess(command, port, access_log.parent)
