"""A period's activity per unit: the one place that counts it.

The bulletin (通报) reads it, and so will the ledgers and the dashboard, so that every page and
document gives the same figure for the same unit and period. Figures are counted per *lead*
unit, the unit that leads the task when the counting is done (a task reassigned after being
urged counts for its new unit), over the tasks the caller passes: already restricted to what
the reader may see.

Periods are local days (the deployment's TIME_ZONE, Asia/Shanghai), both ends included; the
journal's times are aware datetimes, so a period is read as [start 00:00, end+1 00:00) local.
Everything is counted in three set-based queries, whatever the number of tasks and units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from luoshi.org.models import Unit
from luoshi.tasks.models import Event, State, Task

PeriodKind = Literal["week", "month", "quarter", "year"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("week", "month", "quarter", "year")
NOT_OPEN = (State.DRAFT, State.CLOSED)  # a draft is not handed out yet; a closed task is not late


@dataclass(frozen=True)
class UnitActivity:
    """What one lead unit's tasks did in a period. ``unit`` is None for a total."""

    unit: Unit | None
    closed: int = 0  # tasks closed (办结) in the period
    closed_on_time: int = 0  # of those, closed by their due date
    overdue: int = 0  # open tasks past their due date at the period's end
    returned: int = 0  # returns (退回) in the period
    urged: int = 0  # urgings (催办) in the period

    @property
    def on_time_rate(self) -> float | None:
        """Share of the closed tasks closed on time, in percent; None when nothing was closed."""
        return 100 * self.closed_on_time / self.closed if self.closed else None

    @property
    def is_empty(self) -> bool:
        return not (self.closed or self.overdue or self.returned or self.urged)


def period_bounds(kind: PeriodKind, day: dt.date) -> tuple[dt.date, dt.date]:
    """The week (Monday to Sunday), month, quarter or year that contains ``day``: (first, last)."""
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if kind == "month":
        start = day.replace(day=1)
    elif kind == "quarter":
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    elif kind == "year":
        start = dt.date(day.year, 1, 1)
    else:
        raise ValueError(f"unknown period kind: {kind!r}")
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    year, month = divmod(start.month - 1 + months, 12)
    return start, dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


def aware_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local days ``start``…``end`` as aware datetimes [start 00:00, end+1 00:00)."""
    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def unit_activity(tasks: QuerySet[Task], start: dt.date, end: dt.date) -> list[UnitActivity]:
    """Per lead unit, what ``tasks`` did from ``start`` to ``end`` (local days, both included).

    Units whose figures are all zero are left out; the rows come in the units' name order.
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    since, until = aware_range(start, end)
    # one task counted once, however the caller's queryset was joined
    scope = Task.objects.filter(pk__in=tasks.values("pk"), lead_unit__isnull=False)

    closing = Event.objects.filter(task=OuterRef("pk"), action="close", at__gte=since, at__lt=until)
    closed_in_period = Exists(closing)
    per_task = (scope.order_by().values("lead_unit").annotate(
        closed=Count("pk", filter=Q(closed_in_period)),
        closed_on_time=Count("pk", filter=Q(closed_in_period) & Q(closed_on_time=True)),
        overdue=Count("pk", filter=~Q(state__in=NOT_OPEN) & Q(due_date__lt=end + dt.timedelta(days=1))),
    ))
    per_event = (Event.objects.filter(task__in=scope, action__in=("return", "urge"), at__gte=since, at__lt=until)
                 .order_by().values("task__lead_unit").annotate(
                     returned=Count("pk", filter=Q(action="return")),
                     urged=Count("pk", filter=Q(action="urge")),
                 ))

    figures: dict[int, dict[str, int]] = {}
    for row in per_task:
        figures[row.pop("lead_unit")] = row
    for row in per_event:
        figures.setdefault(row.pop("task__lead_unit"), {}).update(row)
    units = Unit.objects.in_bulk(list(figures))
    rows = [UnitActivity(unit=units[pk], **counts) for pk, counts in figures.items()]
    return sorted((r for r in rows if not r.is_empty), key=lambda r: (r.unit.name, r.unit.pk))


def total(rows: list[UnitActivity]) -> UnitActivity:
    """The sum of ``rows`` (``unit`` None): the total line of a table, the summary of a bulletin."""
    return UnitActivity(
        unit=None,
        closed=sum(r.closed for r in rows),
        closed_on_time=sum(r.closed_on_time for r in rows),
        overdue=sum(r.overdue for r in rows),
        returned=sum(r.returned for r in rows),
        urged=sum(r.urged for r in rows),
    )
