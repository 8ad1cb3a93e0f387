"""Captures and the one path from a capture to rows.

A :class:`~baotinh.capture.record.Capture` is one HTTP exchange as received (URL, final URL,
status, headers, body, capture time, where it is stored). :mod:`baotinh.capture.rows` turns a
capture and its source into a row: the parser version valid at the capture time, then
normalise and enrich; :class:`~baotinh.capture.process.CaptureProcessor` adds deduplication and
says what became of the capture. The crawl, ``baotinh extract``, ``reprocess`` and backfill all
go through it; nothing else assembles those steps.
"""
