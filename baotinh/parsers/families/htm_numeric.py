"""Family E: ``.htm`` URLs with a numeric id. The CMS is not known today; the module is named
after the URL shape. Around 2018-2019 its lead paper, baothanhhoa, ran dCMS (``dcms.py``), the
CMS whose 2018 URLs also ended ``/<id>.htm``; whether today's ``-<id>.htm`` sites descend from it
is not known.

What is known (``../shared/research/sources.md`` §2, §3; selectors-2019-2020.md):
- Papers: baothanhhoa, baoquangngai, baophutho [cfg25].
- Article URLs: ``/<slug>-<id>.htm`` [cfg25]; listings select ``article a[href$='.htm']``
  (baoquangngai) [cfg25].
- Article: sapo ``div.article__sapo`` (baothanhhoa), ``p.sapo`` and ``#body .sapo``
  (baoquangngai) [cfg25]. Title, date line, body container, byline, breadcrumb and tags are
  ASSUMPTIONS (``#body`` is suggested by ``#body .sapo``); the generic parser fills what they
  miss, its date from the date line by the headline.
- Not articles: category pages ``/<cat>/`` and ``/<cat>.htm`` (no id); tag and event pages
  are not documented. The anchored pattern requires ``-<4+ digits>.htm``.
- 2019 [cfg19]: baothanhhoa dCMS (``.date_news``, ``.sapo_detail``, ``#main-detail``);
  baoquangngai (date ``.date``, body ``#content``, sapo the first bold text of a justified
  paragraph); baophutho (date ``div.pt-post-detail__time``, body ``#content``).
"""

from __future__ import annotations

from datetime import date

from baotinh.parsers.families.base import FamilyParser
from baotinh.parsers.families.dcms import DcmsTemplate


class Htm2019(DcmsTemplate):
    """dCMS (baothanhhoa), then the 2019 selectors of baophutho and baoquangngai [cfg19]."""

    family = "E"
    version = "2019"
    valid_from = date(2018, 1, 1)
    SAPO = (*DcmsTemplate.SAPO, 'div#content > p[style*="justify"]:first-child strong')
    BODY = (*DcmsTemplate.BODY, "div#content")
    DATE = (*DcmsTemplate.DATE, "div.pt-post-detail__time", "div.date", ".date")


class Htm2024(FamilyParser):
    """The current template: sapo and listing documented [cfg25], the rest assumed."""

    family = "E"
    version = "2024"
    valid_from = date(2024, 1, 1)
    TITLE = ("h1.article__title", "h1.title", "h1")  # assumption
    SAPO = ("div.article__sapo", "#body .sapo", "p.sapo")
    BODY = ("div.article__body", "#body")  # assumption (#body suggested by "#body .sapo")
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, ".sapo", ".article__author", ".box-related")
    BYLINE = (".article__author", "p.author")  # assumption
    DATE = (
        ".article__meta .article__date",  # assumption
        ".article__meta time",  # assumption
        "span.post-time",  # assumption
        'meta[property="article:published_time"]::attr(content)',
    )
    BREADCRUMB = ("ul.breadcrumb a", ".article__breadcrumb a")  # assumption
    TAGS = (".article__tags a", ".tags a")  # assumption
    VIDEO = (".article--video", "div.article__body video")  # assumption
    PHOTO = (".article--photo",)  # assumption
    LISTING = ("article a[href$='.htm']",)
