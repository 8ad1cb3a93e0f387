"""What each rights signal does: to fetching a page, keeping it in the archive, releasing it.

The table (``RULES``) is printed in every dataset card; ``withheld_reason`` / ``release_mask`` apply
its release column to rows. Rows captured before the crawl recorded these signals have nulls
there and are released (the card says so).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

# Directives (robots meta or X-Robots-Tag) that keep a page out of public releases: a release
# is a public copy of the text, which `noarchive` refuses, and `noai` refuses its use for
# machine learning, a main use of this dataset.
WITHHOLDING_DIRECTIVES = ("noarchive", "noai")


@dataclass(frozen=True)
class SignalRule:
    signal: str
    fetch: str
    keep: str
    release: str


RULES: tuple[SignalRule, ...] = (
    SignalRule(
        "robots.txt disallows the page",
        "never fetched",
        "nothing to keep",
        "nothing to release",
    ),
    SignalRule(
        "robots.txt allows it, is absent (4xx) or unreachable (`robots_txt`)",
        "fetched",
        "kept",
        "released; the outcome is in `robots_txt`",
    ),
    SignalRule(
        "`noindex`, `nofollow`, `nosnippet`, `max-*` (robots meta or `X-Robots-Tag`)",
        "fetched (search-engine directives)",
        "kept",
        "released; the directives are in `robots_meta` / `x_robots_tag`",
    ),
    SignalRule(
        "`noarchive` (robots meta or `X-Robots-Tag`)",
        "fetched",
        "kept in the operator's archive (preservation)",
        "**withheld**: a release would be a public copy",
    ),
    SignalRule(
        "`noai` (robots meta or `X-Robots-Tag`)",
        "fetched",
        "kept in the operator's archive (preservation)",
        "**withheld**: releases are used for machine learning",
    ),
    SignalRule(
        "TDMRep `tdm-reservation: 1` (header, meta or `/.well-known/tdmrep.json`)",
        "fetched",
        "kept; `tdm_reservation` and `tdm_policy` recorded",
        "**withheld** (text and data mining rights reserved, EU DSM art. 4)",
    ),
    SignalRule(
        "TDMRep `tdm-reservation: 0`",
        "fetched",
        "kept",
        "released",
    ),
    SignalRule(
        "a tombstone (takedown: article, URL pattern or whole publisher)",
        "never fetched again",
        "rows stay in the operator's archive but no job reads them",
        "**left out**; affected releases are re-cut as patch versions, their old files deleted",
    ),
)


def withheld_reason(row: Mapping[str, Any]) -> str | None:
    """Why a row stays out of public releases (None: it may be released)."""
    if row.get("tdm_reservation") is True:
        return "tdm_reservation"
    for column in ("robots_meta", "x_robots_tag"):
        for directive in row.get(column) or ():
            if directive in WITHHOLDING_DIRECTIVES:
                return directive
    return None


def release_mask(table: pa.Table | pa.RecordBatch) -> tuple[pa.Array, Counter[str]]:
    """Per row, True when it may be released; and the withheld rows counted by reason."""
    withheld: Counter[str] = Counter()
    reserved = pc.fill_null(pc.equal(table["tdm_reservation"], True), False)
    keep = pc.invert(reserved)
    withheld["tdm_reservation"] += pc.sum(reserved).as_py() or 0
    for directive in WITHHOLDING_DIRECTIVES:
        said = pa.array([False] * table.num_rows, pa.bool_())
        for column in ("robots_meta", "x_robots_tag"):
            values = table[column]
            # list_contains is not in every pyarrow: compare the flattened values per parent.
            flat = pc.list_flatten(values)
            parents = pc.list_parent_indices(values)
            hits = pc.filter(parents, pc.fill_null(pc.equal(flat, directive), False))
            marks = [False] * table.num_rows
            for i in hits.to_pylist():
                marks[i] = True
            said = pc.or_(said, pa.array(marks, pa.bool_()))
        newly = pc.and_(keep, said)
        withheld[directive] += pc.sum(newly).as_py() or 0
        keep = pc.and_(keep, pc.invert(said))
    return keep, +withheld
