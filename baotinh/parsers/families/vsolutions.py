"""Family A: the vSolutions "VCKM" CMS.

What is known (``../shared/research/sources.md`` §2, §3, §6, §7; evidence tags as there):
- The CMS names itself in the meta keywords, "vckm, cms, vsolutions", on the 2018 homepages of
  baoquangninh.com.vn, baokhanhhoa.vn [page] and baodanang.vn (a 2018 capture in a public
  repository); assets under ``/common/v2|v3/``, images ``/dataimages/<YYYYMM>//original/…``
  (2018), ``/file/e7837c02<24 hex>/<MMYYYY>/…`` (now).
- Papers: baokhanhhoa, baodongnai, baolamdong (until its 2025 switch to the numeric family),
  baoquangtri, baothainguyen, baodaklak, baoquangbinh; baoquangninh and baodanang in 2018.
- Article URLs: ``/<cat>[/<sub>]/<YYYYMM>/<slug>-<id>[/]``; the id is 7 digits until about 2022
  and 7 hex characters since about 2023; the trailing slash is optional (stored copies lack it).
  An older variant is ``/channel/<id>/<YYYYMM>/<slug>-<7 digits>`` (baodaklak 2012, baonamdinh
  2022).
- Not articles: category pages ``/<cat>/``, ``/<cat>/<sub>/`` (no month segment, no id) and
  their pages ``?p=<n>``/``?page=<n>`` [guess]. Tag pages are not documented for this CMS; the
  anchored pattern (a ``YYYYMM`` segment, then a slug ending in the id) leaves every path
  without that shape out.
- Feeds: ``/index.rss`` (2018) [page]; ``/rss/<cat>.rss`` now [app].
"""

from __future__ import annotations

from datetime import date

from baotinh.parsers.families.base import FamilyParser


class VSolutions2019(FamilyParser):
    """The 2018-2022 template, from the 2019 configs [cfg19] of five papers of the family:
    baokhanhhoa (body ``div.detail-news``, date ``div.date``, sapo the first bold paragraph),
    baoquangninh.com.vn (``.content``, ``#content`` > first ``p``, ``.date``), baoquangbinh
    (``#content``, ``.date``), baodaklak (``.content``, ``.date``), baonamdinh (``#content``,
    ``.date span``); ``h2#title`` and ``div.page-detail-meta`` from baoquangbinh 2022 [app].
    Listing teasers ``a.title.Article`` / ``a.avatar.Article`` from the real 2018 homepage."""

    family = "A"
    version = "2019"
    valid_from = date(2018, 1, 1)
    measured = False
    TITLE = ("h1.title", "h2#title", "h1")
    SAPO = (
        "div.sapo",
        "div.lead",
        "div.detail-news > p:first-child > strong",
        "div#content > p:first-child > strong",
        "div.content > p:first-child > strong",
    )
    BODY = ("div.detail-news", "div#content", "div.content")
    BYLINE = ("div.detail-news p.author", "div.author")  # assumption
    DATE = ("div.date", "div.page-detail-meta .date", ".date span", ".date")
    BREADCRUMB = ("div.breadcrumb a", "ul.breadcrumb a")  # assumption
    TAGS = ("div.tags a", "div.tag a")  # assumption
    IMAGE_BLOCK = "table.image, figure"
    IMAGE_CAPTION = "td.image_desc, figcaption"
    LISTING = ("a.title.Article", "a.avatar.Article")


class VSolutions2023(FamilyParser):
    """The template with hex ids (2023+): body ``div#content.content-detail .td-post-content``
    (baodongnai 2025 config [cfg25]); listing teasers ``a.title1``, ``a.title3`` (baodongnai),
    ``a.title2`` (baothainguyen), ``a.title5`` (baodaklak), ``a.h2``, ``a.h3``,
    ``a.card-img`` (baoquangtri) [cfg25]; sapo ``div.desc`` (baothainguyen) [cfg25]. The head,
    meta, byline, breadcrumb and tag classes are assumptions."""

    family = "A"
    version = "2023"
    valid_from = date(2023, 1, 1)
    TITLE = ("div.page-detail-head h1", "h1.title", "h2#title", "h1")  # assumption (but h1)
    SAPO = (
        "div.page-detail-sapo",  # assumption
        "div.sapo",  # assumption
        "div.page-detail div.desc",  # baothainguyen [cfg25]
        "div.td-post-content > p.sapo",  # assumption
    )
    BODY = ("div#content.content-detail .td-post-content", "div#content.content-detail")
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, "p.sapo", ".page-detail-author")
    BYLINE = ("div.page-detail-author", "div.page-detail-meta .author")  # assumption
    DATE = (
        'meta[property="article:published_time"]::attr(content)',
        "div.page-detail-meta .date",  # baoquangbinh 2022 meta block [app]; .date assumed
        "div.date",
    )
    BREADCRUMB = ("ul.breadcrumb li a", "div.breadcrumb a")  # assumption
    TAGS = ("div.page-detail-tags a", "div.tags a")  # assumption
    IMAGE_BLOCK = "figure, table.image"
    IMAGE_CAPTION = "figcaption, td.image_desc"
    VIDEO = ("div.page-detail.video", "div.td-post-content video")  # assumption
    PHOTO = ("div.page-detail.photo", "div.gallery-detail")  # assumption
    LISTING = ("a.title1", "a.title2", "a.title3", "a.title5", "a.h2", "a.h3", "a.card-img")
