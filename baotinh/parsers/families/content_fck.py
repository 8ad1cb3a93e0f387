"""Family C: the "-a<id>.html" vendor. The vendor's name is not known; the module is named after
``content-fck``, the body class (an FCKeditor legacy) every paper of the family printed in 2019.

What is known (``../shared/research/sources.md`` §2, §3, §7; selectors-2019-2020.md):
- Papers: baocantho, baobinhduong, baotayninh, dongkhoi.baovinhlong (ex-baodongkhoi.vn),
  baoangiang, baolongan [cfg25][pub]; baodongthap until 2025 (it moved to the ``/ban-doc/``
  shape of baoapbac's CMS in 2025 [pub]); baothuathienhue printed the same markup in 2019.
- Article URLs: ``/<slug>-a<id>.html`` at the root (baotayninh also under ``/index.php/``; a
  slug may start with "-" where "Đ" was dropped) [cfg25][pub].
- 2019 markup [cfg19]: date ``.pubdate`` (``div.pubdate.fleft``), sapo ``.fontd.fw600.justify``
  (baotayninh, baothuathienhue) or ``div.col-xs-12.detail-desc`` (baodongkhoi), body
  ``div.content-fck.slider-jsgallery`` (baotayninh, baodongkhoi) or
  ``#newscontents .content-fck-font-size`` (baoangiang, whose sapo is ``div.content-fck``).
- Current markup [cfg25]: sapo ``h4.sapo`` (baotayninh), listing ``.article-item`` + ``h3 a``
  (baobinhduong), ``a.title`` (baotayninh). Title, date, body, byline, breadcrumb and tags are
  ASSUMPTIONS (a plausible layout keeping the 2019 classes), to be checked on live pages.
- Not articles: category pages ``/<cat>/[<sub>/]`` and ``/<cat>/<sub>/page-<n>.html``
  (baocantho) [pub], ``?p=<n>`` (baoangiang) [pub]; tag pages are not documented. The
  anchored pattern requires the ``-a<id>.html`` ending, which no listing path has.
"""

from __future__ import annotations

from datetime import date

from baotinh.parsers.families.base import FamilyParser


class ContentFck2019(FamilyParser):
    """The 2019 template of baotayninh, baodongkhoi, baoangiang (and baothuathienhue) [cfg19]."""

    family = "C"
    version = "2019"
    valid_from = date(2018, 1, 1)
    measured = False
    TITLE = ("h1.title", "h1")  # assumption
    SAPO = (
        ".fontd.fw600.justify",
        "div.col-xs-12.detail-desc",
        '#newscontents div[class="content-fck"]',  # baoangiang: the sapo box
    )
    BODY = (
        "div.content-fck.slider-jsgallery",
        "#newscontents .content-fck-font-size",
        "#newscontents",
        "div.content-fck",
    )
    DATE = (".pubdate",)
    BYLINE = ("div.author", "p.author")  # assumption
    BREADCRUMB = ("div.breadcrumb a",)  # assumption
    TAGS = ("div.tags a",)  # assumption
    IMAGE_BLOCK = "table.image, figure"  # assumption
    IMAGE_CAPTION = "td.image_desc, figcaption"


class ContentFck2024(FamilyParser):
    """Current template: only ``h4.sapo`` and the listing markup are documented [cfg25]."""

    family = "C"
    version = "2024"
    valid_from = date(2024, 1, 1)
    TITLE = ("div.detail-header h1.title", "h1.title", "h1")  # assumption
    SAPO = ("h4.sapo", ".fontd.fw600.justify")  # h4.sapo documented [cfg25]
    BODY = ("div.detail-content.content-fck", "div.content-fck")  # assumption (cfg19 class kept)
    BODY_EXCLUDE = (*FamilyParser.BODY_EXCLUDE, ".author-name", ".box-tinlienquan")
    BYLINE = ("div.detail-author", ".author-name")  # assumption
    DATE = ("div.detail-header .pubdate", ".pubdate")  # assumption (cfg19 class kept)
    IMAGE_BLOCK = "figure, table.image"  # assumption
    IMAGE_CAPTION = "figcaption, td.image_desc"
    BREADCRUMB = ("ol.breadcrumb li a", "div.breadcrumb a")  # assumption
    TAGS = ("div.detail-tags a", "div.tags a")  # assumption
    VIDEO = ("div.detail-video", "div.content-fck video", "div.content-fck iframe.video")
    PHOTO = ("div.detail-gallery",)  # assumption
    LISTING = (".article-item h3 a", "a.title")
