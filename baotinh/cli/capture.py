"""Commands over captures (WARC): ``reprocess``, ``export-wacz``, ``backfill``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from baotinh.cli.common import (
    EXIT_FAILED,
    EXIT_LOST,
    UsageError,
    existing_dir,
    iso_date,
    writable_dir,
)
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

    export = sub.add_parser(
        "export-wacz", help="package the dataset's WARC files as a WACZ for replay tools"
    )
    export.add_argument("dir", help="dataset folder (holds warc/)")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="the .wacz to write (default: DIR.wacz beside DIR)"
    )
    export.add_argument("--title", help="the collection's title in datapackage.json")
    export.set_defaults(handler=cmd_export_wacz)

    backfill = sub.add_parser(
        "backfill", help="a source's past from Common Crawl and the Wayback Machine"
    )
    backfill.add_argument("--source", required=True, metavar="ID", help="source id")
    backfill.add_argument("--from", dest="start", required=True, type=iso_date,
                          metavar="DATE", help="first capture day (YYYY-MM-DD)")  # fmt: skip
    backfill.add_argument("--to", dest="end", required=True, type=iso_date, metavar="DATE",
                          help="last capture day (YYYY-MM-DD)")  # fmt: skip
    backfill.add_argument(
        "--via",
        action="append",
        choices=("cc", "wayback"),
        help="archive to read (repeatable; default both: Common Crawl, then the Wayback Machine)",
    )
    backfill.add_argument("--out", default="datasets/archive", help="dataset folder")
    backfill.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                          help="override a setting (e.g. BAOTINH_WAYBACK_CDX_URL=...)")  # fmt: skip
    backfill.set_defaults(handler=cmd_backfill)


def cmd_reprocess(args: argparse.Namespace) -> int:
    from baotinh.capture.reprocess import reprocess

    result = reprocess(
        [Path(p).expanduser() for p in args.inputs],
        writable_dir(args.out),
        capture_source=args.capture_source,
    )
    print(result)
    return EXIT_LOST if result.lost else 0


def cmd_export_wacz(args: argparse.Namespace) -> int:
    from baotinh.capture.wacz import export_wacz

    dataset = existing_dir(args.dir)
    output = Path(args.output).expanduser() if args.output else dataset.with_suffix(".wacz")
    if output.suffix != ".wacz":
        raise UsageError(f"the output must be a .wacz file, not {output.name}")
    print(export_wacz(dataset, output.resolve(), title=args.title))
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from baotinh.backfill.job import backfill
    from baotinh.cli.crawl import overrides

    if args.end < args.start:
        raise UsageError(f"--to {args.end} is before --from {args.start}")
    result = backfill(
        args.source,
        args.start,
        args.end,
        writable_dir(args.out),
        via=args.via,
        overrides=overrides(args),
    )
    print(result)
    if result.lost:
        return EXIT_LOST
    return EXIT_FAILED if result.dropped else 0
