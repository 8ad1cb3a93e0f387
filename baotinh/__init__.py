"""baotinh: an open archive of Vietnamese provincial news.

The core package: the Article schema, the source registry, URL identity, text and date
helpers, page parsers, the state ledger, the Parquet store and the CLI. Spiders and
pipelines (top-level packages) depend on it, never the reverse.
"""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/baotinh/baotinh"
