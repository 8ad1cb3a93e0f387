"""Normalize, enrich, dedupe and store (with the real ledger, stores and report)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from scrapy.settings import Settings

from baotinh import registry
from baotinh.crawl.run import CrawlRun
from baotinh.dataset.dedupe import Deduplicator, VersionState
from baotinh.dataset.ledger import Ledger
from baotinh.dataset.store import decompress_html
from baotinh.enrich import enrich_fields
from baotinh.item import ArticleItem
from baotinh.normalize import normalize_fields, strip_boilerplate, to_utc
from baotinh.parsers.base import Image
from baotinh.text import content_sha256, word_count
from baotinh.validation import BatchValidator
from pipelines.store import StorePipeline, item_to_row
from tests.rows import CRAWLED_AT, article_row

NFD = "NFD"


def nfd(text: str) -> str:
    return unicodedata.normalize(NFD, text)


# -- normalize --------------------------------------------------------------------------------


def test_nfd_text_becomes_nfc_and_hashes_like_nfc() -> None:
    title, body = "Tỉnh Hà Tĩnh  khởi công   dự án", "Đoạn một.\n\n\n Đoạn   hai. "
    a = {"title": nfd(title), "body": nfd(body), "authors": [nfd("Nguyễn Văn Ả")], "tags": []}
    b = {"title": title, "body": body, "authors": ["Nguyễn Văn Ả"], "tags": []}
    assert a["title"] != b["title"]
    normalize_fields(a)
    normalize_fields(b)
    assert a == b
    assert a["title"] == "Tỉnh Hà Tĩnh khởi công dự án"
    assert a["body"] == "Đoạn một.\n\nĐoạn hai."
    assert unicodedata.is_normalized("NFC", a["authors"][0])
    assert content_sha256(a["title"], a["body"]) == content_sha256(
        "Tỉnh Hà Tĩnh khởi công dự án", "Đoạn một.\n\nĐoạn hai."
    )


def test_boilerplate_is_stripped() -> None:
    body = (
        "Der Text beginnt. [Anzeige_1]\n\n[ad_1]\n\nZweiter Absatz.\n\nXem thêm: Tin liên quan"
        "\n\nChia sẻ\n\nFacebook Zalo\n\nXem thêm các tin về tỉnh là câu thật."
    )
    assert strip_boilerplate(body) == (
        "Der Text beginnt.\n\nZweiter Absatz.\n\nXem thêm các tin về tỉnh là câu thật."
    )


def test_authors_tags_and_images_are_cleaned() -> None:
    item = {
        "authors": [" Nguyễn  Văn A ", "nguyễn văn a", "", "Trần B,"],
        "tags": ["du lịch", " Du lịch", "  "],
        "images": [Image("https://x.vn/1.jpg", "  Ảnh:  X "), {"url": "https://x.vn/1.jpg"}],
    }
    normalize_fields(item)
    assert item["authors"] == ["Nguyễn Văn A", "Trần B"]
    assert item["tags"] == ["du lịch"]
    assert item["images"] == [{"url": "https://x.vn/1.jpg", "caption": "Ảnh: X"}]


def test_times_become_utc() -> None:
    assert to_utc(datetime(2025, 1, 12, 14, 13)) == datetime(2025, 1, 12, 7, 13, tzinfo=UTC)
    assert to_utc("12/01/2025 14:13") == datetime(2025, 1, 12, 7, 13, tzinfo=UTC)  # day-first
    assert to_utc("2025-10-22T19:25:52+07:00").tzinfo is UTC
    assert to_utc(12345) == 12345  # left for validation to name, not guessed


# -- enrich -----------------------------------------------------------------------------------


def _item(**fields: object) -> dict:
    return {"source_id": "baohatinh", "title": "Tin số một", "body": "Một hai ba.", **fields}


def test_enrich_fills_hash_counts_language_and_partitions() -> None:
    source = registry.get("baohatinh")
    published = datetime(2025, 6, 30, 17, 30, tzinfo=UTC)  # 1 July 00:30 in Vietnam
    item = _item(published_at=published, crawled_at=CRAWLED_AT)
    enrich_fields(item, source, now=lambda: CRAWLED_AT)
    assert item["content_sha256"] == content_sha256("Tin số một", "Một hai ba.")
    assert item["word_count"] == word_count("Một hai ba.") == 3
    assert item["language"] == source.language == "vi"
    assert (item["source"], item["year"], item["month"]) == ("baohatinh", 2025, 7)
    assert item["source_name"] == source.name and item["publisher_id"] == source.publisher_id
    assert item["first_seen_at"] == item["last_seen_at"] == CRAWLED_AT

    kept = _item(language="de", crawled_at=CRAWLED_AT)
    enrich_fields(kept, source, now=lambda: CRAWLED_AT)
    assert kept["language"] == "de"


def test_enrich_province_at_publication_uses_the_local_date() -> None:
    absorbed = registry.get("baobinhthuan")  # Bình Thuận's paper, absorbed into Lâm Đồng's
    before = _item(published_at=datetime(2025, 6, 30, 16, 59, tzinfo=UTC))  # 23:59 +07
    after = _item(published_at=datetime(2025, 6, 30, 17, 0, tzinfo=UTC))  # 00:00 +07
    unknown = _item(published_at=None, crawled_at=CRAWLED_AT)
    for item in (before, after, unknown):
        enrich_fields(item, absorbed, now=lambda: CRAWLED_AT)
    assert before["province_at_publication"] == "Bình Thuận"
    assert after["province_at_publication"] == absorbed.province == "Lâm Đồng"
    assert before["province"] == after["province"] == "Lâm Đồng"
    assert unknown["province_at_publication"] is None
    assert (unknown["year"], unknown["month"]) == (2025, 12)  # from the crawl time


def test_enrich_a_national_copy_takes_the_credited_papers_province() -> None:
    portal = registry.get("vietnamvn")
    published = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
    copy = _item(source_id="vietnamvn", published_at=published, original_source_id="baobinhthuan")
    own = _item(source_id="vietnamvn", published_at=published)
    for item in (copy, own):
        enrich_fields(item, portal, now=lambda: CRAWLED_AT)
    assert (copy["province"], copy["province_at_publication"]) == ("Lâm Đồng", "Bình Thuận")
    assert (own["province"], own["province_at_publication"]) == (None, None)


# -- dedupe -----------------------------------------------------------------------------------


T = [datetime(2025, 1, d, tzinfo=UTC) for d in range(1, 12)]


def _r(article: str, digest: str, day: int, capture: str | None = None, parser: str = "p@1"):
    return {
        "article_id": article,
        "content_sha256": digest,
        "crawled_at": T[day],
        "warc_record_id": capture,
        "extractor": parser,
    }


def test_deduplicator_rules() -> None:
    earlier = {"old": [VersionState(3, "h-old", T[3], "rec-3", "p@1")]}
    hashes = {"h-old": "old", "h-wire": "wire"}
    d = Deduplicator(lambda a: earlier.get(a, []), hashes.get)
    assert d.decide(_r("old", "h-old", 4)).kind == "unchanged"
    changed = d.decide(_r("old", "h-new", 5))
    assert (changed.kind, changed.version, changed.duplicate_of) == ("changed", 4, None)
    assert d.decide(_r("old", "h-new", 6)).kind == "unchanged"  # this run's row, not yet published
    assert d.decide(_r("old", "h-old", 7)).version == 5  # reverting is an edit too
    new = d.decide(_r("a", "h-a", 1))
    assert (new.kind, new.version, new.duplicate_of) == ("new", 1, None)
    copy = d.decide(_r("b", "h-a", 1))
    assert (copy.kind, copy.version, copy.duplicate_of) == ("new", 1, "a")
    assert d.decide(_r("c", "h-a", 1)).duplicate_of == "a"  # linked to the original, not the copy
    assert d.decide(_r("d", "h-wire", 1)).duplicate_of == "wire"  # known from earlier runs


def test_versions_follow_capture_time_not_arrival() -> None:
    history = [VersionState(1, "h-2025", T[8], "rec-2025", "p@1")]
    d = Deduplicator(lambda a: history, lambda h: None)
    # An older capture of the same text (a Wayback copy of the same page) adds nothing.
    assert d.decide(_r("x", "h-2025", 2, capture="wb-1")).kind == "unchanged"
    # An older capture of another text is a version of its own; the 2025 one stays the latest
    # (LATEST_SQL orders by crawled_at).
    old = d.decide(_r("x", "h-2019", 1, capture="wb-0"))
    assert (old.kind, old.version) == ("changed", 2)
    # A later capture equal to the text just before it in time is unchanged.
    assert d.decide(_r("x", "h-2025", 9, capture="rec-2026")).kind == "unchanged"


def test_a_parser_change_is_not_an_edit() -> None:
    history = [VersionState(1, "h-old-parser", T[1], "rec-1", "family_b@2023")]
    d = Deduplicator(lambda a: history, lambda h: None)
    # The same capture read by the same parser again: nothing to store.
    assert d.decide(_r("x", "h-old-parser", 1, "rec-1", "family_b@2023")).kind == "unchanged"
    # Read by a newer parser that finds different text: the same version, not version 2.
    again = d.decide(_r("x", "h-new-parser", 1, "rec-1", "family_b@2026"))
    assert (again.kind, again.version) == ("reextracted", 1)
    # The publisher's edit, read by the new parser from a new capture: version 2.
    assert d.decide(_r("x", "h-edited", 5, "rec-5", "family_b@2026")).version == 2


# -- with the real run (ledger, stores, report) -----------------------------------------------


def _run(out: Path, **settings: object) -> CrawlRun:
    s = Settings()
    s.setmodule("baotinh.settings")
    s.update(settings)
    return CrawlRun(out, s)


def _article_item(n: int, **overrides: object) -> ArticleItem:
    row = article_row(n, **overrides)
    return ArticleItem(**row, raw_html=f"<html>{n}</html>")


def _files(out: Path, table: str) -> list[dict]:
    rows: list[dict] = []
    for path in sorted((out / table).rglob("*.parquet")):
        rows += pq.read_table(path).to_pylist()
    return rows


def _store(run: CrawlRun, batch_rows: int = 10) -> StorePipeline:
    return StorePipeline(run, BatchValidator(now=lambda: CRAWLED_AT), batch_rows=batch_rows)


def test_store_validates_in_batches_and_quarantines_failures(tmp_path: Path) -> None:
    run = _run(tmp_path)
    store = _store(run, batch_rows=3)
    items = [_article_item(n) for n in range(5)]
    items[1]["title"] = "ab"
    items[3]["version"] = "2"  # does not fit the schema: quarantined by name, not dropped
    for item in items[:3]:
        store.process_item(item)
    assert store.sink.in_flight == 0  # the first batch was validated and handed over
    for item in items[3:]:
        store.process_item(item)
    store.close_spider()
    run.close()

    stored = _files(tmp_path, "articles")
    assert sorted(r["url"] for r in stored) == sorted(items[i]["url"] for i in (0, 2, 4))
    quarantined = {r["url"]: r for r in _files(tmp_path, "quarantine")}
    assert quarantined[items[1]["url"]]["failed_expectations"] == [
        "expect_column_value_lengths_to_be_between(title)"
    ]
    assert quarantined[items[3]["url"]]["failed_expectations"] == ["schema:version"]
    assert decompress_html(quarantined[items[1]["url"]]["raw_html_zstd"]) == "<html>1</html>"
    total = run.report.total()
    assert (total.stored, total.quarantined) == (3, 2)


def test_item_to_row_drops_transient_fields() -> None:
    row = item_to_row(_article_item(0))
    assert "raw_html" not in row and row["title"] == article_row(0)["title"]


def test_dedupe_across_runs_versions_and_copies(tmp_path: Path) -> None:
    first = _run(tmp_path)
    store = _store(first)
    store.process_item(_article_item(0))
    store.close_spider()
    first.close()

    second = _run(tmp_path)
    store = _store(second)
    store.process_item(_article_item(0))  # unchanged: not stored, booked as a duplicate
    edited = _article_item(0, body="Bài đã được sửa.\n\nĐoạn hai.")
    edited["content_sha256"] = content_sha256(edited["title"], edited["body"])
    store.process_item(edited)
    copy = _article_item(7, title=article_row(0)["title"], body=article_row(0)["body"])
    store.process_item(copy)
    store.close_spider()
    second.close()
    assert second.report.total().duplicates == 1
    with Ledger.open(tmp_path) as ledger:
        assert ledger.url_state(article_row(0)["url"])["status"] == "stored"
    rows = {(r["url"], r["version"]): r for r in _files(tmp_path, "articles")}
    assert (edited["url"], 2) in rows
    assert rows[(copy["url"], 1)]["duplicate_of"] == article_row(0)["article_id"]


def test_a_quarantined_row_takes_no_version_and_is_no_original(tmp_path: Path) -> None:
    run = _run(tmp_path)
    store = _store(run)
    broken = _article_item(0, title="ab")  # fails validation: quarantined
    copy = _article_item(1, title="ab", body=article_row(0)["body"])
    copy["title"] = article_row(0)["title"]
    copy["content_sha256"] = broken["content_sha256"] = content_sha256(
        article_row(0)["title"], article_row(0)["body"]
    )
    store.process_item(broken)
    store.process_item(copy)
    store.close_spider()
    run.close()
    (stored,) = _files(tmp_path, "articles")
    assert stored["url"] == copy["url"] and stored["duplicate_of"] is None
    assert _files(tmp_path, "quarantine")[0]["url"] == broken["url"]


# -- redirects of absorbed papers -------------------------------------------------------------


def test_an_absorbed_papers_old_url_redirected_to_its_absorber_is_the_absorbers_article() -> None:
    from baotinh.capture.process import REDIRECTED_NOT_ARTICLE, CaptureProcessor
    from baotinh.capture.record import Capture
    from baotinh.urls import article_id
    from tests.fixtureweb.families import SITES_DIR

    new = "https://baolamdong.vn/tuy-phong-khoi-cong-nha-may-dien-gio-ngoai-khoi-381260.html"
    page = (SITES_DIR / "baolamdong.vn" / new.rsplit("/", 1)[1]).read_bytes()

    def capture(url: str, final_url: str) -> Capture:
        headers = (("Content-Type", "text/html; charset=utf-8"),)
        return Capture(url, final_url, 200, headers, page, CRAWLED_AT)

    processor = CaptureProcessor()
    old = "https://baobinhthuan.com.vn/tuy-phong-khoi-cong-nha-may-dien-gio-ngoai-khoi-124482.html"
    outcome = processor.process(capture(old, new), registry.get("baobinhthuan"))
    assert outcome.kind == "row" and outcome.row is not None
    row = outcome.row
    assert (row["source_id"], row["url"], row["article_id"]) == ("baolamdong", new, article_id(new))
    assert row["title"] == "Tuy Phong khởi công nhà máy điện gió ngoài khơi"
    # Fetched under its own URL it is the same article (one id: stored once).
    direct = processor.process(capture(new, new), registry.get("baolamdong"))
    assert direct.row is not None and direct.row["article_id"] == row["article_id"]
    # Sent to the new paper's homepage, or reached from a paper that was not absorbed there:
    # not an article of the paper the URL came from.
    home = processor.process(capture(old, "https://baolamdong.vn/"), registry.get("baobinhthuan"))
    assert (home.kind, home.reason) == ("skipped", REDIRECTED_NOT_ARTICLE)
    elsewhere = "https://baohatinh.vn/mot-bai-da-chuyen-di-post300199.html"
    moved = processor.process(capture(elsewhere, new), registry.get("baohatinh"))
    assert (moved.kind, moved.reason) == ("skipped", REDIRECTED_NOT_ARTICLE)


def test_an_outcome_is_booked_where_its_url_was_discovered() -> None:
    from baotinh.crawl.report import RunReport

    report = RunReport("run")
    old = "https://baobinhthuan.com.vn/mot-bai-124482.html"
    assert report.discovered("baobinhthuan", old)
    report.outcome("baolamdong", old, "stored")  # its row is the absorber's
    counts = report.to_dict()["sources"]
    assert counts["baobinhthuan"]["stored"] == 1 and counts["baobinhthuan"]["balanced"]
    assert "baolamdong" not in counts
    # A URL reached without discovery is counted where its outcome says.
    report.outcome("baolamdong", "https://baolamdong.vn/khac-381261.html", "duplicates")
    assert report.to_dict()["sources"]["baolamdong"]["discovered"] == 1
