"""The alignment job (``baotinh align``): ``<out>/alignments/alignments.parquet``.

One row per version of a story in one language (the latest version of each article that has a
``translation_key``): the key, the language, that version's URL and article_id, and the
provincial original the story credits, whichever was crawled first:

- by URL: the archived article whose URL (or canonical URL, in any form the registry maps onto
  it) is the copy's ``original_url``; its text is compared with the Vietnamese copy's
  (``original_match``: exact, near or different; ``similarity.NEAR_DUPLICATE``);
- by text, when the URL names no archived article: the credited paper's article published
  within ``SEARCH_DAYS`` days of the copy whose text is exact or a near duplicate of it.

A job over the dataset, not a crawl step: it reads the latest-version view, never touches an
article file, and replaces the table in one atomic rename (temporary name, fsync, rename), so a
reader sees the old table or the new one. ``baotinh crawl`` runs it after a crawl of a source
with language editions; run it again after a crawl of the provincial papers alone.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from baotinh import registry
from baotinh.alignment.credits import url_forms
from baotinh.alignment.similarity import NEAR_DUPLICATE, compare
from baotinh.dataset.layout import ARTICLES, Layout, temp_path
from baotinh.dataset.store import LATEST_SQL, fsync_dir
from baotinh.schema import SCHEMA_VERSION_KEY, TABLE_KEY, UTC_TS

ALIGNMENTS_FILE = "alignments.parquet"
ALIGNMENT_VERSION = "1"
SEARCH_DAYS = 2  # an original found by text was published this close to its copy

ALIGNMENT_FIELDS: tuple[tuple[str, pa.DataType, bool, str], ...] = (
    ("translation_key", pa.string(), False, "The story (see the articles' `translation_key`)."),
    ("language", pa.string(), False, "Language of this version."),
    ("article_id", pa.string(), False, "article_id of this version (its latest row)."),
    ("url", pa.string(), False, "Canonical URL of this version."),
    ("source_id", pa.string(), False, "The source that published this version."),
    ("version", pa.int32(), False, "Its latest version number."),
    ("published_at", UTC_TS, True, "Its `published_at`."),
    ("is_translation", pa.bool_(), False, "A translated edition's version."),
    ("original_url", pa.string(), True, "The original the story credits (normalised URL)."),
    ("original_source_id", pa.string(), True, "Registry id of the credited paper."),
    ("original_publisher_id", pa.string(), True, "publisher_id of the credited paper."),
    ("original_article_id", pa.string(), True, "article_id of the archived original."),
    (
        "original_found_by",
        pa.string(),
        True,
        "How the original was found: `url` (the credited link), `text` (a search of the "
        "credited paper's articles).",
    ),
    (
        "original_match",
        pa.string(),
        True,
        "The Vietnamese copy's text against the original's: exact, near (word 3-shingle "
        f"Jaccard >= {NEAR_DUPLICATE}), different.",
    ),
    ("original_similarity", pa.float32(), True, "That Jaccard similarity."),
    ("aligned_at", UTC_TS, False, "When the job wrote this table."),
)
ALIGNMENT_SCHEMA = pa.schema(
    [pa.field(name, kind, nullable=nullable) for name, kind, nullable, _ in ALIGNMENT_FIELDS],
    metadata={SCHEMA_VERSION_KEY: ALIGNMENT_VERSION, TABLE_KEY: "alignments"},
)

_VERSIONS_SQL = """
SELECT article_id, canonical_url, source_id, language, version, published_at, translation_key,
       coalesce(is_translation, false) AS is_translation, original_url, original_source_id,
       original_publisher_id
FROM ({latest}) WHERE translation_key IS NOT NULL
ORDER BY translation_key, language, article_id
"""
# Articles of papers (not of a national portal): the originals copies may credit.
_PAPERS_SQL = """
SELECT article_id, url, canonical_url, source_id, published_at
FROM ({latest}) WHERE source_id NOT IN ({national})
"""


@dataclass
class AlignResult:
    stories: int = 0
    rows: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    originals: Counter[str] = field(default_factory=Counter)  # found_by/match -> stories
    path: Path | None = None

    def __str__(self) -> str:
        languages = ", ".join(f"{k} {v}" for k, v in sorted(self.languages.items())) or "none"
        found = ", ".join(f"{k} {v}" for k, v in sorted(self.originals.items())) or "none"
        return (
            f"aligned {self.stories} stories in {self.rows} versions ({languages}); "
            f"originals: {found}; table {self.path}"
        )


def _national_ids() -> list[str]:
    return [s.id for s in registry.sources().values() if s.national]


def _sql_list(values: Iterable[str]) -> str:
    quoted = [f"'{v.replace(chr(39), chr(39) * 2)}'" for v in values]
    return ", ".join(quoted) or "''"


def align(out_dir: str | os.PathLike[str], now: datetime | None = None) -> AlignResult:
    """Rebuild ``<out>/alignments/alignments.parquet`` from the latest versions."""
    import duckdb

    layout = Layout.of(out_dir)
    aligned_at = now or datetime.now(UTC)
    result = AlignResult()
    rows: list[dict[str, Any]] = []
    if layout.parquet_files(ARTICLES):
        con = duckdb.connect()
        latest = LATEST_SQL.format(glob=layout.glob(ARTICLES))
        con.execute(f"CREATE TEMP VIEW latest AS {latest}")
        versions = con.execute(_VERSIONS_SQL.format(latest="SELECT * FROM latest")).fetchall()
        columns = [d[0] for d in con.description]
        stories: dict[str, list[dict[str, Any]]] = {}
        for values in versions:
            row = dict(zip(columns, values, strict=True))
            stories.setdefault(row["translation_key"], []).append(row)
        originals = _originals(con, stories)
        for key, members in stories.items():
            found = originals.get(key, {})
            main = _main_row(members)
            for member in members:
                rows.append(
                    {
                        "translation_key": key,
                        "language": member["language"],
                        "article_id": member["article_id"],
                        "url": member["canonical_url"],
                        "source_id": member["source_id"],
                        "version": member["version"],
                        "published_at": member["published_at"],
                        "is_translation": bool(member["is_translation"]),
                        "original_url": member["original_url"] or main["original_url"],
                        "original_source_id": member["original_source_id"]
                        or main["original_source_id"],
                        "original_publisher_id": member["original_publisher_id"]
                        or main["original_publisher_id"],
                        "original_article_id": found.get("article_id"),
                        "original_found_by": found.get("found_by"),
                        "original_match": found.get("match"),
                        "original_similarity": found.get("similarity"),
                        "aligned_at": aligned_at,
                    }
                )
                result.languages[member["language"]] += 1
            result.originals[
                f"{found['found_by']}/{found['match']}" if found else "not archived"
            ] += 1
        result.stories = len(stories)
        result.rows = len(rows)
        con.close()
    result.path = _write(layout, rows)
    return result


def _main_row(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The story's version in its source's own language (the copy whose text is compared)."""
    return next((m for m in members if not m["is_translation"]), members[0])


def _originals(con: Any, stories: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """translation_key -> {article_id, found_by, match, similarity} of the archived original."""
    national = _sql_list(_national_ids())
    con.execute(
        "CREATE TEMP TABLE papers AS "
        + _PAPERS_SQL.format(latest="SELECT * FROM latest", national=national)
    )
    # By URL: every form of each credited URL, looked up among the papers' URLs.
    wanted: list[tuple[str, str]] = []
    for key, members in stories.items():
        urls = [m["original_url"] for m in sorted(members, key=lambda m: m["is_translation"])]
        for url in dict.fromkeys(u for u in urls if u):
            wanted.extend((key, form) for form in url_forms(url))
    found: dict[str, dict[str, Any]] = {}
    if wanted:
        con.execute("CREATE TEMP TABLE wanted (translation_key VARCHAR, url VARCHAR)")
        con.executemany("INSERT INTO wanted VALUES (?, ?)", wanted)
        pairs = con.execute(
            """
            SELECT w.translation_key, p.article_id FROM wanted w JOIN papers p ON p.url = w.url
            UNION
            SELECT w.translation_key, p.article_id FROM wanted w
              JOIN papers p ON p.canonical_url = w.url
            ORDER BY 1, 2
            """
        ).fetchall()
        for key, article in pairs:
            found.setdefault(key, {"article_id": article, "found_by": "url"})
    # By text: the credited paper's articles published near the copy, for the rest.
    searches: list[tuple[str, str, str, Any]] = []
    for key, members in stories.items():
        main = _main_row(members)
        if key in found or not main["original_source_id"] or main["published_at"] is None:
            continue
        searches.append((key, main["article_id"], main["original_source_id"], main["published_at"]))
    candidates: dict[str, list[str]] = {}
    if searches:
        con.execute(
            "CREATE TEMP TABLE searches (translation_key VARCHAR, copy_id VARCHAR, "
            "source_id VARCHAR, published_at TIMESTAMPTZ)"
        )
        con.executemany("INSERT INTO searches VALUES (?, ?, ?, ?)", searches)
        near = con.execute(
            f"""
            SELECT s.translation_key, p.article_id FROM searches s JOIN papers p
              ON p.source_id = s.source_id
             AND abs(epoch(p.published_at) - epoch(s.published_at)) <= {SEARCH_DAYS * 86400}
            ORDER BY 1, 2
            """
        ).fetchall()
        for key, article in near:
            candidates.setdefault(key, []).append(article)
    # Compare texts: the story's Vietnamese copy against each original (candidate).
    texts = _texts(
        con,
        {_main_row(m)["article_id"] for k, m in stories.items() if k in found or k in candidates}
        | {f["article_id"] for f in found.values()}
        | {a for c in candidates.values() for a in c},
    )
    for key, members in stories.items():
        copy_text = texts.get(_main_row(members)["article_id"])
        if key in found:
            original = found[key]
            if copy_text is not None and original["article_id"] in texts:
                match, score = compare(copy_text, texts[original["article_id"]])
                original.update(match=match, similarity=round(score, 4))
            else:
                original.update(match=None, similarity=None)
            continue
        best: tuple[float, str, str] | None = None
        for article in candidates.get(key, []):
            if copy_text is None or article not in texts:
                continue
            match, score = compare(copy_text, texts[article])
            if match != "different" and (best is None or score > best[0]):
                best = (score, article, match)
        if best is not None:
            found[key] = {
                "article_id": best[1],
                "found_by": "text",
                "match": best[2],
                "similarity": round(best[0], 4),
            }
    return found


def _texts(con: Any, ids: set[str]) -> dict[str, str]:
    """article_id -> sapo and body (latest version) for the articles compared."""
    if not ids:
        return {}
    con.execute("CREATE OR REPLACE TEMP TABLE compared (article_id VARCHAR)")
    con.executemany("INSERT INTO compared VALUES (?)", [(i,) for i in sorted(ids)])
    result = {}
    cursor = con.execute(
        "SELECT l.article_id, concat_ws(chr(10) || chr(10), l.sapo, l.body) FROM latest l "
        "JOIN compared USING (article_id)"
    )
    while batch := cursor.fetchmany(1000):
        result.update(batch)
    return result


def _write(layout: Layout, rows: list[dict[str, Any]]) -> Path:
    """Replace the table atomically: a hidden temporary file, fsynced, renamed into place."""
    folder = layout.alignments
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / ALIGNMENTS_FILE
    tmp = temp_path(final)
    table = pa.Table.from_pylist(rows, schema=ALIGNMENT_SCHEMA)
    with open(tmp, "wb") as handle:
        pq.write_table(table, handle, compression="zstd")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, final)
    fsync_dir(folder)
    return final


def read_alignments(out_dir: str | os.PathLike[str]) -> pa.Table | None:
    """The alignment table of a dataset folder, None before the first ``baotinh align``."""
    path = Layout.of(out_dir).alignments / ALIGNMENTS_FILE
    return pq.read_table(path) if path.is_file() else None


def card_table() -> str:
    """Markdown table of the alignment columns for the dataset card."""
    lines = ["| field | type | nullable | meaning |", "|---|---|---|---|"]
    for name, kind, nullable, doc in ALIGNMENT_FIELDS:
        lines.append(f"| `{name}` | `{kind}` | {'yes' if nullable else 'no'} | {doc} |")
    return "\n".join(lines) + "\n"
