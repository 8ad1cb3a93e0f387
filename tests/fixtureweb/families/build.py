"""Write the families web's sites (SYNTHETIC; see README.md) into ``sites/``.

    python -m tests.fixtureweb.families.build           # rewrite sites/
    python -m tests.fixtureweb.families.build --check   # exit 1 if sites/ is stale

The pages are generated rather than typed one by one so that sixty articles keep one markup
per site; the written files are committed (the fixture web serves them as they are, and a
reviewer reads them), and ``tests/test_families_web.py`` fails when they are stale.
Each site gets ``_expected.json`` beside its pages (never served: ``_`` paths are not): what a
correct crawl stores, and what it must never store.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from baotinh.crawl.fixtures import fixture_path
from tests.fixtureweb.families import EXPECTED_FILE, SITES_DIR
from tests.fixtureweb.families.content import SITES
from tests.fixtureweb.families.model import Article, Site
from tests.fixtureweb.families.templates import TEMPLATES, e, listing_page

XML_MARK = "<!-- SYNTHETIC: tests/fixtureweb/families/README.md -->"


def articles_by_url() -> dict[str, Article]:
    return {site.url(a.path): a for site in SITES for a in site.articles}


def via(site: Site, prefix: str) -> dict[str, list[str]]:
    """Discovery documents named in the articles' and redirects' ``via`` (``feed:<path>``),
    each with the URLs it lists, in article order."""
    found: dict[str, list[str]] = {}
    entries = [(a.via, a.path) for a in site.articles] + [(r.via, r.path) for r in site.redirects]
    for vias, path in entries:
        for name in vias:
            if name.startswith(prefix):
                found.setdefault(name[len(prefix) :], []).append(site.url(path))
    return found


def listed(site: Site, name: str) -> list[Article]:
    """The articles (and the redirecting URLs, as their target's teaser) listed where ``via``
    says ``name``."""
    targets = articles_by_url()
    items = [a for a in site.articles if name in a.via]
    for redirect in site.redirects:
        if name in redirect.via:
            target = targets[redirect.to]
            items.append(Article(**{**target.__dict__, "path": redirect.path}))
    return sorted(items, key=lambda a: a.published, reverse=True)


def rss(site: Site, path: str, urls: list[str]) -> str:
    index = articles_by_url()
    items = []
    for url in urls:
        article = index.get(url) or _redirect_target(site, url)
        when = format_datetime(datetime.fromisoformat(article.published))
        items.append(
            f"<item><title><![CDATA[{article.title}]]></title><link>{e(url)}</link>"
            f"<guid>{e(url)}</guid><pubDate>{when}</pubDate>"
            f"<description><![CDATA[{article.sapo}]]></description></item>"
        )
    body = "\n".join(items)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{XML_MARK}\n<rss version="2.0"><channel>\n'
        f"<title>{e(site.paper)}</title><link>{site.home}/</link>"
        f"<description>{e(site.paper)} - {e(path)}</description><language>vi-vn</language>\n"
        f"{body}\n</channel></rss>\n"
    )


def _redirect_target(site: Site, url: str) -> Article:
    redirect = next(r for r in site.redirects if site.url(r.path) == url)
    return articles_by_url()[redirect.to]


def urlset(site: Site, urls: list[str], extra: Iterable[str] = ()) -> str:
    index = articles_by_url()
    rows = []
    for url in urls:
        article = index.get(url) or _redirect_target(site, url)
        rows.append(f"<url><loc>{e(url)}</loc><lastmod>{article.published}</lastmod></url>")
    rows += [f"<url><loc>{e(url)}</loc></url>" for url in extra]
    body = "\n".join(rows)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{XML_MARK}\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n'
    )


def sitemap_index(site: Site, children: list[str]) -> str:
    rows = "\n".join(f"<sitemap><loc>{site.url(c)}</loc></sitemap>" for c in children)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{XML_MARK}\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}\n'
        f"</sitemapindex>\n"
    )


def robots(site: Site) -> str:
    lines = ["# Synthetic fixture (tests/fixtureweb/families/README.md)", "User-agent: *"]
    lines.append("Disallow: /admin/")
    lines += [""] + [f"Sitemap: {site.url(p)}" for p in site.robots_sitemaps]
    return "\n".join(lines) + "\n"


def pagination(url: str) -> str:
    return f'<div class="pagination"><a href="{e(url)}">Trang sau</a></div>'


def page_links(site: Site) -> str:
    """The tag, event and search links listings carry (a tag cloud under the teasers)."""
    items = [(p.title, p.path) for p in site.pages if p.kind in ("tag", "event", "search")]
    cloud = "".join(f'<a href="{e(path)}">{e(name)}</a>' for name, path in items)
    return f'<div class="tag-cloud">{cloud}</div>'


def render_site(site: Site) -> dict[str, str]:
    """Relative file path -> content, for one site."""
    article_page = TEMPLATES[site.source_id][0]
    files: dict[str, str] = {"robots.txt": robots(site)}

    def put(path: str, text: str) -> None:
        rel = fixture_path(site.url(path)).relative_to(site.host)
        files[str(rel)] = text

    for article in site.articles:
        html = article_page(site, article)
        put(article.path, unicodedata.normalize("NFD", html) if article.nfd else html)
    # The listing the registry names, and its page 2 (reached only through pagination).
    second, more = site.listing + site.next_page, listed(site, "home2")
    extra = (pagination(second) if more else "") + page_links(site)
    put(site.listing, listing_page(site, None, site.paper, listed(site, "home"), extra))
    if more:
        put(second, listing_page(site, None, f"{site.paper} - trang 2", more, ""))
    # Category pages (walked from the homepage's menu when the source follows menus).
    categories = {p.path for p in site.pages if p.kind == "category"}
    for page in site.pages:
        if page.kind == "category" and listed(site, f"cat:{page.path}"):
            items = listed(site, f"cat:{page.path}")
            more = listed(site, f"cat2:{page.path}")
            extra = pagination(page.path + "?page=2") if more else ""
            put(page.path, listing_page(site, page, "", items, extra + page_links(site)))
            if more:
                put(page.path + "?page=2", listing_page(site, page, "", more, ""))
            continue
        if page.links:
            items = [a for a in site.articles if a.path in page.links]
        elif page.kind == "tag":
            items = [a for a in site.articles if any(p == page.path for _, p in a.tags)]
        elif page.kind == "category":
            items = [a for a in site.articles if a.category[1] == page.path]
        else:
            items = site.articles[:3]
        put(page.path, listing_page(site, page, "", items or site.articles[:3], ""))
    for path, urls in via(site, "feed:").items():
        put(path, rss(site, path, urls))
    for path, urls in via(site, "sitemap:").items():
        # A sitemap lists section pages too: they are discovered and skipped, never fetched.
        put(path, urlset(site, urls, extra=[site.url(sorted(categories)[0])]))
    for path, children in site.sitemap_index.items():
        put(path, sitemap_index(site, children))
    if site.redirects:
        files["_routes.toml"] = routes(site)
    files[EXPECTED_FILE] = json.dumps(expected(site), ensure_ascii=False, indent=2) + "\n"
    return files


def routes(site: Site) -> str:
    lines = ["# Scripted answers (tests/fixtureweb/README.md): old URLs moved to the new paper."]
    for redirect in site.redirects:
        lines += [
            "",
            "[[route]]",
            f'path = "{redirect.path}"',
            f'answers = [{{ status = 301, headers = {{ Location = "{redirect.to}" }} }}]',
        ]
    return "\n".join(lines) + "\n"


def expected(site: Site) -> dict[str, object]:
    """What a correct crawl of the site stores (per article) and never stores."""
    articles = []
    for a in site.articles:
        entry: dict[str, object] = {
            "url": site.url(a.path),
            "title": a.title,
            "published_at": a.published,
            "published_precision": a.precision,
            "sapo": a.sapo,
            "body": "\n\n".join(a.body),
            "authors": list(a.authors),
            "found_via": list(a.via),
        }
        if a.province_at_publication:
            entry["province_at_publication"] = a.province_at_publication
        articles.append(entry)
    return {
        "_about": (
            "SYNTHETIC site of the families web (tests/fixtureweb/families/README.md): what a "
            "correct crawl stores for each article, the pages it must never store, and the old "
            "URLs that redirect to another paper's article (stored once, under the new URL)."
        ),
        "source_id": site.source_id,
        "family": site.family,
        "articles": articles,
        "not_articles": [{"url": site.url(p.path), "kind": p.kind} for p in site.pages],
        "redirects": [{"from": site.url(r.path), "to": r.to} for r in site.redirects],
    }


def write(target: Path) -> None:
    for site in SITES:
        folder = target / site.host
        if folder.exists():
            shutil.rmtree(folder)
        for rel, text in render_site(site).items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")


def stale(target: Path = SITES_DIR) -> list[str]:
    """Files of ``target`` that differ from what this script writes (or are missing/extra)."""
    with tempfile.TemporaryDirectory() as fresh:
        write(Path(fresh))
        return _differences(filecmp.dircmp(fresh, target), "")


def _differences(cmp: filecmp.dircmp[str], prefix: str) -> list[str]:
    found = [prefix + n for n in (*cmp.left_only, *cmp.right_only, *cmp.diff_files)]
    for name, sub in cmp.subdirs.items():
        found += _differences(sub, f"{prefix}{name}/")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether sites/ is stale")
    args = parser.parse_args(argv)
    if args.check:
        differing = stale()
        for name in differing:
            print(f"stale: {name}", file=sys.stderr)
        return 1 if differing else 0
    write(SITES_DIR)
    print(f"wrote {len(SITES)} sites into {SITES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
