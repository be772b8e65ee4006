"""Directives: every enumeration style of the genre, the unnumbered shapes, and the negatives."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.text.extract import extract

TODAY = dt.date(2026, 11, 25)


def directives(text: str) -> list[dict]:
    return [d.as_dict() for d in extract(text, today=TODAY).directives]


def heads(text: str) -> list[str]:
    return [d["headline"] for d in directives(text)]


CITY_MEETING = """市政府召开第十二次常务会议
4月8日上午，市长王建华主持召开市政府第十二次常务会议，研究部署重点项目建设工作。副市长刘志远、陈晓梅出席会议。
会议指出，今年以来全市重点项目建设总体平稳，但部分项目开工滞后。
会议强调，一要加快项目前期工作，对尚未开工的项目逐一建立台账，确保6月底前全部开工。二要强化要素保障，市自然资源局要开辟绿色通道，缩短审批时限。三要压实责任，对进度滞后的项目实行挂牌督办。会议要求各部门认真抓好落实。
会议还研究了其他事项。
"""


def test_yi_yao_list_with_issuer_deadline_and_spans() -> None:
    ds = directives(CITY_MEETING)
    assert [d["ordinal"] for d in ds] == [1, 2, 3]
    # a short one-sentence item (at most 30 characters without punctuation) is its own heading
    assert [d["headline"] for d in ds] == ["加快项目前期工作", "强化要素保障，市自然资源局要开辟绿色通道，缩短审批时限",
                                           "压实责任，对进度滞后的项目实行挂牌督办"]
    assert {d["issuer"] for d in ds} == {"王建华"}
    assert ds[0]["deadline"] == "2026-06-30" and ds[0]["deadline_basis"] == "6月底前"
    assert ds[1]["deadline"] is None
    for d in ds:
        start, end = d["span"]
        assert CITY_MEETING[start:end] == d["text"]
    # the last item stops where the report turns to the meeting's words again
    assert ds[2]["text"].endswith("实行挂牌督办。")


def test_actions_are_the_separate_clauses() -> None:
    first = directives(CITY_MEETING)[0]
    assert first["actions"][:2] == ["加快项目前期工作", "对尚未开工的项目逐一建立台账"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("一是加强组织领导，落实工作责任。二是强化督促检查。", ["加强组织领导，落实工作责任", "强化督促检查"]),
        ("一是加强监测预警。二要做好物资储备。三是落实值班制度。", ["加强监测预警", "做好物资储备", "落实值班制度"]),
        ("一是要健全工作机制。二是要完善考核办法。", ["健全工作机制", "完善考核办法"]),
        ("第一，要稳定粮食生产。第二，要增加农民收入。", ["稳定粮食生产", "增加农民收入"]),
        ("首先，要统一思想认识。其次，要细化工作方案。最后，要强化宣传引导。",
         ["统一思想认识", "细化工作方案", "强化宣传引导"]),
        ("（一）完善财政补助政策。加大资金投入。（二）健全监管制度。", ["完善财政补助政策", "健全监管制度"]),
        ("(一)完善财政补助政策。(二)健全监管制度。", ["完善财政补助政策", "健全监管制度"]),
    ],
)
def test_enumeration_styles(body: str, expected: list[str]) -> None:
    text = f"省政府召开专题会议\n省长张建国主持会议。张建国强调，{body}\n"
    assert heads(text) == expected


def test_numbered_paragraphs_of_a_notice_without_leader() -> None:
    text = (
        "关于开展重点工作督查的通知\n为推动决策部署落地见效，现将有关事项通知如下：\n"
        "1.各单位要对照任务清单开展自查，于5月15日前报送自查报告。\n"
        "2.督查室要会同有关部门组织实地督查，6月底前形成督查报告。\n"
    )
    ds = directives(text)
    assert len(ds) == 2
    assert ds[0]["issuer"] is None
    assert ds[0]["deadline"] == "2026-05-15" and ds[0]["deadline_basis"] == "5月15日前"
    assert ds[1]["deadline"] == "2026-06-30"


def test_heading_list_takes_the_paragraphs_under_each_heading() -> None:
    text = (
        "市委召开全面深化改革委员会会议\n市委书记赵卫东主持会议并讲话。\n"
        "会议强调，要重点抓好以下工作：一、压实改革主体责任\n"
        "各牵头单位要亲自抓、带头干，确保每项改革任务按期完成。\n"
        "二、强化改革督察落实\n"
        "市委改革办要建立改革任务台账，年底前对重点改革事项开展专项督察。\n"
        "市委副书记钱立群，市委常委孙美玲出席会议。\n"
    )
    ds = directives(text)
    assert [d["headline"] for d in ds] == ["压实改革主体责任", "强化改革督察落实"]
    assert "带头干" in ds[0]["text"]
    assert "出席会议" not in ds[1]["text"]
    assert ds[1]["deadline_basis"] == "年底前"


def test_parallel_paragraphs_each_opening_with_the_leader() -> None:
    text = (
        "李强参加陕西代表团审议\n3月6日下午，国务院总理李强来到陕西代表团，同代表们一起审议政府工作报告。\n"
        "李强认真听取发言。他指出，要坚定信心、迎难而上。\n"
        "李强强调，要大力发展新质生产力，推动传统产业转型升级。要加快建设现代化产业体系。\n"
        "李强指出，要切实保障和改善民生，抓好群众关心的实事。\n"
    )
    ds = directives(text)
    assert [d["headline"] for d in ds] == ["大力发展新质生产力，推动传统产业转型升级", "切实保障和改善民生，抓好群众关心的实事"]
    # the attribution (李强强调，) belongs to the issuer, not to the item's text
    assert ds[0]["text"].startswith("要大力发展新质生产力")
    assert ds[0]["issuer"] == "李强"


def test_one_attribution_paragraph_alone_is_not_a_list() -> None:
    text = "省长调研\n省长张建国到企业调研。\n张建国强调，要加大科技投入，提升创新能力。\n"
    assert directives(text) == []


def test_second_leader_paragraph_after_a_list() -> None:
    text = (
        "全省优化营商环境工作会议召开\n11月20日，全省优化营商环境工作会议召开。省长刘建军出席会议并讲话，副省长吴晓东主持会议。\n"
        "刘建军强调，要重点抓好以下工作：（一）深化改革。年底前实现高频事项网上办理。（二）强化要素保障。\n"
        "吴晓东要求，各市各部门要认真抓好会议精神贯彻落实，明年一季度前完成各项任务分解。\n"
    )
    ds = directives(text)
    assert [d["issuer"] for d in ds] == ["刘建军", "刘建军", "吴晓东"]
    assert ds[2]["headline"] == "认真抓好会议精神贯彻落实，明年一季度前完成各项任务分解"
    assert ds[2]["deadline"] == "2027-03-31"


def test_requirements_inside_commentary_are_not_directives() -> None:
    text = (
        "县委书记检查防汛工作\n7月20日，县委书记周海涛到清河镇检查防汛工作。\n"
        "周海涛说，当前正值主汛期，各级各部门要时刻绷紧防汛这根弦，确保人民群众生命财产安全。\n"
    )
    assert directives(text) == []


def test_a_list_of_problems_is_not_a_list_of_directives() -> None:
    text = (
        "市委召开会议\n市委书记赵卫东主持会议。\n"
        "会议指出，当前工作中还存在一些问题：一是部分任务推进缓慢；二是协同性不够强。\n"
        "会议强调，一要压实责任。二要强化督查。\n"
    )
    assert heads(text) == ["压实责任", "强化督查"]


def test_lone_ordinal_words_are_not_lists() -> None:
    text = "会议召开\n市长王建华主持会议。王建华强调，首先要把安全放在第一位，第一时间处置险情。\n"
    assert directives(text) == []


def test_nested_list_stays_inside_its_item() -> None:
    text = (
        "会议召开\n市长王建华主持会议。王建华强调，一要抓好项目建设，具体来说，一是加快审批，二是保障用地。"
        "二要抓好民生保障，做好就业工作。\n"
    )
    assert heads(text)[0] == "抓好项目建设"
    assert len(directives(text)) == 2


@pytest.mark.parametrize(
    ("item", "headline"),
    [
        ("针对当前余震不断的情况，要防止发生次生灾害。", "防止发生次生灾害"),
        # an addressee and its modal are not part of the head phrase
        ("对检查中发现的问题，责任单位要建立整改台账，明确整改时限，限期整改到位。", "建立整改台账"),
        ("要按照“四个机关”的定位要求，加强自身建设，提高履职能力，改进工作作风，营造良好氛围。", "加强自身建设"),
        ("从明年1月1日起，将补助标准由每人每年500元提高到600元，并建立动态调整机制，确保资金足额到位。",
         "将补助标准由每人每年500元提高到600元"),
        ("由省财政厅、省发展改革委尽快制定实施细则（含资金分配办法），报省政府审定后执行，确保政策落地。",
         "尽快制定实施细则"),
        ("按照分级负责的原则合理确定补助标准，并完善对困难群体的救助政策，切实兜牢民生底线。", "合理确定补助标准"),
    ],
)
def test_headline_skips_frames_agents_and_asides(item: str, headline: str) -> None:
    text = f"会议召开\n市长王建华主持会议。王建华强调，一要{item}二要做好其他工作。\n"
    assert heads(text)[0] == headline


def test_numbered_headings_take_the_paragraphs_below_them() -> None:
    text = (
        "市政府召开专题会议\n市长王建华主持会议并讲话。王建华强调：\n"
        "（一）强化组织领导。\n各区县要成立工作专班，主要负责同志亲自抓。\n"
        "（二）严格督查考核。\n市督查室要建立工作台账，年底前开展专项督查。\n"
    )
    ds = directives(text)
    assert [d["headline"] for d in ds] == ["强化组织领导", "严格督查考核"]
    assert "工作专班" in ds[0]["text"] and ds[1]["deadline_basis"] == "年底前"
