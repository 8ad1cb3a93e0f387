"""Family D: the "b-grid" / sc-longform template. The CMS behind it is not known; the module is
named after the class prefixes its listings and articles share (``b-grid__*``, ``sc-longform-*``,
``block-sc-*``).

What is known (``../shared/research/sources.md`` §2, §3, §7; selectors-2019-2020.md):
- Papers: baonghean, baodanang [cfg25]; baohaiphong and hanoimoi look alike ("D-like")
  [cfg25]. baodanang ran vSolutions (family A) in 2018 (its 2018 homepage in a public
  repository carries "vckm, cms, vsolutions"): its 2018-2019 captures belong to family A.
- Listings: ``.b-grid__title a``, ``.b-grid__img a`` (baonghean), ``h3.b-grid__title a``
  (baodanang), ``h3 a`` (baohaiphong, hanoimoi) [cfg25].
- Article: sapo ``.sc-longform-header-sapo`` (baonghean), ``p.sc-longform-header-sapo`` /
  ``p.block-sc-sapo`` (baohaiphong) [cfg25]. Title, date line, body, byline, breadcrumb and tags
  are ASSUMPTIONS named in the same prefixes; the generic parser (whose date comes from the
  date line by the headline, never the header's today) fills whatever they miss.
- Article URLs: ``/<slug>-<id>.html`` at the root (baonghean: 6-digit ids, 2022) [pub][cfg25];
  baonghean's legacy ``-post<id>.html`` belongs to an older platform.
- Not articles: topic/event pages ``/<slug>-event<id>.html`` [cfg25] (hanoimoi, baonghean);
  category pages ``/<cat>/``. The anchored pattern ``^/<slug>-<5+ digits>.html$`` rejects the
  event pages (letters before the id); the fixtures prove it.
- 2019: baohaiphong.com.vn (then under ``/baohp/vn/home/``) [cfg19]: date ``div.row1.creatdate``
  (``dd/mm/yyyy hh:mm``), sapo ``.head``, body ``#newsContent``; its URL shape is not known.
"""

from __future__ import annotations

from datetime import date

from baotinh.parsers.families.base import FamilyParser


class BGrid2019(FamilyParser):
    """baohaiphong.com.vn's 2019 template [cfg19] (title and byline assumed)."""

    family = "D"
    version = "2019"
    valid_from = date(2018, 1, 1)
    measured = False
    TITLE = ("div.title h1", "h1.title", "h1")  # assumption
    SAPO = (".head",)
    BODY = ("#newsContent",)
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, ".head", ".row1.creatdate")
    DATE = ("div.row1.creatdate",)
    BYLINE = ("#newsContent p.author", "div.author")  # assumption
    BREADCRUMB = ("div.breadcrumb a",)  # assumption
    IMAGE_BLOCK = "table.image, figure"  # assumption
    IMAGE_CAPTION = "td.image_desc, figcaption"


class BGrid2022(FamilyParser):
    """The current template: sapo and listing classes documented [cfg25], the rest assumed."""

    family = "D"
    version = "2022"
    valid_from = date(2022, 1, 1)
    TITLE = (
        "h1.sc-longform-header-title",  # assumption
        "h1.block-sc-title",  # assumption
        "h1",
    )
    SAPO = (".sc-longform-header-sapo", "p.block-sc-sapo")
    BODY = (
        "div.sc-longform-body",  # assumption
        "div.block-sc-content",  # assumption
        "div.entry-content",  # assumption
    )
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, ".b-grid", ".c-box-related", ".sc-author")
    BYLINE = (".sc-longform-header-author", ".block-sc-author", ".sc-author")  # assumption
    DATE = (
        ".sc-longform-header-date",  # assumption
        ".block-sc-publish-time",  # assumption
        'meta[property="article:published_time"]::attr(content)',
    )
    BREADCRUMB = (".c-breadcrumb a", "ul.breadcrumb a")  # assumption
    TAGS = (".c-tags a", ".block-sc-tags a")  # assumption
    VIDEO = (".sc-video", "div.sc-longform-body video")  # assumption
    PHOTO = (".sc-gallery",)  # assumption
    LISTING = (".b-grid__title a", ".b-grid__img a")
