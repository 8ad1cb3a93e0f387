"""The registry: load-time refusals, host resolution, dated facts, probes, and the real
registry's coverage of every paper of the 63 former provinces and the 34 units."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any
from urllib.parse import quote

import pytest

from baotinh import registry
from baotinh.dates import VN_TZ
from baotinh.registry import RegistryError, load_registry, provinces
from baotinh.registry.facts import FactError, parse_fact
from tests.conftest import REPO

GOOD = """
[source.example]
name = "Báo Ví Dụ"
publisher = "bao_vi_du"
province = "Bình Thuận"
family = "numeric [cfg25]"
domains = ["example.vn [cfg25]"]
"""


def refused(text: str) -> str:
    """The one-line message a registry text is refused with."""
    with pytest.raises(RegistryError) as caught:
        load_registry(text)
    message = str(caught.value)
    assert "\n" not in message, message
    return message


def entry(**changes: str | None) -> str:
    """GOOD's entry with keys replaced (a TOML value as text) or removed (None)."""
    data = {
        "name": '"Báo Ví Dụ"',
        "publisher": '"bao_vi_du"',
        "province": '"Bình Thuận"',
        "family": '"numeric [cfg25]"',
        "domains": '["example.vn [cfg25]"]',
    }
    data.update(changes)
    body = "\n".join(f"{k} = {v}" for k, v in data.items() if v is not None)
    return f"[source.example]\n{body}\n"


# -- refusals at load time: one line naming the entry and the fault ----------------------------


def test_a_good_entry_loads_with_its_familys_defaults() -> None:
    loaded = load_registry(GOOD)
    source = loaded.get("example")
    assert (source.family, source.province, source.former_province) == (
        "numeric",
        "Lâm Đồng",
        "Bình Thuận",
    )
    assert source.listings == ("https://example.vn/",)  # the family's homepage listing
    assert source.is_article_url("https://example.vn/xa-hoi/tin-moi-123456.html")


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        (entry(family='"Z [cfg25]"'), ["'example'", "unknown family 'Z'", "numeric"]),
        (GOOD + GOOD.replace("example.vn", "other.vn"), ["'example'", "duplicate id"]),
        (
            GOOD + GOOD.replace("source.example", "source.other"),
            ["'other'", "duplicate domain 'example.vn'", "'example'"],
        ),
        (entry(article="'^/(unclosed [cfg25]'"), ["'example'", "does not compile"]),
        (entry(listings="[]"), ["'example'", "no discovery method"]),
        (entry(province='"Atlantis"'), ["'example'", "province 'Atlantis'", "province table"]),
        (
            entry(feeds='["https://elsewhere.vn/rss [app]"]'),
            ["'example'", "feeds", "https://elsewhere.vn/rss", "not on the source's hosts"],
        ),
        (entry(colour='"blue"'), ["'example'", "unknown keys ['colour']"]),
        (entry(domains='["example.vn"]'), ["'example'", "no evidence tag"]),
        (entry(family='"numeric [rumour]"'), ["'example'", "unknown evidence tag 'rumour'"]),
        (entry(absorbed_into='"nobody [bg]"'), ["'example'", "absorbed_into 'nobody'"]),
        (entry(family='["A [app]", "numeric [app]"]'), ["'example'", "needs `from <date>`"]),
        (entry(domains='["https://example.vn/ [page]"]'), ["'example'", "not a host name"]),
        (entry(publisher=None), ["'example'", "no publisher"]),
        (entry(editions='["en: example.vn [pub]"]'), ["'example'", "declared twice"]),
        (entry(poll_interval='"often"'), ["'example'", "poll_interval 'often'"]),
        (entry(frozen_since='"last year [bg]"'), ["'example'", "frozen_since", "not a date"]),
        (entry().replace("source.example", "source.ex.ample"), ["'ex'", "ex.ample", "no dots"]),
    ],
)
def test_bad_entries_are_refused_with_one_line(text: str, needles: list[str]) -> None:
    message = refused(text)
    for needle in needles:
        assert needle in message, message


def test_a_dotted_id_is_refused() -> None:
    text = entry().replace("[source.example]", '[source."bao.vi.du"]')
    assert "'bao.vi.du'" in refused(text) and "no dots" in refused(text)


def test_the_loader_reads_a_path_and_names_the_file(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(entry(family='"Q [app]"'), "utf-8")
    with pytest.raises(RegistryError, match=r"^mine\.toml: source 'example': unknown family"):
        load_registry(path)


def test_a_bad_family_file_is_refused() -> None:
    families = '[family.numeric]\nname = "n"\narticle = "^/(x [bg]"\n'
    with pytest.raises(RegistryError, match=r"family 'numeric': article pattern .* not compile"):
        load_registry(GOOD, families)


# -- which source a URL belongs to -------------------------------------------------------------

TWO_PAPERS = """
[source.example]
name = "Example"
publisher = "example"
province = "Hà Tĩnh"
family = "B [page]"
domains = ["example.vn [page]"]

[source.news]
name = "Example News"
publisher = "example_news"
province = "Khánh Hòa"
family = "A [page]"
domains = ["news.example.vn [page]"]
"""


def test_a_url_belongs_to_the_source_of_its_longest_declared_host() -> None:
    loaded = load_registry(TWO_PAPERS)
    assert loaded.source_for_url("https://news.example.vn/a/202501/b-1234567/").id == "news"
    assert loaded.source_for_url("https://www.example.vn/a-post1.html").id == "example"
    assert loaded.source_for_url("https://m.example.vn/a-post1.html").id == "example"
    assert not loaded.get("example").owns("https://news.example.vn/x-post1.html")
    # An undeclared subdomain is nobody's: news.example.vn is not example.vn's by accident.
    assert loaded.source_for_url("https://video.example.vn/x-post1.html") is None
    assert loaded.source_for_url("not a url") is None


def test_a_subdomain_declared_as_an_edition_is_the_parents() -> None:
    text = TWO_PAPERS.split("[source.news]")[0] + 'editions = ["en: news.example.vn [pub]"]\n'
    loaded = load_registry(text)
    source = loaded.source_for_url("https://news.example.vn/tourism/x-post2.html")
    assert source is not None and source.id == "example"
    assert source.language_of("https://news.example.vn/tourism/x-post2.html") == "en"
    assert source.language_of("https://example.vn/x-post2.html") == "vi"
    assert source.is_article_url("https://news.example.vn/tourism/x-post2.html")


def test_historic_domains_and_aliases_resolve_to_their_paper() -> None:
    cases = {
        "http://baothuathienhue.vn/tin-tuc/a-b-c-d-e.html": "huengaynay",
        "https://news.huengaynay.vn/x": "huengaynay",
        "http://baoquangninh.com.vn/kinh-te/201803/chim-phuong-hoang-2378147/": "baoquangninh",
        "https://baodongkhoi.vn/tin-a123.html": "baodongkhoi",
        "https://dongkhoi.baovinhlong.vn/tin-a123.html": "baodongkhoi",
        "https://baovinhlong.vn/tin-a123.html": "baovinhlong",
        "http://mysql.baothaibinh.com.vn/tin-tuc/87/50415/hop-thu-ban-doc-50415": "baothaibinh",
        "https://baobackan.com.vn/diem-bao-post60732.html": "baobackan",
        "https://thongtin.vietnam.vn/de/van-phong-tinh-uy": "vietnamvn",
        "https://www.vietnam.vn/binhthuan/binh-thuan-quyet-tam": "vietnamvn",
    }
    for url, source_id in cases.items():
        found = registry.source_for_url(url)
        assert found is not None and found.id == source_id, url
    assert registry.source_for_url("https://vnexpress.net/a-4954454.html") is None
    wayback = {
        "https://web.archive.org/web/20190315000000/http://baothuathienhue.vn/a.html": "huengaynay",
        "https://web.archive.org/web/2018id_/https://www.baokhanhhoa.vn/xa-hoi/": "baokhanhhoa",
        "http://web.archive.org/web/20200101000000/baobinhthuan.com.vn/x-124375.html": (
            "baobinhthuan"
        ),
    }
    for url, source_id in wayback.items():
        found = registry.source_for_url(url)
        assert found is not None and found.id == source_id, url
    assert (
        registry.source_for_url("https://web.archive.org/web/2019/https://vnexpress.net/") is None
    )


def test_canonical_url_maps_moved_and_mirrored_forms_onto_the_current_one() -> None:
    dongkhoi = registry.get("baodongkhoi")
    assert dongkhoi.canonical_url("http://www.baodongkhoi.vn/tin-moi-a123.html?utm_source=x") == (
        "https://dongkhoi.baovinhlong.vn/tin-moi-a123.html"
    )
    portal = registry.get("vietnamvn")
    slug = "binh-thuan-quyet-tam-vuot-qua-kho-khan-thach-thuc-tang-toc-phat-trien"
    assert portal.canonical_url(f"https://thongtin.vietnam.vn/de/{slug}") == (
        f"https://vietnam.vn/de/{slug}"
    )
    assert (
        portal.canonical_url(f"https://vietnam.vn/binhthuan/{slug}") == f"https://vietnam.vn/{slug}"
    )
    # A query-addressed sub-portal page cannot be mapped without fetching it.
    assert portal.canonical_url("https://vietnam.vn/khanhhoa/?p=1800") == (
        "https://vietnam.vn/khanhhoa?p=1800"
    )
    # Where the research says nothing moved, nothing is rewritten (old paths on a new host
    # would be invented URLs).
    quangninh = registry.get("baoquangninh")
    old = "http://baoquangninh.com.vn/kinh-te/201803/chim-phuong-hoang-2378147/"
    assert (
        quangninh.canonical_url(old)
        == "https://baoquangninh.com.vn/kinh-te/201803/chim-phuong-hoang-2378147"
    )


def test_national_sources_editions_and_article_urls() -> None:
    portal = registry.get("vietnamvn")
    assert portal.national and portal.province is None and portal.province_at(None) is None
    assert portal.active and portal.family == "vietnamvn"  # its parser exists (issue 7)
    assert portal.language_of("https://www.vietnam.vn/de/some-slug-here") == "de"
    assert portal.language_of("https://www.vietnam.vn/some-slug-here") == "vi"
    assert portal.is_article_url("https://www.vietnam.vn/ba-lan-lien-tiep-chan-may-bay")
    assert portal.is_article_url("https://www.vietnam.vn/ko/ty-le-truot-visa-du-hoc-my")
    for not_article in ("/de", "/de/", "/category/the-thao", "/tag/x-y", "/binhthuan/a-b-c"):
        assert not portal.is_article_url("https://www.vietnam.vn" + not_article), not_article
    assert "https://vietnam.vn/sitemap.xml" in {u.replace("www.", "") for u in portal.sitemaps}


# -- families, periods and patterns ----------------------------------------------------------


def test_the_families_are_declared_once_with_anchored_patterns() -> None:
    families = registry.families()
    assert set(families) == {"A", "B", "C", "D", "E", "numeric", "generic", "vietnamvn"}
    for source in registry.sources().values():
        for period in source.periods:
            for pattern in period.article:
                assert pattern.startswith("^"), (source.id, pattern)
                assert pattern.endswith(("$", "(?:&|$)")), (source.id, pattern)


@pytest.mark.parametrize(
    "path",
    [
        "/tu-khoa/hai-phong-tag704.html",
        "/hai-phong-tag704.html",
        "/quy-nhon-ptag.html",
        "/le-hoi-mua-xuan-event123.html",
        "/tags/bao-mua-vang-12345.html",
        "/tag/xo-xat/",
        "/268-nam-dia-danh-tra-vinh-44846/tag.html",
        "/search/q/heart/p/3",
    ],
)
def test_tag_event_and_search_pages_are_never_articles(path: str) -> None:
    for source in registry.sources().values():
        url = f"https://{source.domains[0]}{path}"
        assert not source.is_article_url(url), (source.id, url)


def test_d_and_numeric_share_a_shape_but_the_family_is_declared() -> None:
    nghean, camau = registry.get("baonghean"), registry.get("baocamau")
    assert (nghean.family, camau.family) == ("D", "numeric")
    assert nghean.is_article_url("https://baonghean.vn/cuc-thue-nghe-an-ban-hanh-300867.html")
    assert camau.is_article_url("https://baocamau.vn/video/xem-video/don-94-nguoi-1524.html")


def test_a_family_per_period_and_article_patterns_per_period() -> None:
    lamdong = registry.get("baolamdong")
    a_url = "https://baolamdong.vn/chinh-tri/202403/hoi-nghi-tinh-uy-f6224d3"
    numeric_url = "https://baolamdong.vn/ocop-binh-thuan-vuon-xa-359750.html"
    assert lamdong.family_at(date(2024, 3, 21)) == "A"
    assert lamdong.family_at(datetime(2025, 3, 1, tzinfo=VN_TZ)) == "numeric"
    assert lamdong.family == "numeric"
    assert lamdong.is_article_url(a_url, when=date(2024, 3, 21))
    assert not lamdong.is_article_url(numeric_url, when=date(2024, 3, 21))
    assert lamdong.is_article_url(numeric_url, when=date(2025, 9, 1))
    assert lamdong.is_article_url(a_url) and lamdong.is_article_url(numeric_url)  # any period
    dongthap = registry.get("baodongthap")
    assert dongthap.family_at(date(2025, 3, 1)) == "C"
    assert dongthap.family_at(date(2025, 10, 22)) == "A"
    assert dongthap.is_article_url(
        "https://baodongthap.vn/ban-doc/202510/don-doc-bao-dong-thap-so-ra-ngay-22-10-1050912"
    )


def test_other_article_shapes_from_the_research() -> None:
    cases = {
        "baotayninh": "/-on-xem-bao-tay-ninh-xuan-ky-hoi-2019-a106727.html",
        "baogialai": "/phat-huy-ban-linh-tri-tue-va-khat-vong-vuon-len-post260418.html",
        "baoapbac": "/ban-doc/201810/tin-tong-hop-817720/index.htm",
        "baohagiang": "/xa-hoi/202112/hoi-nghi-tong-ket-785426",
        "baodaklak": "/channel/3461/201206/thuong-truc-tinh-uy-2165210",
        "baolaichau": quote("/xã-hội/xây-dựng-đô-thị-văn-minh"),  # percent-encoded diacritics
        "baohanam": "/amp.aspx?itemid=105206",
        "baobinhdinh": "/viewer.aspx?mabb=103794&macm=1&macmp=1",
        "baoninhthuan": "/news/25831p31c171/gioi-thieu-tai-lieu-ninh-thuan.htm",
        "baobacninh": "/bacgiang-van-hoa/le-hoi-xuan-postid412345.bbg",
    }
    for source_id, path in cases.items():
        source = registry.get(source_id)
        assert source.is_article_url(f"https://{source.domains[0]}{path}"), (source_id, path)
    haugiang = registry.get("baohaugiang")
    assert not haugiang.is_article_url("https://baohaugiang.com.vn/thoi-su-215.html")


def test_generic_entries_discover_by_homepage_robots_and_menus() -> None:
    generic = [s for s in registry.sources().values() if s.unverified]
    assert generic, "the research knows some papers only by a domain"
    for source in generic:
        assert source.family == "generic" and source.follow_menus
        assert source.home in source.listings
        assert source.is_article_url(f"{source.home}xa-hoi/nong-dan-thu-hoach-lua-he-thu.html")
        assert not source.is_article_url(f"{source.home}xa-hoi/")


# -- evidence and probes -------------------------------------------------------------------------


def test_guess_facts_are_probes() -> None:
    cantho = registry.get("baocantho")
    assert cantho.is_probe("https://baocantho.com.vn/rss/home.rss")
    assert not cantho.is_probe("https://baocantho.com.vn/rss/the-gioi.rss")
    assert not cantho.is_probe("https://baocantho.com.vn/thoi-su/dbscl/")
    # A fact tagged guess and something stronger is not a probe.
    assert not parse_fact("/rss [app, guess]").is_probe and parse_fact("/rss [guess]").is_probe


def test_every_fact_keeps_its_evidence() -> None:
    for source in registry.sources().values():
        assert all(h.fact.tags for h in source.hosts), source.id
        assert all(f.tags for _, _, f in source.start_facts), source.id
        assert all(p.evidence or p.family == "generic" for p in source.periods), source.id
        assert source.evidence["domains"], source.id


def test_fact_grammar() -> None:
    fact = parse_fact("baothuathienhue.vn from 2015 until 2020-06 seen 2019 [cfg19, page 2018]")
    assert fact.value == "baothuathienhue.vn"
    assert (str(fact.start), str(fact.until), str(fact.seen)) == ("2015", "2020-06", "2019")
    assert fact.evidence == "cfg19, page 2018" and fact.tags == ("cfg19", "page")
    assert fact.holds_on(date(2020, 5, 31)) and not fact.holds_on(date(2020, 6, 1))
    assert parse_fact("^/x-\\d+\\.html$", default_evidence="cfg25").tags == ("cfg25",)
    for bad in ("x until 2020 from 2021 [bg]", "x from 2025-13 [bg]", "x [nope]", "x"):
        with pytest.raises(FactError):
            parse_fact(bad)


def test_poll_interval_overrides_are_read() -> None:
    loaded = load_registry(entry(poll_interval='"30m"'))
    assert loaded.get("example").poll_interval == timedelta(minutes=30)
    assert registry.get("baohatinh").poll_interval is None


# -- the real registry: every paper, small entries, the crawl's default selection ---------------


def test_every_former_province_and_unit_has_a_paper() -> None:
    table = provinces()
    papers = [s for s in registry.sources().values() if not s.national]
    former = {table.former_named(s.former_province).code for s in papers}
    assert former == set(table.former), "a former province without a paper"
    active_units = {table.unit_named(s.province).code for s in papers if s.active}
    assert active_units == set(table.units), "a unit without an active paper"
    assert sum(s.active for s in papers) == 34
    assert sum(bool(s.absorbed_into) for s in papers) == 29


def test_every_entrys_province_resolves_in_the_table() -> None:
    table = provinces()
    for source in registry.sources().values():
        if source.national:
            continue
        former = table.former_named(source.former_province)
        assert former is not None, source.id
        assert table.unit_of(former).name == source.province, source.id


def test_absorbed_papers_point_at_the_paper_of_their_unit() -> None:
    sources = registry.sources()
    for source in sources.values():
        if source.absorbed_into:
            target = sources[source.absorbed_into]
            assert target.active and target.province == source.province, source.id
            assert not source.active, f"{source.id}: absorbed papers are crawled only when named"


def test_a_redirect_from_an_absorbed_paper_belongs_to_the_paper_that_absorbed_it() -> None:
    binhthuan, lamdong, hatinh = map(registry.get, ("baobinhthuan", "baolamdong", "baohatinh"))
    article = "https://baolamdong.vn/tuy-phong-khoi-cong-nha-may-dien-gio-ngoai-khoi-381260.html"
    own = "https://baobinhthuan.com.vn/la-gi-nang-cap-cang-ca-124381.html"
    assert registry.redirect_owner(binhthuan, own) is binhthuan
    assert registry.redirect_owner(binhthuan, article) is lamdong
    assert registry.redirect_owner(lamdong, article) is lamdong
    assert registry.redirect_owner(binhthuan, "https://baolamdong.vn/") is None  # a homepage
    assert registry.redirect_owner(binhthuan, "https://baolamdong.vn/ocop-ptag.html") is None
    assert registry.redirect_owner(hatinh, article) is None  # baohatinh was not absorbed there


def _keys(value: dict[str, Any]) -> int:
    """Keys an entry sets; an inline table counts each of its keys."""
    count = 0
    for item in value.values():
        items = item if isinstance(item, list) else [item]
        tables = [i for i in items if isinstance(i, dict)]
        count += sum(_keys(t) for t in tables) if tables else 1
    return count


def test_median_entry_sets_at_most_eight_keys() -> None:
    text = resources.files("baotinh.data").joinpath("sources.toml").read_text("utf-8")
    entries = tomllib.loads(text)["source"]
    counts = sorted(_keys(e) for e in entries.values())
    median = statistics.median(counts)
    print(f"keys per entry over {len(counts)} entries: median {median}, max {counts[-1]}")
    assert median <= 8


def test_a_crawl_without_source_covers_the_active_papers_only() -> None:
    from spiders.archive import select_sources

    chosen = {s.id for s in select_sources(None)}
    assert "baobinhthuan" not in chosen
    # The 34 papers of the units and the national portal.
    assert {"baohatinh", "sggp", "hanoimoi", "vietnamvn"} <= chosen and len(chosen) == 35


# -- baotinh sources --json ----------------------------------------------------------------------


def test_sources_json_lists_every_paper_with_its_facts() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "baotinh.cli", "sources", "--json"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    entries = {e["id"]: e for e in json.loads(done.stdout)}
    assert len(entries) == len(registry.sources()) == 64
    for item in entries.values():
        assert item["publisher_id"] and item["family"] and item["evidence"], item["id"]
        assert item["domains"] and all(d["evidence"] for d in item["domains"]), item["id"]
    binhthuan = entries["baobinhthuan"]
    assert binhthuan["provinces"] == {"former": "Bình Thuận", "current": "Lâm Đồng"}
    assert binhthuan["absorbed_into"] == "baolamdong" and not binhthuan["active"]
    assert binhthuan["frozen_since"] is None and binhthuan["redirects_since"] is None
    assert "https://baobinhthuan.com.vn/rss/home.rss" in binhthuan["probes"]
    assert {"url": "https://baobinhthuan.com.vn/tin-tuc-binh-thuan-moi-nhat", "evidence": "app",
            "probe": False} in binhthuan["listings"]  # fmt: skip
    lamdong = entries["baolamdong"]
    assert [(f["family"], f["from"]) for f in lamdong["families"]] == [
        ("A", None),
        ("numeric", "2025"),
    ]
    assert lamdong["names"][0]["seen"] == "2025-07-20"
    hue = entries["huengaynay"]
    assert {"host": "baothuathienhue.vn", "kind": "domain", "seen": "2019",
            "evidence": "cfg19"} in hue["domains"]  # fmt: skip
    assert hue["unverified"] and hue["family"] == "generic"
    portal = entries["vietnamvn"]
    assert portal["provinces"] is None and portal["national"] and portal["active"]
    assert {d["host"] for d in portal["domains"] if d["kind"] == "mirror"} == {
        "thongtin.vietnam.vn",
        "vjs.vietnam.vn",
    }
    assert {e["language"] for e in portal["editions"]} == {"en", "de", "es", "fr", "ko", "*"}
    assert {"language": "*", "path_prefix": "/<lang>/", "evidence": "pub"} in portal["editions"]
    assert entries["baodongkhoi"]["aliases"] == [
        {"from": "baodongkhoi.vn/", "to": "dongkhoi.baovinhlong.vn/", "evidence": "bg"}
    ]


def test_province_at_through_a_source() -> None:
    binhthuan = registry.get("baobinhthuan")
    assert binhthuan.province_at(datetime(2025, 6, 30, 16, 59, tzinfo=UTC)) == "Bình Thuận"
    assert binhthuan.province_at(datetime(2025, 7, 1, 0, 30, tzinfo=VN_TZ)) == "Lâm Đồng"
    assert binhthuan.province_at(datetime(2025, 6, 30, 17, 30, tzinfo=UTC)) == "Lâm Đồng"
    assert binhthuan.province_at(date(2025, 7, 1)) == "Lâm Đồng"  # 01/07/2025, day precision
    assert binhthuan.province_at(date(2025, 6, 30)) == "Bình Thuận"
    assert binhthuan.province_at(None) == "Lâm Đồng"
    hue = registry.get("huengaynay")
    assert hue.province_at(date(2024, 12, 31)) == "Thừa Thiên Huế"
    assert hue.province_at(date(2025, 1, 1)) == "Huế"
    assert hue.province_at(date(2025, 7, 1)) == "Huế"
