"""Named fault points, for the tests that prove nothing is lost when the archive fails.

``BAOTINH_FAULT=<point>[,<point>...]`` arms points; each fires once per marker file when
``BAOTINH_FAULT_ONCE=<path>`` is set (so the run after a kill goes through), else every time.
Points: ``kill:<step>`` makes the process SIGKILL itself at that step (e.g. ``kill:publish``,
``kill:after_rename``, ``kill:validation``, ``kill:compaction``); other names are behaviours
checked by the code that names them (``drop_row``, ``validation_child_exit``,
``validation_child_hang``). With nothing armed, every check is one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
from functools import cache
from pathlib import Path

ENV = "BAOTINH_FAULT"
ONCE_ENV = "BAOTINH_FAULT_ONCE"


@cache
def _armed() -> frozenset[str]:
    return frozenset(p.strip() for p in os.environ.get(ENV, "").split(",") if p.strip())


def fires(point: str) -> bool:
    """Whether the armed fault ``point`` fires now (and, with a once-marker, never again)."""
    if point not in _armed():
        return False
    once = os.environ.get(ONCE_ENV)
    if not once:
        return True
    marker = Path(f"{once}.{point.replace(':', '_').replace('/', '_')}")
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


def kill_point(step: str) -> None:
    """SIGKILL this process at ``step`` when ``kill:<step>`` is armed."""
    if fires(f"kill:{step}"):
        os.kill(os.getpid(), signal.SIGKILL)
