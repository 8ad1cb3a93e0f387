"""Body, lead, images and page kind: trafilatura as the base, corrected where it falls short.

trafilatura finds the main text well but (1) drops the visible lead (sapo) that most news pages
print above the body, (2) keeps a closing byline paragraph as text, and (3) drops captions that
sit inside the article flow. Those three corrections are made here against the page's DOM.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urljoin

import lxml.html
import trafilatura

from baotinh.parsers.base import Image
from baotinh.parsers.generic_evidence import Evidence, node_text, norm
from baotinh.parsers.generic_filters import (
    drop_boxed,
    drop_furniture,
    drop_link_lists,
    drop_other_articles,
    trim_to_article_body,
)

# Picture credits and embed placeholders that trafilatura keeps as text lines.
_CREDIT_LINE = re.compile(
    r"^(?:photo|foto|fotos|bild|bilder|quelle|source|credit|image|ảnh|kuva)\s*:\s*\S.{0,60}$"
    r"|(?:getty\s*images|/\s*afp|/\s*reuters|/\s*dpa|/\s*ap|shutterstock|imago)$",
    re.I,
)
# "Von Nina Magoley": a label, then one to five capitalised words (names) and nothing else.
_BYLINE_LINE = re.compile(
    r"^(?i:von|by|por|par|di|door|av)(?:\s+(?:Dr\.|[A-ZÀ-ÖØ-ÞĀ-Ž][\w'-]*)){1,5}$"
)
# Hydration state of script-rendered pages (Next.js, React Query, Nuxt) carries the article's
# HTML as a JSON string under one of these keys.
_HTML_FIELD = re.compile(
    r'"(?:contentHtml|content_html|bodyHtml|body_html|articleBody|content|body|html)"\s*:\s*'
    r'"((?:[^"\\]|\\.){400,})"'
)


def trafilatura_paragraphs(html: str, url: str) -> list[str]:
    text = trafilatura.extract(
        html,
        url=url,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
        deduplicate=False,
    )
    return [p for p in (norm(line) for line in (text or "").split("\n")) if p]


def visible_text(ev: Evidence) -> str:
    body = ev.tree.find("body")
    return norm(body.text_content()) if body is not None else ""


def pick_sapo(ev: Evidence, page_text: str) -> tuple[str | None, str]:
    """The lead: a description from metadata that the page also prints (else it is a teaser)."""
    for name, value in [
        ("og:description", ev.first_meta("og:description")),
        ("meta description", ev.first_meta("description")),
        ("json-ld description", ev.article.get("description")),
        ("twitter:description", ev.first_meta("twitter:description")),
    ]:
        text = norm(value) if isinstance(value, str) else ""
        if len(text) >= 30 and text in page_text:
            return text, f"{name}, printed on the page"
    return None, "no printed lead"


def _captions_in_flow(ev: Evidence, paragraphs: list[str]) -> list[str]:
    """Re-insert captions written as text paragraphs (``<figcaption><p>``) between two body
    paragraphs, as Vietnamese CMSs print them; bare ``<figcaption>`` text stays out (it is
    photo credit furniture on most sites and costs precision)."""
    wanted = {p: i for i, p in enumerate(paragraphs)}
    result = list(paragraphs)
    last_index: int | None = None
    pending: list[tuple[int, str]] = []
    for node in ev.tree.xpath("//body//p[not(ancestor::figcaption)] | //body//figcaption"):
        text = node_text(node)
        if node.tag == "figcaption":
            if node.find(".//p") is None:
                continue
            if last_index is not None and text and text not in wanted:
                pending.append((last_index, text))
            continue
        index = wanted.get(text)
        if index is None:
            continue
        if last_index is not None and index > last_index:
            for after, caption in pending:
                result.insert(result.index(paragraphs[after]) + 1, caption)
        pending = []
        last_index = index
    return result


def clean_paragraphs(paragraphs: list[str], title: str | None) -> tuple[list[str], list[str]]:
    """Drop furniture trafilatura keeps as text; return the kept paragraphs and what was done.

    - a line repeated verbatim (embed and consent placeholders: article prose never repeats);
    - a picture credit ("Foto: dpa", "STR/AFP via Getty Images");
    - the headline again, with a site or kicker segment ("Headline | site");
    - a bare byline line ("Von Nina Magoley"): it is credited as author, not text.
    """
    counts = Counter(p for p in paragraphs if len(p) < 400)
    folded_title = norm(title).casefold()
    kept: list[str] = []
    done: set[str] = set()
    for para in paragraphs:
        if counts.get(para, 0) > 1:
            done.add("repeated placeholder lines")
        elif len(para) <= 80 and _CREDIT_LINE.search(para):
            done.add("picture credits")
        elif (
            folded_title and folded_title in para.casefold() and len(para) < len(folded_title) + 40
        ):
            done.add("repeated headline")
        elif _BYLINE_LINE.match(para):
            done.add("byline line")
        else:
            kept.append(para)
    return kept, sorted(done)


def _in_caption(node: lxml.html.HtmlElement) -> bool:
    return any(
        a.tag == "figcaption" or "caption" in (a.get("class") or "") for a in node.iterancestors()
    )


def hydration_paragraphs(ev: Evidence) -> list[str]:
    """The article's paragraphs from JSON-LD ``articleBody`` or a script's hydration state,
    for pages whose HTML body is rendered by JavaScript (trafilatura sees no text there)."""
    best: list[str] = []
    article_body = ev.article.get("articleBody")
    if isinstance(article_body, str):
        best = [p for p in (norm(x) for x in article_body.split("\n")) if p]
    for script in ev.tree.iter("script"):
        text = script.text or ""
        if script.get("src") or ("\\u003cp" not in text and "<p" not in text):
            continue
        for match in _HTML_FIELD.finditer(text):
            try:
                html = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            try:
                fragment = lxml.html.fragment_fromstring(html, create_parent="div")
            except (ValueError, lxml.etree.ParserError):
                continue
            found = [t for p in fragment.iter("p") if (t := node_text(p)) and not _in_caption(p)]
            if sum(map(len, found)) > sum(map(len, best)):
                best = found
    return best


def pick_body(
    ev: Evidence, html: str, title: str | None, sapo: str | None
) -> tuple[list[str], str]:
    paragraphs = trafilatura_paragraphs(html, ev.url)
    reason = "trafilatura main text"
    if sum(map(len, paragraphs)) < 500:
        hydrated = hydration_paragraphs(ev)
        if sum(map(len, hydrated)) > 2 * sum(map(len, paragraphs)):
            paragraphs, reason = hydrated, "article HTML from the page's structured/hydration data"
    paragraphs, trimmed = trim_to_article_body(ev, paragraphs)
    if trimmed:
        reason += ", kept to the JSON-LD articleBody"
    paragraphs, unlinked = drop_link_lists(ev, paragraphs)
    if unlinked:
        reason += ", link lists removed"
    paragraphs, foreign = drop_other_articles(ev, paragraphs, title)
    if foreign:
        reason += ", text of other articles on the page removed"
    paragraphs, boxed = drop_boxed(ev, paragraphs)
    if boxed:
        reason += ", furniture boxes removed"
    paragraphs, unfurnished = drop_furniture(paragraphs)
    if unfurnished:
        reason += ", subscription/newsletter/consent notices removed"
    paragraphs, cleaned = clean_paragraphs(paragraphs, title)
    if cleaned:
        reason += ", removed: " + ", ".join(cleaned)
    drop = {norm(title).casefold(), norm(sapo).casefold()}
    kept = [p for p in paragraphs if p.casefold() not in drop]
    if len(kept) != len(paragraphs):
        reason += ", headline/lead removed from the text"
    with_captions = _captions_in_flow(ev, kept)
    if len(with_captions) != len(kept):
        reason += ", captions inside the text kept"
    return with_captions, reason


def pick_images(ev: Evidence) -> list[Image]:
    images: list[Image] = []
    seen: set[str] = set()
    cover = ev.first_meta("og:image")
    if cover:
        images.append(Image(urljoin(ev.url, cover)))
        seen.add(images[0].url)
    for figure in ev.tree.xpath("//body//figure"):
        img = figure.find(".//img")
        if img is None:
            continue
        src = img.get("data-src") or img.get("src") or ""
        if not src or src.startswith("data:"):
            continue
        url = urljoin(ev.url, src)
        caption_node = figure.find(".//figcaption")
        caption = node_text(caption_node) if caption_node is not None else None
        if url not in seen:
            seen.add(url)
            images.append(Image(url, caption or None))
    return images


def content_type(ev: Evidence) -> str:
    kinds = str(ev.article.get("@type") or "").lower()
    og_type = (ev.first_meta("og:type") or "").lower()
    path = ev.url.lower()
    if "videoobject" in kinds or og_type.startswith("video") or re.search(r"/videos?/", path):
        return "video"
    if "imagegallery" in kinds or re.search(r"/(photos?|gallery|anh|photo-story)/", path):
        return "photo"
    if re.search(r"/(emagazine|longform|e-magazine)/", path):
        return "longform"
    return "article"
