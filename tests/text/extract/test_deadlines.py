"""Time limits: which words make a deadline, which do not, and the earliest one."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.text.extract import extract
from luoshi.text.extract.deadlines import earliest, find_deadlines, limits


@pytest.mark.parametrize(
    ("words", "date"),
    [
        ("奋力夺取一季度开门红", "2024-03-31"),
        ("第二季度末完成", "2024-06-30"),
        ("上半年完成招标", "2024-06-30"),
        ("下半年全面推开", "2024-12-31"),
        ("年底前全部完成", "2024-12-31"),
        ("今年年底前建成", "2024-12-31"),
        ("年内完成改造", "2024-12-31"),
        ("明年底前压缩至5个工作日", "2025-12-31"),
        ("6月底前报送", "2024-06-30"),
        ("2023年6月底前发布", "2023-06-30"),
        ("2月底前下达", "2024-02-29"),
        ("9月30日前整改到位", "2024-09-30"),
        ("春节前发放到位", "2024-02-09"),
        ("国庆节前完工", "2024-09-30"),
        ("明年一季度前完成分解", "2025-03-31"),
    ],
)
def test_limits(words: str, date: str) -> None:
    found = earliest(words, 2024)
    assert found is not None and found.date.isoformat() == date
    assert found.basis in words


@pytest.mark.parametrize(
    "words",
    [
        "从2015年1月1日至2017年12月31日，将范围扩大",
        "从2014年秋季学期起，收取学费",
        "从4月1日起施行",
        "后备力量要24小时待命",
        "险工险段要落实24小时值守措施",
        "确保实现全年经济社会发展预期目标",
        "过渡期至2014年底",
    ],
)
def test_not_limits(words: str) -> None:
    assert find_deadlines(words, 2024) == []


def test_earliest_of_several() -> None:
    words = "力争今年7月底前完成审批，专项资金5月底前全部下达，投资6月底前下达90%以上"
    found = earliest(words, 2015)
    assert found is not None and (found.date.isoformat(), found.basis) == ("2015-05-31", "5月底前")


def test_a_printed_year_wins() -> None:
    found = earliest("确保2027年春节前完成全部安置", 2025)
    assert found is not None and found.date.isoformat() == "2027-02-05" and found.basis == "2027年春节前"
    found = earliest("欠付的工程款2031年元旦前全部结清", 2030)
    assert found is not None and found.date.isoformat() == "2030-12-31"


def test_a_limit_without_a_year_is_the_next_one_after_the_meeting() -> None:
    meeting = dt.date(2025, 12, 10)
    found, past = limits("各乡镇要在春节前把慰问金发放到户", 2025, meeting)
    assert found is not None and found.date.isoformat() == "2026-02-16" and past == []


def test_a_limit_printed_before_the_meeting_is_not_used() -> None:
    meeting = dt.date(2025, 9, 20)
    found, past = limits("各单位要于2025年6月底前完成自查，年底前全面整改", 2025, meeting)
    assert found is not None and found.basis == "年底前"
    assert [d.basis for d in past] == ["2025年6月底前"]


def test_the_warning_names_a_limit_before_the_meeting() -> None:
    text = ("县政府召开常务会议\n9月20日，县长魏志强主持召开县政府常务会议。\n"
            "魏志强强调，一要于今年6月底前完成农房排查。二要抓好秋粮收储。\n")
    ex = extract(text, today=dt.date(2025, 10, 1))
    assert ex.directives[0].deadline is None
    assert any("6月底前" in w for w in ex.warnings)
