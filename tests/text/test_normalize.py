"""The whole normalization: bytes in, clean text out, with offsets and repairs back to the raw text."""

from __future__ import annotations

import codecs

import pytest

from luoshi.text.normalize import NormalizeError, normalize

PAGE = (
    "[视频]市政府召开常务会议 部署安全生产工作\n"
    "<p>　　本台消息(记者 王芳):市政府昨日召开常务会议,研究部署安全生产工作。</p>\r\n"
    "<p>　　会议强调,一要压实企业主体责任;二要加强执法检查(含“回头看”);三要完善应急预案。</p>\r\n"
)
CLEAN = (
    "市政府召开常务会议 部署安全生产工作\n"
    "本台消息（记者 王芳）：市政府昨日召开常务会议，研究部署安全生产工作。\n"
    "会议强调，一要压实企业主体责任；二要加强执法检查（含“回头看”）；三要完善应急预案。"
)
ANNOTATED = "縣長在調(diào)研時(shí)強(qiáng)調(diào),要紮實推進鄉村振興,確保群眾增收。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_a_feed_page_in_any_encoding(encoding: str) -> None:
    n = normalize(PAGE.encode(encoding))
    assert n.text == CLEAN
    assert n.encoding == encoding
    assert n.raw_text == PAGE.lstrip("\ufeff")
    assert n.repairs == [] and n.warnings == []


def test_a_big5_page_comes_out_simplified() -> None:
    traditional = "縣政府召開常務會議,研究部署鄉村振興工作,這意味著要紮實推進產業發展。\r\n"
    n = normalize(traditional.encode("big5"))
    assert n.encoding == "big5"
    assert n.text == "县政府召开常务会议，研究部署乡村振兴工作，这意味着要扎实推进产业发展。"


def test_offsets_lead_back_to_the_raw_text() -> None:
    n = normalize(PAGE.encode("utf-8"))
    for word in ("常务会议", "王芳", "回头看", "完善应急预案"):
        i = n.text.index(word)
        s, e = n.raw_span(i, i + len(word))
        assert n.raw_text[s:e] == word
    i = n.text.index("（记者")
    s, e = n.raw_span(i, i + 1)
    assert n.raw_text[s:e] == "("  # full width in the text, ASCII in the raw


def test_repairs_carry_spans_in_both_texts() -> None:
    n = normalize(ANNOTATED.encode("utf-8"))
    assert n.text == "县长在调研时强调，要扎实推进乡村振兴，确保群众增收。"
    assert [r.kind for r in n.repairs] == ["pinyin_annotation"] * 4
    for r in n.repairs:
        raw = n.raw_text[r.raw_span[0] : r.raw_span[1]]
        assert raw.endswith(")") and "(" in raw
        assert len(n.text[r.text_span[0] : r.text_span[1]]) == 1
    i = n.text.index("强调")
    assert n.raw_text[slice(*n.raw_span(i, i + 2))] == "強(qiáng)調(diào)"
    assert n.repairs[0].as_dict()["kind"] == "pinyin_annotation"


def test_a_restored_character_is_flagged_for_a_person() -> None:
    n = normalize("在當?shù)時(shí)間上午召開".encode())
    assert n.text == "在当地时间上午召开"
    lost = [r for r in n.repairs if r.kind == "lost_character"]
    assert len(lost) == 1 and n.text[slice(*lost[0].text_span)] == "地"
    assert len(n.warnings) == 1 and "地" in n.warnings[0] and "shù" in n.warnings[0]


def test_undecodable_bytes_are_warned_about_twice_over() -> None:
    data = "县委召开会议，".encode() + b"\xff\xfe" + "部署防汛工作。".encode() * 5
    n = normalize(data)
    assert any("could not be decoded" in w for w in n.warnings)
    assert any(r.kind == "unrecoverable" for r in n.repairs)
    assert "\ufffd" in n.text


@pytest.mark.parametrize(
    ("script", "text"),
    [("t2s", "县长在调研时强调"), ("keep", "縣長在調研時強調"), ("s2t", "縣長在調研時強調")],
)
def test_the_script_is_configurable(script: str, text: str) -> None:
    assert normalize("縣長在調(diào)研時(shí)強(qiáng)調(diào)".encode(), script=script).text == text


def test_an_unknown_script_is_refused() -> None:
    with pytest.raises(ValueError):
        normalize(b"abc", script="zh-tw")


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"", "empty file"), (b"\x00\x01\x02\x03" * 50, "binary"), (b"%PDF-1.4\n", "PDF")],
)
def test_input_without_usable_text_is_an_error(data: bytes, words: str) -> None:
    with pytest.raises(NormalizeError, match=words):
        normalize(data)


def test_markup_only_gives_empty_text_and_a_warning() -> None:
    n = normalize(b"<p></p>\r\n<p>\xe3\x80\x80</p>")
    assert n.text == "" and n.warnings


def test_utf16_with_byte_order_mark() -> None:
    data = codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le")
    assert normalize(data).text == CLEAN


def test_ten_megabytes_complete() -> None:
    page = PAGE + ANNOTATED + "\r\n"
    data = (page * (10_000_000 // len(page.encode()) + 1)).encode()
    assert len(data) > 10_000_000
    n = normalize(data)
    assert n.text.startswith("市政府召开常务会议")
    assert n.offsets.raw_len == len(n.raw_text) and n.offsets.text_len == len(n.text)
    r = n.repairs[-1]
    assert n.raw_text[r.raw_span[0] : r.raw_span[1]] == "調(diào)"
