"""Each unit's figures over a period, counted in the database: a constant number of GROUP BY
queries whatever the number of tasks (a province's million), never a loop over tasks.

Every figure is read from one *source* (tasks, events, co-unit opinions or ratings) narrowed to
the period, and a unit's figure is that source's rows for the unit. The same source gives the
count, the task ids frozen when a score is published, and the tasks a figure links to, so the
three cannot disagree. Units are counted as `luoshi.ledgers.periods` counts them: by the unit
leading the task when counting (a co-unit for its own opinions), over local days, both ends
included.

Overdue working days: a task led by the unit, handed out, is late on each working day after its
due date until the day it was closed (that day included) or, still open, until the period's last
day (today, for the current period). Only the days inside the period count, so months add up to
the year. Counted from two groupings (by due date, by closing day), never task by task, on the
organisation's calendar (`calendar.count` is O(log n)); see `_overdue`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from luoshi.assessment.scoring import Figures
from luoshi.ledgers.periods import NOT_OPEN, aware_range
from luoshi.tasks.models import CoOpinion, Event, Rating, Satisfaction, State, Task
from luoshi.workdays.services import calendar_for


@dataclass(frozen=True)
class Period:
    organisation_id: int
    start: dt.date
    end: dt.date
    today: dt.date

    @property
    def last(self) -> dt.date:
        """The last day counted: the period's end, or today while the period runs."""
        return min(self.end, self.today)

    def range(self) -> tuple[dt.datetime, dt.datetime]:
        return aware_range(self.start, self.end)


# -- the sources --------------------------------------------------------------------------------


def _tasks(p: Period) -> QuerySet[Task]:
    return Task.objects.filter(organisation_id=p.organisation_id, lead_unit__isnull=False)


def _with_event(p: Period, action: str) -> QuerySet[Task]:
    since, until = p.range()
    return _tasks(p).filter(Exists(Event.objects.filter(task=OuterRef("pk"), action=action, at__gte=since,
                                                        at__lt=until)))


def signed_tasks(p: Period) -> QuerySet[Task]:
    return _with_event(p, "accept")


def closed_tasks(p: Period) -> QuerySet[Task]:
    return _with_event(p, "close")


def overdue_tasks(p: Period) -> QuerySet[Task]:
    """Tasks late on some day of the period (see the module's docstring), with ``closed_day``."""
    if p.last < p.start:
        return _tasks(p).none().annotate(closed_day=TruncDate("closed_at"))
    closed_day = TruncDate("closed_at", tzinfo=timezone.get_default_timezone())
    return (_tasks(p).exclude(state=State.DRAFT).filter(due_date__lt=p.last).annotate(closed_day=closed_day)
            .filter(Q(state=State.CLOSED, closed_day__gte=p.start, closed_day__gt=F("due_date"))
                    | ~Q(state__in=NOT_OPEN)))


COUNTED_EVENTS = ("return", "urge", "approve_extension")


def events(p: Period) -> QuerySet[Event]:
    """Returns, urgings and extensions granted in the period (each counts, a task's second too)."""
    since, until = p.range()
    return Event.objects.filter(task__organisation_id=p.organisation_id, task__lead_unit__isnull=False,
                                action__in=COUNTED_EVENTS, at__gte=since, at__lt=until)


def opinions(p: Period) -> QuerySet[CoOpinion]:
    """Co-unit opinions due in the period: given, or their date passed (one not yet due is not judged)."""
    return CoOpinion.objects.filter(task__organisation_id=p.organisation_id, due_date__gte=p.start,
                                    due_date__lte=p.end).filter(Q(given_at__isnull=False) | Q(due_date__lt=p.today))


def ratings(p: Period) -> QuerySet[Rating]:
    since, until = p.range()
    return Rating.objects.filter(task__organisation_id=p.organisation_id, task__lead_unit__isnull=False,
                                 at__gte=since, at__lt=until)


@dataclass(frozen=True)
class Source:
    rows: Callable[[Period], QuerySet]
    unit: str  # the field naming the unit a row counts for
    task: str  # the field naming the row's task
    only: Q | None = None  # the rows this figure counts, of the source's (None: all)

    def rows_for(self, p: Period) -> QuerySet:
        rows = self.rows(p)
        return rows.filter(self.only) if self.only is not None else rows


SOURCES: dict[str, Source] = {
    "signed": Source(signed_tasks, "lead_unit", "pk"),
    "signed_on_time": Source(signed_tasks, "lead_unit", "pk", Q(signed_on_time=True)),
    "closed": Source(closed_tasks, "lead_unit", "pk"),
    "closed_on_time": Source(closed_tasks, "lead_unit", "pk", Q(closed_on_time=True)),
    "overdue_tasks": Source(overdue_tasks, "lead_unit", "pk"),
    "overdue_days": Source(overdue_tasks, "lead_unit", "pk"),
    "returned": Source(events, "task__lead_unit", "task", Q(action="return")),
    "urged": Source(events, "task__lead_unit", "task", Q(action="urge")),
    "extended": Source(events, "task__lead_unit", "task", Q(action="approve_extension")),
    "opinions_due": Source(opinions, "unit", "task"),
    "opinions_on_time": Source(opinions, "unit", "task", Q(on_time=True)),
    "rated": Source(ratings, "task__lead_unit", "task"),
    "satisfied": Source(ratings, "task__lead_unit", "task", Q(value=Satisfaction.SATISFIED)),
    "basically": Source(ratings, "task__lead_unit", "task", Q(value=Satisfaction.BASICALLY)),
    "unsatisfied": Source(ratings, "task__lead_unit", "task", Q(value=Satisfaction.UNSATISFIED)),
}
assert set(SOURCES) == set(Figures.names())


# -- counting -------------------------------------------------------------------------------------


def per_unit(p: Period) -> dict[int, Figures]:
    """Every unit's figures for the period (units with nothing to count left out): 7 queries."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # figures that share a source are counted together, in one GROUP BY
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name, src in SOURCES.items():
        if name not in ("overdue_tasks", "overdue_days"):
            groups[(src.rows, src.unit)].append(name)
    for (rows, unit), names in groups.items():
        aggregates = {n: Count("pk", filter=SOURCES[n].only) for n in names}
        for row in rows(p).order_by().values(unit).annotate(**aggregates):
            counts[row.pop(unit)].update(row)
    for unit, (tasks, days) in _overdue(p).items():
        counts[unit].update(overdue_tasks=tasks, overdue_days=days)
    found = {u: Figures(**c) for u, c in counts.items() if u is not None}
    return {u: f for u, f in found.items() if not f.is_empty()}


def _overdue(p: Period) -> dict[int, tuple[int, int]]:
    """Per unit: (tasks late in the period, working days late in it), from two GROUP BYs.

    A task is late from ``first`` = max(due + 1, start) to ``last`` = min(closing day, period's
    last day), both counted. With W(d) the working days from 0001-01-01 to d, its days are
    W(last) − W(first − 1), so a unit's sum is Σ W(last) − Σ W(first − 1) over its tasks: grouped
    by due date and, apart, by closing day, never by task (at most units × days rows each)."""
    calendar = calendar_for(p.organisation_id)

    def worked_to(day: dt.date) -> int:
        return calendar.count(dt.date.min, day)

    tasks: dict[int, int] = defaultdict(int)
    days: dict[int, int] = defaultdict(int)
    late = overdue_tasks(p).order_by()
    for g in late.values("lead_unit", "due_date").annotate(n=Count("pk")):
        tasks[g["lead_unit"]] += g["n"]
        days[g["lead_unit"]] -= g["n"] * worked_to(max(g["due_date"], p.start - dt.timedelta(days=1)))
    for g in late.values("lead_unit", "closed_day").annotate(n=Count("pk")):
        days[g["lead_unit"]] += g["n"] * worked_to(min(g["closed_day"] or p.last, p.last))
    return {u: (tasks[u], days[u]) for u in tasks}


def task_ids(p: Period) -> dict[int, dict[str, list[int]]]:
    """Per unit, the ids of the tasks behind each figure (what a published score keeps): one query a figure."""
    out: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for name, src in SOURCES.items():
        pairs = src.rows_for(p).order_by().values_list(src.unit, src.task).distinct()
        by_unit: dict[int, set[int]] = defaultdict(set)
        for unit, task in pairs:
            by_unit[unit].add(task)
        for unit, ids in by_unit.items():
            out[unit][name] = sorted(ids)
    return out


def tasks_behind(p: Period, figure: str, unit_id: int) -> QuerySet[Task]:
    """The tasks behind ``figure`` of a unit, counted now."""
    src = SOURCES[figure]
    ids = src.rows_for(p).filter(**{src.unit: unit_id}).order_by().values(src.task)
    return Task.objects.filter(pk__in=ids)
