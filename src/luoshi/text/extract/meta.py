"""Headline lines, page furniture, the event date and the year the text lives in.

A report found on the web opens with up to three headline lines (title, subtitle, a line such as
张超超主持并讲话), then often a publication line (时间：2023-08-07 18:26, 发布时间：2019年07月03日,
来源：台前县政府2011-09-30, 07.08.2023), then the lead paragraph. The event date is the first
month-and-day of the lead; its year is the one printed with it, or else the publication line's
(a report is published on or after the day it reports, so 12月29日 published 2024-01-02 is 2023).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from luoshi.text.segment import Piece

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
_FULL_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_DAY_ONLY = re.compile(r"(?<![月\d])(\d{1,2})日(?:上午|下午|晚|电|，|在|主持|召开|举行|出席|来到|发出)")
_SENTENCE_END = re.compile(r"[。！？]$")
# A national session deliberation (代表团…审议) is reported on days 3-15 of March.
_SESSION = re.compile(r"代表团.{0,30}审议|审议.{0,20}政府工作报告")
# "the Nth anniversary of the founding of the PRC" fixes the year: 75周年 → 2024.
_ANNIVERSARY = re.compile(r"(?:中华人民共和国|新中国)成立(\d{1,3})周年")
# Page furniture: labels of a publication line, and the dates printed in one.
_FURNITURE = re.compile(
    r"(?:^|[\s|｜])(?:发布时间|发布日期|更新时间|时间|日期|来源|文章来源|稿源|作者|文章作者|编辑|责任编辑|编审|"
    r"浏览次数|点击数|阅读数|访问量|字号|审核|供稿|摄影)[：:]"
)
_PUB_DATE = re.compile(
    r"(?<!\d)(?:(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))(?!\d)"
)
# A line that is nothing but a date and a time (2023-08-07 18:26)
_DATE_LINE = re.compile(r"^[\s\d:：.\-/年月日]+$")
# 昨天（9月2日） / 昨日: the day before the publication date, when nothing more is printed
_RELATIVE_DAY = re.compile(r"(?P<w>昨天|昨日|今天|今日|前天)(?![（(]\d)")
# A span of days (9月1日至10月15日) that is the period of an inspection, not the event
_RANGE_AFTER = re.compile(r"至|到|—|－|-|~|～")
# what stands before a date that opens the lead's clause: punctuation, a dateline (…讯, …电)
_OPENS_CLAUSE = re.compile(r"(?:[，。；：）)\s]|讯|电|消息)$")
_PERIOD_WORDS = re.compile(r"巡视|巡察|督查|督察|检查|审计|驻点|蹲点|期间")
_MAX_HEADLINE_LINES = 3


@dataclass(frozen=True)
class Front:
    """How a report opens: its headline lines, its publication date, and its lead paragraph."""

    headlines: list[str]
    published: dt.date | None
    lead: Piece | None


def cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 12 → 12."""
    s = s.translate(_DIGITS)
    if s.isdigit():
        return int(s)
    if not s or any(c not in "零一二三四五六七八九十两" for c in s):
        return None
    s = s.replace("两", "二")
    if "十" not in s:
        return int("".join(str(_CN_NUM[c]) for c in s)) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    return (_CN_NUM[tens] if tens else 1) * 10 + (_CN_NUM[ones] if ones else 0)


def is_furniture(line: str) -> bool:
    """A publication line or another piece of page furniture (来源：…, 时间：…, a bare date)."""
    line = line.strip()
    if len(line) > 160 or _SENTENCE_END.search(line):
        return False
    return bool(_FURNITURE.search(line) or (_DATE_LINE.match(line) and _PUB_DATE.search(line)))


def _is_headline(line: str) -> bool:
    return not (_SENTENCE_END.search(line) or len(line) > 60 or "：" in line or "，" in line)


def front(paras: list[Piece]) -> Front:
    """Headline lines (up to three), the publication date, and the lead paragraph."""
    headlines: list[str] = []
    published = None
    lead = None
    for p in paras[: _MAX_HEADLINE_LINES + 4]:
        line = p.text.strip()
        if is_furniture(line):
            published = published or publication_date(line)
            continue
        # headlines come before any publication line
        if published is None and len(headlines) < _MAX_HEADLINE_LINES and _is_headline(line):
            headlines.append(line)
            continue
        lead = p
        break
    return Front(headlines, published, lead)


def title_lines(paras: list[Piece]) -> tuple[str | None, str | None]:
    """Title and subtitle: the short lines before the first body paragraph."""
    heads = front(paras).headlines
    if len(paras) <= len(heads):  # a text of headline-like lines only: its first line is the title
        heads = heads[:1]
    return (heads[0] if heads else None), (heads[1] if len(heads) > 1 else None)


def publication_date(line: str) -> dt.date | None:
    """The date printed in a publication line (2023-08-07, 2019年07月03日, 07.08.2023)."""
    for m in _PUB_DATE.finditer(line):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:  # day.month.year, as European-locale pages print it
            y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        try:
            return dt.date(y, mo, d)
        except ValueError:
            continue
    return None


def text_year(text: str) -> int | None:
    """The year the text speaks from, where it prints or implies it."""
    m = _ANNIVERSARY.search(text)
    if m:
        return 1949 + int(m.group(1))
    return None


def _event_match(lead: str) -> re.Match[str] | None:
    """The first month-and-day of the lead that opens a clause (为贯彻3月1日会议精神，3月5日，… →
    3月5日), passing over an inspection period before the event."""
    found = [m for m in _FULL_DATE.finditer(lead) if _valid(int(m.group(2)), int(m.group(3)))]
    if not found:
        return None
    opening = [m for m in found if _OPENS_CLAUSE.search(lead, 0, m.start()) or m.start() == 0]
    first = opening[0] if opening else found[0]
    found = found[found.index(first) :]
    if _RANGE_AFTER.match(lead, first.end()) and len(found) > 1:
        stop = lead.find("。", first.end())
        stop = len(lead) if stop < 0 else stop + 1
        if _PERIOD_WORDS.search(lead, first.end(), stop):
            later = [m for m in found[1:] if m.start() >= stop]
            if later and not _RANGE_AFTER.match(lead, later[0].end()):
                return later[0]
    return first


def meeting_date(paras: list[Piece], body_start: int | None = None) -> tuple[str | None, int | None]:
    """The event date as YYYY-MM-DD (year printed or implied) or MM-DD, and the year if known.

    The date is the first month-and-day in the lead paragraph (an inspection period before it is
    passed over); a day alone (5日下午) is only a date when the report is of a national session
    deliberation, which is held in March; 昨天 is the day before the publication date.
    """
    f = front(paras)
    lead = f.lead
    if body_start is not None and lead is None:
        lead = next((p for p in paras if p.start >= body_start), None)
    if lead is None:
        return None, f.published.year if f.published else None
    year = None
    m = _event_match(lead.text)
    if m:
        month, day = int(m.group(2)), int(m.group(3))
        if m.group(1):
            year = int(m.group(1))
        elif f.published:
            # published on or after the event: a later month-day than the publication is last year
            year = f.published.year - (1 if (month, day) > (f.published.month, f.published.day) else 0)
        return _fmt(year, month, day), year
    rel = _RELATIVE_DAY.search(lead.text)
    if rel and f.published and rel.start() < 40:
        back = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}[rel.group("w")]
        day = f.published - dt.timedelta(days=back)
        return day.isoformat(), day.year
    d = _DAY_ONLY.search(lead.text)
    if d and _SESSION.search(lead.text):
        day = int(d.group(1))
        if 3 <= day <= 15:
            return _fmt(None, 3, day), None
    return None, f.published.year if f.published else None


def _valid(month: int, day: int) -> bool:
    try:
        dt.date(2000, month, day)
    except ValueError:
        return False
    return True


def _fmt(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"
