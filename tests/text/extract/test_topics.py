"""Topics raised by the speakers."""

from __future__ import annotations

from luoshi.text.extract.topics import find_topics


def test_list_after_weirao() -> None:
    text = "大家分别围绕乡村振兴、营商环境、生态保护等方面积极发言。"
    assert find_topics(text) == ["乡村振兴", "营商环境", "生态保护"]


def test_list_after_jiu_with_count() -> None:
    text = "王明、李红等5位代表分别就发展县域经济、加强基层医疗等问题发言。"
    assert find_topics(text) == ["发展县域经济", "加强基层医疗"]


def test_one_topic_per_member() -> None:
    text = "赵明委员就推进养老服务体系建设，钱红代表就发展普惠托育服务、完善生育支持政策等问题分别提问。"
    assert find_topics(text) == ["推进养老服务体系建设", "发展普惠托育服务、完善生育支持政策"]


def test_topic_brought_up() -> None:
    assert find_topics("在代表们谈到城市内涝治理情况时，省长再次要求抓紧整改。") == ["城市内涝治理情况"]


def test_leaders_weirao_is_not_a_topic() -> None:
    assert find_topics("省长强调，要围绕高质量发展、共同富裕等方面谋划工作。") == []


def test_topics_with_proposals_or_questions() -> None:
    assert find_topics("代表们围绕稳就业、促消费等方面提出意见建议。") == ["稳就业", "促消费"]
    assert find_topics("委员们就养老服务、托育服务等问题进行了询问。") == ["养老服务", "托育服务"]
