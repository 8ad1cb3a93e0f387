"""Aligning vietnam.vn's copies: story keys, credited papers, the near-duplicate threshold, the
links made at publication and the alignment table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from baotinh.alignment.credits import credit_of, fold_name
from baotinh.alignment.keys import story_slug, translation_key
from baotinh.alignment.linker import CopyLinker
from baotinh.alignment.similarity import NEAR_DUPLICATE, compare, similarity
from baotinh.alignment.table import ALIGNMENT_SCHEMA, align, read_alignments
from baotinh.dataset.ledger import Ledger, WriterLock
from baotinh.dataset.store import ParquetStore
from baotinh.registry import get
from baotinh.text import content_sha256
from baotinh.urls import article_id, normalize_url
from tests.rows import article_row

PORTAL = get("vietnamvn")

# -- keys --------------------------------------------------------------------------------------


def test_the_key_is_the_slug_without_host_or_language_prefix() -> None:
    for url in ("https://vietnam.vn/a-b-c", "https://vietnam.vn/de/a-b-c",
                "https://vietnam.vn/zh/a-b-c"):  # fmt: skip
        assert translation_key(url, {}, PORTAL) == "a-b-c"
    # Percent-decoded and NFC: a decomposed and a composed spelling are one key.
    assert translation_key("https://vietnam.vn/cu%CC%80ng-ca", {}, PORTAL) == "cùng-ca"
    assert story_slug("https://vietnam.vn/c%C3%B9ng-ca", PORTAL) == "cùng-ca"
    # A suffix tells two stories apart.
    assert translation_key("https://vietnam.vn/a-b-c-1", {}, PORTAL) == "a-b-c-1"


def test_a_translation_takes_the_key_of_the_vietnamese_page_it_declares() -> None:
    damaged = "https://vietnam.vn/de/nguo-i-da-n-vu-ng-cao"
    declared = {"vi": "https://www.vietnam.vn/nguoi-dan-vung-cao", "en": "https://x.example/en"}
    assert translation_key(damaged, declared, PORTAL) == "nguoi-dan-vung-cao"
    via_default = {"x-default": "https://thongtin.vietnam.vn/binhthuan/nguoi-dan-vung-cao"}
    assert translation_key(damaged, via_default, PORTAL) == "nguoi-dan-vung-cao"
    # A declaration that is no Vietnamese article page of the portal is ignored.
    for wrong in ({"vi": "https://www.vietnam.vn/"}, {"vi": "https://other.example/a-b"},
                  {"x-default": "https://www.vietnam.vn/en/nguoi-dan"}):  # fmt: skip
        assert translation_key(damaged, wrong, PORTAL) == "nguo-i-da-n-vu-ng-cao"


def test_papers_without_path_editions_have_no_keys() -> None:
    assert translation_key("https://baohatinh.vn/a-b-post1.html", {}, get("baohatinh")) is None
    assert translation_key("https://news.baokhanhhoa.vn/a-b", {}, get("baokhanhhoa")) is None
    assert translation_key("https://vietnam.vn/a-b", {}, None) is None


# -- credits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name", "opening", "source_id"),
    [
        ("https://baohatinh.vn/a-b-post1.html", "Báo Hà Tĩnh", None, "baohatinh"),
        # A historic domain and an absorbed paper resolve to their paper.
        ("http://baothuathienhue.vn/tin-tuc/a-b-c-d-e.html", None, None, "huengaynay"),
        ("https://baodongkhoi.vn/tin-a123.html", None, None, "baodongkhoi"),
        (None, "Báo và Phát thanh, Truyền hình Lâm Đồng", None, "baolamdong"),
        (None, "BÁO BÌNH THUẬN ONLINE", None, "baobinhthuan"),
        (None, "Bao Khanh Hoa", None, "baokhanhhoa"),
        (None, None, "BTO - Am heutigen Nachmittag fand ...", "baobinhthuan"),
        (None, "Báo Dân trí", None, None),
    ],
)
def test_the_credited_paper_resolves_through_the_registry(url, name, opening, source_id) -> None:
    credit = credit_of(url, name, opening, PORTAL)
    assert (credit.source.id if credit.source else None) == source_id
    if url:
        assert credit.url == normalize_url(url)
    assert credit.name == (name or (credit.source.name if credit.source else None))


def test_the_portals_own_stories_credit_no_paper() -> None:
    for name in ("Việt Nam", "Vietnam.vn", "VIỆT NAM"):
        credit = credit_of(None, name, None, PORTAL)
        assert (credit.url, credit.name, credit.source) == (None, None, None)
    # A link back to the portal is no original either.
    assert credit_of("https://www.vietnam.vn/a-b", "Việt Nam", None, PORTAL).url is None
    assert fold_name("Báo điện tử Khánh Hòa") == fold_name("Báo Khánh Hòa")


# -- similarity ----------------------------------------------------------------------------------

ORIGINAL = (
    "Tại xã Sơn Kim 1, vườn cam bù hơn 1,2 ha của gia đình ông Nguyễn Văn Hòa đang vào vụ thu "
    "hoạch. Ông Hòa cho biết năm nay thời tiết thuận lợi, quả to, vỏ mỏng và đều màu nên thương "
    "lái đến đặt mua từ sớm.\n\nTheo ngành nông nghiệp, toàn tỉnh hiện có khoảng 2.800 ha cam "
    "các loại, trong đó diện tích cam bù cho thu hoạch đạt gần 900 ha. Sản lượng ước tính khoảng "
    "12.000 tấn.\n\nĐể giữ thương hiệu cam Hà Tĩnh, các hợp tác xã khuyến cáo bà con chỉ thu hái "
    "quả đủ độ chín, không sử dụng chất bảo quản và dán tem truy xuất nguồn gốc cho từng lô hàng."
    "\n\nBài và ảnh: Thu Hà - Minh Đức"
)


def test_near_duplicate_threshold_holds_for_copies_and_not_for_other_reports() -> None:
    copy = ("BHT - " + ORIGINAL.rsplit("\n\n", 1)[0]).replace("đặt mua từ sớm", "mua từ sớm")
    kept = "\n\n".join(ORIGINAL.split("\n\n")[:2])
    other = (
        "Giá cam bù tại Hương Sơn năm nay dao động 35.000 - 45.000 đồng/kg, cao hơn năm trước. "
        "Theo ngành nông nghiệp, nhiều thương lái từ Hà Nội đã vào tận vườn đặt hàng, nông dân "
        "Hà Tĩnh phấn khởi vì được mùa được giá."
    )
    assert compare(ORIGINAL, ORIGINAL) == ("exact", 1.0)
    assert compare(ORIGINAL.upper(), ORIGINAL)[0] == "exact"  # case and spacing only
    match, score = compare(copy, ORIGINAL)
    assert match == "near" and score > 0.85
    match, score = compare(kept, ORIGINAL)
    assert match == "near" and NEAR_DUPLICATE <= score < 0.8
    match, score = compare(other, ORIGINAL)
    assert match == "different" and score < 0.2
    assert similarity("", ORIGINAL) == 0.0


# -- links at publication --------------------------------------------------------------------------


def _row(url: str, **kw: Any) -> dict[str, Any]:
    row = article_row(url=url, **kw)
    row["article_id"] = article_id(normalize_url(url))
    row["content_sha256"] = content_sha256(row["title"], row["body"])
    return row


def _publish(out: Path, ledger: Ledger, rows: list[dict[str, Any]]) -> None:
    store = ParquetStore(out, ledger, publish_after_s=None)
    store.add(rows)
    store.close()


def test_a_copy_links_to_an_original_archived_before_it(tmp_path: Path) -> None:
    original_url = "https://baohatinh.vn/nong-dan-thu-hoach-cam-post300101.html"
    original = _row(original_url, source_id="baohatinh", body=ORIGINAL)
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        _publish(tmp_path, ledger, [original])
        linker = CopyLinker(ledger, tmp_path)  # a later run: the original is in a file
        copy = _row("https://vietnam.vn/nong-dan-thu-hoach-cam", source_id="vietnamvn",
                    body=ORIGINAL.rsplit("\n\n", 1)[0], original_url=original_url)  # fmt: skip
        linker.link(copy)
        assert copy["original_article_id"] == copy["duplicate_of"] == original["article_id"]
        german = _row("https://vietnam.vn/de/nong-dan-thu-hoach-cam", source_id="vietnamvn",
                      language="de", is_translation=True, body="Ein ganz anderer Text.",
                      original_url=original_url)  # fmt: skip
        linker.link(german)
        assert german["original_article_id"] == original["article_id"]
        assert german["duplicate_of"] is None  # another language is no duplicate
        other = "Một bài viết khác hẳn về chủ đề khác."
        rewritten = _row("https://vietnam.vn/mot-bai-khac-han", source_id="vietnamvn",
                         body=other, original_url=original_url)  # fmt: skip
        linker.link(rewritten)
        assert rewritten["original_article_id"] == original["article_id"]
        assert rewritten["duplicate_of"] is None
        unknown = _row("https://vietnam.vn/chua-luu", source_id="vietnamvn",
                       original_url="https://baohatinh.vn/chua-luu-post9.html")  # fmt: skip
        linker.link(unknown)
        assert unknown["original_article_id"] is None


def test_an_original_is_never_made_a_duplicate_of_its_copy(tmp_path: Path) -> None:
    text = "Một bài báo của tỉnh.\n\nĐoạn thứ hai của bài."
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        copy = _row("https://vietnam.vn/mot-bai-bao", source_id="vietnamvn", body=text,
                    original_url="https://baohatinh.vn/mot-bai-bao-post7.html")  # fmt: skip
        _publish(tmp_path, ledger, [copy])  # the copy was crawled first
        linker = CopyLinker(ledger, tmp_path)
        original = _row("https://baohatinh.vn/mot-bai-bao-post7.html", source_id="baohatinh",
                        body=text, duplicate_of=copy["article_id"])  # fmt: skip
        linker.link(original)  # deduplication found the copy's hash first
        assert original["duplicate_of"] is None
        # The same within one run, before anything is published.
        fresh = CopyLinker(None, tmp_path)
        same_run_copy = _row("https://vietnam.vn/bai-khac-nua", source_id="vietnamvn", body=text)
        fresh.link(same_run_copy)
        later = _row("https://baohatinh.vn/bai-khac-nua-post8.html", source_id="baohatinh",
                     body=text, duplicate_of=same_run_copy["article_id"])  # fmt: skip
        fresh.link(later)
        assert later["duplicate_of"] is None


def test_an_original_delivered_earlier_in_the_same_run_is_linked(tmp_path: Path) -> None:
    original_url = "https://baokhanhhoa.vn/xa-hoi/202512/don-rac-a1b2c3d/"
    linker = CopyLinker(None, tmp_path)
    original = _row(original_url, source_id="baokhanhhoa", body=ORIGINAL)
    linker.link(original)
    copy = _row("https://vietnam.vn/don-rac-bo-bien", source_id="vietnamvn", body=ORIGINAL,
                original_url=normalize_url(original_url))  # fmt: skip
    linker.link(copy)
    assert copy["original_article_id"] == copy["duplicate_of"] == original["article_id"]


# -- the alignment table --------------------------------------------------------------------


def test_the_alignment_table_maps_stories_to_languages_and_originals(tmp_path: Path) -> None:
    day = datetime(2025, 12, 12, 3, tzinfo=UTC)
    paper_url = "https://baohatinh.vn/nong-dan-thu-hoach-cam-post300101.html"
    paper = _row(paper_url, source_id="baohatinh", body=ORIGINAL, published_at=day)
    found_by_text = _row("https://baokhanhhoa.vn/xa-hoi/202512/bai-goc-a9b8c7d", title="Bài gốc",
                         source_id="baokhanhhoa", body=ORIGINAL.replace("Hà Tĩnh", "Khánh Hòa"),
                         published_at=day - timedelta(hours=20))  # fmt: skip
    portal = dict(source_id="vietnamvn", published_at=day, province=None)
    rows = [
        paper,
        found_by_text,
        _row("https://vietnam.vn/cam-bu", body=ORIGINAL.rsplit("\n\n", 1)[0],
             translation_key="cam-bu", is_translation=False, original_url=paper_url,
             original_source_id="baohatinh", **portal),
        _row("https://vietnam.vn/de/cam-bu", body="Deutscher Text.", language="de",
             translation_key="cam-bu", is_translation=True, original_url=paper_url, **portal),
        _row("https://vietnam.vn/khanh-hoa", body=ORIGINAL.replace("Hà Tĩnh", "Khánh Hòa"),
             translation_key="khanh-hoa", is_translation=False,
             original_source_id="baokhanhhoa", **portal),
        _row("https://vietnam.vn/chua-co-goc", translation_key="chua-co-goc",
             is_translation=False, original_url="https://baocantho.com.vn/x-a1.html",
             original_source_id="baocantho", **portal),
    ]  # fmt: skip
    with WriterLock(tmp_path), Ledger.open(tmp_path) as ledger:
        _publish(tmp_path, ledger, rows)
    result = align(tmp_path)
    table = read_alignments(tmp_path)
    assert (
        table is not None and table.schema.remove_metadata() == ALIGNMENT_SCHEMA.remove_metadata()
    )
    by_key = {}
    for row in table.to_pylist():
        by_key.setdefault(row["translation_key"], {})[row["language"]] = row
    assert set(by_key) == {"cam-bu", "khanh-hoa", "chua-co-goc"}
    assert set(by_key["cam-bu"]) == {"vi", "de"}
    for row in by_key["cam-bu"].values():
        assert row["original_article_id"] == paper["article_id"]
        assert (row["original_found_by"], row["original_match"]) == ("url", "near")
        assert row["original_source_id"] == "baohatinh"  # the story's, on every language
    assert by_key["cam-bu"]["de"]["url"] == "https://vietnam.vn/de/cam-bu"
    text_match = by_key["khanh-hoa"]["vi"]
    assert text_match["original_article_id"] == found_by_text["article_id"]
    assert (text_match["original_found_by"], text_match["original_match"]) == ("text", "exact")
    assert by_key["chua-co-goc"]["vi"]["original_article_id"] is None
    assert result.stories == 3 and result.rows == 4
    # Rebuilt in place, atomically: one published file, no temporary left behind.
    align(tmp_path)
    files = sorted(p.name for p in (tmp_path / "alignments").iterdir())
    assert files == ["alignments.parquet"]
    assert pq.read_table(tmp_path / "alignments" / "alignments.parquet").num_rows == 4


def test_aligning_an_empty_dataset_writes_an_empty_table(tmp_path: Path) -> None:
    result = align(tmp_path)
    assert result.rows == 0 and read_alignments(tmp_path).num_rows == 0
