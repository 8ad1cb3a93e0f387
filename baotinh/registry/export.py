"""The registry and the province table as data others read: ``baotinh sources --json`` and the
reference tables ``datasets/provinces.csv`` and ``datasets/publishers.csv`` (written by
``python -m baotinh.generated``; a test fails when they are stale)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from baotinh.registry.facts import Fact
from baotinh.registry.loader import Registry
from baotinh.registry.model import Host, Source
from baotinh.registry.provinces import (
    MERGER_ADOPTED,
    MERGER_IN_FORCE,
    MERGER_RESOLUTION,
    Province,
    ProvinceTable,
)

# -- sources --json -----------------------------------------------------------------------------


def _fact_text(fact: Fact) -> str:
    """A fact as the registry writes it: ``value from D until D seen D [evidence]``."""
    dates = " ".join(f"{k} {v}" for k, v in fact.dates().items())
    tags = f" [{fact.evidence}]" if fact.evidence else ""
    return f"{fact.value}{' ' + dates if dates else ''}{tags}"


def _host_text(host: Host) -> str:
    """``baokhanhhoa.vn [page]``, ``news.baokhanhhoa.vn (edition en) [cfg25]``."""
    if host.kind == "domain":
        return _fact_text(host.fact)
    kind = f"edition {host.fact.value.split(':')[0]}" if host.kind == "edition" else host.kind
    return _fact_text(replace(host.fact, value=f"{host.host} ({kind})"))


def _dated(fact: Fact | None) -> dict[str, Any] | None:
    return {"date": fact.value, "evidence": fact.evidence} if fact else None


def source_json(source: Source) -> dict[str, Any]:
    """Everything the registry knows about one source, each fact with its dates and evidence."""
    urls = []
    for kind, url, fact in source.start_facts:
        urls.append((kind, {"url": url, **fact.dates(), "evidence": fact.evidence,
                            "probe": fact.is_probe}))  # fmt: skip
    return {
        "id": source.id,
        "name": source.name,
        "names": [n.as_json() for n in source.names],
        "publisher_id": source.publisher_id,
        "national": source.national,
        "provinces": None
        if source.national
        else {"former": source.former_province, "current": source.province},
        "family": source.family,
        "families": [
            {
                "family": p.family,
                "from": str(p.start) if p.start else None,
                "evidence": p.evidence,
                "article_patterns": list(p.article),
                "pagination_pattern": p.pagination,
            }
            for p in source.periods
        ],
        "home": source.home,
        "domains": [
            {"host": h.host, "kind": h.kind, **h.fact.dates(), "evidence": h.fact.evidence}
            for h in source.hosts
        ],
        "editions": [
            {
                "language": e.language,
                **({"host": e.host} if e.host else {"path_prefix": e.path_prefix}),
                **e.fact.dates(),
                "evidence": e.fact.evidence,
            }
            for e in source.editions
        ],
        "aliases": [
            {
                "from": a.from_host + a.from_prefix,
                "to": a.to_host + a.to_prefix,
                **a.fact.dates(),
                "evidence": a.fact.evidence,
            }
            for a in source.aliases
        ],
        "feeds": [u for kind, u in urls if kind == "feeds"],
        "sitemaps": [u for kind, u in urls if kind == "sitemaps"],
        "listings": [u for kind, u in urls if kind == "listings"],
        "probes": sorted(u["url"] for _, u in urls if u["probe"]),
        "robots_sitemaps": True,
        "follow_menus": source.follow_menus,
        "listing_links": source.listing_links,
        "never_article_patterns": list(source.never_articles),
        "absorbed_into": source.absorbed_into,
        "frozen_since": _dated(source.frozen_since),
        "redirects_since": _dated(source.redirects_since),
        "active": source.active,
        "unverified": source.unverified,
        "language": source.language,
        "dateline": source.dateline,
        "download_delay": source.download_delay,
        "concurrency": source.concurrency,
        "max_listing_pages": source.max_listing_pages,
        "poll_interval_seconds": source.poll_interval.total_seconds()
        if source.poll_interval
        else None,
        "evidence": source.evidence,
    }


def sources_json(registry: Registry) -> list[dict[str, Any]]:
    return [source_json(s) for s in registry.sources.values()]


# -- the reference tables --------------------------------------------------------------------


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


PROVINCE_COLUMNS = (
    "level", "code", "name", "name_ascii", "official_name", "division_type", "valid_from",
    "valid_until", "earlier_names", "unit_code", "unit_name", "formed_from_codes",
    "formed_from_names", "merger_resolution", "merger_adopted", "merger_in_force", "source",
)  # fmt: skip


def provinces_csv(table: ProvinceTable) -> str:
    """The 63 former provinces (``level=former``) and the 34 units (``level=unit``). Codes are
    GSO's and are per level: a unit reuses the code of one of its former provinces."""
    in_force = MERGER_IN_FORCE.isoformat()
    merger = (MERGER_RESOLUTION, MERGER_ADOPTED.isoformat(), in_force)

    def row(p: Province, valid_from: str, valid_until: str, unit: Province | None) -> list[Any]:
        earlier = "; ".join(
            f"{n.name} ({n.official_name}) until {n.until.isoformat()} [{n.evidence}]"
            for n in p.earlier_names
        )
        formed = [table.former[c] for c in p.formed_from]
        source = p.evidence + ("; formed_from from GSO ward codes" if formed else "")
        return [
            p.level, p.code, p.name, p.name_ascii, p.official_name, p.division_type, valid_from,
            valid_until, earlier, unit.code if unit else None, unit.name if unit else None,
            " ".join(str(f.code) for f in formed), "; ".join(f.name for f in formed), *merger,
            source,
        ]  # fmt: skip

    rows = [
        row(p, "", in_force, table.unit_of(p))
        for p in sorted(table.former.values(), key=lambda p: p.code)
    ]
    rows += [row(p, in_force, "", None) for p in sorted(table.units.values(), key=lambda p: p.code)]
    return _csv(PROVINCE_COLUMNS, rows)


PUBLISHER_COLUMNS = (
    "publisher_id", "name", "names_over_time", "source_ids", "province_former", "province_current",
    "domains", "absorbed_into", "frozen_since", "redirects_since", "active", "evidence",
)  # fmt: skip


def publishers_csv(registry: Registry) -> str:
    """One row per publisher (a paper, stable across renames, domains and the merger): its
    names and hosts with their dates and evidence, and the publisher that absorbed it."""
    by_publisher: dict[str, list[Source]] = {}
    for source in registry.sources.values():
        by_publisher.setdefault(source.publisher_id, []).append(source)
    rows = []
    for publisher_id, group in by_publisher.items():
        first = group[0]
        absorbed = {
            registry.sources[s.absorbed_into].publisher_id for s in group if s.absorbed_into
        }
        hosts = [_host_text(h) for s in group for h in s.hosts]
        names = [_fact_text(n) for s in group for n in s.names]
        rows.append(
            [
                publisher_id,
                first.name,
                "; ".join(names),
                " ".join(s.id for s in group),
                first.former_province,
                first.province,
                "; ".join(hosts),
                " ".join(sorted(absorbed)),
                "; ".join(_fact_text(s.frozen_since) for s in group if s.frozen_since),
                "; ".join(_fact_text(s.redirects_since) for s in group if s.redirects_since),
                "true" if any(s.active for s in group) else "false",
                " | ".join(
                    f"{k}: {v}" for s in group for k, v in s.evidence.items() if k != "domains"
                ),
            ]
        )
    return _csv(PUBLISHER_COLUMNS, rows)
