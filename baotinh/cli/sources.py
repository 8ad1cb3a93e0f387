"""``baotinh sources``: the registry as a table or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    sources = sub.add_parser("sources", help="list registered sources")
    sources.add_argument(
        "--json",
        action="store_true",
        help="print every fact as JSON (provinces, families, domains, evidence, probes)",
    )
    sources.set_defaults(handler=cmd_sources)


def cmd_sources(args: argparse.Namespace) -> int:
    from baotinh.registry import registry
    from baotinh.registry.export import sources_json

    loaded = registry()
    if args.json:
        print(json.dumps(sources_json(loaded), ensure_ascii=False, indent=2))
        return 0
    for s in loaded.sources.values():
        family = " > ".join(p.family for p in s.periods)
        if s.national:
            where = "(national)"
        elif s.former_province == s.province:
            where = s.province or ""
        else:
            where = f"{s.former_province} → {s.province}"
        notes = [
            f"absorbed into {s.absorbed_into}" if s.absorbed_into else "",
            "inactive" if not s.active and not s.absorbed_into else "",
            "unverified" if s.unverified else "",
        ]
        note = ", ".join(n for n in notes if n)
        print(f"{s.id:<16} {family:<11} {where:<30} {s.name}  {s.domains[0]}"
              + (f"  ({note})" if note else ""))  # fmt: skip
    return 0
