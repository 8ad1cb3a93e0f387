"""The province table and the reference tables exported from it (datasets/provinces.csv,
datasets/publishers.csv)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest

from baotinh.dates import VN_TZ
from baotinh.generated import DATASETS, expected_files
from baotinh.registry import provinces, registry
from baotinh.registry.divisions import FORMER_RELEASE, UNITS_RELEASE, load_snapshot
from baotinh.registry.provinces import MERGER_IN_FORCE, ascii_fold, before_merger
from tests.conftest import SHARED


def test_the_snapshot_matches_the_installed_2025_release() -> None:
    """The 34 units as the maintained package has them (a dev dependency); the 63 come from
    its 0.6.0 release, which cannot be installed beside it (see divisions.py)."""
    import vietnam_provinces

    snapshot = load_snapshot()
    assert snapshot["units"]["version"] == vietnam_provinces.__version__ == UNITS_RELEASE
    assert snapshot["units"]["data_version"] == vietnam_provinces.__data_version__
    assert snapshot["former"]["version"] == FORMER_RELEASE
    installed = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    assert [
        (p["code"], p["name"], p["codename"], p["division_type"], p["phone_code"], len(p["wards"]))
        for p in installed
    ] == [
        (u["code"], u["official_name"], u["codename"], u["division_type"], u["phone_code"],
         u["wards"])
        for u in snapshot["units"]["provinces"]
    ]  # fmt: skip


def test_63_former_provinces_form_the_34_units() -> None:
    table = provinces()
    assert len(table.former) == 63 and len(table.units) == 34
    members = [code for unit in table.units.values() for code in unit.formed_from]
    assert sorted(members) == sorted(table.former), "each former province in exactly one unit"
    for unit in table.units.values():
        # GSO gave every unit the code of one of its former provinces.
        assert unit.code in unit.formed_from, unit.name
    assert [table.former[c].name for c in table.units[15].formed_from] == ["Lào Cai", "Yên Bái"]
    assert table.former[15].name == "Yên Bái"  # codes are per level


def _research_table() -> dict[str, set[str]]:
    text = (SHARED / "research" / "sources.md").read_text("utf-8")
    section = text.split("### The 34 units", 1)[1].split("## 2.", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0].startswith(("current", "---")):
            continue

        def key(name: str) -> str:
            name = re.sub(r"\s*\(.*?\)|\s+City$", "", name).replace("–", "-")
            return ascii_fold(name).lower().strip()

        rows[key(cells[0])] = {key(n) for n in cells[1].split(",")}
    return rows


def test_the_formation_read_from_ward_codes_agrees_with_the_research() -> None:
    if not (SHARED / "research" / "sources.md").is_file():
        pytest.skip(f"research notes not found at {SHARED} (../shared beside the checkout)")
    table = provinces()
    derived = {
        u.name_ascii.lower(): {ascii_fold(table.former[c].name).lower() for c in u.formed_from}
        for u in table.units.values()
    }
    # The research writes Thừa Thiên Huế, the GSO data of 2025 the city of Huế.
    research = _research_table()
    research["hue"] = {"hue"}
    assert derived == research


def test_names_spelling_and_ascii() -> None:
    table = provinces()
    assert table.former_named("Hòa Bình").official_name == "Tỉnh Hoà Bình"
    assert table.former_named("Thừa Thiên Huế") is table.former_named("Huế")
    assert table.unit_named("Hồ Chí Minh").official_name == "Thành phố Hồ Chí Minh"
    assert ascii_fold("Đắk Lắk – Bà Rịa") == "Dak Lak – Ba Ria"
    assert table.former_named("Atlantis") is None


@pytest.mark.parametrize(
    ("former", "when", "expected"),
    [
        ("Bình Thuận", datetime(2025, 6, 30, 23, 59, tzinfo=VN_TZ), "Bình Thuận"),
        ("Bình Thuận", datetime(2025, 7, 1, 0, 0, tzinfo=VN_TZ), "Lâm Đồng"),
        ("Bình Thuận", datetime(2025, 7, 1, 0, 30, tzinfo=VN_TZ), "Lâm Đồng"),
        ("Bình Thuận", datetime(2025, 6, 30, 17, 30, tzinfo=UTC), "Lâm Đồng"),  # 00:30 +07
        ("Bình Thuận", datetime(2025, 7, 1, 6, 0, tzinfo=UTC), "Lâm Đồng"),
        ("Bình Thuận", date(2025, 7, 1), "Lâm Đồng"),  # 01/07/2025, day precision
        ("Bình Thuận", date(2025, 6, 30), "Bình Thuận"),
        ("Bình Thuận", datetime(2025, 6, 30, 23, 59), "Bình Thuận"),  # naive: local time
        ("Bình Thuận", None, "Lâm Đồng"),
        ("Thừa Thiên Huế", date(2024, 12, 31), "Thừa Thiên Huế"),
        ("Huế", datetime(2024, 12, 31, 16, 59, tzinfo=UTC), "Thừa Thiên Huế"),  # 23:59 +07
        ("Huế", datetime(2024, 12, 31, 17, 0, tzinfo=UTC), "Huế"),  # 1 Jan 2025 00:00 +07
        ("Huế", date(2025, 7, 1), "Huế"),
        ("Hòa Bình", date(2019, 5, 1), "Hòa Bình"),
        ("Hòa Bình", date(2025, 7, 2), "Phú Thọ"),
    ],
)
def test_province_at(former: str, when: date | datetime | None, expected: str) -> None:
    assert provinces().province_at(former, when) == expected


def test_the_merger_instant() -> None:
    assert MERGER_IN_FORCE.isoformat() == "2025-07-01T00:00:00+07:00"
    assert before_merger(datetime(2025, 6, 30, 16, 59, 59, tzinfo=UTC))
    assert not before_merger(datetime(2025, 6, 30, 17, 0, tzinfo=UTC))


def _read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((DATASETS / name).read_text("utf-8"))))


def test_provinces_csv_holds_both_levels_with_the_merger_dates() -> None:
    assert {DATASETS / "provinces.csv", DATASETS / "publishers.csv"} <= set(expected_files())
    rows = _read_csv("provinces.csv")
    assert [r["level"] for r in rows].count("former") == 63
    assert [r["level"] for r in rows].count("unit") == 34
    assert {(r["merger_adopted"], r["merger_in_force"]) for r in rows} == {
        ("2025-06-12", "2025-07-01T00:00:00+07:00")
    }
    hue = next(r for r in rows if r["level"] == "former" and r["code"] == "46")
    assert hue["earlier_names"].startswith("Thừa Thiên Huế (Tỉnh Thừa Thiên Huế) until 2025-01-01")
    hcm = next(r for r in rows if r["level"] == "unit" and r["code"] == "79")
    assert (hcm["name"], hcm["name_ascii"]) == ("Hồ Chí Minh", "Ho Chi Minh")
    assert hcm["formed_from_names"] == "Bình Dương; Bà Rịa - Vũng Tàu; Hồ Chí Minh"
    assert all(r["source"].startswith("vietnam-provinces ") for r in rows)


def test_publishers_csv_has_one_row_per_paper() -> None:
    rows = _read_csv("publishers.csv")
    ids = [r["publisher_id"] for r in rows]
    assert len(ids) == len(set(ids)) == len(registry().sources)
    known = set(ids)
    for row in rows:
        assert row["domains"] and "[" in row["domains"], row["publisher_id"]
        assert not row["absorbed_into"] or row["absorbed_into"] in known, row["publisher_id"]
    binhthuan = next(r for r in rows if r["publisher_id"] == "bao_binh_thuan")
    assert (binhthuan["province_former"], binhthuan["province_current"]) == (
        "Bình Thuận",
        "Lâm Đồng",
    )
    assert binhthuan["absorbed_into"] == "bao_lam_dong"
    lamdong = next(r for r in rows if r["publisher_id"] == "bao_lam_dong")
    assert "Phát thanh, Truyền hình Lâm Đồng seen 2025-07-20 [pub]" in lamdong["names_over_time"]
