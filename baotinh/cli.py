"""The ``baotinh`` command: a thin layer over Scrapy and the core.

``baotinh crawl`` runs the same spider, settings and pipelines as ``scrapy crawl archive``.
Bad input ends with one ``baotinh: error: ...`` line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

EXIT_USAGE = 2
EXIT_FAILED = 1


class UsageError(Exception):
    """Bad input from the user: reported as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"baotinh: error: {message} (see `baotinh {self._cmd()}--help`)\n")

    def _cmd(self) -> str:
        parts = self.prog.split()[1:]
        return " ".join(parts) + " " if parts else ""


def _writable_dir(path: str) -> Path:
    out = Path(path).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"cannot write to {out}: {exc.strerror or exc}") from None
    return out.resolve()


def _existing_dir(path: str) -> Path:
    out = Path(path).expanduser()
    if not out.is_dir():
        raise UsageError(f"{out} is not a dataset folder (no such directory)")
    return out.resolve()


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"not a non-negative integer: {value!r}")
    return number


def _add_selection(command: argparse.ArgumentParser) -> None:
    """The options `crawl` and `check` share: which sources, and Scrapy setting overrides."""
    command.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="ID",
        help="source id (repeatable; default: every active source)",
    )
    command.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                         help="override a Scrapy setting (e.g. DOWNLOAD_DELAY=0)")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="baotinh", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    crawl = sub.add_parser("crawl", help="incremental crawl of registered sources")
    _add_selection(crawl)
    crawl.add_argument("--out", default="datasets/archive", help="dataset folder")
    crawl.add_argument("--since", type=_since, help="skip articles published before DATE")
    crawl.add_argument(
        "--max-articles",
        type=_positive,
        default=0,
        metavar="N",
        help="fetch at most N article pages (0 = no limit)",
    )
    crawl.add_argument("--report", metavar="FILE", help="write the JSON run report here too")
    crawl.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log")

    check = sub.add_parser("check", help="check the registry against the live sites")
    _add_selection(check)
    check.add_argument(
        "--articles",
        type=_positive,
        default=3,
        metavar="N",
        help="articles to fetch per source (default 3)",
    )

    extract = sub.add_parser("extract", help="extract articles from saved pages (JSON lines)")
    extract.add_argument("files", nargs="+", metavar="FILE", help=".html or .html.gz")
    extract.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="URL",
        help="the page URL of each FILE, in order",
    )

    sources = sub.add_parser("sources", help="list registered sources")
    sources.add_argument("--json", action="store_true", help="print JSON")

    validate = sub.add_parser("validate", help="validate a dataset folder")
    validate.add_argument("dir", help="dataset folder (holds articles/)")

    compact = sub.add_parser("compact", help="merge small Parquet files")
    compact.add_argument("dir", help="dataset folder (holds articles/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = globals()[f"cmd_{args.command}"]
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("baotinh: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        from baotinh.extract import ExtractError
        from baotinh.ledger import LockedError
        from baotinh.registry import RegistryError

        if isinstance(exc, UsageError | RegistryError | LockedError | ExtractError):
            print(f"baotinh: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if isinstance(exc, OSError):
            print(f"baotinh: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED
        if os.environ.get("BAOTINH_DEBUG"):
            raise
        print(f"baotinh: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED


def cmd_sources(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from baotinh.registry import sources

    entries = list(sources().values())
    if args.json:
        print(json.dumps([asdict(s) for s in entries], ensure_ascii=False, indent=2))
        return 0
    for s in entries:
        status = "" if s.active else " (frozen)"
        print(f"{s.id:<14} {s.family:<2} {s.province:<12} {s.name}{status}  {', '.join(s.domains)}")
    return 0


def _source_ids(args: argparse.Namespace) -> list[str]:
    from baotinh.registry import get, sources

    ids = args.source or [s.id for s in sources().values() if s.active]
    for source_id in ids:
        get(source_id)  # unknown id -> RegistryError, one line
    return ids


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {item!r}")
        overrides[name] = value
    return overrides


def cmd_check(args: argparse.Namespace) -> int:
    from baotinh.check import check_sources

    if args.articles < 1:
        raise UsageError("--articles must be at least 1")
    healthy = check_sources(_source_ids(args), args.articles, _overrides(args))
    return 0 if healthy else EXIT_FAILED


def cmd_crawl(args: argparse.Namespace) -> int:
    from baotinh.crawl import run_crawl

    ids = _source_ids(args)
    overrides = _overrides(args)
    out = _writable_dir(args.out)
    result = run_crawl(
        ids,
        out,
        since=args.since,
        max_articles=args.max_articles,
        report_path=Path(args.report) if args.report else None,
        overrides=overrides,
        verbose=args.verbose,
    )
    return 0 if result.ok else EXIT_FAILED


def cmd_extract(args: argparse.Namespace) -> int:
    from baotinh.extract import extract_files

    if len(args.url) > len(args.files):
        raise UsageError(f"{len(args.url)} --url for {len(args.files)} files")
    failed = 0
    for row in extract_files([Path(f) for f in args.files], args.url):
        if isinstance(row, Exception):  # its place in the output keeps files and lines paired
            failed += 1
            print(f"baotinh: error: {row}", file=sys.stderr)
            row = {"error": str(row)}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return EXIT_USAGE if failed else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from baotinh.validation import validate_dataset

    result = validate_dataset(_existing_dir(args.dir))
    print(result.summary())
    return 0 if result.ok else EXIT_FAILED


def cmd_compact(args: argparse.Namespace) -> int:
    from baotinh.ledger import WriterLock
    from baotinh.store import compact

    out = _existing_dir(args.dir)
    with WriterLock(out):
        result = compact(out)
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
