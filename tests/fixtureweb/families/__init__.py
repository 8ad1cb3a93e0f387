"""The families web (SYNTHETIC): registered papers of families D, E, numeric and generic, an
absorbed paper whose old URLs redirect and the paper that absorbed it (see README.md)."""

from __future__ import annotations

from pathlib import Path

SITES_DIR = Path(__file__).resolve().parent / "sites"
EXPECTED_FILE = "_expected.json"

# The registered sources the families web serves, named with --source by the crawls over it
# (apart from tests/fixtureweb/process.py's FIXTURE_SOURCES, whose tests walk sites/).
FAMILIES_SOURCES = (
    "baonghean",
    "baothanhhoa",
    "baolangson",
    "baotuyenquang",
    "baobinhthuan",
    "baolamdong",
)
