"""``baotinh crawl`` and ``baotinh check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from baotinh.cli.common import (
    EXIT_FAILED,
    EXIT_LOST,
    UsageError,
    iso_date,
    non_negative,
    writable_dir,
)


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


def register(sub: Any) -> None:
    crawl = sub.add_parser("crawl", help="incremental crawl of registered sources")
    _add_selection(crawl)
    crawl.add_argument("--out", default="datasets/archive", help="dataset folder")
    crawl.add_argument("--since", type=iso_date, help="skip articles published before DATE")
    crawl.add_argument(
        "--until",
        type=iso_date,
        help="skip articles published after DATE (with --since: a range, by publication date)",
    )
    crawl.add_argument(
        "--language",
        default="",
        metavar="CODES",
        help="translations to fetch, comma-separated (de,en,ko; default: every language); "
        "a source's own-language pages are always crawled",
    )
    crawl.add_argument(
        "--max-articles",
        type=non_negative,
        default=0,
        metavar="N",
        help="fetch at most N article pages (0 = no limit)",
    )
    crawl.add_argument("--report", metavar="FILE", help="write the JSON run report here too")
    crawl.add_argument(
        "--replay",
        nargs="+",
        metavar="WARC_OR_WACZ",
        help="answer every request from these archives (files or folders) instead of the "
        "network; URLs they lack fail as not_in_archive",
    )
    crawl.add_argument(
        "--due",
        action="store_true",
        help="poll only what is due (for cron/systemd every 15 minutes); a busy folder is "
        "skipped with one line and exit 0",
    )
    crawl.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show Scrapy's log on the terminal too (it always goes to <out>/runs/<run id>.log)",
    )
    crawl.set_defaults(handler=cmd_crawl)

    check = sub.add_parser("check", help="check the registry against the live sites")
    _add_selection(check)
    check.add_argument(
        "--articles",
        type=non_negative,
        default=3,
        metavar="N",
        help="articles to fetch per source (default 3)",
    )
    check.add_argument(
        "--save-fixtures",
        metavar="DIR",
        help="save every response fetched as fixture web sites in DIR (pages, scripted "
        "answers, unreviewed expected JSON beside each article, the WARC files)",
    )
    check.set_defaults(handler=cmd_check)


def source_ids(args: argparse.Namespace) -> list[str]:
    from baotinh.registry import get, sources

    ids = args.source or [s.id for s in sources().values() if s.active]
    for source_id in ids:
        get(source_id)  # unknown id -> RegistryError, one line
    return ids


def overrides(args: argparse.Namespace) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {item!r}")
        result[name] = value
    return result


def cmd_check(args: argparse.Namespace) -> int:
    from baotinh.crawl.check import check_sources

    if args.articles < 1:
        raise UsageError("--articles must be at least 1")
    fixtures = writable_dir(args.save_fixtures) if args.save_fixtures else None
    healthy = check_sources(
        source_ids(args), args.articles, overrides(args), save_fixtures=fixtures
    )
    return 0 if healthy else EXIT_FAILED


def languages(text: str) -> frozenset[str] | None:
    from baotinh.crawl.run import parse_languages

    try:
        return parse_languages(text)
    except ValueError as exc:
        raise UsageError(f"--language: {exc}") from None


def cmd_crawl(args: argparse.Namespace) -> int:
    from baotinh.crawl.runner import Busy, run_crawl

    ids = source_ids(args)
    settings = overrides(args)
    wanted = languages(args.language)
    if args.since and args.until and args.until < args.since:
        raise UsageError(f"--until {args.until} is before --since {args.since}")
    out = writable_dir(args.out)
    result = run_crawl(
        ids,
        out,
        since=args.since,
        until=args.until,
        languages=wanted,
        max_articles=args.max_articles,
        report_path=Path(args.report) if args.report else None,
        overrides=settings,
        verbose=args.verbose,
        due=args.due,
        replay=[Path(p).expanduser() for p in args.replay] if args.replay else None,
    )
    if isinstance(result, Busy):
        print(result.message)
        return 0
    stored = int(result.report.get("total", {}).get("stored", 0))
    if _has_translations(ids) and (stored or not (out / "alignments").is_dir()):
        # The alignment job follows a crawl of a multilingual source (a job, not a crawl
        # step: it reads the published files and rewrites only its own table).
        from baotinh.alignment.table import align
        from baotinh.dataset.ledger import LockedError, WriterLock

        try:
            with WriterLock(out):
                aligned = align(out)
        except LockedError:
            # Another job took the folder after the crawl: the rows are safe, and the next
            # crawl that stores rows (or `baotinh align`) rebuilds the table.
            print(f"baotinh: alignment table not rebuilt: {out} is busy", file=sys.stderr)
        else:
            if args.verbose:
                print(f"baotinh: {aligned}", file=sys.stderr)
    if result.lost:
        return EXIT_LOST
    return 0 if result.ok else EXIT_FAILED


def _has_translations(ids: list[str]) -> bool:
    from baotinh.registry import get

    return any(get(source_id).path_editions for source_id in ids)
