"""Jobs over a dataset folder: ``validate``, ``compact``, ``migrate``, ``merge``, ``align``."""

from __future__ import annotations

import argparse
from typing import Any

from baotinh.cli.common import EXIT_FAILED, existing_dir, non_negative


def register(sub: Any) -> None:
    validate = sub.add_parser("validate", help="validate a dataset folder")
    validate.add_argument("dir", help="dataset folder (holds articles/)")
    validate.set_defaults(handler=cmd_validate)

    compact = sub.add_parser("compact", help="merge small Parquet files")
    compact.add_argument("dir", help="dataset folder (holds articles/)")
    compact.add_argument(
        "--wait",
        type=non_negative,
        default=0,
        metavar="SECONDS",
        help="wait up to SECONDS for a running crawl to release the folder (default: fail)",
    )
    compact.set_defaults(handler=cmd_compact)

    align = sub.add_parser(
        "align", help="rebuild the alignment table (vietnam.vn versions per language, originals)"
    )
    align.add_argument("dir", help="dataset folder (holds articles/)")
    align.set_defaults(handler=cmd_align)

    migrate = sub.add_parser("migrate", help="rewrite a dataset of an older schema version")
    migrate.add_argument("dir", help="dataset folder (holds articles/)")
    migrate.set_defaults(handler=cmd_migrate)

    merge = sub.add_parser(
        "merge", help="merge work left staged by backfills and reprocess runs into the dataset"
    )
    merge.add_argument("dir", help="dataset folder (holds staging/)")
    merge.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for a running crawl to release the folder (default: not at all)",
    )
    merge.set_defaults(handler=cmd_merge)


def cmd_validate(args: argparse.Namespace) -> int:
    from baotinh.validation import validate_dataset

    result = validate_dataset(existing_dir(args.dir))
    print(result.summary())
    return 0 if result.ok else EXIT_FAILED


def cmd_compact(args: argparse.Namespace) -> int:
    from baotinh.dataset.ledger import WriterLock
    from baotinh.dataset.store import compact

    out = existing_dir(args.dir)
    with WriterLock(out).acquire(args.wait, poll_s=5.0):
        result = compact(out)
    print(result)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from baotinh.dataset.migrate import migrate_dataset

    print(migrate_dataset(existing_dir(args.dir)))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from baotinh.dataset.staging import merge_staged

    print(merge_staged(existing_dir(args.dir), wait_s=args.wait))
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    from baotinh.alignment.table import align
    from baotinh.dataset.ledger import WriterLock

    out = existing_dir(args.dir)
    with WriterLock(out):
        result = align(out)
    print(result)
    return 0
