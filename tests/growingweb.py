"""A fixture web that grows between runs (SYNTHETIC): new articles appear in the feeds,
listings and sitemaps, and archived articles are edited, as a paper's site does.

A copy of ``tests/fixtureweb/sites`` is made in a temporary folder; :func:`grow` adds ``new``
articles to each site (copies of one of its stored pages with a new URL and headline, listed at
the top of its first feed and first listing page, and in its news sitemap with a lastmod) and
edits one archived article per site (a new headline; where a sitemap lists it, a new lastmod).
Every file it writes gets a later mtime, so ``Last-Modified`` moves as on a real server.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from baotinh.registry import get
from tests.fixtureweb.server import SITES_DIR, file_for

# Per source: a stored page used as the template of new articles, and one to edit.
TEMPLATES = {
    "baohatinh": "https://baohatinh.vn/nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html",
    "baokhanhhoa": (
        "https://baokhanhhoa.vn/xa-hoi/202512/nha-trang-ra-quan-don-rac-bo-bien-sau-mua-lu-a1b2c3d/"
    ),
    "baocantho": "https://baocantho.com.vn/cho-noi-cai-rang-don-khach-dip-cuoi-nam-a190002.html",
}
EDITS = {
    "baohatinh": "https://baohatinh.vn/ky-uc-nga-ba-dong-loc-post300111.html",
    "baokhanhhoa": "https://baokhanhhoa.vn/du-lich/202512/vinh-nha-trang-don-tau-du-lich-quoc-te-b4c5d6e/",
    "baocantho": "https://baocantho.com.vn/can-tho-khanh-thanh-cau-tran-hoang-na-moi-a190004.html",
}
NEWS_SITEMAP = ("baohatinh.vn", "sitemaps/news-2025-12.xml", "sitemap.xml")


@dataclass
class Growth:
    """What one call of :func:`grow` changed."""

    new_articles: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    changed_documents: list[str] = field(default_factory=list)  # feeds, listings, sitemaps


def copy_sites(root: Path) -> Path:
    sites = root / "sites"
    shutil.copytree(SITES_DIR, sites)
    return sites


def _path_of(sites: Path, url: str) -> Path:
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3]
    found = file_for(sites, host, path)
    if found is None:
        raise FileNotFoundError(url)
    return found


def _touch(path: Path, stamp: float) -> None:
    os.utime(path, (stamp, stamp))


def _new_url(template: str, serial: int) -> str:
    """The template's URL shape with a new slug and id."""
    if "-post" in template:
        return re.sub(r"/[^/]+-post\d+\.html$", f"/bai-moi-so-{serial}-post{480000 + serial}.html",
                      template)  # fmt: skip
    if re.search(r"-a\d+\.html$", template):
        return re.sub(r"/[^/]+-a\d+\.html$", f"/bai-moi-so-{serial}-a{480000 + serial}.html",
                      template)  # fmt: skip
    return re.sub(r"/[^/]+-[0-9a-f]{7}/$", f"/bai-moi-so-{serial}-{0xE00000 + serial:07x}/",
                  template)  # fmt: skip


def _write(path: Path, text: str, stamp: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    _touch(path, stamp)


def grow(sites: Path, new_per_site: int, *, edit: bool = True, serial_start: int = 1) -> Growth:
    """Add ``new_per_site`` articles to every site and (``edit``) edit one archived article."""
    growth = Growth()
    stamp = time.time() + 5  # strictly later than anything served so far
    serial = serial_start
    for source_id, template_url in TEMPLATES.items():
        source = get(source_id)
        template_file = _path_of(sites, template_url)
        template = template_file.read_text("utf-8")
        template_path = template_url.split("/", 3)[3]
        items, links, entries = [], [], []
        for _ in range(new_per_site):
            url = _new_url(template_url, serial)
            path = url.split("/", 3)[3]
            html = template.replace(template_path, path).replace(
                "</h1>", f" (tin số {serial})</h1>", 1
            )
            target = (
                sites / url.split("/")[2] / (path + "index.html" if path.endswith("/") else path)
            )
            _write(target, html, stamp)
            items.append(
                f"<item><title>Tin số {serial}</title><link>{url}</link><guid>{url}</guid>"
                f"<pubDate>Sat, 13 Dec 2025 09:{serial % 60:02d}:00 +0700</pubDate></item>"
            )
            links.append(f'<a href="{url}">Tin số {serial}</a>')
            stamp_text = f"2025-12-13T09:{serial % 60:02d}:00+07:00"
            entries.append(f"<url><loc>{url}</loc><lastmod>{stamp_text}</lastmod></url>")
            growth.new_articles.append(url)
            serial += 1
        feed = _path_of(sites, source.feeds[0])
        text = feed.read_text("utf-8")
        at = text.index("<item>")
        _write(feed, text[:at] + "\n".join(items) + "\n" + text[at:], stamp)
        growth.changed_documents.append(source.feeds[0])
        listing = _path_of(sites, source.listings[0])
        text = listing.read_text("utf-8")
        _write(listing, text.replace("</body>", "\n".join(links) + "\n</body>", 1), stamp)
        growth.changed_documents.append(source.listings[0])
        if edit:
            edited = _path_of(sites, EDITS[source_id])
            text = edited.read_text("utf-8")
            _write(edited, text.replace("</h1>", " (cập nhật)</h1>", 1), stamp)
            growth.edited.append(EDITS[source_id])
        if source.domains[0] == NEWS_SITEMAP[0]:
            host, child, index = NEWS_SITEMAP
            news = sites / host / child
            text = news.read_text("utf-8")
            if edit:  # the sitemap says the edited page changed
                page = re.escape(EDITS[source_id])
                text = re.sub(
                    f"(<loc>{page}</loc><lastmod>)[^<]+", r"\g<1>2025-12-13T10:00:00+07:00", text
                )
            _write(news, text.replace("</urlset>", "\n".join(entries) + "\n</urlset>"), stamp)
            index_file = sites / host / index
            text = index_file.read_text("utf-8")
            text = re.sub(f"(<loc>https://{host}/{child}</loc><lastmod>)[^<]+",
                          rf"\g<1>2025-12-13T10:{serial % 60:02d}:00+07:00", text)  # fmt: skip
            _write(index_file, text, stamp)
            growth.changed_documents += [f"https://{host}/{child}", f"https://{host}/{index}"]
    return growth
