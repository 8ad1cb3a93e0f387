"""Which rows a download or an export wants: by source, province, language and date.

File selection uses the partition values of a release's files (language, source, year); row
selection then applies every filter to the rows of the files chosen.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from baotinh.dates import VN_TZ


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@dataclass(frozen=True)
class RowFilter:
    sources: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()  # the current unit or the one at publication
    languages: tuple[str, ...] = ()
    since: date | None = None  # local (+07:00) publication date, inclusive
    until: date | None = None  # inclusive

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"--since {self.since} is after --until {self.until}")

    @property
    def empty(self) -> bool:
        return not (self.sources or self.provinces or self.languages or self.since or self.until)

    def describe(self) -> dict[str, Any]:
        return {
            "source": list(self.sources),
            "province": list(self.provinces),
            "language": list(self.languages),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }

    def wants_partition(self, partition: dict[str, Any] | None) -> bool:
        """Whether a file with these partition values can hold a wanted row."""
        if not partition:
            return True
        if self.sources and partition.get("source") not in self.sources:
            return False
        if self.languages and partition.get("language") not in self.languages:
            return False
        year = partition.get("year")
        if isinstance(year, int):
            if self.since and year < self.since.year:
                return False
            if self.until and year > self.until.year:
                return False
        return True

    def keeps_whole_file(self, partition: dict[str, Any] | None) -> bool:
        """Whether every row of a file with these partition values is wanted."""
        if self.provinces:
            return False
        if not partition:
            return self.empty
        if not self.wants_partition(partition):
            return False
        year = partition.get("year")
        if self.since and not (isinstance(year, int) and self.since <= date(year, 1, 1)):
            return False
        return not (self.until and not (isinstance(year, int) and self.until >= date(year, 12, 31)))

    def mask(self, table: pa.Table | pa.RecordBatch) -> pa.Array:
        """Per row, whether it is wanted."""
        keep = pa.array([True] * table.num_rows, pa.bool_())
        if self.sources:
            keep = pc.and_(keep, pc.is_in(table["source_id"], pa.array(self.sources)))
        if self.languages:
            keep = pc.and_(keep, pc.is_in(table["language"], pa.array(self.languages)))
        if self.provinces:
            wanted = {_fold(p) for p in self.provinces}
            current = table["province"].to_pylist()
            before = table["province_at_publication"].to_pylist()
            marks = [
                (a is not None and _fold(a) in wanted) or (b is not None and _fold(b) in wanted)
                for a, b in zip(current, before, strict=True)
            ]
            keep = pc.and_(keep, pa.array(marks, pa.bool_()))
        if self.since or self.until:
            # The local publication date, or the crawl date when it is unknown (as `year`).
            when = pc.coalesce(table["published_at"], table["crawled_at"])
            if self.since:
                start = datetime.combine(self.since, time(), VN_TZ)
                keep = pc.and_(keep, pc.greater_equal(when, pa.scalar(start, when.type)))
            if self.until:
                end = datetime.combine(self.until + timedelta(days=1), time(), VN_TZ)
                keep = pc.and_(keep, pc.less(when, pa.scalar(end, when.type)))
        return pc.fill_null(keep, False)
