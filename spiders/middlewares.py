"""Politeness downloader middlewares Scrapy 2.19 does not ship.

- ``CrawlDelayMiddleware``: replaces Scrapy's RobotsTxtMiddleware. ``ROBOTSTXT_OBEY`` checks
  Allow/Disallow only; this also applies the robots.txt ``Crawl-delay`` (and keeps the
  per-source ``DOWNLOAD_SLOTS`` delay a floor that AutoThrottle cannot lower). It also fixes a
  Scrapy 2.19 bug under the asyncio reactor: requests that wait for a host's robots.txt
  while it downloads share one Deferred, and every waiter after the first gets ``None``
  ("no robots.txt") and is let through a Disallow.
- ``RetryAfterMiddleware``: Scrapy's RetryMiddleware retries 429/503 at once; this waits what
  the server's ``Retry-After`` asks (seconds or an HTTP date, capped) before the retry.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

# Statuses whose Retry-After asks the client to come back later (RFC 9110 §10.2.3).
RETRY_AFTER_STATUSES = frozenset({429, 503})
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


async def _sleep(seconds: float) -> None:
    # call_later works on both the asyncio and the default Twisted reactor.
    waited: Deferred[None] = Deferred()
    call_later(seconds, waited.callback, None)
    await maybe_deferred_to_future(waited)


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that honours ``Retry-After`` on 429 and 503 before retrying.

    Replaces Scrapy's RetryMiddleware (same settings: RETRY_TIMES, RETRY_HTTP_CODES, ...);
    ``BAOTINH_RETRY_AFTER_MAX`` caps the wait (default 300 s). Only the retried request
    waits; AutoThrottle already slows the slot after error responses.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("BAOTINH_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if response.status in RETRY_AFTER_STATUSES:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait:
                wait = min(wait, self.max_wait)
                logger.info(
                    "%s answered %d with Retry-After: waiting %.1f s before retrying",
                    request.url,
                    response.status,
                    wait,
                )
                self.crawler.stats.inc_value("retry/retry_after_wait_seconds", int(wait))
                await _sleep(wait)
        return retry
