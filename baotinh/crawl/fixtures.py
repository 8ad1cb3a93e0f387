"""``baotinh check --save-fixtures DIR``: what a check fetched, saved as fixture web sites.

The check crawls into a temporary folder with WARC capture on; every exchange it made is in
that folder's WARC files. This module turns them into the fixture web's layout
(``tests/fixtureweb/README.md``), so real pages become test fixtures with one command:

- ``DIR/<host>/<path>``: the body of each URL that answered 200 (decoded), at the file the
  fixture web serves for that URL (``/a/b.html`` -> ``a/b.html``, ``/a/`` -> ``a/index.html``,
  ``/a/?page=2`` -> ``a/index@page=2.html``; ``www.``/``m.`` dropped from the host);
- ``DIR/<host>/_routes.toml``: the answers that were not a plain 200, in the order they came
  (redirects with their ``Location``, errors, a 429 with its ``Retry-After`` then the 200);
- ``DIR/<host>/<path>.expected.json`` beside each article page: what the parser extracted,
  marked ``"reviewed": false`` until a person has checked it against the page;
- ``DIR/_warc/``: the WARC files themselves (the exchanges as sent).
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator

from baotinh.capture.archive import WarcStream
from baotinh.dataset.layout import Layout
from baotinh.dataset.ledger import Ledger

WARC_DIR = "_warc"
ROUTES = "_routes.toml"
EXPECTED_SUFFIX = ".expected.json"
# Fields of an expected JSON (the card's coverage fields first).
EXPECTED_FIELDS = ("title", "sapo", "body", "authors", "published_at", "published_precision",
                   "category", "tags", "content_type", "language", "canonical_url",
                   "extractor")  # fmt: skip
# Answer headers a scripted route needs to play the exchange again.
ROUTE_HEADERS = ("location", "retry-after")


def fixture_path(url: str) -> Path:
    """The file the fixture web serves for ``url`` (relative to the sites folder)."""
    parts = urlsplit(url)
    path = unquote(parts.path or "/")
    if path.endswith("/"):
        path += "index.html"
    rel = Path(path.lstrip("/"))
    if parts.query:
        stem, ext = os.path.splitext(rel.name)
        rel = rel.with_name(f"{stem}@{quote(parts.query, safe='=&')}{ext}")
    return Path(_site_name(parts.hostname or "")) / rel


def _site_name(host: str) -> str:
    """The host's folder, as the fixture web names it (``www.`` and ``m.`` dropped)."""
    host = host.lower().rstrip(".")
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host


def route_target(url: str) -> str:
    """How a route names a URL: its path and query as requested."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class SavedFixtures:
    files: int = 0
    routes: int = 0
    expected: int = 0
    warc_files: int = 0
    hosts: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"saved {self.files} pages, {self.routes} scripted answers and {self.expected} "
            f"expected extractions (unreviewed) for {', '.join(sorted(self.hosts)) or 'no host'}"
            f"; {self.warc_files} WARC files"
        )


def exchanges(dataset: Path) -> OrderedDict[str, list[Answer]]:
    """Every URL the crawl asked for, with its answers in the order they came."""
    layout = Layout.of(dataset)
    with Ledger.open(layout.root, recover=False) as ledger:
        files = list(ledger.warc_files())
    payloads: dict[str, bytes] = {}
    answers: OrderedDict[str, list[Answer]] = OrderedDict()
    for rel in files:
        with WarcStream(layout.root / rel, rel).open() as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type not in ("response", "revisit") or record.http_headers is None:
                    continue
                headers = record.rec_headers
                body = record.content_stream().read()
                if record.rec_type == "response":
                    payloads[headers.get_header("WARC-Record-ID")] = body
                else:
                    body = payloads.get(headers.get_header("WARC-Refers-To") or "", body)
                http = record.http_headers
                status = int(http.get_statuscode() or 0)
                kept = {k: v for k, v in http.headers if k.lower() in ROUTE_HEADERS}
                url = headers.get_header("WARC-Target-URI")
                answers.setdefault(url, []).append(Answer(status, kept, body))
    return answers


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string takes JSON's escapes


def _write_routes(path: Path, routes: dict[str, list[Answer]]) -> None:
    """Merge ``routes`` into the host's ``_routes.toml`` (a path saved again is replaced)."""
    known: dict[str, list[dict[str, Any]]] = {}
    if path.is_file():
        for route in tomllib.loads(path.read_text("utf-8")).get("route", []):
            known[route["path"]] = route["answers"]
    for target, answers in routes.items():
        known[target] = [
            {"status": a.status, **({"headers": a.headers} if a.headers else {})} for a in answers
        ]
    lines = ["# Scripted answers (see tests/fixtureweb/README.md), saved by baotinh check", ""]
    for target, answers in known.items():
        rendered = []
        for answer in answers:
            fields = [f"status = {int(answer['status'])}"]
            if answer.get("headers"):
                pairs = ", ".join(f"{_toml_string(k)} = {_toml_string(v)}"
                                  for k, v in answer["headers"].items())  # fmt: skip
                fields.append(f"headers = {{ {pairs} }}")
            rendered.append("{ " + ", ".join(fields) + " }")
        lines += ["[[route]]", f"path = {_toml_string(target)}",
                  f"answers = [{', '.join(rendered)}]", ""]  # fmt: skip
    path.write_text("\n".join(lines), "utf-8")


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def save_fixtures(dataset: Path, target: Path, rows: list[dict[str, Any]]) -> SavedFixtures:
    """Write the check's exchanges (from ``dataset``'s WARC files) and its extracted ``rows``
    (stored and quarantined, each with its record's URL as ``record_url``) under ``target``."""
    saved = SavedFixtures()
    routes: dict[str, dict[str, list[Answer]]] = {}
    for url, answers in exchanges(dataset).items():
        host_dir = fixture_path(url).parts[0]
        last_ok = next((a for a in reversed(answers) if a.status == 200), None)
        if last_ok is not None:
            file = target / fixture_path(url)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(last_ok.body)
            saved.files += 1
            saved.hosts.add(host_dir)
        plain = all(a.status == 200 for a in answers) or all(a.status == 404 for a in answers)
        if not plain:  # the fixture web answers a missing file with 404 by itself
            routes.setdefault(host_dir, {})[route_target(url)] = answers
            saved.routes += 1
            saved.hosts.add(host_dir)
    for host_dir, host_routes in routes.items():
        (target / host_dir).mkdir(parents=True, exist_ok=True)
        _write_routes(target / host_dir / ROUTES, host_routes)
    for row in rows:
        page = target / fixture_path(row["record_url"])
        expected = {"reviewed": False, "url": row["url"], "source_id": row["source_id"],
                    "outcome": row["outcome"]}  # fmt: skip
        if row.get("failed_expectations"):
            expected["failed_expectations"] = list(row["failed_expectations"])
        expected.update({name: _json_value(row.get(name)) for name in EXPECTED_FIELDS})
        page.parent.mkdir(parents=True, exist_ok=True)
        page.with_name(page.name + EXPECTED_SUFFIX).write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
        saved.expected += 1
    warc_dir = target / WARC_DIR
    warc_dir.mkdir(parents=True, exist_ok=True)
    for warc in sorted(Layout.of(dataset).warc.glob("*.warc.gz")):
        shutil.copy2(warc, warc_dir / warc.name)
        saved.warc_files += 1
    return saved
