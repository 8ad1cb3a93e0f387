"""The page templates of the families web (SYNTHETIC; see README.md).

One template per site, in its family's markup as the parser fixtures document it (documented
selectors from ``../shared/research/sources.md``, the rest assumed there). Every page prints
the site header's today-date and a footer; article pages add a related-news box whose teasers
carry other dates; the article's own date line stands by its headline. Variants (``style``)
move the date line into markup the family's selectors do not know, so the generic date-line
rule must find it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from tests.fixtureweb.families.model import Article, Page, Site

MARK = "<!-- SYNTHETIC page of the families web: tests/fixtureweb/families/README.md -->"


def e(text: str) -> str:
    return escape(text, quote=True)


def teaser_time(article: Article) -> str:
    when = datetime.fromisoformat(article.published)
    return when.strftime("%d/%m/%Y %H:%M")


def related(site: Site, article: Article) -> Article:
    """Another article of the site (the one listed after it), for the related-news box."""
    others = [a for a in site.articles if a.path != article.path]
    index = site.articles.index(article) if article in site.articles else 0
    return others[index % len(others)]


def byline(article: Article) -> str:
    return article.byline or ", ".join(article.authors)


def head(
    site: Site,
    title: str,
    *,
    meta: bool = True,
    canonical: str | None = None,
    description: str | None = None,
) -> str:
    suffix = f"{title} - {site.paper}" if title != site.paper else title
    lines = ['<meta charset="utf-8">', f"<title>{e(suffix)}</title>"]
    if meta:
        lines.append(f'<meta property="og:title" content="{e(suffix)}">')
        lines.append('<meta property="og:type" content="article">')
        if description:
            lines.append(f'<meta name="description" content="{e(description)}">')
    if canonical:
        lines.append(f'<link rel="canonical" href="{e(canonical)}">')
    return "\n".join(lines)


def document(head_html: str, body_html: str) -> str:
    return (
        f'<!DOCTYPE html>\n{MARK}\n<html lang="vi">\n<head>\n{head_html}\n</head>\n<body>\n'
        f"{body_html}\n</body>\n</html>\n"
    )


def links(items: tuple[tuple[str, str], ...], tag: str = "", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    if tag:
        return "".join(f'<{tag}{attr}><a href="{e(p)}">{e(n)}</a></{tag}>' for n, p in items)
    return "".join(f'<a{attr} href="{e(p)}">{e(n)}</a>' for n, p in items)


def paragraphs(article: Article) -> str:
    return "\n".join(f"<p>{e(p)}</p>" for p in article.body)


# -- family D: the b-grid / sc-longform template (baonghean.vn) --------------------------------


def bgrid_chrome(site: Site) -> tuple[str, str]:
    top = (
        f'<div class="c-header"><div class="c-header__date">{e(site.today)}</div>'
        f'<a class="c-header__logo" href="/">{e(site.paper)}</a></div>\n'
        f'<div class="c-menu">{links(site.menu)}</div>'
    )
    bottom = f'<div class="c-footer"><p>{e(site.paper)} điện tử.</p></div>'
    return top, bottom


def bgrid_teaser(article: Article, lead: bool = False) -> str:
    img = (
        f'<div class="b-grid__img"><a href="{e(article.path)}"><img src="/images/'
        f'{article.path.strip("/").rsplit("-", 1)[0][:20]}.jpg" alt=""></a></div>'
        if lead
        else ""
    )
    return (
        f'<div class="b-grid">{img}<div class="b-grid__content"><h3 class="b-grid__title">'
        f'<a href="{e(article.path)}">{e(article.title)}</a></h3>'
        f'<div class="b-grid__time">{teaser_time(article)}</div></div></div>'
    )


def bgrid_article(site: Site, a: Article) -> str:
    top, bottom = bgrid_chrome(site)
    crumbs = f'<div class="c-breadcrumb"><a href="/">Trang chủ</a>{links((a.category,))}</div>'
    if a.style == "block":
        article = (
            f'<h1 class="block-sc-title">{e(a.title)}</h1>\n'
            f'<div class="block-sc-meta"><span class="block-sc-publish-time">{e(a.date_line)}'
            f"</span></div>\n"
            f'<p class="block-sc-sapo">{e(a.sapo)}</p>\n'
            f'<div class="block-sc-content">\n{paragraphs(a)}\n'
            f'<p class="block-sc-author">{e(byline(a))}</p>\n</div>'
        )
    else:
        # "unknown-date": the date line in a box the D selectors do not name.
        date_cls = "post-meta__when" if a.style == "unknown-date" else "sc-longform-header-date"
        article = (
            f'<div class="sc-longform-header">\n<h1 class="sc-longform-header-title">'
            f"{e(a.title)}</h1>\n"
            f'<div class="sc-longform-header-meta"><span class="sc-longform-header-author">'
            f'{e(byline(a))}</span><span class="{date_cls}">{e(a.date_line)}</span></div>\n'
            f'<p class="sc-longform-header-sapo">{e(a.sapo)}</p>\n</div>\n'
            f'<div class="sc-longform-body">\n{paragraphs(a)}\n</div>'
        )
    tags = f'<div class="c-tags">{links(a.tags)}</div>' if a.tags else ""
    box = f'<div class="c-box-related">{bgrid_teaser(related(site, a))}</div>'
    body = f'{top}\n<div class="l-content">\n{crumbs}\n{article}\n{tags}\n{box}\n</div>\n{bottom}'
    meta = a.style != "no-meta"
    canonical = site.url(a.path)
    return document(head(site, a.title, meta=meta, canonical=canonical, description=a.sapo), body)


def bgrid_listing(site: Site, title: str, items: list[Article], extra: str) -> str:
    top, bottom = bgrid_chrome(site)
    teasers = "\n".join(bgrid_teaser(a, lead=i == 0) for i, a in enumerate(items))
    body = (
        f'{top}\n<div class="l-content">\n<h1 class="c-title">{e(title)}</h1>\n{teasers}\n'
        f"{extra}\n</div>\n{bottom}"
    )
    return document(head(site, title, meta=False), body)


# -- family E: the ".htm" template (baothanhhoa.vn) --------------------------------------------


def htm_chrome(site: Site) -> tuple[str, str]:
    top = (
        f'<header><div class="topbar"><span>{e(site.today)}</span></div>'
        f'<a class="logo" href="/">{e(site.paper)}</a>\n<nav>{links(site.menu)}</nav></header>'
    )
    return top, f"<footer><p>{e(site.paper)} điện tử.</p></footer>"


def htm_teaser(article: Article, heading: str = "h3") -> str:
    return (
        f'<article class="story"><{heading}><a href="{e(article.path)}">{e(article.title)}</a>'
        f'</{heading}><span class="story__time">{teaser_time(article)}</span></article>'
    )


def breadcrumb(a: Article) -> str:
    home = '<li><a href="/">Trang chủ</a></li>'
    return f'<ul class="breadcrumb">{home}{links((a.category,), "li")}</ul>'


def htm_article(site: Site, a: Article) -> str:
    top, bottom = htm_chrome(site)
    crumbs = breadcrumb(a)
    tags = f'<div class="article__tags">{links(a.tags)}</div>' if a.tags else ""
    if a.style == "body":
        article = (
            f'<div id="body">\n<h1 class="title">{e(a.title)}</h1>\n'
            f'<span class="post-time">{e(a.date_line)}</span>\n<p class="sapo">{e(a.sapo)}</p>\n'
            f'{paragraphs(a)}\n<p class="author">{e(byline(a))}</p>\n</div>\n{tags}'
        )
    else:
        if a.style == "unknown-date":  # the date line and an update line, classes unknown to E
            meta = (
                f'<p class="info-line">{e(a.date_line)}</p>\n'
                f'<p class="info-line">Cập nhật: 12/12/2025 08:00</p>'
            )
        else:
            meta = (
                f'<div class="article__meta"><span class="article__date">{e(a.date_line)}</span>'
                "</div>"
            )
        article = (
            f'<article class="article">\n<h1 class="article__title">{e(a.title)}</h1>\n{meta}\n'
            f'<div class="article__sapo">{e(a.sapo)}</div>\n'
            f'<div class="article__body">\n{paragraphs(a)}\n</div>\n'
            f'<div class="article__author">{e(byline(a))}</div>\n{tags}\n</article>'
        )
    other = related(site, a)
    box = (
        f'<div class="box-related"><h3>Tin liên quan</h3><p><a href="{e(other.path)}">'
        f"{e(other.title)}</a> {teaser_time(other)}</p></div>"
    )
    body = f'{top}\n<main class="detail">\n{crumbs}\n{article}\n{box}\n</main>\n{bottom}'
    return document(head(site, a.title, canonical=site.url(a.path), description=a.sapo), body)


def htm_listing(site: Site, title: str, items: list[Article], extra: str) -> str:
    top, bottom = htm_chrome(site)
    teasers = "\n".join(htm_teaser(a, "h2" if i == 0 else "h3") for i, a in enumerate(items))
    body = (
        f'{top}\n<main class="category">\n<h1 class="category__name">{e(title)}</h1>\n'
        f"{teasers}\n{extra}\n</main>\n{bottom}"
    )
    return document(head(site, title, meta=False), body)


# -- the numeric family: baolangson.vn, baobinhthuan.com.vn, baolamdong.vn ---------------------


def numeric_chrome(site: Site) -> tuple[str, str]:
    if site.source_id == "baobinhthuan":  # the header's today-date under id="today" [cfg19]
        top = (
            f'<div class="top-header"><div id="today">{e(site.today)}</div>'
            f'<a class="logo" href="/">{e(site.paper)}</a></div>\n'
            f'<div class="main-menu">{links(site.menu)}</div>'
        )
    else:
        top = (
            f'<div class="site-top"><span class="today">{e(site.today)}</span></div>\n'
            f'<div class="site-header"><a href="/">{e(site.paper)}</a>\n'
            f'<ul class="main-menu">{links(site.menu, "li")}</ul></div>'
        )
    return top, f'<div class="site-footer"><p>{e(site.paper)} điện tử.</p></div>'


def numeric_teaser(article: Article) -> str:
    return (
        f'<div class="news-item"><a class="news-title" href="{e(article.path)}">'
        f'{e(article.title)}</a><span class="news-time">{teaser_time(article)}</span></div>'
    )


def numeric_article(site: Site, a: Article) -> str:
    top, bottom = numeric_chrome(site)
    crumbs = breadcrumb(a)
    tags = f'<div class="detail-tags">{links(a.tags)}</div>' if a.tags else ""
    if site.source_id == "baobinhthuan":
        # h1.title, an unnamed date line under it, h2.sapo, div.detail-content, p.author.
        article = (
            f'<div class="detail">\n{crumbs}\n<h1 class="title">{e(a.title)}</h1>\n'
            f'<div class="date-line">{e(a.date_line)}</div>\n<h2 class="sapo">{e(a.sapo)}</h2>\n'
            f'<div class="detail-content">\n{paragraphs(a)}\n</div>\n'
            f'<p class="author">{e(byline(a))}</p>\n{tags}\n</div>'
        )
    elif site.source_id == "baolamdong":
        article = (
            f'<div class="detail">\n{crumbs}\n<h1 class="title">{e(a.title)}</h1>\n'
            f'<div class="meta"><span class="post-date">{e(a.date_line)}</span></div>\n'
            f'<div class="sapo">{e(a.sapo)}</div>\n'
            f'<div class="detail-content">\n{paragraphs(a)}\n'
            f'<p class="author">{e(byline(a))}</p>\n</div>\n{tags}\n</div>'
        )
    else:
        if a.style == "span-after-headline":
            meta = (
                f'<div class="meta-row"><span>{e(a.category[0])}</span><span class="sep">|</span>'
                f"<span>{e(a.date_line)}</span></div>"
            )
        else:
            meta = (
                f'<div class="detail-meta"><span class="detail-time">{e(a.date_line)}</span></div>'
            )
        if a.style == "byline-in-body":  # the byline as the body's last bold line
            text, author = paragraphs(a) + f"\n<p><strong>{e(byline(a))}</strong></p>", ""
        else:
            text, author = paragraphs(a), f'<div class="detail-author">{e(byline(a))}</div>'
        article = (
            f'<div class="detail-page">\n{crumbs}\n<h1 class="detail-title">{e(a.title)}</h1>\n'
            f'{meta}\n<div class="detail-sapo">{e(a.sapo)}</div>\n'
            f'<div id="content-detail">\n{text}\n</div>\n{author}\n{tags}\n</div>'
        )
    other = related(site, a)
    box = f'<div class="related-news"><h3>Tin cùng chuyên mục</h3>{numeric_teaser(other)}</div>'
    body = f"{top}\n{article}\n{box}\n{bottom}"
    return document(head(site, a.title, canonical=site.url(a.path), description=a.sapo), body)


def numeric_listing(site: Site, title: str, items: list[Article], extra: str) -> str:
    top, bottom = numeric_chrome(site)
    teasers = "\n".join(numeric_teaser(a) for a in items)
    body = (
        f'{top}\n<div class="list-page">\n<h1 class="cate-title">{e(title)}</h1>\n{teasers}\n'
        f"{extra}\n</div>\n{bottom}"
    )
    return document(head(site, title, meta=False), body)


# -- a paper the research knows only by its domain (baotuyenquang.com.vn) ----------------------
# Markup no family parser and no fixture uses: the generic parser reads it. No structured data
# (one page has article:published_time); a ticker of dated teasers stands before the headline and
# the footer prints the licence date.


def generic_chrome(site: Site, ticker: Article | None) -> tuple[str, str]:
    news = (
        f'<div class="ticker"><b>Tin nóng:</b> <a href="{e(ticker.path)}">{e(ticker.title)}</a> '
        f"<span>({teaser_time(ticker)})</span></div>"
        if ticker
        else ""
    )
    top = (
        f'<div class="top-bar"><span class="date-now">{e(site.today)}</span>'
        f'<span class="weather">Tuyên Quang 18°C</span></div>\n'
        f'<header class="site-header"><a class="logo" href="/">{e(site.paper)}</a>\n'
        f'<nav class="main-nav"><ul>{links(site.menu, "li")}</ul></nav></header>\n{news}'
    )
    bottom = (
        f'<footer class="site-footer"><p>{e(site.paper)} điện tử. Giấy phép số 52/GP-BTTTT '
        f"cấp ngày 12/02/2021.</p></footer>"
    )
    return top, bottom


def generic_teaser(article: Article) -> str:
    return (
        f'<div class="post-item"><h3><a href="{e(article.path)}">{e(article.title)}</a></h3>'
        f'<span class="post-item__time">{teaser_time(article)[:10]}</span>'
        f"<p>{e(article.sapo[:90])}...</p></div>"
    )


def generic_article(site: Site, a: Article) -> str:
    ticker = site.articles[0] if a is not site.articles[0] else site.articles[1]
    top, bottom = generic_chrome(site, ticker)
    info = f'<div class="news-detail__info">{e(a.date_line)}</div>'
    sapo = f'<div class="news-detail__sapo"><strong>{e(a.sapo)}</strong></div>'
    head_part = f"{sapo}\n{info}" if a.style == "date-after-sapo" else f"{info}\n{sapo}"
    tags = f'<div class="news-detail__tags">Từ khóa: {links(a.tags)}</div>' if a.tags else ""
    other = related(site, a)
    box = (
        f'<div class="news-related"><h3>Tin liên quan</h3><ul><li><a href="{e(other.path)}">'
        f"{e(other.title)}</a> <span>({teaser_time(other)[:10]})</span></li></ul></div>"
    )
    article = (
        f'<div class="news-detail">\n<div class="news-detail__cate">{links((a.category,))}</div>\n'
        f'<h1 class="news-detail__title">{e(a.title)}</h1>\n{head_part}\n'
        f'<div class="news-detail__content">\n{paragraphs(a)}\n'
        f'<p style="text-align:right"><strong>{e(byline(a))}</strong></p>\n</div>\n'
        f"{tags}\n{box}\n</div>"
    )
    head_html = head(site, a.title, description=a.sapo)
    if a.style == "published-meta":
        head_html += f'\n<meta property="article:published_time" content="{a.published}">'
    return document(head_html, f"{top}\n{article}\n{bottom}")


def generic_listing(site: Site, title: str, items: list[Article], extra: str) -> str:
    top, bottom = generic_chrome(site, None)
    teasers = "\n".join(generic_teaser(a) for a in items)
    body = (
        f'{top}\n<div class="category-page">\n<h1 class="category-title">{e(title)}</h1>\n'
        f'<div class="post-list">\n{teasers}\n</div>\n{extra}\n</div>\n{bottom}'
    )
    return document(head(site, title, meta=False), body)


ArticleTemplate = Callable[[Site, Article], str]
ListingTemplate = Callable[[Site, str, list[Article], str], str]

TEMPLATES: dict[str, tuple[ArticleTemplate, ListingTemplate]] = {
    "baonghean": (bgrid_article, bgrid_listing),
    "baothanhhoa": (htm_article, htm_listing),
    "baolangson": (numeric_article, numeric_listing),
    "baobinhthuan": (numeric_article, numeric_listing),
    "baolamdong": (numeric_article, numeric_listing),
    "baotuyenquang": (generic_article, generic_listing),
}


def listing_page(
    site: Site, page: Page | None, title: str, items: list[Article], extra: str
) -> str:
    """A listing in the site's markup: its own (``page`` None) or a tag/event/category/search
    page."""
    return TEMPLATES[site.source_id][1](site, title if page is None else page.title, items, extra)
