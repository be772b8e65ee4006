"""Time limits in the words of a directive: 一季度, 上半年, 年底前, 6月底前, 春节前.

A deadline is a limit ("before", "by the end of", "within the year"); a start date
(从2015年4月1日起), a period (至2017年底, 过渡期至…), a duty (24小时值守) or a goal
(全年目标) is not. Each deadline keeps the words it came from (its basis). Where an item
has several limits, the earliest is its deadline.

A year printed with the limit wins (确保2027年春节前 → 2027). Without one, a limit is the next
one after the meeting: 春节前 said at a December meeting is the coming Spring Festival. A limit
whose printed year puts it before the meeting is not used: the caller warns about it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from luoshi.text.extract.meta import cn_number


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    basis: str  # the words, exactly as in the text
    start: int  # offset of the basis in the searched string
    year_given: bool = False  # the words print or name the year (2027年, 今年, 明年)


_YEAR = r"(?:(?P<y>\d{4})年|(?P<rel>今年|本年|明年|次年|当年))?"
_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_PATTERNS = [
    # 6月底前, 2013年6月底前, 明年3月底前, 6月份前, 6月末
    ("month_end", re.compile(
        _YEAR + rf"(?P<m>{_NUM})月(?:份)?(?:底|末)(?:之?前|以前)?|"
        + _YEAR.replace("y>", "y2>").replace("rel>", "rel2>") + rf"(?P<m2>{_NUM})月(?:份)?(?:之?前|以前)"
    )),
    # 6月30日前
    ("day", re.compile(_YEAR + rf"(?P<m>{_NUM})月(?P<d>{_NUM})日(?:之?前|以前|前后)")),
    # 年底前, 2013年底前, 明年底前, 年内, 今年内, 年末前
    ("year_end", re.compile(
        r"(?:(?P<y>\d{4})年?|(?P<rel>今|本|明|次|当)年?)?年(?:底|末)(?:之?前|以前)?|(?P<rel2>今年|本年|当年)?年内"
    )),
    # 一季度, 第一季度, 二季度末
    ("quarter", re.compile(_YEAR + r"第?(?P<q>[一二三四1-4])季度(?:末|底)?(?:之?前|以前)?")),
    # 上半年 / 下半年
    ("half", re.compile(_YEAR + r"(?P<h>上|下)半年")),
    # 春节前, 春节之前, 中秋节前
    ("festival", re.compile(_YEAR + r"(?P<f>春节|元宵节?|端午节?|中秋节?|国庆节?|元旦|“五一”|五一)(?:之?前|以前)")),
]
# A character every pattern above needs
_ANY_TIME = re.compile(r"[年月季节旦宵午秋庆一]")
# Words just before a time expression that make it a start or a period end, not a limit.
_NOT_LIMIT_BEFORE = re.compile(r"(?:从|自|至|到|过渡期至|延续至|持续至|期限至|有效期至)$")
_NOT_LIMIT_AFTER = re.compile(r"^(?:起|开始|以来|以后|之后|后|至|到)")


@cache
def _festivals() -> dict[str, dict[str, str]]:
    data = resources.files("luoshi.text").joinpath("data/festivals.json").read_text(encoding="utf-8")
    return json.loads(data)


def _year(m: re.Match[str], base: int, suffix: str = "") -> int:
    y = m.groupdict().get("y" + suffix)
    if y:
        return int(y)
    rel = m.groupdict().get("rel" + suffix)
    return base + 1 if rel in ("明年", "次年") else base


def _named_year(m: re.Match[str]) -> bool:
    return any(m.groupdict().get(k) for k in ("y", "rel", "y2", "rel2"))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date_of(kind: str, m: re.Match[str], base: int) -> dt.date | None:
    if kind == "month_end":
        if m.group("m"):
            month, year = cn_number(m.group("m")), _year(m, base)
        else:
            month, year = cn_number(m.group("m2")), _year(m, base, "2")
            # "6月前" means before June begins
            return _month_end(year, month - 1) if month and 2 <= month <= 12 else None
        return _month_end(year, month) if month and 1 <= month <= 12 else None
    if kind == "day":
        month, day = cn_number(m.group("m")), cn_number(m.group("d"))
        try:
            return dt.date(_year(m, base), month or 0, day or 0)
        except ValueError:
            return None
    if kind == "year_end":
        y = m.group("y")
        rel = m.group("rel") or m.group("rel2")
        year = int(y) if y else base + 1 if rel in ("明", "次") else base
        return dt.date(year, 12, 31)
    if kind == "quarter":
        q = "一二三四".find(m.group("q")) + 1 or int(m.group("q"))
        return _month_end(_year(m, base), q * 3)
    if kind == "half":
        return dt.date(_year(m, base), 6 if m.group("h") == "上" else 12, 30 if m.group("h") == "上" else 31)
    if kind == "festival":
        f = m.group("f").strip("“”")
        f = f if f == "春节" else f.removesuffix("节")
        fixed = {"国庆": (10, 1), "元旦": (1, 1), "五一": (5, 1)}
        year = _year(m, base)
        if f in fixed:
            month, day = fixed[f]
            # 元旦前 without a year is the coming New Year, at the end of the year spoken in
            when = dt.date(year + (1 if f == "元旦" and not _named_year(m) else 0), month, day)
        else:
            iso = _festivals().get(f, {}).get(str(year))
            if not iso:
                return None
            when = dt.date.fromisoformat(iso)
        return when - dt.timedelta(days=1)
    return None


def find_deadlines(text: str, year: int) -> list[Deadline]:
    """Every time limit in ``text``, in order; ``year`` is the year the text speaks from."""
    if not _ANY_TIME.search(text):  # most clauses name no time at all: one scan instead of six
        return []
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if _NOT_LIMIT_BEFORE.search(text[max(0, s - 5) : s]) or _NOT_LIMIT_AFTER.match(text[e : e + 3]):
                continue
            when = _date_of(kind, m, year)
            if when:
                found.append(Deadline(when, m.group(), s, _named_year(m)))
                taken.append((s, e))
    found.sort(key=lambda d: d.start)
    return found


_PRINTED_YEAR = re.compile(r"\d{4}")


def _next_after(d: Deadline, text: str, meeting: dt.date) -> Deadline:
    """A limit without a printed year that falls before the meeting means the next one."""
    if d.year_given or d.date >= meeting:
        return d
    later = find_deadlines(text[d.start : d.start + len(d.basis)], d.date.year + 1)
    return Deadline(later[0].date, d.basis, d.start) if later else d


def limits(text: str, year: int, meeting: dt.date | None = None,
           meeting_year_known: bool = True) -> tuple[Deadline | None, list[Deadline]]:
    """The earliest time limit in ``text`` on or after the meeting, and those before it (not used).

    Where the meeting's year is only assumed, a limit with a printed year (2026年元旦前) is not
    held against it; 今年 and 明年 still count from the meeting.
    """
    found = find_deadlines(text, year)
    past: list[Deadline] = []
    if meeting is not None:
        found = [_next_after(d, text, meeting) for d in found]
        past = [d for d in found if d.date < meeting and (meeting_year_known or not _PRINTED_YEAR.search(d.basis))]
        found = [d for d in found if d not in past]
    return (min(found, key=lambda d: (d.date, d.start)) if found else None), past


def earliest(text: str, year: int, meeting: dt.date | None = None) -> Deadline | None:
    """The earliest time limit in ``text`` (on or after the meeting, where its date is known), or None."""
    return limits(text, year, meeting)[0]
