"""Validation of a release with great_expectations, and its Data Docs as an offline site.

Every data file is validated batch by batch (bounded memory) with the suite built from the
schema (``baotinh.validation``). Each batch's GX result is rendered the way GX 1.x builds Data
Docs (``ValidationResultsPageRenderer`` + ``DefaultJinjaPageView`` for a result,
``ExpectationSuitePageRenderer`` for the suite, ``SiteIndexPageRenderer`` +
``DefaultJinjaIndexPageView`` for the index), laid out as GX's site builder lays it out.

GX's templates load jQuery, Bootstrap, bootstrap-table, Vega, Font Awesome... from CDNs, which an
offline copy of a release cannot reach. The exact files those templates name are installed from
the npm registry by ``make assets`` (``baotinh/release/assets/package.json``, pinned by its
lock file) and copied into the release; every CDN reference is rewritten to the local copy, after
checking the copy against the template's ``integrity`` hash where it gives one (the attribute is
then dropped: a browser refuses integrity-checked scripts opened from ``file://``). Links to
GX's web site are dropped. A reference nothing here can satisfy stops the build.
"""

from __future__ import annotations

import base64
import hashlib
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from baotinh.release.manifest import FileEntry
from baotinh.validation import SUITE_NAME, BatchValidator, _runtime

DOCS = "data_docs"
VENDOR = "static/vendor"
ASSETS_ENV = "BAOTINH_DATADOCS_ASSETS"
REPO_ASSETS = Path(__file__).resolve().parents[2] / ".vendor" / "datadocs" / "node_modules"

# Every CDN file GX 1.x's templates reference -> the same file in its npm package.
_BT = "https://unpkg.com/bootstrap-table@1.19.1/dist/"
_BT0 = "https://unpkg.com/bootstrap-table@1.19.0/dist/"
_FC = "extensions/filter-control/bootstrap-table-filter-control"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_DP = "bootstrap-datepicker/1.9.0/"
_JSD = "https://cdn.jsdelivr.net/npm/"
CDN_ASSETS = {
    _BT + "bootstrap-table.min.css": "bootstrap-table/dist/bootstrap-table.min.css",
    _BT + "bootstrap-table.min.js": "bootstrap-table/dist/bootstrap-table.min.js",
    _BT + _FC + ".min.js": "bootstrap-table/dist/" + _FC + ".min.js",
    _BT0 + _FC + ".css": "bootstrap-table-1.19.0/dist/" + _FC + ".css",
    _BT0 + _FC + ".min.css": "bootstrap-table-1.19.0/dist/" + _FC + ".min.css",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap/dist/css/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap/dist/js/bootstrap.min.js"
    ),
    _CDNJS + _DP + "css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css"
    ),
    _CDNJS + _DP + "js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js"
    ),
    _JSD + "@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css"
    ),
    # jsDelivr serves a bare package URL as the file its package.json names for browsers.
    _JSD + "vega@5": "vega/build/vega.min.js",
    _JSD + "vega-lite@5": "vega-lite/build/vega-lite.min.js",
    _JSD + "vega-embed@6": "vega-embed/build/vega-embed.min.js",
    _CDNJS + "font-awesome/6.6.0/css/all.min.css": "@fortawesome/fontawesome-free/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    _CDNJS + "popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
}
# Folders a vendored stylesheet loads from by relative URL (Font Awesome's fonts).
CDN_FOLDERS = ("@fortawesome/fontawesome-free/webfonts",)
# GX's logos on its own web host -> the logo GX ships in its static folder.
GX_LOGO = re.compile(r"https://great-expectations-web-assets\.[^\"')\s]+")
LOCAL_LOGO = "static/images/logo-long.png"
_CSS_URL = re.compile(r"url\((['\"]?)(https?:)?//[^)]*\)")


class DataDocsError(RuntimeError):
    """Data Docs cannot be made offline (assets missing, an unknown external reference)."""


def assets_dir() -> Path:
    """Where ``make assets`` installed the npm packages (``$BAOTINH_DATADOCS_ASSETS`` wins)."""
    configured = os.environ.get(ASSETS_ENV)
    folder = Path(configured) if configured else REPO_ASSETS
    missing = [rel for rel in CDN_ASSETS.values() if not (folder / rel).is_file()]
    if missing:
        raise DataDocsError(
            f"the Data Docs assets are missing under {folder} ({len(missing)} files, e.g. "
            f"{missing[0]}): run `make assets` (or set {ASSETS_ENV} to its node_modules)"
        )
    return folder


def _gx_static() -> Path:
    import great_expectations

    return Path(great_expectations.__file__).parent / "render" / "view" / "static"


@dataclass
class ShardValidation:
    path: str  # the data file, relative to the release
    config: str
    rows: int = 0
    failed_rows: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)


@dataclass
class BatchPage:
    """One validation call (a batch of rows, from one file or several small ones) and its
    Data Docs page."""

    page: str  # relative to data_docs/
    config: str
    files: list[str]
    rows: int
    success: bool
    run_time: str


@dataclass
class ReleaseValidation:
    shards: list[ShardValidation] = field(default_factory=list)
    batches: list[BatchPage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # release-wide (uniqueness, ...)

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.shards)

    @property
    def failed_rows(self) -> int:
        return sum(s.failed_rows for s in self.shards)

    @property
    def ok(self) -> bool:
        return not self.failed_rows and not self.problems

    def summary(self) -> str:
        lines = [
            f"{len(self.shards)} files, {self.rows} rows, {self.failed_rows} failed rows"
            + (f", {len(self.problems)} release-wide problems" if self.problems else "")
        ]
        totals: dict[str, int] = {}
        for shard in self.shards:
            for name, n in shard.failures.items():
                totals[name] = totals.get(name, 0) + n
        lines += [f"  {n:>8}  {name}" for name, n in sorted(totals.items(), key=lambda x: -x[1])]
        lines += [f"  e.g. {e}" for s in self.shards for e in s.examples][:10]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


def validate_release(
    release_dir: Path,
    entries: list[FileEntry],
    version: str,
    batch_rows: int = 10_000,
    validator: BatchValidator | None = None,
) -> tuple[ReleaseValidation, list[tuple[str, Any]]]:
    """Validate every data file in batches of at most ``batch_rows`` rows (small files share a
    batch: each GX call has a fixed cost), so memory stays at one batch. Returns the outcome
    and, per batch, its page path (relative to ``data_docs/``) with its GX result."""
    validator = validator or BatchValidator()
    outcome = ReleaseValidation()
    results: list[tuple[str, Any]] = []
    shards: dict[str, ShardValidation] = {}
    pending: list[tuple[str, pa.Table, int]] = []  # (file, rows, offset of the rows in it)

    def run(config: str) -> None:
        if not pending:
            return
        table = pa.concat_tables([t for _p, t, _o in pending])
        per_row, result = validator.validate_table_result(table)
        number = len([b for b in outcome.batches if b.config == config]) + 1
        page = f"validations/{SUITE_NAME}/{version}/{config}/batch-{number:05d}.html"
        files = list(dict.fromkeys(p for p, _t, _o in pending))
        outcome.batches.append(
            BatchPage(
                page,
                config,
                files,
                table.num_rows,
                bool(result is None or result.success),
                datetime.now(UTC).isoformat(),
            )
        )
        results.append((page, result))
        at = 0
        for path, part, offset in pending:
            shard = shards[path]
            ids = part["article_id"].to_pylist()
            for i, failed in enumerate(per_row[at : at + part.num_rows]):
                if not failed:
                    continue
                shard.failed_rows += 1
                for name in failed:
                    shard.failures[name] = shard.failures.get(name, 0) + 1
                if len(shard.examples) < 5:
                    shard.examples.append(f"{path}#{offset + i} {ids[i]}: {', '.join(failed)}")
            shard.rows += part.num_rows
            at += part.num_rows
        pending.clear()

    for config in dict.fromkeys(e.config or "" for e in entries if e.kind == "data"):
        buffered = 0
        for entry in (e for e in entries if e.kind == "data" and (e.config or "") == config):
            shards[entry.path] = ShardValidation(entry.path, config)
            outcome.shards.append(shards[entry.path])
            parquet = pq.ParquetFile(release_dir / entry.path)
            offset = 0
            for record_batch in parquet.iter_batches(batch_size=batch_rows):
                part = pa.Table.from_batches([record_batch], schema=parquet.schema_arrow)
                if buffered and buffered + part.num_rows > batch_rows:
                    run(config)
                    buffered = 0
                pending.append((entry.path, part, offset))
                buffered += part.num_rows
                offset += part.num_rows
        run(config)
    return outcome, results


# -- Rendering ---------------------------------------------------------------------------------


def _integrity_ok(path: Path, integrity: str | None) -> bool:
    if not integrity:
        return True
    for token in integrity.split():
        algorithm, _, expected = token.partition("-")
        if algorithm in ("sha256", "sha384", "sha512"):
            digest = hashlib.new(algorithm, path.read_bytes()).digest()
            if base64.b64encode(digest).decode() == expected:
                return True
    return False


def _relative(from_page: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def offline_html(html: str, page: str, site: Path) -> str:
    """The page with every CDN reference pointing at the vendored copy and no external link.

    ``page`` is the page's path relative to the Data Docs root ``site``.
    """
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    assets = assets_dir()
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "style" and element.text:
            element.text = _offline_css(element.text, page)
        for attribute in ("src", "href"):
            value = element.get(attribute)
            if value is None:
                continue
            element.set(attribute, value)  # normalise
            if value in CDN_ASSETS:
                local = f"{VENDOR}/{CDN_ASSETS[value]}"
                if not _integrity_ok(assets / CDN_ASSETS[value], element.get("integrity")):
                    raise DataDocsError(f"{CDN_ASSETS[value]} does not match {value}'s integrity")
                element.attrib.pop("integrity", None)
                element.attrib.pop("crossorigin", None)
                element.set(attribute, _relative(page, local))
            elif GX_LOGO.match(value):
                element.set(attribute, _relative(page, LOCAL_LOGO))
            elif re.match(r"^(https?:)?//|^mailto:", value):
                if element.tag == "a":
                    del element.attrib[attribute]  # a link to GX's web site: text only
                else:
                    raise DataDocsError(f"{page}: no local copy of {value}")
            elif not value.startswith(("#", "data:", "javascript:")):
                _fix_relative(element, attribute, value, page, site)
    body = lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
    return body


def _fix_relative(element: Any, attribute: str, value: str, page: str, site: Path) -> None:
    """GX's pages assume their own folder depth; point a link that misses at the real file."""
    path = value.split("#", 1)[0].split("?", 1)[0]
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if not resolved.startswith("..") and (site / resolved).exists():
        return
    for anchor in ("static/", "expectations/", "index.html"):
        at = path.find(anchor)
        if at >= 0:
            element.set(attribute, _relative(page, path[at:]))
            return


def _offline_css(text: str, page: str) -> str:
    text = GX_LOGO.sub(_relative(page, LOCAL_LOGO), text)
    if _CSS_URL.search(text):
        raise DataDocsError(f"{page}: a style loads {_CSS_URL.search(text)[0]}")
    return text


def _vendor(site: Path) -> None:
    assets = assets_dir()
    for rel in sorted(set(CDN_ASSETS.values())):
        target = site / VENDOR / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(assets / rel, target)
        if target.suffix == ".css" and _CSS_URL.search(target.read_text("utf-8", "replace")):
            raise DataDocsError(f"vendored {rel} loads an external URL")
    for folder in CDN_FOLDERS:
        shutil.copytree(assets / folder, site / VENDOR / folder, dirs_exist_ok=True)
    shutil.copytree(_gx_static(), site / "static", dirs_exist_ok=True)
    # GX's own stylesheet may point at its web host; the copy must not.
    for css in (site / "static" / "styles").glob("*.css"):
        css.write_text(GX_LOGO.sub("../images/logo-long.png", css.read_text("utf-8")), "utf-8")


def write_data_docs(
    release_dir: Path, validation: ReleaseValidation, results: list[tuple[str, Any]], title: str
) -> list[str]:
    """Render the Data Docs site into ``<release>/data_docs``; returns its files (relative)."""
    from great_expectations.render.renderer import (
        ExpectationSuitePageRenderer,
        ValidationResultsPageRenderer,
    )
    from great_expectations.render.renderer.site_index_page_renderer import (
        SiteIndexPageRenderer,
    )
    from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView

    site = release_dir / DOCS
    site.mkdir(parents=True, exist_ok=True)
    _vendor(site)
    pages: dict[str, str] = {}
    suite_page = f"expectations/{SUITE_NAME}.html"
    suite = _runtime().suite
    pages[suite_page] = DefaultJinjaPageView().render(ExpectationSuitePageRenderer().render(suite))
    results_renderer = ValidationResultsPageRenderer()
    for page, result in results:
        if result is None:
            continue
        pages[page] = DefaultJinjaPageView().render(results_renderer.render(result))
    links = []
    for batch in validation.batches:
        first = batch.files[0]
        more = f" (+{len(batch.files) - 1} files)" if len(batch.files) > 1 else ""
        links.append(
            {
                "validation_success": batch.success,
                "run_time": batch.run_time,
                "run_name": batch.config,
                "asset_name": first + more,
                "batch_identifier": batch.page.rsplit("/", 1)[-1].removesuffix(".html"),
                "batch_spec": {"files": batch.files, "rows": batch.rows},
                "expectation_suite_name": SUITE_NAME,
                "expectation_suite_filepath": suite_page,
                "filepath": batch.page,
            }
        )
    index = SiteIndexPageRenderer.render(
        {
            "site_name": title,
            "validations_links": links,
            "expectations_links": [{"expectation_suite_name": SUITE_NAME, "filepath": suite_page}],
        }
    )
    pages["index.html"] = DefaultJinjaIndexPageView().render(index)
    for page in pages:  # every page exists before links are checked against the tree
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("", "utf-8")
    for page, html in pages.items():
        (site / page).write_text(offline_html(html, page, site), "utf-8")
    return sorted(p.relative_to(release_dir).as_posix() for p in site.rglob("*") if p.is_file())
