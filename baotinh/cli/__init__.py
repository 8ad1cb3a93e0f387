"""The ``baotinh`` command: a thin layer over Scrapy and the core.

Each command group lives in its own module (``COMMAND_MODULES``); a module's ``register(sub)``
adds its sub-commands, each with ``set_defaults(handler=...)``. ``baotinh crawl`` runs the same
spider, settings and pipelines as ``scrapy crawl archive``. Bad input ends with one
``baotinh: error: ...`` line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from baotinh.cli.common import EXIT_FAILED, EXIT_USAGE, Parser, UsageError
from baotinh.dataset.ledger import SchemaVersionError

# One module per command group, in the order `baotinh --help` lists them.
COMMAND_MODULES = (
    "baotinh.cli.crawl",
    "baotinh.cli.extract",
    "baotinh.cli.sources",
    "baotinh.cli.dataset",
    "baotinh.cli.capture",
    "baotinh.cli.release",
    "baotinh.cli.ops",
)

__all__ = ["EXIT_FAILED", "EXIT_USAGE", "UsageError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="baotinh", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the user's input, not a bug: reported as one line, exit 2."""
    from baotinh.capture.archive import ArchiveError
    from baotinh.capture.reprocess import ReprocessError
    from baotinh.dataset.ledger import LedgerVersionError, LockedError
    from baotinh.dataset.migrate import MigrationError
    from baotinh.extract import ExtractError
    from baotinh.registry import RegistryError

    return (
        UsageError,
        RegistryError,
        LockedError,
        ExtractError,
        MigrationError,
        ReprocessError,
        ArchiveError,
        LedgerVersionError,
        SchemaVersionError,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("baotinh: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if isinstance(exc, _user_errors()):
            print(f"baotinh: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if isinstance(exc, OSError):
            print(f"baotinh: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED
        if os.environ.get("BAOTINH_DEBUG"):
            raise
        print(f"baotinh: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
