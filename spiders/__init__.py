"""Scrapy spiders (discovery and article capture), politeness middlewares, live progress."""
