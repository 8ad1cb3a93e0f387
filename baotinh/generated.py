"""Files in ``datasets/`` generated from the package's own definitions (the schema, the province
table, the registry): ``python -m baotinh.generated`` rewrites them; ``tests/test_schema.py``
fails when one is stale."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from baotinh.alignment.table import card_table as alignment_table
from baotinh.registry import provinces, registry
from baotinh.registry.export import provinces_csv, publishers_csv
from baotinh.schema import card_table, json_schema_text

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
_CARD_BLOCK = re.compile(r"(<!-- fields:begin -->\n).*?(<!-- fields:end -->)", re.S)
_ALIGNMENT_BLOCK = re.compile(r"(<!-- alignments:begin -->\n).*?(<!-- alignments:end -->)", re.S)


def expected_files(datasets: Path = DATASETS) -> dict[Path, str]:
    card_path = datasets / "README.md"
    card = card_path.read_text("utf-8")
    for name, block in (("fields", _CARD_BLOCK), ("alignments", _ALIGNMENT_BLOCK)):
        if not block.search(card):
            raise ValueError(f"{card_path} lacks the <!-- {name}:begin/end --> markers")
    card = _CARD_BLOCK.sub(lambda m: m.group(1) + card_table() + m.group(2), card)
    card = _ALIGNMENT_BLOCK.sub(lambda m: m.group(1) + alignment_table() + m.group(2), card)
    return {
        datasets / "article.schema.json": json_schema_text(),
        card_path: card,
        datasets / "provinces.csv": provinces_csv(provinces()),
        datasets / "publishers.csv": publishers_csv(registry()),
    }


def main() -> int:
    for path, text in expected_files().items():
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
