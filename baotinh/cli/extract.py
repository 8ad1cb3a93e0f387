"""``baotinh extract``: saved pages to Article JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from baotinh.cli.common import EXIT_USAGE, UsageError, iso_date


def register(sub: Any) -> None:
    extract = sub.add_parser("extract", help="extract articles from saved pages (JSON lines)")
    extract.add_argument("files", nargs="+", metavar="FILE", help=".html or .html.gz")
    extract.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="URL",
        help="the page URL of each FILE, in order",
    )
    extract.add_argument(
        "--captured-at",
        type=iso_date,
        metavar="DATE",
        help="when the pages were captured: picks the parser version of that date (default today)",
    )
    extract.set_defaults(handler=cmd_extract)


def cmd_extract(args: argparse.Namespace) -> int:
    from baotinh.extract import extract_files

    if len(args.url) > len(args.files):
        raise UsageError(f"{len(args.url)} --url for {len(args.files)} files")
    failed = 0
    when = None
    if args.captured_at:
        when = datetime.combine(args.captured_at, time(12), tzinfo=UTC)
    for row in extract_files([Path(f) for f in args.files], args.url, captured_at=when):
        if isinstance(row, Exception):  # its place in the output keeps files and lines paired
            failed += 1
            print(f"baotinh: error: {row}", file=sys.stderr)
            row = {"error": str(row)}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return EXIT_USAGE if failed else 0
