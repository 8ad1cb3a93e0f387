"""What the command modules share: the parser class, exit codes, argument types."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import NoReturn

# Exit codes: 0 done; 1 routine trouble (a source unreachable, a dataset failing validation);
# 2 bad input or a busy folder; 3 an alarm that needs a person (rows lost).
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOST = 3


class UsageError(Exception):
    """Bad input from the user: reported as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"baotinh: error: {message} (see `baotinh {self._cmd()}--help`)\n")

    def _cmd(self) -> str:
        parts = self.prog.split()[1:]
        return " ".join(parts) + " " if parts else ""


def writable_dir(path: str) -> Path:
    out = Path(path).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"cannot write to {out}: {exc.strerror or exc}") from None
    return out.resolve()


def existing_dir(path: str) -> Path:
    out = Path(path).expanduser()
    if not out.is_dir():
        raise UsageError(f"{out} is not a dataset folder (no such directory)")
    return out.resolve()


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"not a non-negative integer: {value!r}")
    return number
