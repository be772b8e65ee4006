"""Typesetting: full-width punctuation in Chinese context, whitespace, line structure."""

from __future__ import annotations

import pytest

from luoshi.text.typeset import punctuation, typeset


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("会议指出,要抓好落实;同时:加强监督!怎么办?", "会议指出，要抓好落实；同时：加强监督！怎么办？"),
        ("本台消息(记者 李明):市委召开会议", "本台消息（记者 李明）：市委召开会议"),
        ("执行国五标准(硫含量不大于50ppm)的车用汽油", "执行国五标准（硫含量不大于50ppm）的车用汽油"),
        ("起征点提高到10万元以内(含10万元)", "起征点提高到10万元以内（含10万元）"),
        ("国内生产总值(GDP)增长5%", "国内生产总值（GDP）增长5%"),
        ("(一)完善制度。(二)加强管理。", "（一）完善制度。（二）加强管理。"),
        ("发生7.0级地震,投入1,000万元,上午8:30开会", "发生7.0级地震，投入1,000万元，上午8:30开会"),
        ("详见 http://www.gov.cn/ (English) 网站", "详见 http://www.gov.cn/ (English) 网站"),
        ("“四精四账”,闭环管理", "“四精四账”，闭环管理"),
        ('深刻认识"三项改革"重大意义,推进"放管服"改革', "深刻认识“三项改革”重大意义，推进“放管服”改革"),
        ('参数为"on"或"off"', '参数为"on"或"off"'),
    ],
)
def test_punctuation_width(raw: str, clean: str) -> None:
    assert punctuation(raw) == clean


def test_whitespace_next_to_full_width_punctuation_and_at_line_edges_goes() -> None:
    raw = "　　李克强参加云南 山西代表团审议 \n\n\u3000 \n　　会议指出， 要抓好落实 。\t\n最后一段：  完 "
    text, m = typeset(raw)
    assert text == "李克强参加云南 山西代表团审议\n会议指出，要抓好落实。\n最后一段：完"
    i = text.index("会议")
    assert raw[m.to_raw(i) : m.to_raw(i) + 2] == "会议"


def test_line_ends_and_no_break_spaces() -> None:
    text, m = typeset("标题\r\n第一段\xa0内容。\r第二段。\r\n")
    assert text == "标题\n第一段 内容。\n第二段。"
    assert m.to_raw(text.index("第二段")) == "标题\r\n第一段\xa0内容。\r第二段。\r\n".index("第二段")


def test_text_already_typeset_is_unchanged() -> None:
    clean = "县委召开常委会\n会议强调，要压实责任（含乡镇）。"
    text, m = typeset(clean)
    assert text == clean and m.is_identity
