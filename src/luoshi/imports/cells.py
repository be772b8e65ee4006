"""What one cell says: text, a due date, a priority, a kind, a state, a list of unit names.

Each reader takes the cell's value as the sheet gave it (text, a number, an Excel date) and
returns what the task will hold, or raises `CellError` with a message for the person who typed
it. Dates: Excel's date cells; 2024-03-31, 2024/3/31, 2024.3.31, 2024年3月31日 (前 allowed);
3月31日 in the year of the upload; and the words offices write (年底前, 一季度, 6月底前, 上半年)
through the extractor's own deadline reader, also in the year of the upload.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from luoshi.tasks.models import DueOrigin, Priority, State, Task
from luoshi.text.extract.deadlines import find_deadlines


class CellError(ValueError):
    """What is wrong with a cell, said to the person who typed it."""


def text(value) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class Due:
    date: dt.date
    origin: str = DueOrigin.TYPED
    basis: str = ""  # the words, where the date was read from words


_BY = r"(?:之?前|以前|止)?"  # "by": 2024年3月31日前 is due that day
_ISO = re.compile(r"(\d{4})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?" + _BY)
_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]" + _BY)
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]" + _BY)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Excel serial days a ledger's date can be (2000-01-01 … 2099-12-31), should a date cell lose its format
_SERIAL = (36526, 73050)


def _date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("“%(text)s” is not a date in the calendar.") % {"text": raw}) from None


def due(value, today: dt.date) -> Due | None:
    """The due date a cell gives (None for an empty cell). ``today``: the day of the upload, whose
    year a date without one (3月31日, 年底前) is in."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return Due(value.date())
    if isinstance(value, dt.date):
        return Due(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL[0] <= value <= _SERIAL[1]:
            return Due(from_excel(value).date())
        raw = text(value)
        if m := _COMPACT.fullmatch(raw):
            return Due(_date(int(m[1]), int(m[2]), int(m[3]), raw))
        raise CellError(not_a_date(raw))
    raw = unicodedata.normalize("NFKC", text(value))
    if m := _ISO.fullmatch(raw) or _CN.fullmatch(raw) or _COMPACT.fullmatch(raw):
        return Due(_date(int(m[1]), int(m[2]), int(m[3]), raw))
    if m := _MONTH_DAY.fullmatch(raw):
        return Due(_date(today.year, int(m[1]), int(m[2]), raw))
    found = find_deadlines(raw, today.year)
    if found:
        # several limits in one cell (一季度开工，年底前完成): the task is done when the last is met
        last = max(found, key=lambda d: (d.date, d.start))
        return Due(last.date, DueOrigin.INFERRED, last.basis[:50])
    raise CellError(not_a_date(raw))


def not_a_date(raw: str) -> str:
    return _("“%(text)s” is not a date Luoshi understands: write 2024-03-31, 2024年3月31日 or 3月31日, or words "
             "such as 年底前, 一季度, 6月底前.") % {"text": raw}


# ---------------------------------------------------------------- words for choices


def _plain(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text(value))).lower()


PRIORITY_WORDS = {
    Priority.NORMAL: ("一般", "普通", "正常", "normal"),
    Priority.HIGH: ("重要", "较急", "high"),
    Priority.URGENT: ("紧急", "特急", "加急", "急", "urgent"),
}
KIND_WORDS = {
    Task.Kind.DIRECTIVE: ("部署", "要求", "部署要求", "部署/要求", "工作部署", "directive"),
    Task.Kind.SUGGESTION: ("意见建议", "建议", "意见", "代表建议", "提案", "suggestion"),
    Task.Kind.INSTRUCTION: ("批示", "领导批示", "instruction"),
    Task.Kind.ALERT: ("预警", "监测预警", "alert"),
    Task.Kind.MILESTONE: ("项目节点", "节点", "项目", "milestone"),
    Task.Kind.OTHER: ("其他", "其它", "other"),
}
STATE_WORDS = {
    State.DRAFT: ("草稿", "待交办", "未交办", "draft"),
    State.ASSIGNED: ("已交办", "交办", "assigned"),
}


def _choice(value, words: dict, message: str):
    word = _plain(value)
    if not word:
        return None
    for choice, accepted in words.items():
        if word in accepted:
            return choice
    raise CellError(message % {"text": text(value), "words": "、".join(w[0] for w in words.values())})


def priority(value) -> str | None:
    return _choice(value, PRIORITY_WORDS, _("“%(text)s” is not a priority: write %(words)s."))


def kind(value) -> str | None:
    return _choice(value, KIND_WORDS, _("“%(text)s” is not a kind of task: write %(words)s."))


def state(value) -> str | None:
    return _choice(value, STATE_WORDS, _("“%(text)s” is not a state a task can be imported in: write %(words)s."))


# ---------------------------------------------------------------- several units in one cell

_UNIT_SEPARATORS = re.compile(r"[、，,;；/／\n\r]+")


def names(value) -> list[str]:
    """The unit names in a cell of several (省水利厅、省财政厅 / 省水利厅，省财政厅 / one a line), each once."""
    out: list[str] = []
    for part in _UNIT_SEPARATORS.split(text(value)):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out
