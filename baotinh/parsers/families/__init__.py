"""CMS family parsers: one module per CMS family, each holding that family's versions.

A module here is named after its CMS (or, where the vendor is unknown, after the markup or URL
shape its sites share) and defines one ``FamilyParser`` subclass per template version, each
with the date from which it is valid. Every module of this package is imported below, and a
version registers itself when its class is defined: adding a family or a redesign is adding a
module or a class, never editing a table.

Family ids as the source registry declares them:

| id | module | what |
|---|---|---|
| ``A`` | ``vsolutions`` | vSolutions / "VCKM" CMS |
| ``B`` | ``zce`` | ZCE / epicdn "cms-*" platform (2019: dCMS) |
| ``C`` | ``content_fck`` | the "-a<id>.html" vendor |
| ``D`` | ``bgrid`` | the "b-grid" / sc-longform template |
| ``E`` | ``htm_numeric`` | ``.htm`` with a numeric id (2019: dCMS) |
| ``numeric`` | ``numeric_html`` | numeric ``.html`` ids without a prefix |
| ``vietnamvn`` | ``vietnamvn`` | the national portal vietnam.vn, every language |

``"generic"`` declares no family parser: ``parser_for`` gives the generic parser for it, as for
any id no module registers.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, datetime

from baotinh.parsers.base import PageParser
from baotinh.parsers.families.base import (
    FamilyParser,
    RegistrationError,
    registered,
    unregister,
    versions_of,
)

# Family ids a source may declare that have no family parser (yet): the generic parser serves.
NO_FAMILY_PARSER = frozenset({"generic"})

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")


def family_ids() -> tuple[str, ...]:
    """Every family id a source may declare: the registered ones and ``NO_FAMILY_PARSER``."""
    return tuple(registered()) + tuple(sorted(NO_FAMILY_PARSER - set(registered())))


def parser_for(family: str | None, captured_at: date | datetime | None = None) -> PageParser:
    """The family's version with the latest ``valid_from`` not after ``captured_at`` (today when
    None); the generic parser for an unknown family or a capture older than every version."""
    when = captured_at.date() if isinstance(captured_at, datetime) else captured_at
    when = when or date.today()
    versions = [v for v in versions_of(family or "") if v.valid_from <= when]
    if versions:
        return versions[-1]()
    from baotinh.parsers.generic import GenericParser  # lazily: trafilatura is heavy

    return GenericParser()


__all__ = [
    "NO_FAMILY_PARSER",
    "FamilyParser",
    "RegistrationError",
    "family_ids",
    "parser_for",
    "registered",
    "unregister",
    "versions_of",
]
