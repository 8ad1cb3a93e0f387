"""dCMS: the CMS of baohatinh.vn (family B today) and baothanhhoa.vn (family E today) in
2018-2019. No paper is known to run it now, so it has no family id of its own: its template is
the 2019 version of families B (``zce.Dcms2019``) and E (``htm_numeric.Dcms2019``).

What is known:
- baohatinh.vn's homepage of 23 March 2018 (a real capture in a public repository,
  silverfoxy/JSCryptoMinerStudy ``pagesource/baohatinh.vn``; read in place, not copied): assets
  ``/cdn/apps/cms/baohatinh/…``, scripts ``/djs/core/dcore-*.js`` and ``dcms.*`` calls; article
  URLs ``/<cat>/<slug>/<6-digit id>.htm``; teasers ``div.atc`` > ``div.hed h1 a``, a ``time``
  element (``2018-03-23 15:30:00``) and ``p.summary`` opening "(Baohatinh.vn) -"; RSS ``/feed``
  and ``/rss``, sitemap ``/sitemap.xml``; the header prints a clock in ``div#curdatetime``
  ("5:23:03:2018:16:04"), site chrome that must never date an article.
- The 2019 configs [cfg19] of baohatinh and baothanhhoa give the same article markup: date
  ``.date_news`` (baohatinh ``.date_news span``), sapo ``.sapo_detail``, body ``#main-detail``.
- Not articles: category pages ``/<cat>/`` and ``/video/<slug>``, ``/tin24h``, ``/search?q=``.
"""

from __future__ import annotations

from baotinh.parsers.families.base import FamilyParser


class DcmsTemplate(FamilyParser):
    """The dCMS article template of 2018-2019 (selectors: see the module docstring)."""

    abstract = True
    measured = False
    TITLE = ("div.title_news h1", "h1.title", "h1")  # assumption: only h1 is generic
    SAPO = (".sapo_detail",)
    BODY = ("#main-detail",)
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, ".sapo_detail", ".date_news", ".title_news")
    BYLINE = ("#main-detail p.author", ".author_news")  # assumption
    DATE = (".date_news span", ".date_news")
    BREADCRUMB = ("div.breadcrumb a", "div.cate_news a")  # assumption
    TAGS = ("div.tag_news a", "div.tags a")  # assumption
    IMAGE_BLOCK = "table.image, figure"  # assumption
    IMAGE_CAPTION = "td.image_desc, figcaption"
    LISTING = ("div.atc div.hed h1 a",)
