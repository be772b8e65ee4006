"""The day each open task next needs the daily scan (its `ScanDay`), so that the scan reads
the tasks whose day has come, not every open task of a province every day.

A task's day is the first day on which one of the scan's rules would act on it if nothing about it
changed (a day already come if a rule holds that the scan has not acted on): the day after its
due date (overdue), the day its lateness reaches the next escalation level, each reminder's day
before the due date, the day after its time to sign for (签收) runs out, the day its silence grows
too long, the day its straight line of progress (序时进度) passes what it reported by more than the
margin. None: nothing lies ahead until the task changes (closed, or open with no date and no work
going on).

Early is harmless (the scan reads the task, finds nothing and works the day out again); late
would lose an act, so:
- every write of a task by a person (`changes.stage`) sets its day to SCAN_AT_ONCE: whatever a
  person changes is read by the next scan;
- the scan writes a day only where none was set since it read the task (`ScanDay.n`);
- the days depend on the rules (`Rules`) and the organisation's working days; the scan keeps
  what they were (`ScanBasis`) and reads every open task again when they differ (`basis`).

A co-unit's opinion and a follow-up reply promised are rows of their own, few, read by the scan
every day: they play no part here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Container
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import TruncDate

from luoshi import pgarrays
from luoshi.tasks.models import SCAN_AT_ONCE, ScanDay, ScanMark, State
from luoshi.workdays.calendar import Calendar
from luoshi.workdays.span import Span

OPEN = [s for s in State if s not in (State.DRAFT, State.CLOSED)]
# the unit holds the task (the next step is its own): it is reminded, and escalated when late;
# a submission or a request waiting on the supervision office is not the unit's delay
UNIT_HOLDS = [State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.UNIT_REVIEW,
              State.RETURNED, State.REOPENED]
# the unit works on it: silence counts, and so does the share done against the time gone by
WORKING = [State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.RETURNED, State.REOPENED]

# moves whenever the days below are worked out differently: every organisation is read again
VERSION = 1
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Rules:
    """The scan's settings for one organisation."""

    offsets: tuple[Span, ...]  # reminders, before the due date
    delays: tuple[Span, ...]  # escalation levels, after it
    quiet: Span  # silence before a warning
    margin: int  # points behind the straight line before a task is flagged
    receipt_days: int  # working days to sign for a task


class Row(NamedTuple):
    """What the rules read of a task (a tuple: tens of thousands are made a day)."""

    state: str
    due: dt.date | None
    overdue_for: dt.date | None
    level: int  # escalation level reached
    receipt_late: bool
    assigned_day: dt.date | None  # local day of assignment
    last_day: dt.date  # local day of the last progress report (or of the task's making)
    percent: int | None
    behind: bool


class LocalDay(TruncDate):
    """The local day of a moment, as TruncDate, which PostgreSQL returns as a date already: without
    TruncDate's conversion in Python, a call a row (390,000 rows a day at a million tasks)."""

    def get_db_converters(self, connection):
        if connection.vendor == "postgresql":
            return self.output_field.get_db_converters(connection)
        return super().get_db_converters(connection)


def share(assigned: int, due: int, now: int) -> int:
    """The share (0–100) of the working days from assignment to due date gone by, from the three
    days' running counts of working days (`Calendar.worked_through`)."""
    total = due - assigned  # the working days after the assignment, to the due date
    if total <= 0:
        return 100
    return round(100 * max(0, now - assigned) / total)


def basis(rules: Rules, cal: Calendar) -> str:
    """A digest of what the days are worked out by: equal as long as no day would change."""
    body = repr((VERSION, rules, cal.signature()))
    return hashlib.sha256(body.encode()).hexdigest()


class Ahead:
    """The rules' days for one organisation's run, each worked out once for a date: a day's tens of
    thousands of tasks share a few hundred due dates, days of assignment and days of last report."""

    def __init__(self, rules: Rules, cal: Calendar) -> None:
        self.rules = rules
        # the next escalation level's day (lateness reaches it), for a level reached and a due date
        self.escalation = cache(lambda level, due: max(rules.delays[level].apply(cal, due), due + DAY))
        # each reminder's day and its mark, for a due date
        self.reminders = cache(lambda due: tuple((o.before(cal, due), ("remind", f"{due.isoformat()}:{o}"))
                                                 for o in rules.offsets))
        self.receipt = cache(lambda assigned: cal.add(assigned, rules.receipt_days) + DAY)
        self.silent = cache(lambda last: silent_from(rules.quiet, cal, last))
        self.behind = cache(lambda assigned, due, allowed: falls_behind(cal, assigned, due, allowed))

    def next_day(self, t: Row, at: dt.date, marks: Container[tuple[str, str]] = ()) -> dt.date | None:
        """The first day on which the scan would act on a task as it is, or None. ``marks``: the
        task's scan marks, (kind, key), of kinds "remind" and "stale". A rule that holds already
        and was not acted on (the task changed while the scan ran: assigned, returned) gives a day
        at or before ``at``, so that the next run reads it, the same day too."""
        if t.state not in OPEN:
            return None
        days = []
        due = t.due
        if due is not None:
            if t.overdue_for != due:
                days.append(due + DAY)
            if t.state in UNIT_HOLDS:
                if t.level < len(self.rules.delays):  # lateness reaches the next level
                    days.append(self.escalation(t.level, due))
                if due >= at:  # reminders come until the due date
                    days += [day for day, mark in self.reminders(due) if mark not in marks]
        if t.state == State.ASSIGNED and not t.receipt_late and t.assigned_day is not None:
            days.append(self.receipt(t.assigned_day))
        if t.state in WORKING:
            if ("stale", t.last_day.isoformat()) not in marks:
                days.append(self.silent(t.last_day))
            if not t.behind and due is not None and t.assigned_day is not None:
                day = self.behind(t.assigned_day, due, (t.percent or 0) + self.rules.margin)
                if day is not None:
                    days.append(day)
        return min(days) if days else None


def silent_from(quiet: Span, cal: Calendar, last_day: dt.date) -> dt.date:
    """The first day whose scan finds a task silent since ``last_day``: the silence is counted
    back from the scan's day (``quiet.before``) to a day after the last report."""
    day = last_day + dt.timedelta(days=quiet.days + 1)  # the earliest: n working days span n days or more
    while quiet.before(cal, day) <= last_day:
        day += DAY
    return day


def falls_behind(cal: Calendar, assigned: dt.date, due: dt.date, allowed: int) -> dt.date | None:
    """The first day on which the share of the time gone by (`share`) exceeds ``allowed`` (the
    share reported plus the margin), or None if it never does, even on the due date."""
    a, d = cal.worked_through(assigned), cal.worked_through(due)
    if share(a, d, a) > allowed:
        return dt.date.min  # behind from the start
    if share(a, d, d) <= allowed:
        return None
    # the share grows by 100 / (d − a) a working day: start from below the answer, step up
    w = a + max(1, allowed * (d - a) // 100)
    while share(a, d, w) <= allowed:
        w += 1
    return cal.add(assigned, w - a)  # the working day that makes the count w


def marks_of(pks: list[int]) -> dict[int, set[tuple[str, str]]]:
    """The scan marks of kinds "remind" and "stale" left on the tasks ``pks``, as (kind, key) a task."""
    marks: dict[int, set[tuple[str, str]]] = {}
    for pk, kind, key in ScanMark.objects.filter(task_id__any_of=pks, kind__in=("remind", "stale")).values_list(
            "task_id", "kind", "key"):
        marks.setdefault(pk, set()).add((kind, key))
    return marks


def rewake(rows: list[tuple[int, int, dt.date | None, Row]], marks: dict[int, set[tuple[str, str]]],
           ahead: Ahead, at: dt.date) -> int:
    """Work out the day of each task of ``rows`` — (key, its day's counter and day as read, the
    task as the scan's acts left it) — after a scan as of ``at``, its ``marks`` (`marks_of`, with
    the scan's own), and write those that moved, but not over a change made since they were read
    (the counter moved). How many were written. One statement: the scan gives a chunk of rows."""
    moved = []
    for pk, n, current, row in rows:
        day = ahead.next_day(row, at, marks.get(pk, ()))
        if day != current:
            moved.append((pk, day, n))
    return pgarrays.update(ScanDay, ["day"], moved, where=("n",))


def at_once(task_id: int, organisation_id: int, state: str) -> None:
    """A task changed (now in ``state``): the next scan reads it if it is open; if not, no scan
    does until it changes again."""
    day = SCAN_AT_ONCE if state in OPEN else None
    if not ScanDay.objects.filter(task_id=task_id).update(day=day, n=F("n") + 1):
        ScanDay.objects.create(task_id=task_id, organisation_id=organisation_id, day=day)


def add_missing(tasks) -> int:
    """A day (at once) for each task of ``tasks`` without one: rows written around the application
    (a bulk load). Only where the scan reads every task anyway. How many were added."""
    missing = tasks.filter(~Exists(ScanDay.objects.filter(task=OuterRef("pk")))).values_list(
        "pk", "organisation_id", "state")
    rows = [(pk, org, SCAN_AT_ONCE if state in OPEN else None, 0) for pk, org, state in missing]
    pgarrays.insert(ScanDay, ["task", "organisation", "day", "n"], rows, ignore_conflicts=True)
    return len(rows)
