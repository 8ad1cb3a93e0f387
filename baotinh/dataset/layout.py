"""Where things live in a dataset folder, and the one walker over its Parquet files.

```
<out>/
  articles/source=<id>/year=<yyyy>/month=<m>/part-<run>-<n>.parquet   published article rows
  quarantine/source=<id>/part-<run>-<n>.parquet                       rows that failed validation
  alignments/alignments.parquet                                       vietnam.vn stories, originals
  warc/                                                               raw captures (WARC/1.1)
  runs/<run id>.json                                                  one report per run
  staging/                                                            long jobs write here first
  state.sqlite                                                        the ledger
  tombstones.jsonl                                                    the takedown list
  .lock                                                               the one-writer lock
```

Files being written carry a hidden name (``.<name>.tmp``) in their final folder; a reader's
``*.parquet`` glob never matches them, and neither does :func:`parquet_files`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ARTICLES = "articles"
QUARANTINE = "quarantine"
ALIGNMENTS = "alignments"
TABLES = (ARTICLES, QUARANTINE)  # Parquet tables whose rows the ledger tracks per URL
WARC = "warc"
RUNS = "runs"
STAGING = "staging"
LEDGER_FILE = "state.sqlite"
TOMBSTONES = "tombstones.jsonl"
LOCK_FILE = ".lock"
TEMP_SUFFIX = ".tmp"


def temp_path(final: Path) -> Path:
    """The hidden name a file is written under before it is renamed into place."""
    return final.with_name(f".{final.name}{TEMP_SUFFIX}")


def is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


@dataclass(frozen=True)
class Layout:
    """The paths of one dataset folder."""

    root: Path

    @classmethod
    def of(cls, out_dir: str | os.PathLike[str]) -> Layout:
        return cls(Path(out_dir).expanduser().resolve())

    def table(self, name: str) -> Path:
        return self.root / name

    @property
    def articles(self) -> Path:
        return self.root / ARTICLES

    @property
    def quarantine(self) -> Path:
        return self.root / QUARANTINE

    @property
    def alignments(self) -> Path:
        return self.root / ALIGNMENTS

    @property
    def warc(self) -> Path:
        return self.root / WARC

    @property
    def runs(self) -> Path:
        return self.root / RUNS

    @property
    def staging(self) -> Path:
        return self.root / STAGING

    @property
    def ledger(self) -> Path:
        return self.root / LEDGER_FILE

    @property
    def tombstones(self) -> Path:
        """The takedown list (``baotinh.rights.tombstones``)."""
        return self.root / TOMBSTONES

    @property
    def lock(self) -> Path:
        return self.root / LOCK_FILE

    def relative(self, path: str | os.PathLike[str]) -> str:
        """A path inside the folder as the ledger records it (relative, POSIX)."""
        p = Path(path)
        if p.is_absolute():
            p = p.resolve().relative_to(self.root)
        return p.as_posix()

    def parquet_files(self, table: str = ARTICLES) -> list[Path]:
        """Published Parquet files of ``table``, sorted (see :func:`parquet_files`)."""
        return sorted(parquet_files(self.table(table)))

    def glob(self, table: str = ARTICLES) -> str:
        """A ``read_parquet`` glob of the table's published files (quotes escaped for SQL)."""
        return f"{self.table(table).as_posix()}/**/*.parquet".replace("'", "''")


def parquet_files(root: Path) -> Iterator[Path]:
    """Every published ``*.parquet`` under ``root``: hidden (temporary, old) names are skipped."""
    if not root.is_dir():
        return
    for path in root.rglob("*.parquet"):
        if not is_hidden(path, root):
            yield path


def temp_files(root: Path) -> Iterator[Path]:
    """Temporary files a killed writer left under ``root``."""
    if root.is_dir():
        yield from root.rglob(f".*{TEMP_SUFFIX}")
