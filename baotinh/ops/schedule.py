"""``baotinh schedule``: the cron entry or systemd units that keep a dataset folder current.

Every 15 minutes ``crawl --due`` (it polls only what is due and exits 0 with one line when
another job holds the folder); once a day a compaction that waits for the lock, a validation,
and ``status --problems-only``, whose output (only when something needs a person) is what cron
mails. systemd timers are ``Persistent=true`` (a run missed while the machine was off happens at
boot) with a randomised delay (a hundred archives do not hit the papers at the same second).
"""

from __future__ import annotations

import getpass
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

CRAWL_EVERY_MINUTES = 15
DAILY_AT = (4, 17)  # local time of the daily maintenance (hour, minute)
LOCK_WAIT_SECONDS = 3 * 3600  # the daily compaction waits this long for a running crawl


@dataclass(frozen=True)
class UnitFile:
    name: str
    text: str


def baotinh_command() -> list[str]:
    """How to run this baotinh from anywhere: its console script beside the interpreter, else
    the interpreter with ``-m baotinh.cli``."""
    script = Path(sys.executable).parent / "baotinh"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "baotinh.cli"]


def _cmd(*args: str) -> str:
    return shlex.join([*baotinh_command(), *args])


def _source_args(sources: list[str]) -> list[str]:
    return [arg for s in sources for arg in ("--source", s)]


def cron_entry(out: Path, sources: list[str], *, user: str | None = None) -> str:
    """A crontab (``user`` None) or /etc/cron.d entry (with its user field)."""
    who = f"{user} " if user else ""
    log = shlex.quote(str(out / "runs" / "cron.log"))
    folder = shlex.quote(str(out))
    crawl = _cmd("crawl", "--due", "--out", str(out), *_source_args(sources))
    compact = _cmd("compact", "--wait", str(LOCK_WAIT_SECONDS), str(out))
    validate = _cmd("validate", str(out))
    status = _cmd("status", str(out), "--problems-only")
    hour, minute = DAILY_AT
    return "\n".join([
        f"# baotinh: keep {out} current (written by `baotinh schedule --cron`).",
        "# Every 15 minutes what is due is polled (a busy folder is skipped: exit 0, one line in",
        "# the log); daily: compaction (waits for a running crawl), validation, and a status",
        "# that prints only what needs a person, which is all cron mails.",
        "SHELL=/bin/sh",
        f"*/{CRAWL_EVERY_MINUTES} * * * * {who}mkdir -p {folder}/runs && {crawl} >> {log} 2>&1",
        f"{minute} {hour} * * * {who}{{ {compact} && {validate}; }} >> {log} 2>&1; {status}",
        "",
    ])  # fmt: skip


def systemd_units(out: Path, sources: list[str], *, name: str = "baotinh") -> list[UnitFile]:
    crawl = _cmd("crawl", "--due", "--out", str(out), *_source_args(sources))
    hour, minute = DAILY_AT
    service = f"""[Unit]
Description=baotinh: poll what is due for {out}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
# A run that finds the folder busy (a backfill, a compaction) exits 0 with one line.
ExecStart={crawl}
Nice=10
IOSchedulingClass=idle
"""
    timer = f"""[Unit]
Description=baotinh: poll what is due for {out} every {CRAWL_EVERY_MINUTES} minutes

[Timer]
OnCalendar=*:0/{CRAWL_EVERY_MINUTES}
Persistent=true
RandomizedDelaySec=120
AccuracySec=1min

[Install]
WantedBy=timers.target
"""
    daily_service = f"""[Unit]
Description=baotinh: daily compaction, validation and status of {out}

[Service]
Type=oneshot
# The compaction waits for a running crawl; a failed validation does not stop the status,
# which fails the unit (and prints why) only when something needs a person.
ExecStart={_cmd("compact", "--wait", str(LOCK_WAIT_SECONDS), str(out))}
ExecStart=-{_cmd("validate", str(out))}
ExecStart={_cmd("status", str(out), "--problems-only")}
Nice=10
IOSchedulingClass=idle
"""
    daily_timer = f"""[Unit]
Description=baotinh: daily maintenance of {out}

[Timer]
OnCalendar=*-*-* {hour:02d}:{minute:02d}:00
Persistent=true
RandomizedDelaySec=1800

[Install]
WantedBy=timers.target
"""
    return [
        UnitFile(f"{name}-crawl.service", service),
        UnitFile(f"{name}-crawl.timer", timer),
        UnitFile(f"{name}-daily.service", daily_service),
        UnitFile(f"{name}-daily.timer", daily_timer),
    ]


def default_install_dir(systemd: bool) -> Path:
    if systemd:
        if os.geteuid() == 0:
            return Path("/etc/systemd/system")
        return Path.home() / ".config" / "systemd" / "user"
    return Path("/etc/cron.d")


def install(files: list[UnitFile], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for unit in files:
        path = directory / unit.name
        tmp = path.with_name(f".{unit.name}.tmp")
        tmp.write_text(unit.text, "utf-8")
        tmp.chmod(0o644)
        tmp.replace(path)
        written.append(path)
    return written


def cron_file(out: Path, sources: list[str]) -> UnitFile:
    """The /etc/cron.d form (runs as the user installing it)."""
    return UnitFile("baotinh", cron_entry(out, sources, user=getpass.getuser()))
