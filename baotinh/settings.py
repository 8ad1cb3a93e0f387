"""Scrapy settings: polite defaults for the live web.

``baotinh crawl`` and ``scrapy crawl`` both load this module (scrapy.cfg names it). The
fixture web and the benchmarks override the politeness settings explicitly on the command
line (``--set``/``-s``); nothing here knows about them.
"""

from baotinh import PROJECT_URL, __version__

BOT_NAME = "baotinh"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = f"baotinh/{__version__} (+{PROJECT_URL}; archive of Vietnamese provincial news)"

# Politeness: robots.txt (Crawl-delay too, via the downloader middleware below), small
# per-domain concurrency, AutoThrottle, a delay, timeouts and retries incl. 429 Retry-After.
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 20
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # the run report counts failures; no ERROR per URL offline
BAOTINH_RETRY_AFTER_MAX = 300  # seconds: a longer Retry-After defers the host to the next run
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
# The standard http_proxy/https_proxy variables are honoured by Scrapy's
# HttpProxyMiddleware (enabled by default); keep it.
HTTPPROXY_ENABLED = True

# CrawlDelayMiddleware replaces Scrapy's RobotsTxtMiddleware: it applies robots.txt
# Crawl-delay, and fixes 2.19's sharing of one robots.txt Deferred among waiting requests
# (which let some requests past a Disallow).
DOWNLOADER_MIDDLEWARES = {
    # First: a host that asked us to wait (Retry-After) keeps its requests in the scheduler.
    "spiders.middlewares.HostHoldMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.middlewares.CrawlDelayMiddleware": 100,
    "spiders.middlewares.RetryAfterMiddleware": 540,
    # Outermost on the response path (above Scrapy's 900): sees each exchange as sent, before
    # HttpCompression (590) decodes the body and Redirect (600) follows a hop.
    "spiders.warc.WarcCaptureMiddleware": 950,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
}
EXTENSIONS = {
    "spiders.progress.ProgressReporter": 500,
}
# A capture becomes a row (parser version of its date, normalise, enrich: baotinh.capture), then
# rows are validated in batches, deduplicated and stored (baotinh.dataset.sink).
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.store.StorePipeline": 500,
}

# Our pipelines are synchronous and an article page yields one item: Scrapy 2.19 starts
# CONCURRENT_ITEMS asyncio tasks per callback output, so the default 100 only costs CPU.
CONCURRENT_ITEMS = 4

# baotinh's own settings
BAOTINH_OUT = "datasets/archive"  # the dataset folder: articles/, quarantine/, runs/, state.sqlite
BAOTINH_VALIDATE_BATCH = 1000  # rows per great_expectations call (~0.1 s fixed cost each)
BAOTINH_FILE_TARGET_BYTES = 64 * 1024 * 1024  # roll a Parquet file at about this size
BAOTINH_MAX_OPEN_WRITERS = 16  # open partition writers; the least recently used closes first
BAOTINH_BUFFER_ROWS = 2000  # rows buffered across partitions before a flush
BAOTINH_WARC = True  # keep every exchange in <out>/warc/ (WARC/1.1, gzip)
BAOTINH_WARC_MAX_BYTES = 1024 * 1024 * 1024  # roll WARC files at about this size
BAOTINH_PUBLISH_INTERVAL = 60  # seconds: a fetched row is in a published file within about this
BAOTINH_VALIDATION_TIMEOUT = 300  # seconds without an answer: the validation child is replaced
BAOTINH_MAX_ARTICLES = 0  # article pages per crawl, 0 = no limit
BAOTINH_MAX_ARTICLES_PER_SOURCE = 0  # article pages per source and crawl, 0 = no limit
BAOTINH_SINCE = ""  # ISO date: skip articles published (or sitemap-modified) before it
BAOTINH_UNTIL = ""  # ISO date: a range up to this local day, by publication date only
BAOTINH_LANGUAGES = ""  # "de,en": the translations to fetch; empty: every language
BAOTINH_REPORT = ""  # path of the JSON run report ("" = <out>/runs/<run id>.json only)
BAOTINH_PROGRESS_INTERVAL = 30  # seconds between plain progress lines off a terminal
# Scheduled crawls (baotinh.crawl.cadence): `crawl --due` sets BAOTINH_DUE and polls only the
# discovery documents whose interval has passed; every poll is conditional (ETag/Last-Modified).
BAOTINH_DUE = False
BAOTINH_CONDITIONAL = True
BAOTINH_FEED_INTERVAL = 3600  # seconds: feeds and news sitemaps (an entry's poll_interval wins)
BAOTINH_FULL_INTERVAL = 86400  # seconds: full sitemaps, sitemap indexes, robots.txt, listings
BAOTINH_RECHECK_WINDOW = 3 * 86400  # seconds: articles this young are re-checked for edits ...
BAOTINH_RECHECK_INTERVAL = 6 * 3600  # seconds: ... first after this long, then at doubling ages
BAOTINH_KEEP_RUN_FILES_DAYS = 60  # runs/<run id>.json and .log older than this are deleted

# Backfill from web archives (`baotinh backfill`). The endpoints are settings (an environment
# variable of the same name, or --set, points them at a mirror or a test server).
BAOTINH_CC_COLLINFO_URL = "https://index.commoncrawl.org/collinfo.json"  # the crawls' indexes
BAOTINH_CC_DATA_URL = "https://data.commoncrawl.org/"  # WARC files, read by byte range
BAOTINH_WAYBACK_CDX_URL = "https://web.archive.org/cdx/search/cdx"
BAOTINH_WAYBACK_URL = "https://web.archive.org/web/"  # + <timestamp>id_/<url>: raw captures
BAOTINH_BACKFILL_INDEX_PER_MINUTE = 20  # index requests per service (neither documents more)
BAOTINH_BACKFILL_FETCH_INTERVAL = 1.0  # seconds between record fetches per service
BAOTINH_BACKFILL_RETRIES = 3  # per request, on connection errors and 5xx (never on 429)
BAOTINH_BACKFILL_BACKOFF = 5.0  # seconds before the first retry, doubling
BAOTINH_BACKFILL_CC_PAGE_SIZE = 1  # Common Crawl index blocks (3,000 captures each) per page
BAOTINH_BACKFILL_WAYBACK_LIMIT = 5000  # Wayback CDX rows per page (then its resume key)
BAOTINH_BACKFILL_MERGE_INTERVAL = 600  # seconds between merges of the staged work
BAOTINH_BACKFILL_MERGE_WAIT = 600  # seconds the last merge waits for a crawl to finish

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
