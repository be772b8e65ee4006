"""Markup: HTML paragraphs to lines, entities, the feed's tag; plain text untouched."""

from __future__ import annotations

from luoshi.text.markup import strip_markup

FEED = (
    "[视频]县委召开常委会 部署秋冬季森林防火\n"
    "<p>　　本台消息：县委书记主持召开常委会议。</p>\r\n"
    "<p>　　会议要求，各乡镇要落实属地责任&nbsp;&amp;&nbsp;巡查制度。</p>\n"
)


def test_paragraphs_become_lines_and_the_feed_tag_goes() -> None:
    text, m = strip_markup(FEED)
    lines = [line.strip("\u3000 \xa0\r") for line in text.split("\n") if line.strip("\u3000 \xa0\r")]
    assert lines == [
        "县委召开常委会 部署秋冬季森林防火",
        "本台消息：县委书记主持召开常委会议。",
        "会议要求，各乡镇要落实属地责任\xa0&\xa0巡查制度。",
    ]
    i = text.index("属地责任")
    assert FEED[m.to_raw(i) : m.to_raw(i) + 4] == "属地责任"


def test_inline_tags_comments_and_scripts_vanish() -> None:
    raw = (
        '<div><p>区长<b>王明</b>强调<!-- 编者注 -->，<a href="x?a=1&amp;b=2">抓好落实</a>。</p>'
        '<script>var p="<p>";</script></div>'
    )
    text, _ = strip_markup(raw)
    assert text.strip("\n") == "区长王明强调，抓好落实。"


def test_br_tags_break_lines() -> None:
    text, _ = strip_markup("一要稳增长。<br/>二要保民生。<BR>三要防风险。")
    assert text.split("\n") == ["一要稳增长。", "二要保民生。", "三要防风险。"]


def test_entities_are_unescaped_and_unknown_ones_kept() -> None:
    text, m = strip_markup("&quot;四下基层&quot;&#8212;&#x4e00;线工作法 &nosuch; R&D")
    assert text == '"四下基层"—一线工作法 &nosuch; R&D'
    assert m.to_raw_span(0, 1) == (0, 6)


def test_the_feed_tag_is_dropped_only_at_the_very_start() -> None:
    assert strip_markup("【视频】市政府常务会议")[0] == "市政府常务会议"
    assert strip_markup("[快讯] 市政府常务会议")[0] == "市政府常务会议"
    assert strip_markup("会议指出[视频]要抓落实")[0] == "会议指出[视频]要抓落实"
    assert strip_markup("[2024]3号文件")[0] == "[2024]3号文件"


def test_plain_text_passes_through_unchanged() -> None:
    plain = "政府工作报告(2024)提出，营收<5%的企业、《条例》<试行>和 a < b 的说法都不是标签。\n第二段。"
    text, m = strip_markup(plain)
    assert text == plain and m.is_identity
