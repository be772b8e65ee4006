"""Repair: pinyin annotations out, lost characters back, nothing else touched.

The garbled examples are made the way such pages are made: Traditional text in GBK, one byte
shifted, so that a character's trail byte and the next character's lead byte read as a third
character (see the module's docstring). ``shifted`` builds them from clean sentences.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.text.repair import repair


def gbk_pair(a: str, b: str) -> str:
    """The character made of the trail byte of ``a`` and the lead byte of ``b``."""
    return bytes((a.encode("gbk")[1], b.encode("gbk")[0])).decode("gbk")


def t2s(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def first_reading(ch: str) -> str:
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict[ord(ch)].split(",")[0]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("縣委書(shū)記在調(diào)研時(shí)強(qiáng)調(diào)", "縣委書記在調研時強調"),
        ("县委书(shū)记在调(diào)研时强调", "县委书记在调研时强调"),
        ("推进乡镇(xiāng zhèn)综合改革", "推进乡镇综合改革"),
        ("西安(xī'ān)市的(de)发展", "西安市的发展"),
        ("審議時（shí）強調", "審議時強調"),
        ("代表團(tuan)全團會議", "代表團全團會議"),  # written without tones
        ("各行(háng)各业的行(xíng)动", "各行各业的行动"),  # heteronyms: either reading fits
        ("審議時?shí)強調", "審議時強調"),  # the opening parenthesis lost
    ],
)
def test_annotations_whose_reading_fits_are_removed(raw: str, clean: str) -> None:
    r = repair(raw)
    assert r.text == clean
    assert {x.kind for x in r.repairs} == {"pinyin_annotation"}
    for x in r.repairs:
        assert raw[x.raw_span[0] : x.raw_span[1]].startswith(clean[x.text_span[0] : x.text_span[1]])
        assert raw[x.raw_span[1] - 1] in ")）"


@pytest.mark.parametrize(
    "raw",
    [
        "政府工作报告(2024)提出",
        "《条例(试行)》已印发",
        "央视网消息(新闻联播)：会议召开",
        "起征点提高到10万元以内(含10万元)",
        "首席经济学家(Li)发言",
        "代表(ban)发言",  # a syllable, but not a reading of 表
        "硫含量(ppm)下降",
        "怎么办?我们要抓落实",  # a question mark, not a lost character
        "这是什么?shi 的拼写",  # no closing parenthesis: not an annotation
    ],
)
def test_everything_else_in_parentheses_survives(raw: str) -> None:
    r = repair(raw)
    assert r.text == raw and r.repairs == []


@pytest.mark.parametrize(
    ("clean", "lost"),
    [
        ("加快推進鄉村的振興", "的"),
        ("維護人民群眾的利益", "的"),
        ("認真聽取代表提出的意見", "的"),
        ("在當地時間上午召開", "地"),
    ],
)
def test_a_lost_character_is_restored_from_its_neighbours(clean: str, lost: str) -> None:
    # the lost character is replaced by "?", followed by the reading of the shifted pair
    i = clean.index(lost)
    prev = clean[i - 1]
    raw = clean[:i] + "?" + first_reading(gbk_pair(prev, lost)) + ")" + clean[i + 1 :]
    r = repair(raw)
    assert r.text == clean
    [x] = r.repairs
    assert x.kind == "lost_character"
    assert lost in x.detail and first_reading(gbk_pair(prev, lost)) in x.detail
    assert raw[x.raw_span[0] : x.raw_span[1]] == raw[i : raw.index(")", i) + 1]
    assert r.text[x.text_span[0] : x.text_span[1]] == lost


@pytest.mark.parametrize("clean", ["研究的會議紀要", "總結的經驗做法", "提出的建議清單", "分析的報告全文"])
def test_a_garbage_glyph_before_a_reading_gives_way_to_the_character(clean: str) -> None:
    # 的X → 的 + glyph(trail of 的, lead of X) + "?" + reading of X
    i = clean.index("的") + 1
    glyph = gbk_pair("的", clean[i])
    raw = clean[:i] + glyph + "?" + first_reading(clean[i]) + ")" + clean[i + 1 :]
    r = repair(raw)
    assert t2s(r.text) == t2s(clean)  # with no Traditional character near, either script will do
    [x] = r.repairs
    assert x.kind == "lost_character" and glyph in x.detail


def test_the_two_faults_together() -> None:
    # 地 lost after 當, and 時 garbled into glyph + ASCII byte before its own annotation
    raw = "美國當?shù)貢r(shí)間上午"
    r = repair(raw)
    assert r.text == "美國當地時間上午"
    assert [x.kind for x in r.repairs] == ["lost_character", "lost_character"]
    assert "數" in r.repairs[0].detail  # the reading is that of the shifted pair


def test_an_ascii_letter_after_a_glyph_is_not_taken_for_a_byte() -> None:
    assert repair("补充维生素A(a)和钙").text == "补充维生素A(a)和钙"


def test_undecodable_characters_are_recorded_as_unrecoverable() -> None:
    r = repair("县委\ufffd\ufffd会议召开")
    assert r.text == "县委\ufffd\ufffd会议召开"
    [x] = r.repairs
    assert x.kind == "unrecoverable" and x.raw_span == x.text_span == (2, 4)


def test_a_lost_character_without_context_is_unrecoverable() -> None:
    r = repair("。?shù)。")
    assert r.text == "。?shù)。"
    assert [x.kind for x in r.repairs] == ["unrecoverable"]


def test_offsets_of_a_repaired_word_cover_its_annotations() -> None:
    raw = "省長在調(diào)研時(shí)強(qiáng)調(diào)，要抓落實(shí)。"
    r = repair(raw)
    i = r.text.index("調研")
    s, e = r.offsets.to_raw_span(i, i + 2)
    assert raw[s:e] == "調(diào)研"
    s, e = r.offsets.to_raw_span(r.text.index("強調"), r.text.index("強調") + 2)
    assert raw[s:e] == "強(qiáng)調(diào)"


@given(st.text(alphabet=st.characters(blacklist_characters="(（?？\ufffd"), max_size=200))
def test_text_without_annotation_marks_is_unchanged(text: str) -> None:
    r = repair(text)
    assert r.text == text and r.repairs == [] and r.offsets.is_identity


PIECES = ["會", "議", "強", "的", "地", "時", "(", ")", "?", "shí", "de", "（", "a", "\ufffd"]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_repair_spans_stay_in_range(parts: list[str]) -> None:
    raw = "".join(parts)
    r = repair(raw)
    for x in r.repairs:
        assert 0 <= x.raw_span[0] <= x.raw_span[1] <= len(raw)
        assert 0 <= x.text_span[0] <= x.text_span[1] <= len(r.text)
    assert r.offsets.raw_len == len(raw) and r.offsets.text_len == len(r.text)
