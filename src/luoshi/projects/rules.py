"""When a stage has slipped and when investment falls short: plain arithmetic, no database.

The check (`check.py`) and the pages ask the database the same questions in SQL
(`queries.py`); these functions say the rules in one place and are what the SQL is tested against.

A stage slips in working days, on the organisation's calendar: a stage planned for a day that has
no actual date is slipped once more than ``grace`` working days have come after its planned date.
With no grace, that is the first working day after it: planned for today is not slipped; planned
for Friday 9 February 2024 is not slipped during the Spring Festival (10–17 February), only on
Sunday 18 February, the make-up working day (调休), when work resumed without it. Nobody can be
late on a day off.

Investment falls short when the actual investment of the months ended before the day of the
check (the current month is still being worked) falls behind the planned investment of the same
months by more than the margin, a share of that plan: exactly at the margin is not short.
A month with no actual figure reported counts as nothing invested.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from luoshi.workdays.calendar import Calendar


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def counted_until(at: dt.date) -> dt.date:
    """The months counted to date are those that begin before this day (the first of ``at``'s month)."""
    return month_start(at)


def slip_cutoff(calendar: Calendar, at: dt.date, grace: int = 0) -> dt.date:
    """A stage not reached is slipped on ``at`` when its planned date is before this day.

    More than ``grace`` working days lie after the planned date up to ``at`` exactly when the
    planned date is before the (grace + 1)-th working day counted back from ``at`` (``at`` included)."""
    return calendar.add(at + dt.timedelta(days=1), -(grace + 1))


def is_slipped(calendar: Calendar, at: dt.date, planned: dt.date | None, actual: dt.date | None,
               grace: int = 0) -> bool:
    return planned is not None and actual is None and planned < slip_cutoff(calendar, at, grace)


def money(value) -> Decimal:
    """An amount to the cent of 10,000 yuan (a sum read from SQLite comes back as a float's digits)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def is_short(planned: Decimal, actual: Decimal, margin: int) -> bool:
    """Whether ``actual`` falls behind ``planned`` (both to date) by more than ``margin`` per cent of the plan."""
    return planned > 0 and (planned - actual) * 100 > planned * margin


def gap_share(planned: Decimal, actual: Decimal) -> Decimal | None:
    """How far behind the plan, in per cent of it (negative: ahead), one decimal; None without a plan."""
    if not planned:
        return None
    return ((planned - actual) * 100 / planned).quantize(Decimal("0.1"))
