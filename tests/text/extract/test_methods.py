"""Named work methods and programmes, on sentences written in the genre (not from the corpus)."""

from __future__ import annotations

import pytest

from luoshi.text.extract.methods import find_methods


def test_number_formulas_after_their_verbs() -> None:
    text = "各级领导干部要增强“四个意识”、坚定“四个自信”、做到“两个维护”，推广“四不两直”暗访检查方式。"
    assert find_methods(text) == ["四个意识", "四个自信", "两个维护", "四不两直"]


def test_named_methods_by_verb_and_programme_noun() -> None:
    text = (
        "要持续深化“放管服”改革，推行“一网通办”，推进“互联网+政务服务”，"
        "坚持和发展新时代“枫桥经验”，用好“四下基层”工作方法，全面落实“河长制”。"
    )
    assert find_methods(text) == ["放管服", "一网通办", "互联网+政务服务", "枫桥经验", "四下基层", "河长制"]


def test_list_of_slogans_is_one_method() -> None:
    text = "严格落实“党政同责、一岗双责、齐抓共管、失职追责”，坚决防范遏制重特大事故。"
    assert find_methods(text) == ["党政同责、一岗双责、齐抓共管、失职追责"]


def test_quotes_in_a_row_share_their_verb() -> None:
    text = "各县要推行“一村一策”、“一户一策”，确保帮扶措施精准到位。"
    assert find_methods(text) == ["一村一策", "一户一策"]


def test_unquoted_national_programmes() -> None:
    text = "要抓住西部大开发和丝绸之路经济带建设的历史机遇，加快对外开放。"
    assert find_methods(text) == ["西部大开发", "丝绸之路经济带"]


def test_order_of_appearance_without_duplicates() -> None:
    text = "要深化“放管服”改革。会议强调，“放管服”改革要同巩固“三保障”成果结合起来。"
    assert find_methods(text) == ["放管服", "三保障"]


@pytest.mark.parametrize(
    "text",
    [
        "要把“十五五”规划编制工作抓紧抓实。",
        "春节前农民工工资拖欠要力争“清零”，年底前做到“零拖欠”。",
        "加快建设面向东盟开放的“桥头堡”，当好全省高质量发展的“排头兵”。",
        "要打通政策落实“最后一公里”，力破“中梗阻”，力戒“躺平”心态。",
        "培育一批“专精特新”企业，发挥龙头企业“领头雁”作用，坚决破除“等靠要”思想。",
        "聚焦保护生态环境这一“国之大者”，把这个“中华水塔”守护好。",
        "兑现“说到做到，不放空炮”的庄严承诺。",
        "市长说：“我们一定要把好事办好、实事办实。”",
    ],
)
def test_not_methods(text: str) -> None:
    assert find_methods(text) == []
