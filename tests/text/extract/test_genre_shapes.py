"""Shapes of local reports: how requirements, their issuers and the people present are written.

Every text here is written for the test in the genre's manner; none is taken from a corpus.
"""

from __future__ import annotations

import datetime as dt

from luoshi.text.extract import extract

TODAY = dt.date(2026, 11, 25)


def ex(text: str):
    return extract(text, today=TODAY)


def texts(text: str) -> list[str]:
    return [d.text for d in ex(text).directives]


def heads(text: str) -> list[str]:
    return [d.headline for d in ex(text).directives]


# -- unnumbered requirement paragraphs ---------------------------------------------------------

TOUR = (
    "县长调研重点项目\n"
    "5月12日，县长林志坚到城南片区调研重点项目建设。副县长汪海涛陪同。\n"
    "林志坚指出，项目是发展的生命线。各相关部门要主动靠前服务，帮助企业解决用地难题。要倒排工期，确保按时投产。\n"
    "林志坚强调，雨季即将到来，各施工单位要严格落实安全措施，确保工地不发生事故。\n"
)


def test_parallel_paragraphs_with_a_framing_clause_start_at_the_addressee() -> None:
    ds = ex(TOUR).directives
    assert [d.text[:10] for d in ds] == ["各相关部门要主动靠前", "各施工单位要严格落实"]
    assert [d.issuer for d in ds] == ["林志坚", "林志坚"]
    # the addressee and its modal are not part of the head phrase
    assert heads(TOUR) == ["主动靠前服务，帮助企业解决用地难题", "严格落实安全措施，确保工地不发生事故"]


def test_commentary_with_a_requirement_deep_inside_is_not_a_directive() -> None:
    text = (
        "县委召开常委会议\n3月2日，县委书记马光明主持召开县委常委会议。\n"
        "会议指出，去年全县经济运行总体平稳。工业增加值稳步增长，民生保障持续改善。"
        "各级各部门要保持定力，巩固向好势头。\n"
    )
    assert ex(text).directives == []


def test_bullet_paragraphs_after_a_dash() -> None:
    text = (
        "县政府召开防汛会议\n6月1日，县长邹立群主持召开全县防汛工作会议。\n"
        "邹立群强调——\n"
        "■ 要压实防汛责任，县乡村三级责任人全部到岗到位。\n"
        "■ 要加强隐患排查，对病险水库逐一落实度汛措施。\n"
        "■ 要做好物资储备，确保关键时刻拿得出、用得上。\n"
    )
    ds = ex(text).directives
    assert [d.text[:7] for d in ds] == ["要压实防汛责任", "要加强隐患排查", "要做好物资储备"]
    assert heads(text)[0] == "压实防汛责任，县乡村三级责任人全部到岗到位"
    assert {d.issuer for d in ds} == {"邹立群"}


def test_a_meeting_paragraph_after_a_list_counts() -> None:
    text = (
        "12月10日，县政府召开冬季安全生产推进会，副县长吕方舟出席会议并讲话。\n"
        "吕方舟就做好冬季安全生产提出两点意见：一要盯紧重点行业，严防火灾事故；二要强化值班值守，确保信息畅通。\n"
        "会议强调，要以更实举措推动工作落实，确保2027年春节前完成隐患整改。\n"
    )
    ds = ex(text).directives
    assert len(ds) == 3
    assert ds[2].text.startswith("要以更实举措") and ds[2].issuer == "吕方舟"
    assert ds[2].deadline == "2027-02-05"
    assert ex(text).leaders == ["吕方舟"]


# -- lists and their introductions ------------------------------------------------------------

def test_an_addressee_before_the_ordinal_is_not_part_of_the_first_item() -> None:
    text = (
        "副县长部署秋收工作\n9月5日，全县秋收工作会议召开。副县长田晓东要求，各乡镇一要早作安排。要提前组织农机。"
        "二要抓好防火。要落实禁烧责任。三要做好收储。\n"
    )
    ds = ex(text).directives
    assert [d.text for d in ds][:2] == ["一要早作安排。要提前组织农机。", "二要抓好防火。要落实禁烧责任。"]
    assert heads(text) == ["早作安排", "抓好防火", "做好收储"]


def test_lists_announced_with_their_number_of_points() -> None:
    for intro in ("就做好下步工作提出了三点要求。", "强调三点具体要求：", "就巡查整改提三点希望："):
        text = (
            "区委召开专题会议\n8月2日，区委召开专题会议。区委书记蒋文辉主持会议。\n"
            f"蒋文辉{intro}一要压实责任；二要细化方案；三要加强督导。\n"
        )
        assert heads(text) == ["压实责任", "细化方案", "加强督导"], intro
        assert ex(text).leaders == ["蒋文辉"], intro
        assert ex(text).attendees == [], intro


def test_joint_subject_of_the_introduction() -> None:
    text = (
        "9月3日，市委书记高明远，市委副书记、市长杜晓岚到迎检办公区督导工作，强调要做到“三个坚决”。\n"
        "一是交办的信访件，必须坚决办结。把群众满意作为标准。\n"
        "二是发现的问题，必须坚决整改。\n"
        "三是督察的要求，必须坚决落实。\n"
        "副市长范立新陪同。\n"
    )
    e = ex(text)
    assert [d.issuer for d in e.directives] == ["高明远"] * 3
    assert e.leaders == ["高明远", "杜晓岚"] and e.attendees == ["范立新"]
    # a short heading sentence with its topic is the headline
    assert heads(text)[0] == "交办的信访件，必须坚决办结"


def test_a_second_issuers_list_is_credited_to_them() -> None:
    text = (
        "4月8日，镇党委召开改革动员会。县指导组组长、县民政局局长温志和出席会议。\n"
        "镇党委书记徐国栋传达了县委会议精神，提出三点要求：一是要统一思想；二是要吃透政策；三是要压实责任。\n"
        "温志和就做好改革工作提两点希望：一是稳妥推进改革；二是确保队伍稳定。（桃源镇）\n"
    )
    e = ex(text)
    assert [d.issuer for d in e.directives] == ["徐国栋"] * 3 + ["温志和"] * 2
    assert e.directives[-1].text == "二是确保队伍稳定。"  # the closing byline is not part of it
    assert e.leaders == ["徐国栋", "温志和"]


def test_a_second_list_of_the_same_leader_after_tongshi() -> None:
    text = (
        "县长主持召开常务会议\n县长侯建林主持召开县政府常务会议。侯建林强调，一要抓好春耕；二要抓好防火。"
        "同时，侯建林还强调：一是要稳就业；二是要保民生。\n"
    )
    e = ex(text)
    assert heads(text) == ["抓好春耕", "抓好防火", "稳就业", "保民生"]
    assert e.directives[1].text == "二要抓好防火。"


def test_heading_ordinals_and_bare_ordinals() -> None:
    text = "市政府召开会议\n市长龚立新主持会议并讲话。龚立新强调：\n一、压实主体责任\n各区要成立专班。\n二、强化督查问效\n市督查室要跟踪问效。\n"
    assert heads(text) == ["压实主体责任", "强化督查问效"]
    bare = "市政府召开会议\n市长龚立新主持会议。龚立新要求，一抓项目建设，加快开工进度。二抓民生实事，办好十件实事。\n"
    assert heads(bare) == ["抓项目建设，加快开工进度", "抓民生实事，办好十件实事"]


def test_a_nested_sub_list_is_part_of_its_item() -> None:
    text = (
        "市政府召开专题会议\n市长龚立新主持会议。龚立新强调，一要抓好项目前期工作。\n"
        "（1）加快用地报批；\n（2）加快环评审批。\n"
        "二要抓好资金保障。\n"
    )
    ds = ex(text).directives
    assert len(ds) == 2
    assert "加快环评审批" in ds[0].text


def test_results_findings_and_commitments_are_not_directives() -> None:
    text = (
        "县政府召开半年工作会议\n7月10日，县长罗建新主持召开会议。\n"
        "县发改委主任周海林汇报了上半年工作，今年以来主要做了以下工作：一是完成了项目投资38亿元；二是新开工项目12个。\n"
        "县委巡察组组长蔡振宇通报了巡察情况，巡察发现存在以下问题：一是项目管理不规范；二是资金拨付滞后。\n"
        "罗建新强调，一要加快项目建设；二要规范资金管理。\n"
        "县财政局局长唐明华作表态发言，一是立即整改；二是建章立制。\n"
    )
    e = ex(text)
    assert heads(text) == ["加快项目建设", "规范资金管理"]
    assert e.leaders == ["罗建新"]
    assert e.speakers == ["周海林", "蔡振宇", "唐明华"]


def test_formula_lists_each_make_a_directive() -> None:
    text = (
        "县长部署防汛\n会上，县委副书记、县长何立春提出了三严格两到位。三严格是严格值班；严格巡查；严格报告。"
        "两到位是物资到位；人员到位。\n出席会议的有县委副书记、县长何立春。\n"
    )
    e = ex(text)
    assert heads(text) == ["三严格", "两到位"]
    assert {d.issuer for d in e.directives} == {"何立春"}


# -- who is who -------------------------------------------------------------------------------

def test_a_visit_and_a_signing_have_no_leaders() -> None:
    visit = (
        "考察团来县考察交流\n时间：2022-05-09\n5月6日，省侨商会副会长陶文彬一行来县考察交流。县委常委、统战部部长孔祥云出席活动。\n"
        "孔祥云介绍了县情，希望双方加强交流合作。\n陶文彬表示，将积极推动会员企业来县投资。\n"
    )
    e = ex(visit)
    assert e.leaders == [] and e.speakers == ["陶文彬", "孔祥云"] and e.date == "2022-05-06"
    signing = (
        "重点项目签约仪式举行\n10月9日，重点项目签约仪式举行。市长康宏伟出席并致辞。市政府秘书长严立新，相关县区负责同志参加。\n"
        "康宏伟说，欢迎各位企业家来投资兴业。\n"
    )
    e = ex(signing)
    assert e.leaders == [] and e.speakers == ["康宏伟"] and e.attendees == ["严立新"]


def test_officials_who_spoke_without_their_words_are_speakers() -> None:
    text = (
        "市安委会全体会议召开\n1月8日，市长汤建军主持召开市安委会全体会议。副市长邢丽娟、章国平出席会议并讲了话。\n"
        "汤建军强调，一要压实责任；二要排查隐患。\n副市长邹静也就做好安全生产工作提出具体要求。\n"
    )
    e = ex(text)
    assert e.leaders == ["汤建军"]
    assert e.speakers == ["邢丽娟", "章国平", "邹静"]
    assert e.attendees == []


def test_a_chair_who_only_chairs_is_an_attendee() -> None:
    text = (
        "巡察反馈会召开\n2025年9月4日，县委第三巡察组向县水利局党组反馈巡察情况。会议由谭国强书记主持，"
        "县委组织部副部长雷鸣，县委第三巡察组组长葛春来、副组长邬晓琳，局领导班子成员参会。\n"
        "葛春来通报了巡察反馈意见。\n雷鸣就抓好整改强调三点要求：一要明确整改责任。二要细化整改措施。三要建立整改台账。\n"
    )
    e = ex(text)
    assert e.leaders == ["雷鸣"]
    assert e.speakers == ["葛春来"]
    assert e.attendees == ["谭国强", "邬晓琳"]


def test_accompanying_and_invited_officials_are_attendees() -> None:
    text = (
        "县委书记调研乡村振兴\n6月3日，县委书记钱卫东在县委常委、常务副县长禚立平，副县长海明亮的陪同下，到柳河镇调研。\n"
        "县政协副主席郑建华应邀参加调研。\n钱卫东强调，要把产业发展放在首位。要抓好特色种植。\n"
        "钱卫东指出，要加强村级组织建设。\n"
    )
    e = ex(text)
    assert e.leaders == ["钱卫东"]
    assert e.attendees == ["禚立平", "海明亮", "郑建华"]


def test_a_long_attendee_list_with_rare_surnames() -> None:
    text = (
        "7月2日，县委召开筹备工作会议。县委书记马德胜主持会议，县领导白志强、妥建华、海永福、喇明德、沙建中、马晓芳，"
        "县法院院长禚立新出席会议，各乡镇负责人参加会议。\n"
        "马德胜就筹备工作提出了两点要求。一要细化方案；二要压实责任。\n"
    )
    e = ex(text)
    assert e.leaders == ["马德胜"]
    assert e.attendees == ["白志强", "妥建华", "海永福", "喇明德", "沙建中", "马晓芳", "禚立新"]


def test_names_in_a_meetings_reported_words_are_mentions() -> None:
    text = (
        "市委常委会召开\n3月1日，市委常委会召开。市委书记贺建平主持并讲话。\n"
        "会议指出，在省委全会上，省委书记邵文昌就抓好经济工作提出明确要求。各级要认真贯彻。\n"
        "会议强调，一是要稳增长；二是要保民生。\n"
    )
    e = ex(text)
    assert e.leaders == ["贺建平"] and e.speakers == [] and e.attendees == []


def test_a_post_alone_is_resolved_to_its_holder() -> None:
    text = (
        "全县防汛会议召开\n7月1日晚，全县防汛紧急会议召开。县委副书记、县长甘立伟，副县长芦明参加会议。\n"
        "会上，县委副书记、县长提出了三要求：一是要全面进入防汛状态；二是要落实巡查责任；三是要转移危险区群众。\n"
    )
    e = ex(text)
    assert {d.issuer for d in e.directives} == {"甘立伟"}
    assert e.leaders == ["甘立伟"] and e.attendees == ["芦明"]


def test_explain_says_why_each_candidate_was_kept_or_dropped() -> None:
    text = (
        "县政府半年工作会议召开\n7月10日，县长罗建新主持召开会议。\n"
        "县财政局局长唐明华作表态发言，一是立即整改；二是建章立制。\n"
        "罗建新强调，一要加快项目建设；二要规范资金管理。\n"
    )
    why = ex(text).explain
    assert len(why) == 2
    assert why[0].startswith("list at") and "dropped" in why[0] and "commitment" in why[0]
    assert "kept" in why[1] and "罗建新 强调" in why[1] and "issuer 罗建新" in why[1]


def test_process_adds_the_explanation_only_when_asked() -> None:
    from luoshi.text import process

    data = "会议召开\n县长罗建新主持会议。罗建新强调，一要抓春耕；二要抓防火。\n".encode()
    assert "explain" not in process(data).as_dict("a.txt")
    assert process(data).as_dict("a.txt", explain=True)["explain"][0].startswith("list at")


def test_where_directives_are_found_their_issuers_are_the_leaders() -> None:
    text = (
        "全县推进会召开\n3月6日，全县推进会召开。县委书记武国栋出席并讲话，县长聂海峰主持会议。\n"
        "聂海峰在主持时说，各乡镇要认真抓好会议精神的贯彻落实。\n"
        "武国栋在讲话中要求：\n1.守住底线。要健全监测机制。\n2.抓好产业帮扶。要壮大特色产业。\n"
    )
    e = ex(text)
    assert e.leaders == ["武国栋"] and e.speakers == ["聂海峰"]
    # without directives, whoever instructs in their own words leads
    alone = "县长调研\n县长聂海峰到城关镇调研。聂海峰指出，各乡镇要抓好春耕生产。\n"
    assert ex(alone).leaders == ["聂海峰"] and ex(alone).directives == []


def test_minutes_with_agreed_items_and_an_attendance_line() -> None:
    text = (
        "区长办公会议纪要\n11月20日，区长方永刚主持召开区长办公会议。会议议定事项如下：\n"
        "一、关于老旧小区改造工作。会议要求区住建局2027年3月底前完成招标。\n"
        "二、关于学校扩容工作。区教育局要抓紧测算资金需求。\n"
        "出席：方永刚、左晓东、严明、司马文杰\n"
    )
    e = ex(text)
    assert [d.issuer for d in e.directives] == ["方永刚", "方永刚"]
    assert e.directives[0].deadline == "2027-03-31"
    assert e.leaders == ["方永刚"] and e.attendees == ["左晓东", "严明", "司马文杰"]


def test_joint_subject_two_sentences_before_a_list_that_opens_with_its_addressee() -> None:
    text = (
        "县委县政府检查防汛工作\n6月10日，县委书记何卫东、县长褚明亮深入河道堤防检查防汛工作，强调要守牢安全底线。"
        "县委常委、常务副县长龚建平陪同。\n"
        "各级各部门一是要压实防汛责任；二是要加强巡堤查险；三是要做好转移避险。\n"
    )
    e = ex(text)
    assert [d.issuer for d in e.directives] == ["何卫东"] * 3
    assert e.leaders == ["何卫东", "褚明亮"] and e.attendees == ["龚建平"]
    assert e.directives[0].text == "一是要压实防汛责任；"


def test_bare_ordinals_heading_their_paragraphs() -> None:
    text = (
        "市长督办民生工程\n4月2日，市长鲁志明督办民生工程建设。\n鲁志明提出了几点要求：\n"
        "一抓进度。各责任单位要倒排工期，确保5月底前完工。\n二抓质量。要严格执行质量标准。\n"
        "三抓安全。要落实施工安全措施。\n市政府副秘书长郝佳陪同督办。\n"
    )
    e = ex(text)
    assert heads(text) == ["抓进度", "抓质量", "抓安全"]
    assert e.directives[0].deadline_basis == "5月底前" and e.attendees == ["郝佳"]


def test_agenda_items_each_with_the_chairs_requirement() -> None:
    text = (
        "区长办公会召开\n5月8日，区长伏海涛主持召开区长办公会。\n"
        "会议研究了老旧小区改造工作。伏海涛指出，改造是民生实事。区住建局要加快施工进度，10月底前完成改造任务。\n"
        "会议研究了背街小巷整治工作。伏海涛要求，区城管局要牵头制定整治方案，6月底前报区政府审定。\n"
    )
    ds = ex(text).directives
    assert [d.text[:6] for d in ds] == ["区住建局要加", "区城管局要牵"]
    assert [d.deadline_basis for d in ds] == ["10月底前", "6月底前"]
