"""Rights signals and tombstones: the pure functions the crawl, release and download share."""

from __future__ import annotations

import json
from datetime import date

import pytest

from baotinh.rights.directives import robots_meta_directives, x_robots_tag_directives
from baotinh.rights.policy import RULES, release_mask, withheld_reason
from baotinh.rights.tdmrep import (
    TdmRepError,
    parse_well_known,
    resolve_tdm,
    well_known_url,
)
from baotinh.rights.tombstones import (
    PublishedTombstones,
    Tombstone,
    TombstoneError,
    TombstoneList,
    sha256_hex,
)
from baotinh.urls import article_id
from baotinh.validation import rows_to_table
from tests.rows import article_row

PAGE = """<html><head>
<meta name="ROBOTS" content="NoIndex , NOARCHIVE, max-snippet : 20">
<meta name="googlebot" content="noai">
<meta name="baotinh" content="none">
<meta name="tdm-reservation" content="1">
<meta name="tdm-policy" content="https://baohatinh.vn/tdm-policy.json">
</head><body><p>x</p></body></html>"""


def test_robots_meta_keeps_ours_and_everyones_directives():
    assert robots_meta_directives(PAGE) == [
        "noindex",
        "noarchive",
        "max-snippet:20",
        "nofollow",
    ]
    assert robots_meta_directives("<html><body>no head</body></html>") == []
    assert robots_meta_directives("") == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("noindex, nofollow", ["noindex", "nofollow"]),
        (["noarchive", "NOAI"], ["noarchive", "noai"]),
        ("googlebot: noarchive", []),  # another crawler's
        ("baotinh: noarchive, noai", ["noarchive", "noai"]),
        (
            "unavailable_after: 25 Jun 2030 15:00:00 PST",
            ["unavailable_after:25 jun 2030 15:00:00 pst"],
        ),
        ("max-snippet: 0, noarchive", ["max-snippet:0", "noarchive"]),
        ("none", ["noindex", "nofollow"]),
        (None, []),
    ],
)
def test_x_robots_tag(values, expected):
    assert x_robots_tag_directives(values) == expected


RULES_JSON = json.dumps(
    [
        {"location": "/free/*", "tdm-reservation": 0},
        {"location": "/*.pdf$", "tdm-reservation": 1},
        {"location": "/", "tdm-reservation": 1, "tdm-policy": "https://x.vn/policy"},
        {"location": "no-slash", "tdm-reservation": 1},
    ]
)


def test_tdmrep_well_known_file_first_matching_rule():
    rules = parse_well_known(RULES_JSON)
    assert len(rules) == 3  # the rule without a path pattern applies to nothing
    assert well_known_url("https://x.vn/a/b.html?q=1") == "https://x.vn/.well-known/tdmrep.json"
    free = resolve_tdm("https://x.vn/free/a.html", well_known=rules)
    assert (free.reservation, free.source) == (False, "well-known")
    pdf = resolve_tdm("https://x.vn/doc.pdf", well_known=rules)
    assert pdf.reservation is True and pdf.policy is None
    pdf_query = resolve_tdm("https://x.vn/doc.pdf?x=1", well_known=rules)
    assert pdf_query.policy == "https://x.vn/policy"  # `$` anchors: the catch-all rule applies
    assert resolve_tdm("https://x.vn/news/a.html").declared is False
    with pytest.raises(TdmRepError):
        parse_well_known("{not json")
    with pytest.raises(TdmRepError):
        parse_well_known('{"location": "/"}')


def test_tdmrep_meta_beats_header_beats_file():
    rules = parse_well_known(RULES_JSON)
    url = "https://x.vn/free/a.html"
    header = {"TDM-Reservation": "1", "tdm-policy": "https://x.vn/h"}
    from_header = resolve_tdm(url, headers=header, well_known=rules)
    assert (from_header.reservation, from_header.policy, from_header.source) == (
        True,
        "https://x.vn/h",
        "header",
    )
    from_meta = resolve_tdm(url, headers={"tdm-reservation": "0"}, html=PAGE, well_known=rules)
    assert (from_meta.reservation, from_meta.source) == (True, "meta")
    assert from_meta.policy == "https://baohatinh.vn/tdm-policy.json"
    # Values other than 0/1 and relative policies declare nothing.
    odd = resolve_tdm(url, headers={"tdm-reservation": "yes", "tdm-policy": "/p"})
    assert odd.declared is False
    relative = resolve_tdm(url, headers={"tdm-reservation": "1", "tdm-policy": "/p"})
    assert relative.reservation is True and relative.policy is None


def _table(rows):
    return rows_to_table(rows)


def test_tombstones_match_by_article_url_pattern_and_publisher():
    rows = [
        article_row(
            1,
            source_id="baohatinh",
            publisher_id="bao_ha_tinh",
            url="https://baohatinh.vn/tin-noi-bo/a-post1.html",
        ),
        article_row(
            2,
            source_id="baohatinh",
            publisher_id="bao_ha_tinh",
            url="https://baohatinh.vn/b-post2.html",
        ),
        article_row(
            3,
            source_id="baocantho",
            publisher_id="bao_can_tho",
            url="https://baocantho.com.vn/c-a3.html",
        ),
        article_row(
            4,
            source_id="baokhanhhoa",
            publisher_id="bao_khanh_hoa",
            url="https://baokhanhhoa.vn/d/202512/x-abcdef1/",
        ),
    ]
    listed = TombstoneList(
        [
            Tombstone.new("url", "https://baohatinh.vn/tin-noi-bo/*", "internal page"),
            Tombstone.new("article", rows[2]["article_id"], "court order"),
            Tombstone.new("publisher", "bao_khanh_hoa", "the paper asked"),
        ]
    )
    expected = [True, False, True, True]
    assert [listed.matches(r) for r in rows] == expected
    assert listed.mask(_table(rows)).to_pylist() == expected
    assert listed.blocks_url("https://baohatinh.vn/tin-noi-bo/z-post9.html")
    assert not listed.blocks_url("https://baohatinh.vn/z-post9.html", "baohatinh", "bao_ha_tinh")
    assert listed.blocks_url("https://baokhanhhoa.vn/x/", "baokhanhhoa", "bao_khanh_hoa")
    assert listed.blocks_url(rows[2]["url"])
    # An exact URL without a wildcard matches only itself (dots are not wildcards).
    exact = TombstoneList([Tombstone.new("url", "https://baohatinh.vn/b-post2.html", "r")])
    assert exact.mask(_table(rows)).to_pylist() == [False, True, False, False]
    assert not exact.blocks_url("https://baohatinh.vn/b-post2xhtml")


def test_tombstone_list_file_round_trip_and_bad_entries(tmp_path):
    path = tmp_path / "tombstones.jsonl"
    assert not TombstoneList.load(path)
    entry = Tombstone.new("publisher", "bao_ha_tinh", "asked", date(2026, 1, 5))
    TombstoneList.append(path, entry)
    TombstoneList.append(path, Tombstone.new("url", "https://x.vn/a/*", "r"))
    loaded = TombstoneList.load(path)
    assert loaded.entries[0] == entry and len(loaded.entries) == 2
    for kind, value, reason in [
        ("article", "not-an-id", "r"),
        ("publisher", "Bad Id", "r"),
        ("url", "baohatinh.vn/*", "r"),
        ("site", "x", "r"),
        ("article", "0" * 32, " "),
    ]:
        with pytest.raises(TombstoneError):
            Tombstone.new(kind, value, reason)
    path.write_text(path.read_text() + '{"kind": "article"}\n')
    with pytest.raises(TombstoneError, match=r"tombstones.jsonl:3"):
        TombstoneList.load(path)


def test_published_list_holds_hashes_only_and_filters_the_same_rows():
    rows = [article_row(n, publisher_id=f"paper_{n % 2}") for n in range(4)]
    pattern_hit = rows[0]["article_id"]
    listed = TombstoneList(
        [
            Tombstone.new("article", rows[1]["article_id"], "secret reason"),
            Tombstone.new("publisher", "paper_1", "secret reason"),  # rows 1 and 3
            Tombstone.new("url", "https://example.vn/never/*", "secret reason"),
        ]
    )
    published = listed.published([pattern_hit])
    text = json.dumps(published.to_json())
    for secret in ("secret", rows[1]["article_id"], "paper_1", "example.vn"):
        assert secret not in text
    assert sha256_hex(rows[1]["article_id"]) in text
    again = PublishedTombstones.from_json(json.loads(text))
    assert again.mask(_table(rows)).to_pylist() == [True, True, False, True]
    with pytest.raises(TombstoneError):
        PublishedTombstones.from_json({"format": "baotinh-tombstones", "version": 99})
    with pytest.raises(TombstoneError):
        PublishedTombstones.from_json(
            {"format": "baotinh-tombstones", "version": 1, "entries": [{"kind": "url"}]}
        )


def test_release_policy_withholds_noarchive_noai_and_tdm_reservations():
    rows = [
        article_row(0),  # nothing said (null signals): released
        article_row(1, robots_meta=["noindex", "nofollow"], robots_txt="allowed"),
        article_row(2, robots_meta=["noarchive"]),
        article_row(3, x_robots_tag=["noai"]),
        article_row(4, tdm_reservation=True, tdm_policy="https://x.vn/p"),
        article_row(5, tdm_reservation=False, x_robots_tag=[]),
    ]
    keep, withheld = release_mask(_table(rows))
    assert keep.to_pylist() == [True, True, False, False, False, True]
    assert withheld == {"noarchive": 1, "noai": 1, "tdm_reservation": 1}
    assert [withheld_reason(r) for r in rows] == [
        None,
        None,
        "noarchive",
        "noai",
        "tdm_reservation",
        None,
    ]
    assert {"fetch", "keep", "release"} <= set(RULES[0].__dataclass_fields__)


def test_article_ids_hash_like_the_urls_module():
    url = "https://baohatinh.vn/b-post2.html"
    assert TombstoneList([Tombstone.new("article", article_id(url), "r")]).blocks_url(url)


def test_masks_of_an_empty_batch_are_empty_booleans():
    from baotinh.release.filters import RowFilter

    empty = _table([])
    listed = TombstoneList([Tombstone.new("url", "https://x.vn/*", "r")])
    for mask in (
        listed.mask(empty),
        release_mask(empty)[0],
        RowFilter(provinces=("Hà Tĩnh",)).mask(empty),
        PublishedTombstones({("article", "0" * 64): "2026-01-01"}).mask(empty),
    ):
        assert len(mask) == 0 and str(mask.type) == "bool"
