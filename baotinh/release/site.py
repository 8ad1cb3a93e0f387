"""``index.html``: the release as one static page (the card rendered, the plots, every file with
its size, rows and checksum, the load snippets), publishable on any static host as it is."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from baotinh.release.manifest import FileEntry
from baotinh.release.plots import PLOTS

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_SNIPPET = re.compile(r"<!-- snippet:(\w+) -->\n```python\n(.*?)```", re.S)


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def card_snippets(card: str) -> dict[str, str]:
    """The runnable load snippets of a card, by name (duckdb, datasets, pandas, polars)."""
    return {name: code for name, code in _SNIPPET.findall(card)}


def render_card(card: str) -> str:
    """The card's Markdown (without its YAML header) as HTML; raw HTML in it is not trusted."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.render(_FRONT_MATTER.sub("", card, count=1))


def index_html(
    *,
    title: str,
    version: str,
    schema_version: str,
    created_at: str,
    card: str,
    files: list[FileEntry],
    articles: int,
    versions_rows: int,
    validation: str,
    replaces: str | None,
) -> str:
    env = Environment(
        loader=PackageLoader("baotinh.release", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    data = [f for f in files if f.kind == "data"]
    docs = [f for f in files if f.kind != "data" and not f.path.startswith("data_docs/")]
    context: dict[str, Any] = {
        "title": title,
        "version": version,
        "schema_version": schema_version,
        "created_at": created_at,
        "articles": articles,
        "versions_rows": versions_rows,
        "validation": validation,
        "replaces": replaces,
        "docs_index": "data_docs/index.html",
        "total_size": human_size(sum(f.bytes for f in files)),
        "plots": [{"path": rel, "title": t} for rel, t in PLOTS.values()],
        "snippets": [{"name": n, "code": c} for n, c in card_snippets(card).items()],
        "data_files": [
            {
                "path": f.path,
                "config": f.config,
                "rows": f.rows,
                "size": human_size(f.bytes),
                "sha256": f.sha256,
            }
            for f in data
        ],
        "doc_files": [{"path": f.path, "size": human_size(f.bytes)} for f in docs],
        "card_html": Markup(render_card(card)),  # markdown-it escapes raw HTML (html=False)
    }
    return env.get_template("index.html.j2").render(context)


def write_index(path: Path, **kwargs: Any) -> None:
    path.write_text(index_html(**kwargs), "utf-8")
