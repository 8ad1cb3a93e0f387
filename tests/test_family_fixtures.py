"""One test walks every registered family version through its fixtures (fundus's scheme).

``tests/fixtures/parsers/<family>/<version>/`` holds, for each version: ``version.toml`` (the
hosts, the anchored article and pagination patterns, the listing and feed/sitemap pages with the
article URLs each must yield), at least one listing page, one feed or sitemap, and two article
pages, each ``<name>.html`` with its expected extraction ``<name>.json`` beside it. A registered
version without such a folder, or whose pages do not extract as expected, fails here.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from baotinh.parsers.families import FamilyParser, parser_for, registered
from baotinh.registry import Source
from baotinh.registry.loader import load_registry
from baotinh.registry.model import FamilyPeriod
from spiders.discovery import listing_links, parse_feed, parse_sitemap

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"
VERSIONS: list[type[FamilyParser]] = [v for vs in registered().values() for v in vs]
# Every field an article's expected JSON states; a page that is skipped states skip_reason only.
ARTICLE_FIELDS = (
    "title",
    "sapo",
    "body",
    "authors",
    "published_at",
    "published_precision",
    "category",
    "tags",
    "content_type",
    "skip_reason",
)


def _folder(version: type[FamilyParser]) -> Path:
    return FIXTURES / version.family / version.version


def _meta(version: type[FamilyParser]) -> dict:
    path = _folder(version) / "version.toml"
    assert path.is_file(), f"{version.__qualname__}: no fixtures at {path.parent}"
    return tomllib.loads(path.read_text("utf-8"))


def _source(meta: dict) -> Source:
    """A source on the version's hosts with the *registry's* patterns for its family (what the
    crawl uses), so the fixtures check the registry's URL rules too."""
    registry = load_registry()
    family = registry.families[meta["family"]]
    period = FamilyPeriod(
        family=meta["family"],
        start=None,
        evidence="fixture",
        article=tuple(f.value for f in family.article),
        pagination=family.pagination.value if family.pagination else None,
    )
    return Source(
        id=f"fixture_{meta['family']}_{meta['version']}",
        name="fixture",
        publisher_id="fixture",
        province="Hà Nội",
        former_province="Hà Nội",
        domains=tuple(meta["hosts"]),
        home=f"https://{meta['hosts'][0]}/",
        periods=(period,),
        never_articles=tuple(f.value for f in registry.never_articles),
    )


def _pages(version: type[FamilyParser]) -> list[tuple[Path, dict]]:
    folder = _folder(version)
    return [
        (html, json.loads(html.with_suffix(".json").read_text("utf-8")))
        for html in sorted(folder.glob("*.html"))
        if html.with_suffix(".json").is_file()
    ]


def _ids(versions: list[type[FamilyParser]]) -> list[str]:
    return [f"{v.family}/{v.version}" for v in versions]


@pytest.mark.parametrize("version", VERSIONS, ids=_ids(VERSIONS))
def test_every_version_has_its_fixtures(version: type[FamilyParser]) -> None:
    meta = _meta(version)
    assert (meta["family"], meta["version"]) == (version.family, version.version)
    folder = _folder(version)
    assert "SYNTHETIC" in (folder / "README.md").read_text("utf-8")
    assert meta.get("listing"), f"{folder}: no listing page"
    assert meta.get("feed") or meta.get("sitemap"), f"{folder}: no feed or sitemap"
    articles = [page for page, want in _pages(version) if want["expected"]["skip_reason"] is None]
    assert len(articles) >= 2, f"{folder}: fewer than two article pages with expected JSON"
    declared = {e["file"] for kind in ("listing", "feed", "sitemap") for e in meta.get(kind, [])}
    for html in folder.glob("*.html"):
        assert html.name in declared or html.with_suffix(".json").is_file(), (
            f"{html}: neither declared in version.toml nor given an expected JSON"
        )


@pytest.mark.parametrize("version", VERSIONS, ids=_ids(VERSIONS))
def test_every_version_extracts_its_pages_as_expected(version: type[FamilyParser]) -> None:
    pages = _pages(version)
    assert pages, f"{version.__qualname__}: no pages with an expected JSON"
    for html, want in pages:
        expected = want["expected"]
        captured = date.fromisoformat(want["captured_at"])
        assert type(parser_for(version.family, captured)) is version, (
            f"{html.name}: captured {captured}, which {version.__qualname__} does not serve"
        )
        page = version().parse(html.read_text("utf-8"), want["url"])
        where = f"{version.family}/{version.version}/{html.name}"
        assert page.skip_reason == expected["skip_reason"], f"{where}: skip_reason"
        assert page.extractor == version.extractor_id()
        if expected["skip_reason"] is not None:
            continue
        assert set(expected) == set(ARTICLE_FIELDS), f"{where}: expected JSON fields"
        published = datetime.fromisoformat(expected["published_at"])
        got = {
            "title": page.title,
            "sapo": page.sapo,
            "body": page.paragraphs,
            "authors": page.authors,
            "published_at": page.published_at,
            "published_precision": page.published_precision,
            "category": page.category,
            "tags": page.tags,
            "content_type": page.content_type,
        }
        want_values = {**expected, "published_at": published}
        for field in got:
            assert got[field] == want_values[field], f"{where}: {field}"
        assert page.published_at.utcoffset() == published.utcoffset(), f"{where}: offset"


@pytest.mark.parametrize("version", VERSIONS, ids=_ids(VERSIONS))
def test_every_version_discovers_from_its_listing_and_feed(version: type[FamilyParser]) -> None:
    meta = _meta(version)
    source = _source(meta)
    folder = _folder(version)
    for listing in meta["listing"]:
        body = (folder / listing["file"]).read_bytes()
        response = HtmlResponse(listing["url"], body=body, encoding="utf-8")
        links = listing_links(response, source)
        assert links.articles == listing["articles"], f"{listing['file']}: article links"
        assert links.pagination == listing.get("pagination", []), f"{listing['file']}: pages"
        # The family's documented listing markup leads to article URLs only.
        teasers = [
            response.urljoin(h)
            for query in version.LISTING
            for h in Selector(text=body.decode("utf-8")).css(f"{query}::attr(href)").getall()
        ]
        assert all(source.is_article_url(u) for u in teasers), f"{listing['file']}: teasers"
        # A listing (tag, event, category page) is never stored as an article.
        page = version().parse(body.decode("utf-8"), listing["url"])
        assert page.skip_reason == "not_article", f"{listing['file']}: parsed as an article"
    for feed in meta.get("feed", []):
        items = parse_feed((folder / feed["file"]).read_bytes(), feed["url"])
        urls = [c.url for c in items if source.is_article_url(c.url)]
        assert urls == feed["articles"], f"{feed['file']}: article items"
    for sitemap in meta.get("sitemap", []):
        found = parse_sitemap((folder / sitemap["file"]).read_bytes(), sitemap["url"])
        urls = [c.url for c in found.urls if source.is_article_url(c.url)]
        assert urls == sitemap["articles"], f"{sitemap['file']}: article URLs"
    for not_article in meta.get("not_articles", []):
        assert not source.is_article_url(not_article), f"pattern takes {not_article}"


def test_every_fixture_folder_belongs_to_a_registered_version() -> None:
    known = {(v.family, v.version) for v in VERSIONS}
    folders = {(p.parent.name, p.name) for p in FIXTURES.glob("*/*") if p.is_dir()}
    assert folders <= known, f"fixtures of no registered version: {sorted(folders - known)}"
