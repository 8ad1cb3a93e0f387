"""Commands over kept captures (WARC): ``reprocess``, ``export-wacz``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from baotinh.cli.common import EXIT_LOST, UsageError, existing_dir, writable_dir
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
