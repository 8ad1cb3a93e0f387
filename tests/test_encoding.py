"""Decoding pages: charsets, windows-1258, and the legacy TCVN3/VNI font encodings.

The legacy bytes are made by ``tests/fixtureweb/legacy.py`` (tables typed from the encodings'
charts) and decoded by ``baotinh.encoding`` (viparse's tables): two independent sources. The
well-known mojibake lines every Vietnamese office worker has seen are checked as literal bytes
too, independent of both.
"""

from __future__ import annotations

import unicodedata

import pytest

from baotinh.encoding import decode_page, detect_legacy_font, from_legacy_font
from tests.fixtureweb.legacy import encode_tcvn3, encode_vni, encode_windows_1258

# Real Vietnamese sentences (news style), with every tone on every vowel family between them.
SENTENCES = [
    "Người dân khẳng định sẽ thẳng thắn góp ý, chẳng ngại khó khăn.",
    "Hội nghị tổng kết công tác năm 2025 diễn ra sáng nay tại thành phố Hà Tĩnh.",
    "Đoàn đại biểu tỉnh Khánh Hòa thăm hỏi, tặng quà các gia đình chính sách ở Cam Ranh.",
    "Nước mặn xâm nhập sâu vào đồng ruộng, nông dân phải bơm nước ngọt dự trữ từ sớm.",
    "Giá yến sào tăng mạnh dịp cuối năm; nhiều hộ nuôi chim yến ở Ninh Hòa có lãi lớn.",
    "Ủy ban nhân dân huyện Kỳ Anh vừa khởi công trường học mới cho học sinh vùng lũ.",
    "Mưa lũ kéo dài khiến hàng nghìn ngôi nhà bị ngập, lực lượng cứu hộ túc trực suốt đêm.",
    "Tiếng Việt có sáu thanh: ngang, huyền, sắc, hỏi, ngã, nặng; chữ ỹ, ỵ, ẵ, ẳ hiếm gặp.",
]
# TCVN3 has no upper-case letters with tone marks (the .VnTimeH font drew them from the
# lower-case codes), so its sentences keep capitals to A-Z and Ă Â Ê Ô Ơ Ư Đ.
TCVN3_SENTENCES = [s for s in SENTENCES if not s.startswith("Ủy")]


def page(body_text: str, meta: str = "", heading: str = "Tin tức") -> str:
    return (
        f"<!DOCTYPE html><html lang='vi'><head>{meta}<title>Báo</title></head>"
        f"<body><h1>{heading}</h1><p>{body_text}</p></body></html>"
    )


def assert_nfc(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_windows_1258_declared_in_the_header_comes_back_nfc(sentence: str) -> None:
    raw = encode_windows_1258(page(sentence))
    assert "\u0301".encode("cp1258") in raw or "\u0300".encode("cp1258") in raw  # combining
    decoded = decode_page(raw, "text/html; charset=windows-1258")
    assert decoded.encoding == "cp1258" and decoded.declared == "cp1258"
    assert sentence in decoded.text and decoded.legacy is None
    assert_nfc(decoded.text)


def test_windows_1258_declared_only_by_meta() -> None:
    sentence = SENTENCES[1]
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    decoded = decode_page(encode_windows_1258(page(sentence, meta)), "text/html")
    assert decoded.encoding == "cp1258" and sentence in decoded.text


@pytest.mark.parametrize("sentence", TCVN3_SENTENCES)
@pytest.mark.parametrize(
    "content_type", ["text/html; charset=windows-1252", "text/html; charset=iso-8859-1", None]
)
def test_tcvn3_pages_are_converted(sentence: str, content_type: str | None) -> None:
    raw = encode_tcvn3(page(sentence + " " + TCVN3_SENTENCES[0]))
    decoded = decode_page(raw, content_type)
    assert decoded.legacy == "tcvn3" and decoded.encoding == "cp1252"
    assert sentence in decoded.text
    assert_nfc(decoded.text)


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize(
    "content_type", ["text/html; charset=windows-1252", "text/html; charset=ISO-8859-1", None]
)
def test_vni_pages_are_converted(sentence: str, content_type: str | None) -> None:
    raw = encode_vni(page(sentence + " " + SENTENCES[1]))
    decoded = decode_page(raw, content_type)
    assert decoded.legacy == "vni"
    assert sentence in decoded.text
    assert_nfc(decoded.text)


def test_legacy_page_behind_a_utf8_meta_tag() -> None:
    meta = '<meta charset="utf-8">'
    raw = encode_vni(page(SENTENCES[2] + " " + SENTENCES[3], meta))
    decoded = decode_page(raw, "text/html")
    assert decoded.legacy == "vni" and SENTENCES[2] in decoded.text


def test_the_mojibake_everyone_knows() -> None:
    # The national motto as TCVN3 (.VnTime) and VNI (VNI-Times) bytes read as windows-1252.
    tcvn3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc"
    vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc"
    assert detect_legacy_font(tcvn3) == "tcvn3" and detect_legacy_font(vni) == "vni"
    assert from_legacy_font(tcvn3, "tcvn3") == (
        "Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc"
    )
    assert from_legacy_font(vni, "vni") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc"
    )
    # ẳ, missing from viparse 0.1.31's VNI table, is common in news text.
    assert from_legacy_font("khaúng ñònh, thaúng thaén", "vni") == "khẳng định, thẳng thắn"


def test_undeclared_utf8_is_utf8() -> None:
    raw = page(SENTENCES[0]).encode("utf-8")
    decoded = decode_page(raw, "text/html")
    assert decoded.encoding == "utf-8" and decoded.declared is None
    assert SENTENCES[0] in decoded.text and decoded.legacy is None


def test_utf8_bytes_behind_a_stale_latin1_declaration() -> None:
    raw = page(SENTENCES[0], '<meta charset="iso-8859-1">').encode("utf-8")
    decoded = decode_page(raw, "text/html; charset=iso-8859-1")
    assert decoded.encoding == "utf-8" and SENTENCES[0] in decoded.text


def test_nfd_utf8_page_comes_back_nfc() -> None:
    sentence = unicodedata.normalize("NFD", SENTENCES[3])
    decoded = decode_page(page(sentence).encode("utf-8"), "text/html; charset=utf-8")
    assert SENTENCES[3] in decoded.text


@pytest.mark.parametrize(
    "text",
    [
        "Die Straße führt über die Brücke nach München, schön und grün, wie überall.",
        "Le café est très bon à Paris, déjà célèbre pour sa qualité élevée et son goût.",
        "El niño comió más paella en España, señor; qué días tan bonitos aquí en junio.",
    ],
)
def test_western_windows_1252_pages_are_left_alone(text: str) -> None:
    for content_type in ("text/html; charset=windows-1252", None):
        decoded = decode_page(page(text, heading="News").encode("cp1252"), content_type)
        assert decoded.legacy is None and text in decoded.text


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"", None),
        (b"", "text/html; charset=utf-8"),
        (b"\xff\xfe<\x00p\x00>\x00", None),  # UTF-16 BOM
        (b"<p>caf\xe9</p>", "text/html; charset=no-such-charset"),
        (b"\x81\x8d\x8f\x90\x9d", "text/html; charset=windows-1252"),
        (b"<p>\xc3\x28</p>", "text/html; charset=utf-8"),
    ],
)
def test_odd_input_decodes_without_raising(body: bytes, content_type: str | None) -> None:
    decoded = decode_page(body, content_type)
    assert isinstance(decoded.text, str)
    assert_nfc(decoded.text)
