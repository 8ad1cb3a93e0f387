"""Politeness downloader middlewares Scrapy 2.19 does not ship.

- ``CrawlDelayMiddleware``: replaces Scrapy's RobotsTxtMiddleware. ``ROBOTSTXT_OBEY`` checks
  Allow/Disallow only; this also applies the robots.txt ``Crawl-delay`` (and keeps the
  per-source ``DOWNLOAD_SLOTS`` delay a floor that AutoThrottle cannot lower). It also fixes a
  Scrapy 2.19 bug under the asyncio reactor: requests that wait for a host's robots.txt
  while it downloads share one Deferred, and every waiter after the first gets ``None``
  ("no robots.txt") and is let through a Disallow.
- ``RetryAfterMiddleware`` + ``HostHoldMiddleware``: Scrapy's RetryMiddleware retries 429/503
  at once; these hold the whole host for what the server's ``Retry-After`` asks (seconds or an
  HTTP date), its requests waiting in the scheduler, not in the downloader; a wait past the
  cap defers the host to the next run.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.utils.asyncio import call_later
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

from baotinh.rights.tdmrep import TdmRule

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

# Statuses whose Retry-After asks the client to come back later (RFC 9110 §10.2.3).
RETRY_AFTER_STATUSES = frozenset({429, 503})
HOLD_MIN_DELAY = 0.001  # seconds: a held slot's delay is never zero (see HostHolds.hold)
DEFAULT_RETRY_AFTER_MAX = 300.0  # seconds; a server cannot park a crawl for hours


class _NoRobotsTraceback(logging.Filter):
    """Scrapy logs an unreachable robots.txt at ERROR with a traceback; the request goes on
    (a missing robots.txt allows all) and the run report counts the host's failures, so one
    plain line is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.msg.startswith("Error downloading"):
            record.exc_info = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_NoRobotsTraceback())


class SiteSignals:
    """What each host said about reuse this run: its robots.txt (``allowed`` when it answered,
    ``absent`` for a 4xx, ``unreachable`` for a 5xx or no answer) and its TDMRep rules
    (``/.well-known/tdmrep.json``; empty when it has none). One per crawler; rows carry them."""

    def __init__(self) -> None:
        self.robots_txt: dict[str, str] = {}  # netloc -> verdict
        self.tdm_rules: dict[str, tuple[TdmRule, ...]] = {}  # netloc -> rules

    @classmethod
    def of(cls, crawler: Crawler) -> SiteSignals:
        signals_ = getattr(crawler, "_baotinh_site_signals", None)
        if signals_ is None:
            signals_ = cls()
            crawler._baotinh_site_signals = signals_  # type: ignore[attr-defined]
        return signals_

    def robots_txt_of(self, url: str) -> str | None:
        return self.robots_txt.get(urlsplit(url).netloc)

    def tdm_rules_of(self, url: str) -> tuple[TdmRule, ...] | None:
        return self.tdm_rules.get(urlsplit(url).netloc)


def robots_verdict(status: int) -> str:
    if status < 400:
        return "allowed"
    return "absent" if status < 500 else "unreachable"


class CrawlDelayMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, fixed, plus Crawl-delay; replaces the built-in one.

    Raises a download slot's delay to the robots.txt Crawl-delay of the host it fetches,
    never lowering one. The floor is re-applied as each request reaches the downloader and
    after each response, because AutoThrottle moves slot delays after every response. While
    a Crawl-delay applies, the slot's jitter is narrowed so no single wait drops below it.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)  # NotConfigured unless ROBOTSTXT_OBEY
        settings = crawler.settings
        builtin = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"
        if settings.getwithbase("DOWNLOADER_MIDDLEWARES").get(builtin) is not None:
            logger.warning(
                "%s is still enabled beside %s.CrawlDelayMiddleware: robots.txt is fetched "
                "twice; set it to None in DOWNLOADER_MIDDLEWARES",
                builtin,
                __name__,
            )
        self.useragent: str = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.crawl_delays: dict[str, float] = {}  # netloc -> Crawl-delay seconds
        self._base_jitter: dict[str, float] = {}  # slot key -> jitter before narrowing
        self._warned_parser = False
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        # Both: a request queued in its slot waits there while AutoThrottle, on each
        # response (its handler was connected earlier, so it runs first), moves the delay.
        crawler.signals.connect(self.apply_floor, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        # Recorded for the rows of this host (Scrapy reads any answer as a robots.txt).
        SiteSignals.of(self.crawler).robots_txt[netloc] = robots_verdict(response.status)
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        SiteSignals.of(self.crawler).robots_txt[netloc] = "unreachable"
        super()._robots_error(exc, netloc)

    async def robot_parser(self, request: Request) -> Any:
        parser = await super().robot_parser(request)
        if parser is None:
            # The shared Deferred hands later waiters None (see the module docstring); by
            # then the parsed robots.txt is stored for the host, so read it from there.
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                parser = stored
        return parser

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        # Scrapy's ProtegoRobotParser and PythonRobotParser keep the parsed file in `.rp`,
        # and both protego and urllib.robotparser answer crawl_delay(user_agent).
        crawl_delay = getattr(getattr(robotparser, "rp", None), "crawl_delay", None)
        if crawl_delay is None:
            if not self._warned_parser:
                self._warned_parser = True
                logger.warning(
                    "%s does not expose Crawl-delay: robots.txt Crawl-delay is not applied",
                    type(robotparser).__name__,
                )
            return
        delay = crawl_delay(self.useragent)
        if delay:
            netloc = urlparse_cached(request).netloc
            self.crawl_delays[netloc] = float(delay)
            logger.info("robots.txt of %s asks a Crawl-delay of %s s", netloc, delay)

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        self.apply_floor(request)

    def apply_floor(self, request: Request, spider: Any = None) -> None:
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot")
        slot = downloader.slots.get(key) if key is not None else None
        if slot is None:
            return
        configured = downloader.per_slot_settings.get(key, {}).get("delay")
        crawl_delay = self.crawl_delays.get(urlparse_cached(request).netloc, 0.0)
        floor = max(float(configured or 0.0), crawl_delay)
        if slot.delay < floor:
            slot.delay = floor
        HostHolds.of(self.crawler).keep_held(key, slot)
        if crawl_delay:
            # Jitter spreads each wait over delay*(1±jitter); keep its low end >= Crawl-delay.
            base = self._base_jitter.setdefault(key, slot.jitter)
            slot.jitter = min(base, max(0.0, 1.0 - crawl_delay / slot.delay))


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait; None when absent or unreadable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HostHeld(IgnoreRequest):
    """Not sent now: the host asked us to wait; the request went back to the scheduler."""


class HostDeferred(IgnoreRequest):
    """Not sent this run: the host asked for a longer wait than one run gives it."""


def _slot_of(crawler: Crawler, request: Request) -> str:
    """The download slot Scrapy's downloader puts the request in (our slots are sources)."""
    return str(crawler.engine.downloader.get_slot_key(request))


class HostHolds:
    """Which download slots (hosts, or sources) wait until when, and which are deferred to the
    next run. One per crawler, shared by the Retry-After and host-hold middlewares."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._deferred: set[str] = set()

    @classmethod
    def of(cls, crawler: Crawler) -> HostHolds:
        holds = getattr(crawler, "_baotinh_host_holds", None)
        if holds is None:
            holds = cls()
            crawler._baotinh_host_holds = holds  # type: ignore[attr-defined]
        return holds

    def hold(self, slot: str, seconds: float, downloader: Any = None) -> None:
        until = time.monotonic() + seconds
        self._until[slot] = max(until, self._until.get(slot, 0.0))
        # Requests already queued in the host's download slot wait too: Scrapy's downloader
        # sends a slot's next request once `delay` has passed since `lastseen` (both on the
        # monotonic clock), so `lastseen` is moved to the end of the hold and the delay made
        # non-zero (a zero delay skips the check). Only those few wait in the downloader; new
        # requests stay in the scheduler (HostHoldMiddleware).
        queued = downloader.slots.get(slot) if downloader is not None else None
        if queued is not None:
            queued.lastseen = max(queued.lastseen, until)
            queued.delay = max(queued.delay, HOLD_MIN_DELAY)

    def keep_held(self, slot: str, queued: Any) -> None:
        """Re-assert a hold on a slot whose delay AutoThrottle just moved."""
        if self.wait_left(slot) > 0:
            queued.delay = max(queued.delay, HOLD_MIN_DELAY)

    def defer(self, slot: str) -> None:
        self._deferred.add(slot)

    def deferred(self, slot: str) -> bool:
        return slot in self._deferred

    def wait_left(self, slot: str) -> float:
        return max(0.0, self._until.get(slot, 0.0) - time.monotonic())


class HostHoldMiddleware:
    """Keeps requests of a host that asked to wait out of the downloader.

    A request of a held host is handed back to the scheduler when the hold ends (so it never
    occupies one of the downloader's global slots while it waits, and other hosts go on); a
    request of a deferred host is not sent this run (its URL is left for the next one). Robots.txt
    requests pass: the robots middleware waits for them itself.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.holds = HostHolds.of(crawler)
        self.waiting = 0
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        slot = _slot_of(self.crawler, request)
        if self.holds.deferred(slot):
            raise HostDeferred(f"{slot} asked for a longer wait than this run gives it")
        wait = self.holds.wait_left(slot)
        if wait > 0:
            self.waiting += 1
            call_later(wait, self._resend, request)
            raise HostHeld(f"{slot} is held for {wait:.1f} s more")

    def _resend(self, request: Request) -> None:
        self.waiting -= 1
        # The scheduler saw this request once already: its duplicate filter would drop it.
        self.crawler.engine.crawl(request.replace(dont_filter=True))

    def spider_idle(self, spider: Any = None) -> None:
        if self.waiting:
            raise DontCloseSpider  # requests are waiting out a hold: the crawl is not done


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that honours ``Retry-After`` (seconds or an HTTP date) on 429 and 503.

    Replaces Scrapy's RetryMiddleware (same settings: RETRY_TIMES, RETRY_HTTP_CODES, ...). The
    wait holds the whole host, not only the retried request (AutoThrottle resets a slot's delay
    on the next 200, so a delay alone does not hold): ``HostHoldMiddleware`` keeps the host's
    requests in the scheduler until then. A wait longer than ``BAOTINH_RETRY_AFTER_MAX``
    (default 300 s) defers the host to the next run.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.holds = HostHolds.of(crawler)
        self.max_wait = crawler.settings.getfloat(
            "BAOTINH_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if response.status in RETRY_AFTER_STATUSES:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait:
                slot = _slot_of(self.crawler, request)
                if wait > self.max_wait:
                    logger.info(
                        "%s asked to wait %.0f s (more than %.0f): left for the next run",
                        slot,
                        wait,
                        self.max_wait,
                    )
                    self.holds.defer(slot)
                else:
                    logger.info("%s answered %d: holding %s for %.1f s", request.url,
                                response.status, slot, wait)  # fmt: skip
                    self.holds.hold(slot, wait, self.crawler.engine.downloader)
                    self.crawler.stats.inc_value("retry/retry_after_wait_seconds", int(wait))
        return retry
