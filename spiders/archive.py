"""The archive spider: discovery (feeds, sitemaps, robots.txt, listings) and article capture.

One spider for every registered source; ``spiders/sources.py`` derives one spider per source
from it, so ``scrapy crawl baohatinh`` and ``scrapy crawl archive -a sources=baohatinh`` are
the same crawl. Per-crawl state (ledger, report, --since, --max-articles) comes from
``CrawlRun.for_crawler``, shared with the pipelines.

Every candidate article URL is keyed by its normalised form (``discovered_url``) in the ledger
and the report; the stored ``url`` is the normalised final URL after redirects.

Conditional polling: every feed, sitemap, robots.txt and listing page is requested with the
``ETag``/``Last-Modified`` it last answered with (``documents`` in the ledger). What a document
answered with 200 is recorded in one ledger transaction with its new validators, so a run killed
in between never hides a URL behind a later 304; a 304 re-offers the URLs found in that document
that still wait for a fetch, and follows its children only when something is left in them. An
archived article is requested again, conditionally, when a feed or sitemap changed its lastmod
or while it is young (``BAOTINH_RECHECK_WINDOW``); a 304 confirms the archived copy.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from baotinh import registry
from baotinh.capture.process import SINCE, UNTIL
from baotinh.capture.record import Capture
from baotinh.crawl import cadence
from baotinh.crawl.run import CrawlRun
from baotinh.dataset.ledger import Validators, timestamp_text
from baotinh.dates import local_date
from baotinh.item import CaptureItem
from baotinh.parsers.families.vietnamvn import story_links
from baotinh.parsers.page_kind import shell_reason
from baotinh.registry import RegistryError, Source
from baotinh.rights.tdmrep import TdmRepError, parse_well_known, well_known_url
from baotinh.urls import fetch_url, is_homepage
from spiders import discovery
from spiders.middlewares import HostDeferred, HostHeld, SiteSignals

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# Articles before discovery pages: the queue stays short and a capped run stores early.
ARTICLE_PRIORITY = 10
DISCOVERY_PRIORITY = 0
NOT_ARTICLE_URL = "not_article_url"
ROBOTS_DISALLOWED = "robots_disallowed"
MAX_ARTICLES = "max_articles"
NOT_MODIFIED = "not_modified"  # duplicates: a conditional request confirmed the archived copy
# At most this many URLs per source are re-offered from the ledger (left by earlier runs) or
# re-checked for edits in one run; the rest wait for the next run (memory stays bounded).
MAX_REOFFERED = 5000
TOMBSTONED = "tombstoned"  # on the takedown list (<out>/tombstones.jsonl)
POLITENESS = "politeness"  # left: the host asked for a longer wait than one run gives it
TOO_LARGE = "too_large"  # refused by DOWNLOAD_MAXSIZE
REDIRECT_LOOP = "redirect_loop"
BOT_WALL = "bot_wall"
# Failed fetches that say what the page is, not that the site failed: booked as skipped.
SKIPPING_FAILURES = frozenset({TOO_LARGE, REDIRECT_LOOP, BOT_WALL})


def is_bot_wall(response: Response) -> bool:
    """A challenge page (Cloudflare and the like) answered with an error status."""
    if response.headers.get(b"cf-mitigated", b"").lower() == b"challenge":
        return True
    if not isinstance(response, TextResponse) or len(response.body) > 200_000:
        return False
    try:
        tree = lxml.html.document_fromstring(response.text)
    except (lxml.etree.ParserError, ValueError):
        return False
    return shell_reason(tree) == BOT_WALL


LANGUAGE = "language"  # left: a translation into a language this run does not fetch
# Days of dated (daily) sitemaps an incremental run reads, beside the news sitemap.
RECENT_SITEMAP_DAYS = 2


def select_sources(ids: str | None, only: str | None = None) -> list[Source]:
    """The sources a crawl covers: the comma-separated ``ids``, else every active source.

    ``only`` is set by the per-source spiders, which crawl just their own source.
    """
    wanted = [s.strip() for s in (ids or "").split(",") if s.strip()]
    if only is not None:
        if wanted and wanted != [only]:
            raise RegistryError(f"spider {only!r} crawls only source {only!r}, not {ids!r}")
        wanted = [only]
    if not wanted:
        return [s for s in registry.sources().values() if s.active]
    return [registry.get(source_id) for source_id in dict.fromkeys(wanted)]


def download_slots(sources: Iterable[Source]) -> dict[str, dict[str, Any]]:
    """DOWNLOAD_SLOTS entries for the sources with politeness overrides (slot key = source id)."""
    slots: dict[str, dict[str, Any]] = {}
    for source in sources:
        entry: dict[str, Any] = {}
        if source.download_delay is not None:
            entry["delay"] = source.download_delay
        if source.concurrency is not None:
            entry["concurrency"] = source.concurrency
        if entry:
            slots[source.id] = entry
    return slots


def failure_reason(exc: BaseException) -> str:
    """A short, stable reason name for a failed request (report and ledger)."""
    from scrapy import exceptions as ex
    from twisted.internet import error as tw

    if isinstance(exc, HttpError):
        return BOT_WALL if is_bot_wall(exc.response) else f"http_{exc.response.status}"
    if isinstance(exc, ex.DownloadCancelledError) and "max size" in str(exc):
        return TOO_LARGE
    if named := getattr(exc, "failure_reason", None):  # e.g. not_in_archive during a replay
        return str(named)
    table: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
        ((ex.CannotResolveHostError, tw.DNSLookupError), "dns"),
        ((ex.DownloadTimeoutError, tw.TimeoutError, TimeoutError), "timeout"),
        ((ex.DownloadCancelledError,), "cancelled"),
        ((ex.UnsupportedURLSchemeError,), "unsupported_url"),
        (
            (
                ex.DownloadConnectionRefusedError,
                ex.DownloadFailedError,
                ex.ResponseDataLossError,
                tw.ConnectError,
                tw.ConnectionDone,
                tw.ConnectionLost,
                ConnectionError,
            ),
            "connection",
        ),
    )
    for types, reason in table:
        if isinstance(exc, types):
            return reason
    if type(exc).__name__ == "TunnelError":
        return "tunnel"
    if "SSL" in type(exc).__name__ or "TLS" in type(exc).__name__:
        return "tls"
    if isinstance(exc, IgnoreRequest):
        return REDIRECT_LOOP if "redirections" in str(exc) else "ignored"
    return type(exc).__name__


def _is_robots_block(exc: BaseException) -> bool:
    return (
        isinstance(exc, IgnoreRequest)
        and not isinstance(exc, HttpError)
        and "robots.txt" in str(exc)
    )


@dataclass
class _Decision:
    """What this run decided for one candidate URL (first sight wins, unless a later sight
    brings a newer lastmod for a page the ledger called done)."""

    needs_fetch: bool
    article: bool = True  # an article URL (else counted once as not_article_url)
    skipped: str | None = None  # the reason, when skipped on the ledger's word


class ArchiveSpider(scrapy.Spider):
    """Crawl the registered sources (``-a sources=id1,id2``; default: all active sources)."""

    name = "archive"
    only_source: ClassVar[str | None] = None  # set by the per-source spiders

    def __init__(self, sources: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources: dict[str, Source] = {
            s.id: s for s in select_sources(sources, self.only_source)
        }
        self._decided: dict[str, _Decision] = {}
        self._scheduled: Counter[str] = Counter()  # article requests per source
        self._backlog: set[str] = set()  # sources with URLs earlier runs left unfinished

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # Per-source politeness: one download slot per source, its delay/concurrency from
        # the registry; DOWNLOAD_SLOTS given on the command line win over the registry.
        slots = download_slots(registry.sources().values())
        if slots:
            given = settings.getdict("DOWNLOAD_SLOTS")
            priority = max(
                settings.getpriority("DOWNLOAD_SLOTS") or 0, SETTINGS_PRIORITIES["spider"]
            )
            settings.set("DOWNLOAD_SLOTS", {**slots, **given}, priority=priority)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._count_request, signal=signals.request_reached_downloader)
        crawler.signals.connect(spider._count_response, signal=signals.response_downloaded)
        return spider

    @property
    def run(self) -> CrawlRun:
        return CrawlRun.for_crawler(self.crawler)

    # -- requests and responses, counted per source as they hit the wire --------------------

    def _source_id_of(self, request: Request) -> str | None:
        source_id = request.meta.get("source_id")
        if source_id is None:  # robots.txt fetched by Scrapy's middleware
            source = registry.source_for_url(request.url)
            source_id = source.id if source and source.id in self.sources else None
        return source_id

    def _count_request(self, request: Request, spider: Any = None) -> None:
        if source_id := self._source_id_of(request):
            self.run.report.request(source_id)

    def _count_response(self, response: Response, request: Request, spider: Any = None) -> None:
        if source_id := self._source_id_of(request):
            self.run.report.response(source_id, response.status)

    # -- discovery --------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        run = self.run  # opens the dataset folder (lock, ledger) before the first request
        logger.info(
            "run %s: sources %s, since %s, max articles %s%s",
            run.run_id,
            ", ".join(self.sources),
            run.since or "-",
            run.max_articles or "-",
            ", due only" if run.due else "",
        )
        plan = cadence.Cadence.from_settings(self.crawler.settings)
        callbacks = {
            cadence.FEED: self.parse_feed,
            cadence.ROBOTS: self.parse_robots,
            cadence.SITEMAP: self.parse_sitemap,
            cadence.LISTING: self.parse_listing,
        }
        now = run.now()
        for source in self.sources.values():
            # What earlier runs found and left (a cap, a stop, a failure now due): the ledger,
            # not a listing page that may have moved on, brings it back.
            if any(True for _ in run.ledger.unfinished(source.id, page=1)):
                self._backlog.add(source.id)
            documents = cadence.due_documents(source, run.ledger, plan, now, due_only=run.due)
            rechecks = self._rechecks(source, plan, now)
            if not (documents or rechecks or source.id in self._backlog):
                continue  # nothing due: not even robots.txt is asked for
            for kind, url in documents:
                extra: dict[str, Any] = {}
                if kind == cadence.ROBOTS:
                    extra["dont_obey_robotstxt"] = True
                if kind == cadence.LISTING:
                    extra.update(listing_page=1, menus=is_homepage(url))
                yield self._discovery(url, source, callbacks[kind], kind=kind, **extra)
            # What the site reserves (TDMRep): asked before its articles, recorded on its rows.
            tdmrep = self._discovery(
                well_known_url(source.home), source, self.parse_tdmrep, kind="tdmrep"
            )
            yield tdmrep.replace(priority=ARTICLE_PRIORITY + 1, errback=self.tdmrep_failed)
            for request in rechecks:
                yield request
        for source_id in self._backlog:
            source = self.sources[source_id]
            for url in run.ledger.unfinished(source_id):
                if self._capped(source):
                    break
                for request in self._candidate(source, discovery.Candidate(url), listed=True):
                    yield request

    def _rechecks(self, source: Source, plan: cadence.Cadence, now: datetime) -> list[Request]:
        """Young archived articles, requested again with their validators: an edit becomes a
        new version, an unchanged page costs a 304."""
        run = self.run
        requests = []
        due = run.ledger.recheck_candidates(
            source.id, now - plan.recheck_window, now - plan.recheck_interval, MAX_REOFFERED, now
        )
        for page in due:
            if page.url in self._decided:
                continue
            if source.path_editions and source.language_of(page.url) == source.language:
                # A story page's edits come with its sitemap lastmod, which also carries them
                # to its translations; a re-check's 304 would decide it before that is read.
                continue
            self._decided[page.url] = _Decision(True)
            run.report.discovered(source.id, page.url)
            if self._capped(source):
                run.decided(source.id, page.url, "left", MAX_ARTICLES)
                continue
            self._scheduled[source.id] += 1
            requests.append(
                self._article_request(
                    source, page.url, None, page.first_seen_at, now,
                    validators=Validators(page.etag, page.last_modified, "stored", None),
                    url=page.fetch_url,
                )
            )  # fmt: skip
        return requests

    def _discovery(
        self,
        url: str,
        source: Source,
        callback: Any,
        *,
        kind: str,
        parent: str | None = None,
        listed_lastmod: datetime | None = None,
        conditional: bool = True,
        **meta: Any,
    ) -> Request:
        """A discovery request, conditional when the document answered with validators before."""
        conditional = conditional and self.run.conditional
        known = self.run.ledger.document(url) if conditional else None
        headers = _conditional_headers(known.etag, known.last_modified) if known else {}
        return Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            priority=DISCOVERY_PRIORITY,
            headers=headers,
            meta={
                "source_id": source.id,
                "download_slot": source.id,
                "document_kind": kind,
                "document_parent": parent,
                "listed_lastmod": listed_lastmod,
                "handle_httpstatus_list": [304] if conditional else [],
                **meta,
            },
        )

    @staticmethod
    def _document_url(response: Response | Request) -> str:
        """A discovery document is known by the URL it was asked for (before redirects)."""
        return (response.meta.get("redirect_urls") or [response.url])[0]

    @contextlib.contextmanager
    def _document_changed(self, source: Source, response: Response, kind: str) -> Iterator[None]:
        """One ledger transaction for what a document answered with 200: the URLs and
        documents found in it, then its new validators (a kill before the commit leaves the
        old ones, so the next run gets the document again)."""
        ledger = self.run.ledger
        with ledger.transaction():
            yield
            ledger.document_polled(
                self._document_url(response),
                source.id,
                kind,
                self.run.now(),
                answer="200",
                parent=response.meta.get("document_parent"),
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
                listed_lastmod=response.meta.get("listed_lastmod"),
            )

    def _not_modified(self, source: Source, response: Response) -> list[Request]:
        """A 304: nothing new in the document. Re-offer what is left in it (URLs never fetched
        or flagged edited) and, where something was left, its children."""
        ledger, url = self.run.ledger, self._document_url(response)
        known = ledger.document(url)
        kind = known.kind if known else response.meta.get("document_kind", "?")
        with ledger.transaction():
            ledger.document_polled(
                url,
                source.id,
                kind,
                self.run.now(),
                answer="304",
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
                listed_lastmod=response.meta.get("listed_lastmod"),
            )
            left = ledger.left_under(url)
            self.run.report.discovery_page(source.id, url, f"not modified, {len(left)} left")
            requests = self._reoffer(source, left, found_in=url)
            children = ledger.child_documents(url)
            if kind == "sitemapindex":
                listed = [
                    (c.url, _parse_ts(c.listed_lastmod) if c.listed_lastmod else None)
                    for c in children
                ]
                requests += self._index_children(source, url, listed)
            elif kind == cadence.ROBOTS:
                for child in children:
                    requests.append(
                        self._discovery(
                            child.url, source, self.parse_sitemap, kind=cadence.SITEMAP,
                            parent=url,
                        )
                    )  # fmt: skip
            elif kind == cadence.LISTING:
                # The next page is walked when this one still has URLs waiting, or when it
                # never answered (a run stopped before reaching it).
                page = response.meta.get("listing_page", 1)
                for child in children:
                    if (
                        not left
                        and child.answer in ("200", "304")
                        and source.id not in self._backlog
                    ):
                        continue
                    requests.append(
                        self._discovery(
                            child.url, source, self.parse_listing, kind=cadence.LISTING,
                            parent=url, listing_page=page + 1,
                            listing_number=page_number(child.url) or page + 1,
                        )
                    )  # fmt: skip
        return requests

    def _reoffer(
        self, source: Source, left: Iterable[Any], found_in: str | None = None
    ) -> list[Request]:
        requests: list[Request] = []
        for url in left:
            candidate = discovery.Candidate(url.fetch_url, lastmod=url.lastmod)
            requests.extend(
                self._candidate(source, candidate, listed=False, found_in=found_in, reoffered=True)
            )
        return requests

    def _index_children(
        self, source: Source, index_url: str, children: list[tuple[str, datetime | None]]
    ) -> list[Request]:
        """The children of a sitemap index worth polling: a child is skipped only when its
        ``lastmod`` equals the one the index listed when we last polled it; the newest child,
        children without lastmod and the wanted days' sitemaps are always polled
        (conditionally). A skipped child's URLs still waiting for a fetch are offered from the
        ledger."""
        ledger, since = self.run.ledger, self.run.since
        newest = max((m for _, m in children if m is not None), default=None)
        requests: list[Request] = []
        # Discovery goes on under an article cap: what it finds is booked as left for later and
        # kept in the ledger, so a later run fetches it without walking here again.
        for url, lastmod in children:
            day = discovery.sitemap_day(url)
            if day is not None and not self._wants_sitemap_day(day):
                continue
            if day is None and since and lastmod and local_date(lastmod).date() < since:
                continue  # nothing in a sitemap last changed before --since can be newer
            if not source.owns(url):
                continue
            known = ledger.document(url)
            # A day's sitemap the run wants is polled (conditionally) whatever the index says:
            # a portal that regenerates a translation moves the page's lastmod in that file,
            # and nothing says it moves the index's lastmod for the file too.
            if (
                day is None
                and lastmod is not None
                and lastmod != newest
                and known is not None
                and known.polled_at is not None
                and known.listed_lastmod == timestamp_text(lastmod)
            ):
                requests += self._reoffer(source, ledger.left_under(url), found_in=url)
                continue
            ledger.document_listed(url, source.id, cadence.SITEMAP, index_url)
            requests.append(
                self._discovery(
                    url, source, self.parse_sitemap, kind=cadence.SITEMAP, parent=index_url,
                    listed_lastmod=lastmod,
                )
            )  # fmt: skip
        return requests

    def _capped(self, source: Source) -> bool:
        """--max-articles (whole run) or BAOTINH_MAX_ARTICLES_PER_SOURCE reached."""
        total, per_source = self.run.max_articles, self.run.max_articles_per_source
        return (total > 0 and self._scheduled.total() >= total) or (
            per_source > 0 and self._scheduled[source.id] >= per_source
        )

    def _source(self, response_or_request: Response | Request) -> Source:
        return self.sources[response_or_request.meta["source_id"]]

    def parse_feed(self, response: Response) -> Iterator[Request]:
        source = self._source(response)
        if response.status == 304:
            yield from self._not_modified(source, response)
            return
        try:
            candidates = discovery.parse_feed(response.body, response.url)
        except discovery.DiscoveryError as exc:
            self._unreadable(source, response, exc)
            return
        self.run.report.discovery_page(source.id, response.url, f"{len(candidates)} entries")
        here = self._document_url(response)
        with self._document_changed(source, response, cadence.FEED):
            requests = [
                request
                for candidate in candidates
                for request in self._candidate(
                    source, candidate, listed=False, found_in=here, from_feed=True
                )
            ]
        yield from requests

    def parse_robots(self, response: Response) -> Iterator[Request]:
        source = self._source(response)
        if response.status == 304:
            yield from self._not_modified(source, response)
            return
        sitemaps = [
            url
            for url in discovery.sitemaps_from_robots(response.body, response.url)
            if source.owns(url)
        ]
        self.run.report.discovery_page(source.id, response.url, f"{len(sitemaps)} sitemaps")
        here = self._document_url(response)
        with self._document_changed(source, response, cadence.ROBOTS):
            for url in sitemaps:
                self.run.ledger.document_listed(url, source.id, cadence.SITEMAP, here)
        for url in sitemaps:
            yield self._discovery(
                url, source, self.parse_sitemap, kind=cadence.SITEMAP, parent=here
            )

    def parse_tdmrep(self, response: Response) -> None:
        source = self._source(response)
        here, ledger = self._document_url(response), self.run.ledger
        # Asked conditionally like any document: a 304 gives back the rules kept with the 200.
        body = response.body
        if response.status == 304:
            body = (ledger.document_content(here) or "").encode("utf-8")
        try:
            rules = tuple(parse_well_known(body))
        except TdmRepError as exc:
            self._unreadable(source, response, exc)
            return
        SiteSignals.of(self.crawler).tdm_rules[urlsplit(response.url).netloc] = rules
        self.run.report.discovery_page(source.id, response.url, f"{len(rules)} TDMRep rules")
        ledger.document_polled(
            here, source.id, "tdmrep", self.run.now(), answer=str(response.status),
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            content=response.text if response.status == 200 else None,
        )  # fmt: skip

    def tdmrep_failed(self, failure: Failure) -> None:
        exc = failure.value
        if isinstance(exc, HttpError) and exc.response.status in (404, 410):
            # No file: nothing reserved this way (header and meta are read per page).
            netloc = urlsplit(failure.request.url).netloc  # type: ignore[attr-defined]
            SiteSignals.of(self.crawler).tdm_rules[netloc] = ()
            return
        self.discovery_failed(failure)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        source = self._source(response)
        if response.status == 304:
            yield from self._not_modified(source, response)
            return
        max_size = response.meta.get(
            "download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
        )
        try:
            page = discovery.parse_sitemap(response.body, response.url, max_size=max_size)
        except discovery.DiscoveryError as exc:
            self._unreadable(source, response, exc)
            return
        found = f"{len(page.urls)} urls, {len(page.sitemaps)} sitemaps"
        self.run.report.discovery_page(source.id, response.url, found)
        here = self._document_url(response)
        with self._document_changed(source, response, page.kind):
            requests = self._index_children(
                source, here, [(child.url, child.lastmod) for child in page.sitemaps]
            )
            for candidate in page.urls:
                requests += self._candidate(source, candidate, listed=False, found_in=here)
                for alternate in candidate.alternates:  # its other language versions
                    requests += self._candidate(
                        source, discovery.Candidate(alternate, candidate.lastmod), listed=True,
                        found_in=here,
                    )  # fmt: skip
        yield from requests

    def _wants_sitemap_day(self, day: date) -> bool:
        """A sitemap of one day's posts (vietnam.vn's ``sitemap-post/YYYY-MM-DD.xml``) is read
        when its day can hold articles of this run's dates: from the day before ``--since`` to
        the day after ``--until`` (the file's day and an article's +07:00 day may differ); an
        incremental run (neither given) reads the last ``RECENT_SITEMAP_DAYS`` days, beside the
        news sitemap."""
        since, until = self.run.since, self.run.until
        if since is None and until is None:
            today = local_date(self.run.now()).date()
            return day >= today - timedelta(days=RECENT_SITEMAP_DAYS)
        if since is not None and day < since - timedelta(days=1):
            return False
        return until is None or day <= until + timedelta(days=1)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        source = self._source(response)
        if response.status == 304:
            yield from self._not_modified(source, response)
            return
        if not isinstance(response, HtmlResponse):
            self._unreadable(source, response, "not HTML")
            return
        links = discovery.listing_links(response, source)
        self.run.report.discovery_page(
            source.id, response.url, f"{len(links.articles)} article links"
        )
        here = self._document_url(response)
        with self._document_changed(source, response, cadence.LISTING):
            requests = self._listing(source, response, links, here)
        yield from requests

    def _listing(
        self, source: Source, response: Response, links: discovery.ListingLinks, here: str
    ) -> list[Request]:
        requests: list[Request] = []
        if source.follow_menus and response.meta.get("menus"):
            # Sources whose sections are not known: the homepage's menus, one level deep.
            for url in discovery.menu_links(response, source):
                requests.append(
                    self._discovery(
                        url, source, self.parse_listing, kind=cadence.LISTING, listing_page=1
                    )
                )
        new_here = False
        for url in links.articles:
            requests += self._candidate(
                source, discovery.Candidate(url), listed=True, found_in=here
            )
            new_here = new_here or self._decided[source.canonical_url(url)].needs_fetch
        page = response.meta.get("listing_page", 1)
        if not new_here and source.id not in self._backlog:
            # Incremental runs: a listing page with nothing left to fetch ends its pagination,
            # unless earlier runs left work: then the pages they did not reach are walked too.
            logger.debug("%s: nothing new on %s; not paginating", source.id, response.url)
            return requests
        if page >= source.max_listing_pages:
            return requests
        current = response.meta.get("listing_number", 1)
        following = next_page(links.pagination, current)
        if following is not None:
            url, number = following
            self.run.ledger.document_listed(url, source.id, cadence.LISTING, here)
            requests.append(
                self._discovery(
                    url, source, self.parse_listing, kind=cadence.LISTING, parent=here,
                    listing_page=page + 1, listing_number=number,
                )
            )  # fmt: skip
        return requests

    def discovery_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source_id = request.meta.get("source_id", "?")
        if isinstance(failure.value, HostHeld):
            return  # back in the scheduler until the host's hold ends
        if isinstance(failure.value, HostDeferred):
            self.run.report.discovery_page(source_id, request.url, f"left: {POLITENESS}")
            return
        reason = ROBOTS_DISALLOWED if _is_robots_block(failure.value) else None
        reason = reason or failure_reason(failure.value)
        logger.info("%s: %s failed: %s", source_id, request.url, reason)
        self._discovery_error(source_id, request.url, reason)
        self._poll_failed(source_id, request, reason)

    def _unreadable(self, source: Source, response: Response, why: object) -> None:
        logger.warning("%s: %s is unreadable: %s", source.id, response.url, why)
        self._discovery_error(source.id, response.url, "unreadable")
        self._poll_failed(source.id, response, "unreadable")

    def _poll_failed(self, source_id: str, request: Request | Response, reason: str) -> None:
        if source_id not in self.sources:
            return
        self.run.ledger.document_polled(
            self._document_url(request),
            source_id,
            request.meta.get("document_kind", "?"),
            self.run.now(),
            answer=reason,
            parent=request.meta.get("document_parent"),
        )

    def _discovery_error(self, source_id: str, url: str, reason: str) -> None:
        """A failed discovery page; one from an unverified guess (a probe) is the guess's
        failure, reported apart from the source's own."""
        source = self.sources.get(source_id)
        if source is not None and source.is_probe(url):
            self.run.report.probe_failed(source_id, url, reason)
        else:
            self.run.report.discovery_error(source_id, url, reason)

    # -- candidates -------------------------------------------------------------------------

    def _candidate(
        self,
        source: Source,
        candidate: discovery.Candidate,
        *,
        listed: bool,
        found_in: str | None = None,
        from_feed: bool = False,
        reoffered: bool = False,
        remember_left: bool = True,
    ) -> list[Request]:
        """Account one discovered URL; its article request when it is to be fetched.

        Feed and sitemap entries off the article pattern are counted (skipped
        ``not_article_url``); listing pages only pass article links here. ``found_in`` is the
        discovery document listing it (a 304 of that document offers it again while it waits);
        a ``reoffered`` URL comes from the ledger, so its lastmod is no new sighting.
        """
        run = self.run
        # One identity for a page's mirror, sub-portal and moved-section URLs (the registry's
        # aliases): the first URL found is fetched, the others are the same page.
        key = source.canonical_url(candidate.url)
        decided = self._decided.get(key)
        if decided is not None:
            if not decided.article or reoffered or candidate.lastmod is None:
                return []
            # Listed again (a feed, then a sitemap; a news sitemap, then a daily one): each
            # origin's lastmod is recorded, and a page skipped on the ledger's word a moment ago
            # is fetched when this listing says it changed.
            run.ledger.seen(key, source.id, candidate.lastmod, run.now(), from_feed=from_feed)
            if decided.needs_fetch or decided.skipped is None:
                return []
            if not run.ledger.should_fetch(key, candidate.lastmod)[0]:
                return []
            if not run.report.reopen(key):
                return []
            del self._decided[key]
        if not source.is_article_url(key):
            self._decided[key] = _Decision(False, article=False)
            if not listed and run.report.discovered(source.id, key):
                run.decided(source.id, key, "skipped", NOT_ARTICLE_URL)
            return []
        if run.tombstones and run.tombstones.blocks_url(key, source.id, source.publisher_id):
            self._decided[key] = _Decision(False, article=False)  # taken down: never fetched
            if run.report.discovered(source.id, key):
                run.decided(source.id, key, "skipped", TOMBSTONED)
            return []
        run.report.discovered(source.id, key)
        now = run.now()
        left = self._left_by_dates(candidate)
        if left and not remember_left:
            # Found on its story's page, which a run of the story's dates finds it on again:
            # not kept in the ledger, so no later run of other dates fetches it to leave it.
            self._decided[key] = _Decision(False)
            run.decided(source.id, key, "left", left)
            return []
        first_seen = run.ledger.seen(
            key,
            source.id,
            None if reoffered else candidate.lastmod,
            now,
            fetch_url(candidate.url),
            found_in=found_in,
            from_feed=from_feed,
        )
        if left:
            self._decided[key] = _Decision(False)
            run.decided(source.id, key, "left", left)
            return []
        if not run.wants_language(source.language_of(key), source.language):
            self._decided[key] = _Decision(False)
            run.decided(source.id, key, "left", LANGUAGE)  # a later run may want it
            return []
        fetch, reason = run.ledger.should_fetch(key, candidate.lastmod, now)
        if not fetch:
            self._decided[key] = _Decision(False, skipped=reason)
            run.decided(source.id, key, "skipped", reason, reversible=True)
            return []
        self._decided[key] = _Decision(True)
        if self._capped(source):
            run.decided(source.id, key, "left", MAX_ARTICLES)  # fetched by a later run
            return []
        self._scheduled[source.id] += 1
        validators = run.ledger.validators(key) if run.conditional else None
        if validators is not None and self._story_edited(source, key):
            validators = None  # its 200 finds the translations regenerated with it
        return [
            self._article_request(
                source, key, candidate.lastmod, first_seen, now, validators=validators,
                url=candidate.url,
            )
        ]  # fmt: skip

    def _story_edited(self, source: Source, key: str) -> bool:
        """A story page (of a source with language editions) whose lastmod moved: asked in
        full, since a 304 has no links and its translations may be regenerated unchanged."""
        if not source.path_editions or source.language_of(key) != source.language:
            return False
        state = self.run.ledger.url_state(key)
        return bool(state and state.get("edited"))

    def _article_request(
        self,
        source: Source,
        key: str,
        lastmod: datetime | None,
        first_seen: datetime,
        now: datetime,
        *,
        validators: Validators | None = None,
        url: str | None = None,
    ) -> Request:
        """An article request; with the validators of the page the ledger holds an outcome of
        it is conditional, and a 304 confirms that outcome."""
        headers: dict[str, str] = {}
        confirms: tuple[str, str | None] | None = None
        if validators is not None:
            headers = _conditional_headers(validators.etag, validators.last_modified)
            if validators.status in ("stored", "duplicate"):
                confirms = ("duplicates", NOT_MODIFIED)
            else:
                confirms = ("skipped", validators.reason)
        # dont_filter: this run asks for each article URL once (``_decided``); without it
        # Scrapy's duplicate filter would silently drop a redirect back to a URL already asked
        # for (a loop, or an old URL moved to one also discovered), leaving it with no outcome.
        return Request(
            fetch_url(url or key),
            callback=self.parse_article,
            errback=self.article_failed,
            priority=ARTICLE_PRIORITY,
            dont_filter=True,
            headers=headers,
            meta={
                "source_id": source.id,
                "download_slot": source.id,
                "discovered_url": key,
                "discovered_lastmod": lastmod,
                "first_seen_at": first_seen,
                "seen_at": now,
                "confirms": confirms,
                "handle_httpstatus_list": [304] if headers else [],
            },
        )

    def _left_by_dates(self, candidate: discovery.Candidate) -> str | None:
        """``since``/``until`` when discovery's dates put a candidate outside the run's.

        ``--since`` alone keeps what changed since (the newest of lastmod and publication);
        a range (``--until`` given) goes by the publication date discovery knows (a feed's,
        a news sitemap's, a story's for its translations), never by lastmod: rows are judged
        by their own ``published_at`` once fetched."""
        run = self.run
        if run.until is None:
            newest = discovery.latest(candidate)
            if run.since and newest and local_date(newest).date() < run.since:
                return SINCE
            return None
        if candidate.published is None:
            return None
        day = local_date(candidate.published).date()
        if day > run.until:
            return UNTIL
        return SINCE if run.since and day < run.since else None

    # -- articles ---------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[CaptureItem | Request]:
        """An article response becomes a capture; the pipelines make it a row (or a skip). A
        story page of a source with language editions also leads to its translations. A 304
        confirms the archived copy (counted with the duplicates)."""
        meta = response.meta
        if response.status == 304:
            bucket, reason = meta.get("confirms") or ("duplicates", NOT_MODIFIED)
            self.run.record(
                meta["source_id"], meta["discovered_url"], bucket, reason, fetched_at=self.run.now()
            )
            return
        self.run.capture_validators(
            meta["discovered_url"],
            _header(response, b"ETag"),
            _header(response, b"Last-Modified"),
        )
        site = SiteSignals.of(self.crawler)
        yield CaptureItem(
            capture=capture_from_response(response, self.run.now(), site),
            source_id=meta["source_id"],
            key=meta["discovered_url"],
            lastmod=meta.get("discovered_lastmod"),
            first_seen_at=meta.get("first_seen_at"),
            last_seen_at=meta.get("seen_at"),
        )
        source = self._source(response)
        if source.path_editions and isinstance(response, HtmlResponse):
            yield from self._translations(response, source)

    def _translations(self, response: HtmlResponse, source: Source) -> Iterator[Request]:
        """The other language versions a story page declares (hreflang links, its language
        switcher: neither alone finds them all, and the sitemaps list only the Vietnamese
        pages). Each carries its story's lastmod, so a regenerated translation is fetched again
        when the story's lastmod moves, and its story's date, so the translations of a story
        outside this run's dates are left unfetched."""
        if source.language_of(response.url) != source.language:
            return  # a translation's own links lead to versions its story page declares
        try:
            links = story_links(response.text, response.url)
        except ValueError as exc:
            logger.debug("%s: no language versions read from %s: %s", source.id, response.url, exc)
            return
        lastmod = response.meta.get("discovered_lastmod")
        for url in links.alternates.values():
            candidate = discovery.Candidate(url, lastmod=lastmod, published=links.published)
            yield from self._candidate(source, candidate, listed=True, remember_left=False)

    def article_failed(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]
        source = self._source(request)
        key: str = request.meta["discovered_url"]
        exc = failure.value
        if isinstance(exc, HostHeld):
            return  # back in the scheduler until the host's hold ends: no outcome yet
        if isinstance(exc, HostDeferred):
            self.run.decided(source.id, key, "left", POLITENESS)
            return
        if _is_robots_block(exc):
            self.run.record(source.id, key, "skipped", ROBOTS_DISALLOWED)
            return
        reason = failure_reason(exc)
        if reason == "cancelled" and self.crawler.engine.running:
            # Scrapy cancels a download only at its size limit (a body sent without
            # Content-Length cancels without a message) or when the crawl stops.
            reason = TOO_LARGE
        fetched_at = self.run.now() if isinstance(exc, HttpError) else None
        logger.info("%s: %s failed: %s", source.id, request.url, reason)
        bucket = "skipped" if reason in SKIPPING_FAILURES else "failed"
        self.run.record(source.id, key, bucket, reason, fetched_at=fetched_at)


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The request headers that make a fetch answer 304 when nothing changed."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def capture_from_response(
    response: Response, captured_at: datetime, site: SiteSignals | None = None
) -> Capture:
    """The exchange as the archive keeps it: the first URL asked for, the one that answered,
    the status, headers and payload (Content-Encoding already removed by Scrapy), and what the
    site said about reuse (robots.txt, TDMRep) when known."""
    headers = tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items()
        for value in values
    )
    first_url = (response.meta.get("redirect_urls") or [response.url])[0]
    return Capture(
        url=first_url,
        final_url=response.url,
        status=response.status,
        headers=headers,
        body=response.body,
        # A replayed answer keeps the time it was captured (its WARC-Date).
        captured_at=response.meta.get("captured_at") or captured_at,
        warc=response.meta.get("warc_location"),
        robots_txt=site.robots_txt_of(response.url) if site else None,
        tdm_rules=site.tdm_rules_of(response.url) if site else None,
    )


def next_page(pagination: list[str], current: int) -> tuple[str, int] | None:
    """The pagination link to follow from page ``current``: the lowest page number above it.

    Listings link to many pages (2, 3, ..., last); following only the next one keeps the
    walk sequential, so ``max_listing_pages`` bounds it and an incremental run stops early.
    """
    numbered = [(n, url) for url in pagination if (n := page_number(url)) is not None]
    ahead = sorted((n, url) for n, url in numbered if n > current)
    if not ahead:
        return None
    number, url = ahead[0]
    return url, number


def page_number(url: str) -> int | None:
    digits = "".join(c if c.isdigit() else " " for c in url.rsplit("/", 1)[-1]).split()
    return int(digits[-1]) if digits else None
