"""Decoding: each encoding of the genre, the GB/Big5 choice, damaged bytes, non-text."""

from __future__ import annotations

import codecs
import re

import pytest

from luoshi.text.decode import NormalizeError, decode

SIMPLIFIED = "市委常委会召开会议，研究部署防汛抗旱工作。会议强调，要压实各级责任，确保群众生命财产安全。\r\n"
TRADITIONAL = "縣政府召開常務會議，研究部署鄉村振興工作。會議強調，要紮實推進產業發展，確保群眾穩定增收。\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("utf-32"), "utf-32"),
    ],
)
def test_each_encoding_is_detected_and_decoded(data: bytes, encoding: str) -> None:
    d = decode(data)
    assert d.encoding == encoding
    assert d.text in (SIMPLIFIED, TRADITIONAL)
    assert d.warnings == []


def test_utf16_without_a_byte_order_mark_is_told_by_its_nul_bytes() -> None:
    text = "Report 2024: " + SIMPLIFIED
    assert decode(text.encode("utf-16-le")).encoding == "utf-16-le"
    assert decode(text.encode("utf-16-be")).encoding == "utf-16-be"
    assert decode(text.encode("utf-16-le")).text == text


def test_big5_bytes_that_also_decode_as_gb18030_are_read_as_big5() -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # decodes "successfully", into nonsense
    assert decode(data).text == TRADITIONAL


def test_the_decoded_text_is_returned_unchanged() -> None:
    d = decode(SIMPLIFIED.encode("utf-8"))
    assert d.text.endswith("\r\n")  # line ends are the typesetting step's business


def test_undecodable_bytes_are_replaced_and_counted() -> None:
    data = SIMPLIFIED.encode("utf-8")
    damaged = data[:30] + b"\xff\xfe" + data[30:] + "安全".encode()[:-1]  # a cut last character
    d = decode(damaged)
    assert d.encoding == "utf-8"
    assert d.text.count("\ufffd") >= 2
    assert len(d.warnings) == 1 and "could not be decoded" in d.warnings[0]
    assert d.warnings[0].startswith("4 bytes")


def test_damaged_gb18030_stays_gb18030() -> None:
    data = SIMPLIFIED.encode("gb18030")
    d = decode(data[:41] + b"\x80" + data[41:])
    assert d.encoding == "gb18030"
    assert "\ufffd" in d.text and "1 byte" in d.warnings[0]


def test_empty_input_is_an_error() -> None:
    with pytest.raises(NormalizeError, match="empty file"):
        decode(b"")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary file (NUL bytes)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (bytes(range(1, 9)) * 200, "binary file"),
        (b"  \r\n\t \r\n", "only whitespace"),
    ],
)
def test_non_text_is_an_error_with_a_clear_message(data: bytes, words: str) -> None:
    with pytest.raises(NormalizeError, match=re.escape(words)):
        decode(data)
