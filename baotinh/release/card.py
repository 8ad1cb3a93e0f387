"""The dataset card (``README.md`` with the YAML header the Hugging Face hub reads), the
citation (``CITATION.cff``), the terms (``LICENSE.md``) and the polling table (``polling.csv``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from baotinh import PROJECT_URL
from baotinh.release.manifest import CONFIG_DIRS
from baotinh.release.plots import PLOTS
from baotinh.release.source import POLLING_COLUMNS
from baotinh.release.stats import ReleaseStats
from baotinh.rights.policy import RULES
from baotinh.schema import SCHEMA_VERSION, card_table

PRETTY_NAME = "baotinh: Vietnamese provincial newspapers"
LICENSE_NAME = "baotinh-publishers-texts"
TASKS = ["text-classification", "summarization", "text-generation"]
ALL_VERSIONS = "all_versions"
POLLING_DAYS_SHOWN = 14
REMOVAL = f"{PROJECT_URL}/issues"


@dataclass
class CardInputs:
    version: str
    created: date
    stats: ReleaseStats
    polling: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]  # registry facts per source id: name, province, terms, ...
    withheld: dict[str, int]  # rows left out by rights signals, by reason
    tombstoned: int  # rows left out by tombstones
    replaces: str | None = None


def size_category(n: int) -> str:
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
    ):
        if n < limit:
            return name
    return "100M<n<1B"


def hf_metadata(inputs: CardInputs) -> dict[str, Any]:
    """The YAML header: what the hub shows and what ``datasets.load_dataset`` reads."""
    latest = CONFIG_DIRS["latest"]
    configs: list[dict[str, Any]] = [
        {
            "config_name": "default",
            "default": True,
            "data_files": [{"split": "train", "path": f"{latest}/**/*.parquet"}],
        }
    ]
    for language in inputs.stats.languages:
        configs.append(
            {
                "config_name": language,
                "data_files": [
                    {"split": "train", "path": f"{latest}/language={language}/**/*.parquet"}
                ],
            }
        )
    configs.append(
        {
            "config_name": ALL_VERSIONS,
            "data_files": [{"split": "train", "path": f"{CONFIG_DIRS['versions']}/**/*.parquet"}],
        }
    )
    languages = inputs.stats.languages or ["vi"]
    return {
        "pretty_name": PRETTY_NAME,
        "language": languages,
        "multilinguality": "multilingual" if len(languages) > 1 else "monolingual",
        "license": "other",
        "license_name": LICENSE_NAME,
        "license_link": "LICENSE.md",
        "annotations_creators": ["no-annotation"],
        "language_creators": ["found"],
        "source_datasets": ["original"],
        "size_categories": [size_category(inputs.stats.rows.get("latest", 0))],
        "task_categories": TASKS,
        "tags": ["news", "vietnam", "vietnamese", "provincial-newspapers", "web-archive"],
        "configs": configs,
    }


def _table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _snippets(inputs: CardInputs) -> str:
    language = (inputs.stats.languages or ["vi"])[0]
    return f"""Every snippet runs as it is inside the release folder (after `baotinh download` or
a copy).

<!-- snippet:duckdb -->
```python
import duckdb

duckdb.sql(\"\"\"
    SELECT source, language, count(*) AS articles, min(published_at) AS first
    FROM read_parquet('{CONFIG_DIRS["latest"]}/**/*.parquet', hive_partitioning = false)
    GROUP BY ALL ORDER BY ALL
\"\"\").show()
```

<!-- snippet:datasets -->
```python
import os

from datasets import load_dataset

# This release folder; from the Hub: load_dataset("<owner>/<repo>", "{language}")
ds = load_dataset(os.path.abspath("."), "{language}", split="train")
print(ds.num_rows, ds.column_names[:5])
```

<!-- snippet:pandas -->
```python
import pandas as pd

df = pd.read_parquet("{CONFIG_DIRS["latest"]}", partitioning=None)
print(df.groupby("source").size())
```

<!-- snippet:polars -->
```python
import polars as pl

df = pl.read_parquet("{CONFIG_DIRS["latest"]}/**/*.parquet", hive_partitioning=False)
print(df.group_by("language").len())
```

Fetch only part of a release (checksums verified, resumable):

```sh
baotinh download https://<host>/<releases>/ --out baotinh-data --language vi --since 2025-07-01
baotinh download s3://<bucket>/<releases>/ --out baotinh-data --source baohatinh
```
"""


def _polling(inputs: CardInputs) -> str:
    if not inputs.polling:
        return "No crawl runs were recorded for this release's data.\n"
    summary: dict[str, dict[str, int]] = {}
    for row in inputs.polling:
        s = summary.setdefault(row["source"], {})
        s[row["outcome"]] = s.get(row["outcome"], 0) + 1
    outcomes = [
        "new articles",
        "reached, nothing new",
        "reached, errors",
        "unreachable",
        "not polled",
    ]
    text = [
        "Each day and source, what the crawler asked and got (from every run's report). A day "
        "with answers and no new article is a *silent* paper; a day whose requests got no "
        "answer is an *unreachable* one; a day without a run was *not polled*. The whole "
        "table is [`polling.csv`](polling.csv).",
        "",
        "Days per outcome:",
        "",
        _table(
            ["source", *outcomes],
            [[s, *(c.get(o, 0) for o in outcomes)] for s, c in sorted(summary.items())],
        ),
        "",
    ]
    days = sorted({r["date"] for r in inputs.polling})[-POLLING_DAYS_SHOWN:]
    recent = [r for r in inputs.polling if r["date"] in days]
    text += [
        f"Days polled, the last {POLLING_DAYS_SHOWN} at most:",
        "",
        _table(
            [
                "date",
                "source",
                "runs",
                "requests",
                "responses",
                "5xx",
                "discovery errors",
                "new rows",
                "outcome",
            ],
            [
                [
                    r["date"],
                    r["source"],
                    r["runs"],
                    r["requests"],
                    r["responses"],
                    r["responses_5xx"],
                    r["discovery_errors"],
                    r["new_rows"],
                    r["outcome"],
                ]
                for r in recent
            ],
        ),
        "",
    ]
    return "\n".join(text)


def card_markdown(inputs: CardInputs) -> str:
    s = inputs.stats
    header = yaml.safe_dump(hf_metadata(inputs), allow_unicode=True, sort_keys=False)
    configs = [
        [
            "`default`",
            "latest version of each article, every language",
            f"`{CONFIG_DIRS['latest']}/**/*.parquet`",
            s.rows.get("latest", 0),
        ]
    ]
    for row in s.per_language:
        configs.append(
            [
                f"`{row['language']}`",
                f"latest versions in `{row['language']}`",
                f"`{CONFIG_DIRS['latest']}/language={row['language']}/**/*.parquet`",
                row["rows"],
            ]
        )
    configs.append(
        [
            f"`{ALL_VERSIONS}`",
            "every stored version (publisher edits)",
            f"`{CONFIG_DIRS['versions']}/**/*.parquet`",
            s.rows.get("versions", 0),
        ]
    )
    per_source = []
    for row in s.per_source:
        facts = inputs.sources.get(row["source"], {})
        per_source.append(
            [
                f"`{row['source']}`",
                row["name"],
                row["province"],
                row["rows"],
                row["words"],
                row["first"],
                row["last"],
                facts.get("terms") or "not known",
            ]
        )
    withheld = ", ".join(f"{k}: {v}" for k, v in sorted(inputs.withheld.items())) or "none"
    recut = (
        f"\n> This is a re-cut of release {inputs.replaces} after a takedown: the same data "
        f"without the removed items. Release {inputs.replaces} was withdrawn and its files "
        "deleted.\n"
        if inputs.replaces
        else ""
    )
    plot_lines = "\n".join(f"![{title}]({rel})" for rel, title in PLOTS.values())
    rights_rows = [[r.signal, r.fetch, r.keep, r.release] for r in RULES]
    return f"""---
{header}---

# {PRETTY_NAME} — release {inputs.version}
{recut}
**baotinh** archives the Vietnamese provincial newspapers (báo tỉnh) and the national portal
vietnam.vn: every article with its text, dates, authors, section, tags and images, and where and
when it was captured. This release ({inputs.created.isoformat()}, schema {SCHEMA_VERSION}) holds
**{s.articles}** articles ({s.rows.get("versions", 0)} stored versions) with {s.words} words,
published from {s.first_published or "?"} to {s.last_published or "?"} (local time, +07:00).

Checksums, sizes, row counts and partition values of every file: [`manifest.json`](manifest.json).
Validation report (great_expectations Data Docs): [`data_docs/index.html`](data_docs/index.html).
A browsable page of this folder: [`index.html`](index.html).

## Configs and files

{_table(["config", "what", "files", "rows"], configs)}

Files are Parquet (zstd), one schema version ({SCHEMA_VERSION}) throughout, partitioned as
`language=<bcp47>/source=<id>/year=<yyyy>/part-<n>.parquet`; the partition values are columns
in the files too, so read them with Hive partitioning off (as below) or on: both give one shape.
Row groups stay under 100 MiB uncompressed.

## Loading

{_snippets(inputs)}
## What is in it

{
        _table(
            [
                "source",
                "paper",
                "province (current)",
                "articles",
                "words",
                "first",
                "last",
                "terms of the site",
            ],
            per_source,
        )
    }

Per province (current unit; `merged` counts articles whose province at publication differs):

{
        _table(
            ["province", "articles", "merged"],
            [[r["province"], r["rows"], r["merged"]] for r in s.per_province],
        )
    }

Per language:

{
        _table(
            ["language", "articles", "machine translations"],
            [[r["language"], r["rows"], r["translations"]] for r in s.per_language],
        )
    }

{plot_lines}

## Fields

{card_table()}
## Caveats

- **Merged provinces.** On 1 July 2025 Vietnam went from 63 province-level units to 34. `province`
  is the current unit (null for national stories of no province); `province_at_publication` is
  the unit at the publication date. `--province` in `baotinh download` matches either.
- **Machine translations.** Rows with `is_translation` true (vietnam.vn's foreign-language
  pages) are machine translations of another article (`original_url`,
  `original_article_id`), regenerated over time: {s.translations} in this release.
- **Unverified sources.** Most registry facts (feeds, sitemaps, URL patterns) were never checked
  against the live sites; what was checked is recorded per fact in the registry. Coverage of a
  source is what its feeds, sitemaps and listings exposed, not all it published.
- **`word_count`** counts Unicode word tokens: in Vietnamese each syllable is written apart, so
  it counts syllables, not words (many Vietnamese words have two syllables or more, so it
  overstates the number of words).
- **Versions.** A publisher's edit is a new version (`version` + 1); `default` holds the latest,
  `{ALL_VERSIONS}` all. Rows with `duplicate_of` ({s.duplicates} here) carry the text of an earlier
  article under another URL or paper (wire copies, republications).
- **Dates.** {s.no_date} articles have no publication date (`published_at` null; their `year`
  is the year of capture).
- **Rights signals** (`robots_txt`, `robots_meta`, `x_robots_tag`, `tdm_*`) are null for rows
  captured before the crawler recorded them.

## Polling: a silent paper or an unreachable one

{_polling(inputs)}
## Rights, licence and removal

The texts, photos and captions **belong to their newspapers**; this archive keeps them for
research and preservation and does not relicense them (`license: other`, see
[`LICENSE.md`](LICENSE.md)). The code that built it (baotinh) is MIT-licensed: {PROJECT_URL}.
Per-source terms, where the site states them, are in the table above ("terms of the site").

What each signal a site or page gave does:

{_table(["signal", "fetch", "keep", "release"], rights_rows)}

Rows withheld from this release by those signals: {withheld}. Rows left out by tombstones
(takedowns): {inputs.tombstoned}. The takedown list is published as SHA-256 hashes only
([`tombstones.sha256.json`](tombstones.sha256.json)); `baotinh download` applies the newest list
to any release, older ones included.

**Removal.** Publishers and people named in an article can ask for removal at {REMOVAL}
(an article URL, a URL pattern or a whole paper). A takedown re-cuts every affected release as a
patch version and deletes the old files.

**Personal data.** Bylines (`authors`) and the people named in articles are personal data. Use
them for research on the press, not to profile individuals; honour removal requests.

## Citation

See [`CITATION.cff`](CITATION.cff):

```
baotinh contributors ({inputs.created.year}). {PRETTY_NAME}, release {inputs.version}. {PROJECT_URL}
```
"""


def citation_cff(version: str, created: date) -> str:
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": PRETTY_NAME,
        "version": version,
        "date-released": created.isoformat(),
        "authors": [{"name": "The baotinh contributors"}],
        "repository-code": PROJECT_URL,
        "url": PROJECT_URL,
        "abstract": (
            "Articles of Vietnamese provincial newspapers (báo tỉnh) and vietnam.vn, with "
            "their text, dates, authors and capture provenance, as Parquet."
        ),
        "keywords": ["news", "Vietnam", "Vietnamese", "web archive", "provincial newspapers"],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def license_markdown() -> str:
    return f"""# Terms of this dataset ({LICENSE_NAME})

- **The texts are not ours.** Articles, photos and captions belong to their newspapers. This
  archive keeps copies for research and preservation. It grants no licence to the texts; reuse
  beyond what the law allows you (quotation, research exceptions, text and data mining where
  rights were not reserved) needs the paper's permission.
- **Rights signals are obeyed.** Pages whose site or page reserved text and data mining rights
  (TDMRep) or said `noarchive` / `noai` are left out of releases (the card's rights table).
- **Removal.** Ask at {REMOVAL}; removed items leave every release (re-cut as a patch version)
  and downloads filter them, older releases included.
- **Personal data.** Bylines and named people are personal data: research use only, no profiling.
- **The code** (baotinh) is under the MIT licence: {PROJECT_URL}.
"""


def polling_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(POLLING_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k) for k in POLLING_COLUMNS})
    return out.getvalue()


def read_polling_csv(text: str) -> list[dict[str, Any]]:
    rows = []
    for raw in csv.DictReader(io.StringIO(text)):
        row: dict[str, Any] = dict(raw)
        for k in POLLING_COLUMNS:
            if k not in ("date", "source", "outcome"):
                row[k] = int(row[k] or 0)
        rows.append(row)
    return rows
