"""The numeric family: ``/[<cat>/]<slug>-<numeric id>.html`` with no prefix before the id. No
shared CMS is known: the papers are grouped by their URL shape (no family letter in the
research), and the module is named after it.

What is known (``../shared/research/sources.md`` §2, §3, §7; selectors-2019-2020.md):
- Papers: baobinhthuan, baolamdong (since 2025), baolangson (7-digit ids), baoquangninh.vn,
  baohungyen, baocaobang, baoninhbinh (15-digit ids) [cfg25][app]; baoquangnam, baodaknong,
  baokiengiang, baotravinh, baosoctrang, baohaiduong, baocamau [pub].
- Article: body ``#content_detail`` (baoninhbinh) [cfg25], ``div#content-detail`` (baolangson)
  [app]; sapo from the meta description (baosonla, a near relative) [cfg25]. Title, date line,
  byline, breadcrumb and tags are ASSUMPTIONS; the generic parser fills what they miss, its
  date from the date line by the headline.
- Not articles, each documented [pub]: tag pages ``/<slug>-ptag.html`` (baobinhthuan,
  baohaiduong), ``/tags/<slug>-<id>.html`` (baoquangnam), ``/<slug>-<id>/tag.html``
  (baotravinh), ``/tu-khoa/<slug>-tag<id>.html`` (baolaocai); category pages
  ``/<cat>-<2-3 digit id>.html`` (baohaugiang ``/thoi-su-215.html``), ``/<cat>/?page=<n>``
  (baocamau); ``/print/<id>.html`` (baodaknong). An unanchored ``-\\d+\\.html$`` takes the
  category and ``/tags/`` pages; the anchored pattern (no ``tags/``/``tu-khoa/`` folder, an id of
  4 to 15 digits after a slug) takes none of them.
- 2019 [cfg19]: baobinhthuan (date ``#today``, sapo the second ``p`` of ``#info_g``, body
  ``#info_g``), baocaobang (``.time``, ``.sapo``, ``.text``), baolangson (``p.post-date``,
  ``.content p strong``, ``div.content``), baoquangnam (``div.date-time``, ``div.chapeau``,
  ``div.body-content``), baosoctrang (second ``li`` of ``ul.list-unstyled``, ``article p``,
  ``.newscontent``), baodaknong.org.vn (``div.date``, ``p.text-intro``, ``div.newscontent``).
  ``#today`` is the id of the header's today-date on many sites: that config very likely read
  site chrome. It is kept last, and the chrome rule skips it unless it stands right after the
  headline.
"""

from __future__ import annotations

from datetime import date

from baotinh.parsers.families.base import FamilyParser


class NumericHtml2019(FamilyParser):
    """The 2019 selectors of six papers of the family [cfg19], tried in turn."""

    family = "numeric"
    version = "2019"
    valid_from = date(2018, 1, 1)
    measured = False
    TITLE = ("h1.title", "h1")  # assumption
    SAPO = (
        "div.chapeau",  # baoquangnam
        "p.text-intro",  # baodaknong
        "div.sapo",  # baocaobang (.sapo)
        "p.sapo",
        "#info_g > p:nth-of-type(2)",  # baobinhthuan
        "div.content > p > strong",  # baolangson
    )
    BODY = ("div.body-content", "div.newscontent", "#info_g", "div.text", "div.content")
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, "div.chapeau", "p.text-intro", "div.sapo")
    DATE = (
        "div.pull-right.date-time",  # baoquangnam
        "p.post-date",  # baolangson
        ".time",  # baocaobang
        "div.date",  # baodaknong
        "ul.list-unstyled > li:nth-child(2)",  # baosoctrang
        "#today",  # baobinhthuan (see the module docstring)
    )
    BYLINE = ("p.author", "div.author")  # assumption
    BREADCRUMB = ("div.breadcrumb a", "ol.breadcrumb a")  # assumption
    TAGS = ("div.tags a",)  # assumption
    IMAGE_BLOCK = "table.image, figure"  # assumption
    IMAGE_CAPTION = "td.image_desc, figcaption"


class NumericHtml2022(FamilyParser):
    """The current pages: body containers documented [cfg25][app], the rest assumed."""

    family = "numeric"
    version = "2022"
    valid_from = date(2022, 1, 1)
    TITLE = ("h1.detail-title", "h1.title", "h1")  # assumption
    SAPO = ("div.detail-sapo", "h2.sapo", "p.sapo", "div.sapo")  # assumption
    BODY = ("#content_detail", "div#content-detail", "div.detail-content")
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, ".detail-author", ".related-news")
    BYLINE = (".detail-author", "p.author")  # assumption
    DATE = (
        ".detail-meta .detail-time",  # assumption
        ".detail-time",  # assumption
        "span.post-date",  # assumption
        'meta[property="article:published_time"]::attr(content)',
    )
    BREADCRUMB = ("ul.breadcrumb a", ".detail-cate a")  # assumption
    TAGS = (".detail-tags a", ".tags a")  # assumption
    VIDEO = (".detail-video",)  # assumption
    PHOTO = (".detail-gallery",)  # assumption
