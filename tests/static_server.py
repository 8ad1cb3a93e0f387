"""A static file server for the download tests, run as its own process and stopped by pid.

Python's ``http.server`` ignores ``Range``; downloads resume with it, so this one answers ranges
(206) and can cut one file short on its first request (``--cut PATH:BYTES``) to interrupt a
download. Every request is logged as a JSON line (path, Range header, status).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from tests.fixtureweb.process import stop_process

REPO = Path(__file__).resolve().parent.parent


class Handler(SimpleHTTPRequestHandler):
    cut: ClassVar[dict[str, int]] = {}
    log_path: Path
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _log(self, status: int) -> None:
        with self.lock, open(self.log_path, "a") as log:
            log.write(
                json.dumps(
                    {"path": self.path, "range": self.headers.get("Range"), "status": status}
                )
                + "\n"
            )

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self._log(404)
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if match:
            start = int(match[1])
            if start >= len(data):
                self._log(416)
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.end_headers()
                return
        body = data[start:]
        status = 206 if match else 200
        self._log(status)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if match:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        limit = self.cut.pop(self.path, None)
        if limit is not None:  # interrupt: send part of the body, then drop the connection
            self.wfile.write(body[:limit])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cut", action="append", default=[], metavar="PATH:BYTES")
    args = parser.parse_args()
    Handler.log_path = Path(args.log)
    Handler.cut = {p: int(n) for p, _, n in (c.rpartition(":") for c in args.cut)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=args.root))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    Path(args.port_file).write_text(str(server.server_address[1]))
    server.serve_forever()
    return 0


class StaticServer:
    """The server as a child process: ``.url``, ``.requests()``, ``.stop()`` (by pid)."""

    def __init__(self, root: Path, cut: dict[str, int] | None = None) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="static-server-"))
        self.log = self._dir / "log.jsonl"
        port_file = self._dir / "port"
        cuts = [arg for p, n in (cut or {}).items() for arg in ("--cut", f"{p}:{n}")]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.static_server",
                "--root",
                str(root),
                "--port-file",
                str(port_file),
                "--log",
                str(self.log),
                *cuts,
            ],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        deadline = time.monotonic() + 20
        while not port_file.exists() or not port_file.read_text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the static server did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{int(port_file.read_text())}"

    def requests(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def stop(self) -> None:
        stop_process(self.proc)
        for leftover in self._dir.iterdir():
            leftover.unlink()
        self._dir.rmdir()

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    sys.exit(main())
