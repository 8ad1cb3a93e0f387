"""``baotinh release``, ``baotinh download``, ``baotinh export`` and ``baotinh takedown``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from baotinh.cli.common import EXIT_FAILED, UsageError, existing_dir, iso_date

MiB = 1024 * 1024


def _add_filters(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--source", action="append", default=[], metavar="ID", help="source id (repeatable)"
    )
    command.add_argument(
        "--province",
        action="append",
        default=[],
        metavar="P",
        help="province, current or at publication (repeatable)",
    )
    command.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="L",
        help="BCP 47 language tag (repeatable)",
    )
    command.add_argument("--since", type=iso_date, metavar="D", help="published on or after D")
    command.add_argument("--until", type=iso_date, metavar="D", help="published on or before D")


def _row_filter(args: argparse.Namespace) -> Any:
    from baotinh.release.filters import RowFilter

    try:
        return RowFilter(
            tuple(args.source), tuple(args.province), tuple(args.language), args.since, args.until
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def register(sub: Any) -> None:
    release = sub.add_parser("release", help="cut a versioned, validated, documented release")
    release.add_argument("dir", help="dataset folder (holds articles/)")
    release.add_argument("--version", required=True, metavar="V", help="MAJOR.MINOR.PATCH")
    release.add_argument(
        "--out",
        required=True,
        metavar="RELEASE_DIR",
        help="releases folder (gets <V>/, latest.json, releases.json)",
    )
    release.add_argument(
        "--row-group-mib",
        type=int,
        default=64,
        metavar="N",
        help="row group target, uncompressed (default 64, at most 100)",
    )
    release.add_argument(
        "--shard-mib",
        type=int,
        default=256,
        metavar="N",
        help="file size at which a shard rolls (default 256)",
    )
    release.set_defaults(handler=cmd_release)

    download = sub.add_parser("download", help="download a release (or part of it), verified")
    download.add_argument(
        "location",
        metavar="SOURCE",
        help="https:// or s3:// URL or folder of the releases (or of one)",
    )
    download.add_argument("--out", required=True, metavar="DIR", help="output folder")
    download.add_argument("--version", metavar="V", help="release version (default: the latest)")
    _add_filters(download)
    download.set_defaults(handler=cmd_download)

    export = sub.add_parser("export", help="a dataset or release as JSON lines or CSV")
    export.add_argument("dir", help="dataset folder, release or download folder")
    export.add_argument("--format", required=True, choices=("jsonl", "csv"))
    export.add_argument("--output", "-o", metavar="FILE", help="write here (default: stdout)")
    export.add_argument("--all-versions", action="store_true", help="every version, not the latest")
    _add_filters(export)
    export.set_defaults(handler=cmd_export)

    takedown = sub.add_parser("takedown", help="take an item out: tombstone it, re-cut releases")
    takedown.add_argument("dir", help="dataset folder (its tombstones.jsonl gets the entry)")
    what = takedown.add_mutually_exclusive_group(required=True)
    what.add_argument("--article", metavar="ID", help="an article_id")
    what.add_argument("--url", metavar="PATTERN", help="a URL, or a pattern with * wildcards")
    what.add_argument("--publisher", metavar="ID", help="a publisher_id or source id (all of it)")
    takedown.add_argument("--reason", required=True, help="why (kept in the dataset folder only)")
    takedown.add_argument("--date", type=iso_date, metavar="D", help="date of the decision")
    takedown.add_argument(
        "--releases", metavar="RELEASE_DIR", help="re-cut the affected releases in this folder"
    )
    takedown.set_defaults(handler=cmd_takedown)


def _errors() -> tuple[type[BaseException], ...]:
    from baotinh.release.datadocs import DataDocsError
    from baotinh.release.download import DownloadError
    from baotinh.release.manifest import ManifestError
    from baotinh.release.source import ReleaseError
    from baotinh.rights.tombstones import TombstoneError

    return (ReleaseError, DownloadError, ManifestError, TombstoneError, DataDocsError)


def _one_line(exc: BaseException) -> UsageError:
    lines = str(exc).splitlines() or [type(exc).__name__]
    for extra in lines[1:]:  # a validation summary: the details go before the one error line
        print(extra, file=sys.stderr)
    return UsageError(lines[0])


def cmd_release(args: argparse.Namespace) -> int:
    from baotinh.release.build import ReleaseOptions, cut_release

    if not 1 <= args.row_group_mib <= 100:
        raise UsageError("--row-group-mib must be between 1 and 100 (the hub's viewer limit)")
    if args.shard_mib < 1:
        raise UsageError("--shard-mib must be at least 1")
    options = ReleaseOptions(
        row_group_bytes=args.row_group_mib * MiB, shard_bytes=args.shard_mib * MiB
    )
    try:
        result = cut_release(
            existing_dir(args.dir), Path(args.out).expanduser().resolve(), args.version, options
        )
    except _errors() as exc:
        raise _one_line(exc) from None
    print(result.summary())
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from baotinh.release.download import download

    try:
        result = download(
            args.location, Path(args.out).expanduser(), _row_filter(args), args.version
        )
    except _errors() as exc:
        print(f"baotinh: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED
    print(f"release {result.version}: {result.files} files, {result.rows} rows in {args.out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from baotinh.release.export import export

    folder = existing_dir(args.dir)
    row_filter = _row_filter(args)
    try:
        if args.output:
            target = Path(args.output).expanduser()
            tmp = target.with_name(f".{target.name}.tmp")
            with open(tmp, "w", encoding="utf-8", newline="") as stream:
                count = export(
                    folder, stream, args.format, row_filter, all_versions=args.all_versions
                )
            tmp.replace(target)
        else:
            count = export(
                folder, sys.stdout, args.format, row_filter, all_versions=args.all_versions
            )
    except _errors() as exc:
        raise _one_line(exc) from None
    print(f"baotinh: exported {count} rows", file=sys.stderr)
    return 0


def cmd_takedown(args: argparse.Namespace) -> int:
    from baotinh.dataset.layout import Layout
    from baotinh.release.build import recut_releases
    from baotinh.rights.tombstones import Tombstone, TombstoneError, TombstoneList

    folder = existing_dir(args.dir)
    kind, value = next(
        (k, v) for k in ("article", "url", "publisher") if (v := getattr(args, k)) is not None
    )
    try:
        entry = Tombstone.new(kind, value, args.reason, args.date)
    except TombstoneError as exc:
        raise UsageError(str(exc)) from None
    layout = Layout.of(folder)
    TombstoneList.append(layout.tombstones, entry)
    print(f"tombstoned {kind} {value} in {layout.tombstones}")
    if args.releases:
        releases = Path(args.releases).expanduser().resolve()
        if not releases.is_dir():
            raise UsageError(f"{releases} is not a releases folder")
        try:
            done = recut_releases(releases, TombstoneList.load(layout.tombstones))
        except _errors() as exc:
            raise _one_line(exc) from None
        for old, new in done:
            print(f"release {old} re-cut as {new}; {old}'s files deleted")
        if not done:
            print("no release held the item")
    return 0
