"""``baotinh sources``: the registry as a table or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    sources = sub.add_parser("sources", help="list registered sources")
    sources.add_argument("--json", action="store_true", help="print JSON")
    sources.set_defaults(handler=cmd_sources)


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
