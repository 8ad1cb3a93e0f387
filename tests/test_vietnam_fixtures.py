"""The simulated vietnam.vn is what ``tests/fixtureweb/portal.py`` writes (a test fails when a
page, a sitemap or ``expected_vietnam.json`` is stale), and the parser fixtures are its pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.fixtureweb import portal
from tests.fixtureweb.server import Routes

PARSER_FIXTURES = Path(__file__).parent / "fixtures" / "parsers" / "vietnamvn" / "2023"


def test_vietnam_fixture_web_is_what_the_generator_writes() -> None:
    for rel, text in portal.files().items():
        path = portal.SITES / rel
        assert path.is_file() and path.read_text("utf-8") == text, (
            f"{path} is stale: run `python -m tests.fixtureweb.portal`"
        )
    assert json.loads(portal.EXPECTED.read_text("utf-8")) == json.loads(
        json.dumps(portal.expected(), ensure_ascii=False)
    )
    written = {portal.SITES / rel for rel in portal.files()}
    on_disk = {
        p
        for site in ("vietnam.vn", "thongtin.vietnam.vn", "vjs.vietnam.vn")
        for p in (portal.SITES / site).rglob("*")
        if p.is_file()
    }
    assert on_disk == written, f"files no generator writes: {sorted(on_disk - written)}"


def test_vietnam_fixture_pages_are_synthetic_and_routed() -> None:
    Routes(portal.SITES)  # the scripted answers load (a typo would fail the server)
    readme = (portal.HERE / "README.md").read_text("utf-8")
    assert "vietnam.vn" in readme and "SYNTHETIC" in readme
    for story in portal.STORIES:  # every language and script the issue names is there
        for text in story.texts.values():
            assert text.body and text.title
    scripts = {lang for s in portal.STORIES for lang in s.texts}
    assert {"vi", "de", "en", "ko", "zh"} <= scripts


def test_vietnam_parser_fixtures_are_pages_of_the_fixture_web() -> None:
    for html in PARSER_FIXTURES.glob("*.html"):
        url = (
            json.loads(html.with_suffix(".json").read_text("utf-8"))["url"]
            if html.with_suffix(".json").is_file()
            else "https://www.vietnam.vn/category/xa-hoi"
        )
        served = portal.SITES / portal._file_of(url)
        if not served.is_file():  # a regenerated page lives under _src/
            name = re.sub(r"^https://[^/]+/([a-z]{2})/(.+)$", r"\1-\2-v1.html", url)
            served = portal.SITES / "vietnam.vn" / "_src" / name
        assert html.read_text("utf-8") == served.read_text("utf-8"), html.name
