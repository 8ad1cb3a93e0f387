"""Live crawl progress per source, read from the run report.

On a terminal (stderr is a TTY and the log is quieter than INFO or goes to a file, as
``baotinh crawl`` sets it) a block of one line per source is redrawn in place every second;
anywhere else a plain log line per source every ``BAOTINH_PROGRESS_INTERVAL`` seconds.
``rich`` is not a dependency: redrawing a few lines needs two ANSI sequences.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from baotinh.crawl.report import RunReport, summary_lines
from baotinh.crawl.run import RUN_CLOSED

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

LIVE_INTERVAL = 1.0  # seconds between redraws on a terminal
_UP_AND_CLEAR = "\x1b[{n}F"  # cursor to the start of the line n lines up
_CLEAR_LINE = "\x1b[2K"


class ProgressReporter:
    """Scrapy extension; needs the crawl's ``CrawlRun`` (created by the archive spider)."""

    def __init__(
        self, crawler: Crawler, interval: float, live: bool, stream: TextIO | None = None
    ) -> None:
        self.crawler = crawler
        self.interval = interval
        self.live = live
        self.stream = stream or sys.stderr
        self._drawn = 0  # lines of the block currently on screen
        self._task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("BAOTINH_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        level = logging.getLevelName(crawler.settings.get("LOG_LEVEL", "INFO"))
        quiet_log = isinstance(level, int) and level > logging.INFO
        # `baotinh crawl` on a terminal sends Scrapy's log to a file and asks for the live block.
        live = sys.stderr.isatty() and (
            quiet_log or crawler.settings.getbool("BAOTINH_PROGRESS_LIVE")
        )
        reporter = cls(crawler, LIVE_INTERVAL if live else interval, live)
        crawler.signals.connect(reporter.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(reporter.run_closed, signal=RUN_CLOSED)
        return reporter

    def _report(self) -> RunReport | None:
        run = getattr(self.crawler, "_baotinh_run", None)  # set by CrawlRun.for_crawler
        return run.report if run is not None else None

    def _source_ids(self) -> list[str]:
        spider = self.crawler.spider
        return list(getattr(spider, "sources", {}) or {})

    def spider_opened(self, spider: Any = None) -> None:
        self._task = create_looping_call(self.tick)
        self._task.start(self.interval, now=False)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self._task is not None and self._task.running:
            self._task.stop()

    def run_closed(self, run: Any = None) -> None:
        if self.live:
            self.tick()  # the final counts, after the last files were published, stay on screen

    def tick(self) -> None:
        report = self._report()
        if report is None:
            return
        lines = summary_lines(report, self._source_ids())
        if self.live:
            self.draw(lines)
        else:
            for line in lines:
                logger.info("progress %s", line)

    def draw(self, lines: list[str]) -> None:
        """Redraw the block in place: move up over the previous block, rewrite each line."""
        out = []
        if self._drawn:
            out.append(_UP_AND_CLEAR.format(n=self._drawn))
        out.extend(f"{_CLEAR_LINE}{line}\n" for line in lines)
        self.stream.write("".join(out))
        self.stream.flush()
        self._drawn = len(lines)
