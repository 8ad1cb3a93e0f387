"""Backfill: a source's past from web archives (Common Crawl and the Wayback Machine).

``services`` speaks to the archives (CDX indexes, record fetches, pace, the 429 rule); ``job``
runs a backfill into a staging area merged into the dataset (``baotinh.dataset.staging``).
"""
