"""Family B: the ZCE / epicdn "cms-*" platform (the platform of tienphong, vietnamplus, plo,
nhandan and sggp), and before it, on baohatinh, dCMS.

What is known (``../shared/research/sources.md`` §2, §3, §6, §7):
- Papers: baohatinh (since about 2023), baogialai, sggp; baobackan (.vn and .com.vn) looks
  alike ("B-like", -post ids) [pub].
- Article: ``h1.article__title.cms-title``, ``h2.article__sapo.cms-desc`` (sggp:
  ``div.article__sapo``), ``div.article__body.zce-content-body.cms-body`` [page][cfg25].
- Listings: ``article.story`` teasers, ``h2.story__heading[data-tracking]``, ``a.cms-link``,
  ``time.time[datetime]``, ``div.story__summary`` (the real 2025 baohatinh box in
  ``../shared/corpora/vietnamese/``) [page]; CDN ``cdn.<domain>/images/<hash>/…``, static
  ``static-cms-<paper>.epicdn.me``.
- Article URLs: ``/<slug>-post<id>.html`` at the root [page][cfg25].
- Not articles: tag pages ``/<slug>-tag<id>.html`` (baogialai ``/hai-phong-tag704.html``) and
  ``/tag/<slug>/`` (baohatinh ``/tag/xo-xat/``) [pub]; category pages ``/<cat>/``; feed list
  ``/rss.html``. The anchored pattern ``^/<slug>-post<id>.html$`` takes none of them.
- Feeds: sggp ``/rss/<cat>-<id>.rss`` [page]; baohatinh ``/rss``, ``/feed``, ``/sitemap.xml``
  (seen in 2018, under dCMS) [page].
- 2018-2019 baohatinh ran dCMS (``dcms.py``); that template is this family's 2019 version.
"""

from __future__ import annotations

from datetime import date

from baotinh.parsers.families.base import FamilyParser
from baotinh.parsers.families.dcms import DcmsTemplate


class Dcms2019(DcmsTemplate):
    """baohatinh's dCMS template (2018-2019, before the ZCE platform)."""

    family = "B"
    version = "2019"
    valid_from = date(2018, 1, 1)


class Zce2023(FamilyParser):
    """The ZCE platform (baohatinh since 2023; also baogialai, sggp)."""

    family = "B"
    version = "2023"
    valid_from = date(2023, 1, 1)
    TITLE = ("h1.article__title.cms-title", "h1.article__title", "h1")
    SAPO = ("h2.article__sapo.cms-desc", "div.article__sapo", ".article__sapo")
    BODY = ("div.article__body.zce-content-body.cms-body", "div.article__body")
    BODY_EXCLUDE = (
        *FamilyParser.BODY_EXCLUDE,
        ".article__author",
        ".article-relate",
        ".zce-related",
        ".article__tag",
    )
    BYLINE = ("div.article__author .name", "div.article__author", ".cms-author")  # assumption
    DATE = (
        "div.article__meta time.time::attr(datetime)",  # assumption: time.time as on listings
        "div.article__meta time.time",
        "div.article__meta .time",
        'meta[property="article:published_time"]::attr(content)',
    )
    BREADCRUMB = ("div.breadcrumbs a", "ul.breadcrumb a")  # assumption
    TAGS = ("div.article__tag a", ".cms-tag a")  # assumption
    VIDEO = ("div.article--video", "div.article__video", "div.cms-video", "div.article__body video")
    PHOTO = ("div.article--photo", "div.article__gallery", "div.cms-gallery")  # assumption
    LISTING = ("article.story h2.story__heading a.cms-link", "article.story a.cms-link")
