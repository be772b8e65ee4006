"""A limit written in calendar or working days: "3d" / "3wd", or for people "3天" / "3个工作日".

    Span.parse("3wd")                  → Span(3, working=True)
    Span.parse("３个工作日")            → the same (full-width digits and Chinese numerals too)
    Span.parse_list("3wd,1wd")         → (Span(3, True), Span(1, True))   settings such as
                                         LUOSHI_REMIND_BEFORE="3wd,1wd"
    span.apply(calendar, start)        → the day the limit ends (a due date)
    span.before(calendar, due)         → the day that far before a due date (a reminder)
    str(span), span.chinese()          → "3wd", "3个工作日"

Calendar days are plain days (a limit of 3 days from a Friday ends on Monday, holiday or not);
working days follow `Calendar.add`. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from luoshi.workdays.calendar import Calendar

MAX_DAYS = 9999  # ~27 years of calendar days: anything longer is a typing mistake
_UNITS = {
    "wd": True, "working day": True, "working days": True, "工作日": True, "个工作日": True,
    "d": False, "day": False, "days": False, "天": False, "日": False, "自然日": False, "个自然日": False,
}
_FORM = re.compile(r"(?P<n>[0-9]+|[零〇一二两三四五六七八九十百]+)\s*(?P<unit>[a-z\u4e00-\u9fff ]+?)", re.I)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SEPARATORS = re.compile(r"[,;、]")


class SpanError(ValueError):
    """A limit that cannot be read; the message says what would be read."""


def _chinese_number(text: str) -> int | None:
    """一 … 九百九十九 (十五, 二十, 一百零五); None if the characters do not make a number."""
    total, digit, last_scale = 0, None, 1000
    for ch in text:
        if ch in "零〇" and total:
            continue  # a placeholder, as in 一百零五
        if ch in _DIGITS:
            if digit is not None:
                return None  # two digits in a row ("一二") are not a number
            digit = _DIGITS[ch]
        elif ch in "十百":
            scale = 10 if ch == "十" else 100
            if scale >= last_scale:
                return None  # "十十", "十百"
            total += (1 if digit is None else digit) * scale
            digit, last_scale = None, scale
        else:
            return None
    return total + (digit or 0)


@dataclass(frozen=True)
class Span:
    """``days`` calendar days, or working days if ``working``."""

    days: int
    working: bool

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int) or not 0 <= self.days <= MAX_DAYS:
            raise SpanError(f"A limit is 0 to {MAX_DAYS} days, not {self.days!r}.")

    @classmethod
    def parse(cls, text: str) -> Span:
        """Read "3wd", "3d", "3 working days", "3个工作日", "三天"; raise SpanError otherwise."""
        clean = unicodedata.normalize("NFKC", str(text)).strip()
        m = _FORM.fullmatch(clean)
        unit = m and " ".join(m["unit"].lower().split())
        if not m or unit not in _UNITS:
            raise SpanError(f'Write a limit as "3d" (calendar days) or "3wd" (working days), or as '
                            f'"3天" or "3个工作日"; not "{str(text)[:40]}".')
        n = int(m["n"]) if m["n"].isdigit() else _chinese_number(m["n"])
        if n is None:
            raise SpanError(f'"{m["n"]}" is not a number of days.')
        return cls(n, _UNITS[unit])

    @classmethod
    def parse_list(cls, text: str) -> tuple[Span, ...]:
        """Several limits separated by commas ("3wd,1wd", "3个工作日，1个工作日"); empty text: none."""
        parts = [p.strip() for p in _SEPARATORS.split(unicodedata.normalize("NFKC", text))]
        return tuple(cls.parse(p) for p in parts if p)

    def __str__(self) -> str:
        return f"{self.days}{'wd' if self.working else 'd'}"

    def chinese(self) -> str:
        return f"{self.days}{'个工作日' if self.working else '天'}"

    def apply(self, calendar: Calendar, start: dt.date) -> dt.date:
        """The day this limit ends when it runs from ``start``: ``start`` + days, or the n-th
        working day after ``start`` (0 working days: ``start`` if worked, else the next working day)."""
        if self.working:
            return calendar.add(start, self.days)
        return start + dt.timedelta(days=self.days)

    def before(self, calendar: Calendar, due: dt.date) -> dt.date:
        """The day this far before ``due`` (when to remind): ``due`` − days, or the n-th working day
        before ``due`` (0 working days: ``due`` if worked, else the last working day before it, so
        that a reminder "on the day" of a Sunday due date comes on the Friday)."""
        if not self.working:
            return due - dt.timedelta(days=self.days)
        return calendar.add(due, -self.days) if self.days else calendar.previous_workday(due)
