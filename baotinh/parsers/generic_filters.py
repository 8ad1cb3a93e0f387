"""Filters applied to trafilatura's paragraphs: what a news page prints beside its article.

Each filter takes the page evidence and the paragraph list and returns the kept paragraphs
and whether it removed any (so ``pick_body`` can record why). All are general rules, measured
on the whole fundus corpus; none is keyed to a site.
"""

from __future__ import annotations

import re
from typing import TypeVar

import lxml.html

from baotinh.parsers.generic_evidence import Evidence, node_text, norm

T = TypeVar("T")


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _share_in(para: str, shingles: set[tuple[str, ...]], joined: str) -> float:
    """How much of a paragraph the reference text contains (word 4-grams; a phrase shorter
    than four words must occur in it as a whole)."""
    words = _words(para)
    if len(words) < 4:
        return 1.0 if f" {' '.join(words)} " in joined else 0.0
    own = _shingles(words)
    return len(own & shingles) / len(own)


def trim_to_article_body(ev: Evidence, paragraphs: list[str]) -> tuple[list[str], bool]:
    """Keep the paragraphs the page's own JSON-LD ``articleBody`` contains.

    When the publisher states the article text, a paragraph that is not in it is a teaser,
    a related-article list or a box trafilatura took for text. Used only when articleBody is
    long and covers most of what trafilatura found (otherwise it is a summary or a stub);
    short lines inside the article (subheadings, often left out of articleBody) stay."""
    article_body = ev.article.get("articleBody")
    if not isinstance(article_body, str) or len(article_body) < 500 or not paragraphs:
        return paragraphs, False
    words = _words(article_body)
    reference, joined = _shingles(words), f" {' '.join(words)} "
    shares = [_share_in(p, reference, joined) for p in paragraphs]
    covered = sum(s * len(p) for s, p in zip(shares, paragraphs, strict=True))
    if covered < 0.5 * sum(map(len, paragraphs)):
        return paragraphs, False
    inside = [i for i, share in enumerate(shares) if share >= 0.5]
    first, last = inside[0], inside[-1]
    kept = [
        p
        for i, p in enumerate(paragraphs)
        if shares[i] >= 0.5
        or (first < i < last and len(_words(p)) <= TRIM_SHORT)
        or (i < first and _is_lead_sentence(p))
    ]
    return kept, len(kept) != len(paragraphs)


TRIM_SHORT = 12
_SENTENCE_END = re.compile(r"[.!?…。]$")


def _is_lead_sentence(para: str) -> bool:
    """A lead or summary bullet above the body (often missing from articleBody) is written
    in sentences; a kicker, a headline variant or a picture credit is not."""
    return len(_words(para)) >= 8 and bool(_SENTENCE_END.search(para))


# Headings are left out: a linked subheading is a jump anchor inside the article.
_BLOCKS = ("p", "li", "dd", "dt", "blockquote", "td", "figcaption")


def _lookup(by_text: dict[str, T], para: str, default: T) -> T:
    """A block's entry by the text trafilatura printed (list items come with a "- " mark)."""
    if para in by_text:
        return by_text[para]
    return by_text.get(para[2:], default) if para.startswith("- ") else default


def link_shares(ev: Evidence) -> dict[str, float]:
    """For each block's text (as trafilatura prints it), the share of it that is link text."""
    shares: dict[str, float] = {}
    for node in ev.tree.iter(*_BLOCKS):
        text = node_text(node)
        if not text or text in shares:
            continue
        if any(a.tag == "a" for a in node.iterancestors()):
            # A whole block wrapped in a link is a teaser card, however long its text.
            shares[text] = WRAPPED
            continue
        linked = sum(len(node_text(a)) for a in node.iter("a"))
        shares[text] = min(1.0, linked / len(text))
    return shares


def drop_link_lists(ev: Evidence, paragraphs: list[str]) -> tuple[list[str], bool]:
    """Drop blocks that are mostly link text: related-article lists, "Read more" teasers,
    topic and share links. Prose carries links inside sentences, never as most of its text."""
    shares = link_shares(ev)
    kept = []
    for para in paragraphs:
        text = para[2:] if para.startswith("- ") else para
        share = _lookup(shares, para, 0.0)
        if share == WRAPPED or (share >= LINK_SHARE and len(_words(text)) <= TEASER_WORDS):
            continue
        kept.append(para)
    return kept, len(kept) != len(paragraphs)


LINK_SHARE = 0.5
WRAPPED = 2.0  # marks a block inside a link
TEASER_WORDS = 25


# Calls to subscribe, sign up, follow, comment or send tips, paywall and consent notices, and
# "read more" pointers, in the languages of the archive and the evaluation corpus. Matched
# only in short paragraphs: article prose that mentions a newsletter is longer than these.
_FURNITURE = re.compile(
    r"newsletter|sign(?:ing)? up\b|subscri(?:be|ption)|\bsubscriber|log ?in or create"
    r"|read more\b|also read\b|read next\b|get in touch|got a story|have a story"
    r"|follow (?:us|@?\w+(?:\.\w+)* on)"
    r"|for more stories|comment policy|all rights reserved|copyright\s*(?:©|\(c\)|\d)|©\s*\d{4}"
    r"|affiliate|may earn (?:a|an) (?:affiliate )?commission"
    r"|(?:javascript|cookies?) (?:is|are) (?:required|disabled)"
    r"|browser version with limited support"
    r"|lesen sie (?:auch|hier|mehr)|mehr zum thema|auch interessant|abonn(?:ieren|ement|iere)"
    r"|jetzt (?:melden|anmelden|registrieren|abonnieren)|fehler gefunden|einloggen"
    r"|kommentar abgeben"
    r"|einverstanden, dass|externe[nr]? inhalt|whatsapp-kanal|ihre meinung ist uns wichtig"
    r"|suscr[ií]be|suscripci[oó]n|reservad[ao] (?:a|para) (?:los )?(?:suscriptores|abonnés)"
    r"|lire aussi|abonnez|réservée? aux abonnés|il vous reste"
    r"|leggi anche|abbonati|czytaj (?:więcej|także)|zobacz (?:też|także)"
    r"|xem thêm|đọc thêm|đăng ký nhận|theo dõi (?:chúng tôi|báo)"
    r"|会員(?:限定|登録|になる)|有料(?:会員|記事)|購読|読み放題|メールマガジン"
    r"|무단 전재|재배포 금지|订阅|版权所有",
    re.I,
)
FURNITURE_WORDS = 40


def drop_furniture(paragraphs: list[str]) -> tuple[list[str], bool]:
    kept = [p for p in paragraphs if len(_words(p)) > FURNITURE_WORDS or not _FURNITURE.search(p)]
    return kept, len(kept) != len(paragraphs)


def _headline_article(ev: Evidence, title: str | None) -> lxml.html.HtmlElement | None:
    """The ``<article>`` element that holds the page's headline, if the page marks one."""
    wanted = norm(title).casefold()
    for heading in ev.tree.iter("h1"):
        if wanted and node_text(heading).casefold() == wanted:
            return next((a for a in heading.iterancestors() if a.tag == "article"), None)
    return None


def drop_other_articles(
    ev: Evidence, paragraphs: list[str], title: str | None
) -> tuple[list[str], bool]:
    """Drop text that sits in an ``<article>`` outside the one with the headline: the next
    story of an endless-scroll page or a teaser card, which trafilatura can join to the text.
    (Articles nested inside the headline's own one hold its text on some sites and stay.)"""
    main = _headline_article(ev, title)
    if main is None:
        return paragraphs, False
    # Elements, not id()s: lxml makes element proxies on demand and an id can be reused.
    own = {main, *main.iterancestors()}
    elsewhere: dict[str, bool] = {}
    for node in ev.tree.iter(*_BLOCKS, "h2", "h3", "h4"):
        text = node_text(node)
        articles = [a for a in node.iterancestors() if a.tag == "article"]
        outside = bool(articles) and not any(a in own for a in articles)
        # A text printed both inside and outside the headline's article stays.
        elsewhere[text] = elsewhere.get(text, True) and outside
    kept = [p for p in paragraphs if not _lookup(elsewhere, p, False)]
    return kept, len(kept) != len(paragraphs)


# Side boxes by their own name (class or id token): fact and info boxes stand beside the story
# (a bio, a transcript, a fact sheet). Wider names (related, teaser, promo, paywall, <aside>)
# were measured and cost more than they gain: sites wrap the article itself in them.
_FURNITURE_BOX = re.compile(r"(?:^|[\s_-])(?:factbox|infobox)(?:$|[\s_-])", re.I)


def drop_boxed(ev: Evidence, paragraphs: list[str]) -> tuple[list[str], bool]:
    """Drop text the page itself files in a fact/info box, which trafilatura lets through."""
    boxed: dict[str, bool] = {}
    for node in ev.tree.iter(*_BLOCKS, "h2", "h3", "h4"):
        text = node_text(node)
        inside = any(
            _FURNITURE_BOX.search(f"{a.get('class') or ''} {a.get('id') or ''}")
            for a in node.iterancestors()
        )
        boxed[text] = boxed.get(text, True) and inside
    kept = [p for p in paragraphs if not _lookup(boxed, p, False)]
    return kept, len(kept) != len(paragraphs)
