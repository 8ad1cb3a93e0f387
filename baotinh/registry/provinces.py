"""The province table: the 63 former provinces, the 34 units of 1 July 2025, and which is which
at a given instant.

Codes, official names and the formation of each unit come from the ``vietnam-provinces``
package (``divisions.json``, see ``divisions.py``); earlier names and the archive's spelling from
``data/provinces.toml``. Former and unit codes are separate code lists: GSO gave each unit the
code of one of its former provinces (the new Lào Cai is 15, Yên Bái's old code), so a code means
nothing without its level.

The merger: the National Assembly's resolution of 12 June 2025 (202/2025/QH15) took effect on
1 July 2025, 00:00 +07:00. Before that instant a paper's articles belong to its former province
(with the name it had on that day); from it, to the unit.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, cached_property
from importlib import resources
from typing import Any

from baotinh.dates import VN_TZ
from baotinh.registry.divisions import load_snapshot

MERGER_RESOLUTION = "202/2025/QH15"  # [bg] sources.md section 1
MERGER_ADOPTED = date(2025, 6, 12)  # [bg]
MERGER_IN_FORCE = datetime(2025, 7, 1, tzinfo=VN_TZ)  # [bg]
MERGER_DATE = MERGER_IN_FORCE.date()
FORMER, UNIT = "former", "unit"
_PREFIXES = ("Thành phố ", "Tỉnh ")


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics: ``Đắk Lắk`` -> ``Dak Lak``.

    Decomposing and dropping the combining marks is the whole of it for Vietnamese, apart from
    đ/Đ, which is a letter of its own rather than d plus a mark; no library needed.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def local_day(when: date | datetime) -> date:
    """The +07:00 calendar day of an instant (a naive datetime is read as local time)."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            return when.date()
        return when.astimezone(VN_TZ).date()
    return when


def before_merger(when: date | datetime) -> bool:
    """True before 1 July 2025 00:00 +07:00; a bare date (day precision) counts as its day."""
    return local_day(when) < MERGER_DATE


@dataclass(frozen=True)
class EarlierName:
    name: str
    official_name: str
    until: date
    evidence: str


@dataclass(frozen=True)
class Province:
    """One of the 63 former provinces (``level="former"``) or of the 34 units (``"unit"``)."""

    level: str
    code: int
    name: str  # short name in the archive's spelling, e.g. "Huế", "Hồ Chí Minh"
    official_name: str  # as GSO writes it, e.g. "Thành phố Huế"
    codename: str
    division_type: str
    earlier_names: tuple[EarlierName, ...] = ()
    unit_code: int | None = None  # former province -> the unit it became part of
    formed_from: tuple[int, ...] = ()  # unit -> its former provinces' codes
    evidence: str = ""

    @property
    def name_ascii(self) -> str:
        return ascii_fold(self.name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it had, the current one first."""
        return (self.name, *(n.name for n in self.earlier_names))

    def name_at(self, when: date | datetime) -> str:
        day = local_day(when)
        for earlier in sorted(self.earlier_names, key=lambda n: n.until):
            if day < earlier.until:
                return earlier.name
        return self.name


@dataclass(frozen=True)
class ProvinceTable:
    former: dict[int, Province]
    units: dict[int, Province]
    sources: dict[str, str] = field(default_factory=dict)  # level -> package and data version

    @cached_property
    def _former_by_name(self) -> dict[str, Province]:
        return {name: p for p in self.former.values() for name in p.names}

    @cached_property
    def _unit_by_name(self) -> dict[str, Province]:
        return {p.name: p for p in self.units.values()}

    def former_named(self, name: str) -> Province | None:
        """The former province with this name (current or earlier, NFC, diacritics)."""
        return self._former_by_name.get(unicodedata.normalize("NFC", name))

    def unit_named(self, name: str) -> Province | None:
        return self._unit_by_name.get(unicodedata.normalize("NFC", name))

    def unit_of(self, former: Province) -> Province:
        assert former.unit_code is not None, former
        return self.units[former.unit_code]

    def province_at(self, former_name: str, when: date | datetime | None) -> str:
        """The name of the province-level unit a place of ``former_name`` was in at ``when``:
        the former province (named as on that day) before the merger, the unit from it; the
        unit when ``when`` is None."""
        former = self.former_named(former_name)
        if former is None:
            raise KeyError(former_name)
        if when is not None and before_merger(when):
            return former.name_at(when)
        return self.unit_of(former).name


def _short(official: str, spelling: dict[str, str]) -> str:
    name = official
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    name = unicodedata.normalize("NFC", name)
    return spelling.get(name, name)


def _history() -> dict[str, Any]:
    text = resources.files("baotinh.data").joinpath("provinces.toml").read_text("utf-8")
    return tomllib.loads(text)


def build_table(snapshot: dict[str, Any], history: dict[str, Any]) -> ProvinceTable:
    spelling = {
        unicodedata.normalize("NFC", k): unicodedata.normalize("NFC", v)
        for k, v in history.get("spelling", {}).items()
    }
    earlier: dict[int, list[EarlierName]] = {}
    for row in history.get("earlier_name", []):
        earlier.setdefault(row["former_code"], []).append(
            EarlierName(row["name"], row["official_name"], row["until"], row["evidence"])
        )
    unit_of: dict[int, int] = {}
    units: dict[int, Province] = {}
    part = snapshot["units"]
    for row in part["provinces"]:
        formed_from = tuple(int(code) for code in row["wards_by_former_code"])
        for code in formed_from:
            if code in unit_of:
                raise ValueError(f"former province {code} is in units {unit_of[code]} and {row}")
            unit_of[code] = row["code"]
        units[row["code"]] = Province(
            UNIT,
            row["code"],
            _short(row["official_name"], spelling),
            row["official_name"],
            row["codename"],
            row["division_type"],
            formed_from=formed_from,
            evidence=f"{part['package']} {part['version']} (GSO data {part['data_version']})",
        )
    former: dict[int, Province] = {}
    part = snapshot["former"]
    for row in part["provinces"]:
        former[row["code"]] = Province(
            FORMER,
            row["code"],
            _short(row["official_name"], spelling),
            row["official_name"],
            row["codename"],
            row["division_type"],
            earlier_names=tuple(earlier.get(row["code"], ())),
            unit_code=unit_of.get(row["code"]),
            evidence=f"{part['package']} {part['version']} (GSO data {part['data_version']})",
        )
    missing = [p.name for p in former.values() if p.unit_code is None]
    if missing:
        raise ValueError(f"former provinces in no unit: {missing}")
    sources = {
        level: f"{snapshot[key]['package']} {snapshot[key]['version']}"
        for level, key in ((FORMER, "former"), (UNIT, "units"))
    }
    return ProvinceTable(former, units, sources)


@cache
def provinces() -> ProvinceTable:
    """The shipped province table (package data)."""
    return build_table(load_snapshot(), _history())
