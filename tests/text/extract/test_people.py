"""Leaders, attendees and speakers from the grammar of names."""

from __future__ import annotations

import pytest

from luoshi.text.extract.names import list_before, name_at, strip_titles
from luoshi.text.extract.people import find_people


def people(text: str) -> tuple[list[str], list[str], list[str]]:
    p = find_people(text, text.split("\n", 1)[0])
    return p.leaders, p.attendees, p.speakers


@pytest.mark.parametrize(
    ("text", "pos", "name"),
    [
        ("温家宝来到天津", 0, "温家宝"),
        ("王勇表示，", 0, "王勇"),
        ("欧阳昌琼委员就", 0, "欧阳昌琼"),
        ("张广勇等代表", 0, "张广勇"),
        ("会议强调，", 0, None),
        ("国务院发出通知", 0, None),
    ],
)
def test_name_ends_where_the_grammar_says(text: str, pos: int, name: str | None) -> None:
    assert name_at(text, pos) == name


def test_posts_are_stripped_from_list_elements() -> None:
    assert strip_titles("国务院安委会副主任王勇") == "王勇"
    text = "国务院副总理、安委会主任刘鹤，国务委员王勇、赵克志出席会议。"
    assert [n for n, _ in list_before(text, text.index("出席"))] == ["刘鹤", "王勇", "赵克志"]


def test_deputies_listed_as_speakers_and_officials_as_attendees() -> None:
    text = (
        "省长参加代表团审议\n1月20日下午，省长李建平参加所在的代表团全团会议。省领导陈国华、何静参加。\n"
        "审议现场，刘志强、周玉兰、马骏等代表先后发言。李建平指出，要狠抓落实。\n"
    )
    leaders, attendees, speakers = people(text)
    assert leaders == ["李建平"]
    assert attendees == ["陈国华", "何静"]
    assert speakers == ["刘志强", "周玉兰", "马骏"]


def test_speakers_one_by_one() -> None:
    text = (
        "总理参加代表团审议\n国务院总理李强来到代表团，同代表们一起审议政府工作报告。\n"
        "来自基层的王秀英代表说，村里修通了硬化路。\n张志刚代表建议，加大对科技型中小企业的支持。\n"
        "李强认真听取发言。他指出，要稳定宏观经济大盘。\n"
    )
    leaders, _, speakers = people(text)
    assert leaders == ["李强"]
    assert speakers == ["王秀英", "张志刚"]


def test_members_asking_questions_in_turn() -> None:
    text = "专题询问\n常委会举行联组会议。赵明委员就养老服务，钱红代表就托育服务等问题分别提问。\n"
    assert people(text)[2] == ["赵明", "钱红"]


def test_accompanying_officials_with_posts() -> None:
    text = (
        "县委书记检查防汛\n7月20日，县委书记周海涛到清河镇检查防汛工作。县委常委、常务副县长孙立新陪同检查。\n"
        "周海涛说，要确保安全。\n"
    )
    assert people(text)[:2] == (["周海涛"], ["孙立新"]) or people(text)[:2] == [["周海涛"], ["孙立新"]]


def test_presiding_official_who_does_not_speak_is_an_attendee() -> None:
    text = "联组会议\n委员长赵乐际出席并讲话。王东明副委员长主持会议。\n赵乐际强调，要依法履职。\n"
    leaders, attendees, _ = people(text)
    assert leaders == ["赵乐际"]
    assert attendees == ["王东明"]


def test_names_cited_with_a_post_after_them_are_mentions() -> None:
    text = (
        "市长参加审议\n市长王建华说，李强总理所作的政府工作报告是一个好报告。习近平总书记强调，要坚持人民至上。\n"
        "王建华指出，要抓好落实。\n"
    )
    assert people(text)[0] == ["王建华"]


def test_accompanying_list_with_deng() -> None:
    text = "市长会见客商代表团\n市长杜明远在市政府会见客商代表团。杜明远说，双方合作前景广阔。\n副市长何丽华等参加会见。\n"
    leaders, attendees, speakers = people(text)
    assert attendees == ["何丽华"]
    # a reception gives no instructions: the host who speaks is a speaker
    assert leaders == [] and speakers == ["杜明远"]


def test_two_leaders_who_both_speak() -> None:
    text = (
        "工作会议召开\n政协主席俞文华，副总理张海涛出席会议并作重要讲话。\n"
        "俞文华指出，要突出重点。\n张海涛强调，要统筹推进。\n刘红、杜强出席会议。\n"
    )
    leaders, attendees, _ = people(text)
    assert leaders == ["俞文华", "张海涛"]
    assert attendees == ["刘红", "杜强"]


def test_a_notice_names_nobody() -> None:
    text = "国务院发出通知 部署督查\n国务院6日发出通知，部署开展督查。通知强调，要狠抓落实。\n"
    assert people(text) == ([], [], [])


def test_accompanying_officials_with_an_adverb() -> None:
    text = (
        "副总理在湖北调研\n国务院副总理丁海洋4月10日至12日在湖北调研。湖北省委书记王蒙辉、省长王忠明分别陪同。\n"
        "丁海洋强调，要深入实施创新驱动发展战略。\n"
    )
    leaders, attendees, _ = people(text)
    assert leaders == ["丁海洋"]
    assert attendees == ["王蒙辉", "王忠明"]


def test_deputies_named_after_their_post_who_speak_are_speakers() -> None:
    text = (
        "总书记参加代表团审议\n3月5日下午，习近平参加江苏代表团审议。\n"
        "审议中，全国人大代表、南京大学校长谈明哲发言时说，要加强基础研究。来自基层的全国人大代表赵亚中说，农民增收要靠科技。"
        "代表李红英建议加快农村养老服务体系建设。\n习近平说，要深化科技体制改革。\n"
    )
    leaders, _, speakers = people(text)
    assert leaders == ["习近平"]
    assert speakers == ["谈明哲", "赵亚中", "李红英"]


def test_the_leader_who_is_also_a_deputy_stays_the_leader() -> None:
    text = (
        "金省长在参加代表团审议时强调\n1月23日下午，省人大代表、省长金湘明参加代表团全团会议。\n"
        "孙大林、郑小东等代表先后发言。金湘明指出，要狠抓落实。\n"
    )
    leaders, _, speakers = people(text)
    assert leaders == ["金湘明"] and speakers == ["孙大林", "郑小东"]


def test_list_walk_passes_over_groups_and_bodies() -> None:
    text = "市政府秘书长韦立军，相关县市区、市直部门负责同志参加。"
    assert [n for n, _ in list_before(text, text.index("参加"))] == ["韦立军"]
    text = "副组长钟明、巡察专员祁红，县纪委第二纪检监察室有关同志，全体中层干部参会。"
    assert [n for n, _ in list_before(text, text.index("参会"))] == ["钟明", "祁红"]


def test_list_walk_takes_the_name_before_deng_and_leaves_out_company_posts() -> None:
    text = "副市长俞晓峰等市领导、各乡镇主要负责人参加会议。"
    assert [n for n, _ in list_before(text, text.index("参加"))] == ["俞晓峰"]
    text = "明达集团董事长贺明亮，县工商联主席卫东升等参加活动。"
    assert [n for n, _ in list_before(text, text.index("参加"))] == ["卫东升"]


def test_rare_surnames_in_a_long_list() -> None:
    text = "县领导白志强、妥建华、海永福、喇明德、沙建中出席会议。"
    assert [n for n, _ in list_before(text, text.index("出席"))] == ["白志强", "妥建华", "海永福", "喇明德", "沙建中"]


def test_a_name_with_a_surname_outside_the_lexicon_after_a_post() -> None:
    text = (
        "县长部署工作\n县委副书记、县长覡志刚出席会议。\n覡志刚强调，一要抓项目；二要抓安全。\n"
        "会议传达了习近平总书记重要讲话精神，学习了总书记重要讲话。\n"
    )
    leaders, _, speakers = people(text)
    assert leaders == ["覡志刚"] and speakers == []
