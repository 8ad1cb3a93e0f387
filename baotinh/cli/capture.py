"""Commands over kept captures (WARC): ``reprocess``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from baotinh.cli.common import EXIT_LOST, writable_dir
from baotinh.schema import CAPTURE_SOURCES


def register(sub: Any) -> None:
    reprocess = sub.add_parser(
        "reprocess", help="re-extract rows from WARC captures with the current parsers (offline)"
    )
    reprocess.add_argument("inputs", nargs="+", metavar="WARC_OR_DIR", help=".warc(.gz) or folder")
    reprocess.add_argument("--out", required=True, help="dataset folder to write rows into")
    reprocess.add_argument(
        "--capture-source",
        choices=CAPTURE_SOURCES,
        default="crawl",
        help="where the captures came from (recorded in each row; default crawl)",
    )
    reprocess.set_defaults(handler=cmd_reprocess)


def cmd_reprocess(args: argparse.Namespace) -> int:
    from baotinh.capture.reprocess import reprocess

    result = reprocess(
        [Path(p).expanduser() for p in args.inputs],
        writable_dir(args.out),
        capture_source=args.capture_source,
    )
    print(result)
    return EXIT_LOST if result.lost else 0
