"""Headline lines, the meeting date and the year the text lives in."""

from __future__ import annotations

import datetime as dt
import re

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


def title_lines(paras: list[Piece]) -> tuple[str | None, str | None]:
    """Title and subtitle: the short lines before the first body paragraph."""
    heads = []
    for p in paras[:3]:
        line = p.text.strip()
        if _SENTENCE_END.search(line) or len(line) > 60 or "：" in line or "，" in line:
            break
        heads.append(line)
    if not heads:
        return None, None
    if len(heads) == 1 or len(paras) <= len(heads):
        return heads[0], None
    return heads[0], heads[1]


def text_year(text: str) -> int | None:
    """The year the text speaks from, where it prints or implies it."""
    m = _ANNIVERSARY.search(text)
    if m:
        return 1949 + int(m.group(1))
    return None


def meeting_date(paras: list[Piece], body_start: int) -> tuple[str | None, int | None]:
    """The event date as YYYY-MM-DD (year printed or implied) or MM-DD, and the year if known.

    The date is the first month-and-day in the lead paragraph; a day alone (5日下午) is only
    a date when the report is of a national session deliberation, which is held in March.
    """
    body = [p for p in paras if p.start >= body_start][:2]
    year = None
    for p in body[:1]:
        m = _FULL_DATE.search(p.text)
        if m:
            year = int(m.group(1)) if m.group(1) else None
            month, day = int(m.group(2)), int(m.group(3))
            if _valid(month, day):
                return _fmt(year, month, day), year
        d = _DAY_ONLY.search(p.text)
        if d and _SESSION.search(p.text):
            day = int(d.group(1))
            if 3 <= day <= 15:
                return _fmt(None, 3, day), None
    return None, None


def _valid(month: int, day: int) -> bool:
    try:
        dt.date(2000, month, day)
    except ValueError:
        return False
    return True


def _fmt(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"
