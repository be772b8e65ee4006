"""Title lines, meeting date and the year a text implies."""

from __future__ import annotations

from luoshi.text.extract.meta import cn_number, meeting_date, text_year, title_lines
from luoshi.text.segment import paragraphs


def meta(text: str) -> tuple[str | None, str | None, str | None]:
    paras = paragraphs(text)
    title, subtitle = title_lines(paras)
    heads = sum(1 for x in (title, subtitle) if x)
    date, _ = meeting_date(paras, paras[heads].start)
    return title, subtitle, date


def test_title_and_subtitle() -> None:
    text = "省长在审议时强调\n坚定信心 狠抓落实\n1月23日下午，省长李建平参加代表团审议。\n"
    assert meta(text) == ("省长在审议时强调", "坚定信心 狠抓落实", "01-23")


def test_addressee_line_is_not_a_subtitle() -> None:
    text = "关于开展督查的通知\n各县（市、区）人民政府，市直各部门：\n现将有关事项通知如下。\n"
    assert meta(text)[1] is None


def test_date_with_year_and_ranges() -> None:
    assert meta("会议召开\n2023年9月23日至24日，会议在北京召开。\n")[2] == "2023-09-23"
    assert meta("调研\n7月6日至8日，委员长在青海调研。\n")[2] == "07-06"


def test_day_alone_is_a_date_only_at_a_national_session() -> None:
    assert meta("参加审议\n总理5日下午来到代表团，同代表们一起审议政府工作报告。\n")[2] == "03-05"
    assert meta("参加审议\n委员长22日下午来到代表团，同代表们一起审议政府工作报告。\n")[2] is None
    assert meta("常务会议\n总理6日主持召开国务院常务会议。\n")[2] is None
    assert meta("调研\n近日，书记到基层调研。\n")[2] is None


def test_year_from_the_anniversary_of_the_republic() -> None:
    assert text_year("今年是中华人民共和国成立75周年。") == 2024
    assert text_year("以优异成绩庆祝新中国成立70周年。") == 2019
    assert text_year("今年以来经济平稳。") is None


def test_chinese_numbers() -> None:
    assert [cn_number(s) for s in ("一", "十", "十二", "二十三", "7", "两")] == [1, 10, 12, 23, 7, 2]
    assert cn_number("第一") is None


def date_of(text: str) -> str | None:
    return meeting_date(paragraphs(text))[0]


def test_year_from_a_publication_line() -> None:
    text = "县长调研春耕生产\n发布时间：2021-04-12 10:05  来源：县融媒体中心\n4月11日，县长周明远到城关镇调研春耕生产。\n"
    assert title_lines(paragraphs(text)) == ("县长调研春耕生产", None)
    assert date_of(text) == "2021-04-11"


def test_publication_line_glued_to_its_source_and_day_first() -> None:
    assert date_of("镇召开会议\n来源：河口镇人民政府2019-11-30\n11月28日，河口镇召开安全生产会议。\n") == "2019-11-28"
    assert date_of("镇召开会议\n12.05.2022\n5月10日，河口镇召开防汛会议。\n") == "2022-05-10"


def test_an_event_later_in_the_year_than_the_publication_is_last_year() -> None:
    text = "县委召开会议\n时间：2024-01-03\n12月30日，县委召开常委会议。\n"
    assert date_of(text) == "2023-12-30"


def test_three_headline_lines_before_the_lead() -> None:
    text = "区委常委会召开\n传达学习上级会议精神\n刘向东主持\n3月2日，区委常委会召开。区委书记刘向东主持会议。\n"
    assert date_of(text) == "03-02"


def test_yesterday_is_the_day_before_publication() -> None:
    text = "市长督导防汛\n更新时间：2020年07月15日\n本报讯 昨天，市长杨光明到河道督导防汛工作。\n"
    assert date_of(text) == "2020-07-14"
    assert date_of("督导\n昨天（7月14日），市长杨光明到河道督导防汛工作。\n") == "07-14"


def test_an_inspection_period_before_the_feedback_meeting() -> None:
    text = "反馈会召开\n5月6日至6月20日，县委第一巡察组对县水利局党组开展了常规巡察。9月3日，巡察组召开反馈会。\n"
    assert date_of(text) == "09-03"
    assert date_of("调研\n7月6日至8日，市长在山区调研。\n") == "07-06"


def test_the_event_date_opens_its_clause() -> None:
    text = "县政府召开会议\n为贯彻落实3月1日全省电视电话会议精神，3月5日上午，县政府召开专题会议。\n"
    assert date_of(text) == "03-05"
    assert date_of("会议\n本报讯（记者 钟琳）10月9日，市政府召开常务会议。\n") == "10-09"
