"""Item pipelines: normalize -> enrich -> dedupe -> store (which validates in batches).

The rules live in the core (``baotinh.normalize``, ``baotinh.enrich``, ``baotinh.validation``)
so ``baotinh extract`` applies the same ones; each stage here is a small Scrapy 2.19 pipeline
(``from_crawler``, ``process_item(self, item)``).
"""
