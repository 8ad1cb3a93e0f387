"""Running unattended: ``status``, ``schedule``, ``backup``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from baotinh.cli.common import EXIT_FAILED, UsageError, existing_dir, non_negative


def register(sub: Any) -> None:
    status = sub.add_parser(
        "status",
        help="per source: last answer, new articles against its history, coverage, alarms",
    )
    status.add_argument("dir", help="dataset folder")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.add_argument(
        "--prometheus", metavar="FILE", help="also write node_exporter's textfile format here"
    )
    status.add_argument(
        "--problems-only",
        action="store_true",
        help="print only what needs a person (nothing when all is well): for cron mail",
    )
    status.add_argument(
        "--failing-runs",
        type=non_negative,
        default=None,
        metavar="N",
        help="flag a source without an answer for N runs in a row (default 6)",
    )
    status.add_argument("--source", action="append", default=[], metavar="ID",
                        help="only these sources (repeatable)")  # fmt: skip
    status.set_defaults(handler=cmd_status)

    schedule = sub.add_parser(
        "schedule", help="the cron entry or systemd units for crawl --due and daily upkeep"
    )
    kind = schedule.add_mutually_exclusive_group()
    kind.add_argument("--cron", action="store_true", help="a cron entry (the default)")
    kind.add_argument("--systemd", action="store_true", help="systemd service and timer units")
    schedule.add_argument("--out", default="datasets/archive", help="dataset folder")
    schedule.add_argument("--source", action="append", default=[], metavar="ID",
                          help="crawl only these sources (default: every active one)")  # fmt: skip
    schedule.add_argument("--install", action="store_true",
                          help="write the files (cron: /etc/cron.d/baotinh; systemd: "
                          "/etc/systemd/system as root, else ~/.config/systemd/user)")  # fmt: skip
    schedule.add_argument("--install-dir", metavar="DIR", help="write them here instead")
    schedule.set_defaults(handler=cmd_schedule)

    backup = sub.add_parser(
        "backup", help="a consistent copy of a dataset folder (safe while a crawl runs)"
    )
    backup.add_argument("dir", help="dataset folder")
    backup.add_argument("dest", help="backup folder (a second backup copies only what changed)")
    backup.add_argument("--verify", action="store_true",
                        help="then check every file of DEST against its manifest")  # fmt: skip
    backup.set_defaults(handler=cmd_backup)


def cmd_status(args: argparse.Namespace) -> int:
    from baotinh.ops.status import FAILING_RUNS, folder_status, text_report, write_prometheus

    out = existing_dir(args.dir)
    if not (out / "state.sqlite").is_file():
        raise UsageError(f"{out} has no ledger (state.sqlite): not a dataset folder")
    if args.failing_runs == 0:
        raise UsageError("--failing-runs must be at least 1")
    status = folder_status(
        out,
        failing_runs=args.failing_runs or FAILING_RUNS,
        sources=args.source or None,
    )
    if args.prometheus:
        write_prometheus(status, Path(args.prometheus))
    if args.json:
        print(json.dumps(status.to_dict(), indent=1, ensure_ascii=False))
    else:
        text = text_report(status, problems_only=args.problems_only)
        if text:
            print(text)
    return EXIT_FAILED if status.flagged else 0


def cmd_schedule(args: argparse.Namespace) -> int:
    from baotinh.cli.crawl import source_ids
    from baotinh.ops import schedule

    out = Path(args.out).expanduser().resolve()
    sources = args.source
    if sources:
        source_ids(args)  # unknown ids: one line
    if args.systemd:
        files = schedule.systemd_units(out, sources)
    else:
        files = [schedule.cron_file(out, sources)] if args.install else []
    if not args.install:
        if args.systemd:
            for unit in files:
                print(f"# --- {unit.name}\n{unit.text}")
        else:
            print(schedule.cron_entry(out, sources), end="")
        return 0
    directory = (
        Path(args.install_dir) if args.install_dir else (schedule.default_install_dir(args.systemd))
    )
    try:
        written = schedule.install(files, directory)
    except OSError as exc:
        raise UsageError(f"cannot write to {directory}: {exc.strerror or exc}") from None
    for path in written:
        print(f"wrote {path}")
    if args.systemd:
        timers = " ".join(u.name for u in files if u.name.endswith(".timer"))
        user = "" if str(directory).startswith("/etc/") else " --user"
        print(f"then: systemctl{user} daemon-reload && systemctl{user} enable --now {timers}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from baotinh.ops.backup import BackupError, backup, verify

    out = existing_dir(args.dir)
    try:
        result = backup(out, Path(args.dest).expanduser())
    except BackupError as exc:
        raise UsageError(str(exc)) from None
    print(result)
    if args.verify:
        bad = verify(result.dest)
        if bad:
            print(
                f"baotinh: error: {len(bad)} files differ from the manifest: {', '.join(bad[:5])}"
            )
            return EXIT_FAILED
        print("verified: every file matches the manifest")
    return 0
