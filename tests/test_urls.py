"""URL identity: NFC slugs, percent-encoding, what is fetched versus what is hashed."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

import pytest

from baotinh.urls import article_id, fetch_url, normalize_url

# baolaichau.vn keeps diacritics in its slugs (research §7): the same path can reach us
# precomposed (NFC) or decomposed (NFD), raw or percent-encoded.
NFC_URL = "https://baolaichau.vn/xã-hội/xây-dựng-đô-thị-mới-ở-lai-châu"
NFD_URL = unicodedata.normalize("NFD", NFC_URL)
FORMS = [
    NFC_URL,
    NFD_URL,
    quote(NFC_URL, safe=":/"),
    quote(NFD_URL, safe=":/"),
    quote(NFD_URL, safe=":/").lower(),  # lower-case escapes
    "https://www.baolaichau.vn/" + quote(NFD_URL.split("/", 3)[3], safe="/") + "/?utm_source=zalo",
]


def test_nfc_and_nfd_forms_of_one_slug_are_one_url_and_one_article() -> None:
    keys = {normalize_url(form) for form in FORMS}
    assert keys == {normalize_url(NFC_URL)}
    assert len({article_id(form) for form in FORMS}) == 1
    assert "%C3%A3" in normalize_url(NFD_URL)  # "ã" as its NFC UTF-8 bytes


def test_the_request_goes_to_the_url_as_the_site_wrote_it() -> None:
    assert fetch_url(NFD_URL) != fetch_url(NFC_URL)
    assert "a%CC%83" in fetch_url(NFD_URL)  # "a" + combining tilde, as published


def test_escaped_reserved_characters_keep_their_meaning() -> None:
    url = "https://a.vn/tim-kiem/a%2Fb%3Fc?q=a%CC%81%26b&x=%2F"
    assert normalize_url(url) == "https://a.vn/tim-kiem/a%2Fb%3Fc?q=%C3%A1%26b&x=%2F"


def test_escaped_unreserved_letters_compose_with_a_following_mark() -> None:
    # "%41" is "A": unreserved, so it is the same URL as "A", and "A" + U+0301 is "Á".
    assert normalize_url("https://a.vn/%41%CC%81") == normalize_url("https://a.vn/%C3%81")


def test_invalid_utf8_escapes_are_kept() -> None:
    assert normalize_url("https://a.vn/tin-%C3-moi") == "https://a.vn/tin-%C3-moi"


@pytest.mark.parametrize("url", [*FORMS, "https://a.vn/%41%CC%81", "https://a.vn/x?b=2&a=1"])
def test_normalize_url_is_idempotent(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once


def test_the_identity_before_nfc_is_still_available() -> None:
    """Archives made before NFC identity stored NFD URLs under their own id; the ledger needs
    that id to keep a published article_id unchanged."""
    assert article_id(NFD_URL, nfc=False) != article_id(NFD_URL)
    assert article_id(NFC_URL, nfc=False) == article_id(NFC_URL)
    assert normalize_url(NFD_URL, nfc=False) == normalize_url(quote(NFD_URL, safe=":/"), nfc=False)
