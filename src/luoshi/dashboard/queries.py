"""The dashboard's figures (领导驾驶舱): a few GROUP BY queries over the tasks a reader may see.

Every function takes the tasks already scoped (`scoped_tasks`: the one visibility rule, narrowed
by the ledgers' own `Filters`) so that a figure here and the ledger page it links to count the
same rows. Each is one or two queries whatever the number of tasks; only grouped rows (a dozen
states, the top units, a dozen weeks, a meeting's directives) come back to Python. Lights are the
SQL CASE of `tasks.lights`, never computed task by task. The state table and the units' table
come from one grouped pass (`figures`): at a million tasks each pass is the page's main cost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from luoshi import access
from luoshi.ledgers.filters import OPEN, Filters, apply
from luoshi.ledgers.periods import aware_range, period_bounds
from luoshi.ledgers.queries import kept_orgs
from luoshi.org.models import Unit
from luoshi.sources.models import Source
from luoshi.tasks import tally
from luoshi.tasks.lights import light_case
from luoshi.tasks.models import State, Task
from luoshi.tasks.tally import Group

LIT = ("red", "yellow", "green")  # the lights of open tasks; drafts and closed tasks have "none"


def scoped_tasks(user, f: Filters) -> QuerySet[Task]:
    """The tasks the dashboard counts: those ``user`` may see, narrowed as a ledger narrows them."""
    return apply(access.visible_tasks(user), f)


# -- tasks by state and light ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """Counts by (state, light), and what the headline figures read from them."""

    cells: dict[tuple[str, str], int]
    closed_on_time: int
    signed: int = 0  # tasks the unit signed for (签收), recorded on time or not
    signed_on_time: int = 0

    def state_count(self, state: str) -> int:
        return sum(n for (s, _light), n in self.cells.items() if s == state)

    def light_count(self, light: str) -> int:
        return sum(n for (_s, li), n in self.cells.items() if li == light)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @property
    def open(self) -> int:
        return sum(n for (s, _light), n in self.cells.items() if s in OPEN)

    @property
    def closed(self) -> int:
        return self.state_count(State.CLOSED)

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.closed_on_time / self.closed if self.closed else None

    @property
    def signed_on_time_rate(self) -> float | None:
        return 100 * self.signed_on_time / self.signed if self.signed else None

    def states(self) -> list[str]:
        """The states that have tasks, in the loop's order."""
        present = {s for s, _light in self.cells}
        return [s for s in State.values if s in present]


def overview(tasks: QuerySet[Task], today: dt.date) -> Overview:
    """Tasks by state and by light (one query; see `figures` for both tables from one)."""
    return overview_of(grouped(tasks, today))


def grouped(tasks: QuerySet[Task], today: dt.date) -> list[Group]:
    """One pass over the tasks, grouped by lead unit, state and light (the light as the SQL CASE):
    at most units × states × lights rows, from which the state table and the units' table are
    both summed, rather than scanning the tasks once for each."""
    return tally.count(tasks, today)


@dataclass(frozen=True)
class Kept:
    """The organisations' kept counts (`luoshi.tasks.tally`), where they stand for the dashboard."""

    orgs: list[int]
    groups: list[Group]


def kept(user, f: Filters, today: dt.date) -> Kept | None:
    """The kept counts, where they count exactly the tasks the dashboard would: a supervisor's
    whole organisations, unfiltered, and no task the reader sees outside them, counted as of
    today. None where they do not (the dashboard counts the tasks then)."""
    orgs = kept_orgs(user, f, today)
    return Kept(orgs=orgs, groups=tally.groups(orgs)) if orgs is not None else None


def overview_of(groups: list[Group]) -> Overview:
    cells: dict[tuple[str, str], int] = {}
    for g in groups:
        cells[(g.state, g.light)] = cells.get((g.state, g.light), 0) + g.n
    return Overview(cells=cells, closed_on_time=sum(g.closed_on_time for g in groups),
                    signed=sum(g.signed for g in groups), signed_on_time=sum(g.signed_on_time for g in groups))


# -- by lead unit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """A lead unit's tasks handed out (drafts are no unit's yet). ``unit`` None: the units after the
    top ones, summed (``units`` says how many)."""

    unit: Unit | None
    open: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    closed: int = 0
    closed_on_time: int = 0
    units: int = 1

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.closed_on_time / self.closed if self.closed else None

    @property
    def is_empty(self) -> bool:
        return not (self.open or self.closed)


@dataclass(frozen=True)
class ByUnit:
    top: list[UnitFigures]
    rest: UnitFigures | None  # None: no unit left over
    total: UnitFigures


def by_lead_unit(tasks: QuerySet[Task], today: dt.date, top: int = 10) -> ByUnit:
    """The ``top`` lead units by open tasks (then closed), the rest summed (one grouped query and
    one for the top units' names, however many units and tasks there are)."""
    return by_lead_unit_of(grouped(tasks, today), top)


def by_lead_unit_of(groups: list[Group], top: int = 10) -> ByUnit:
    """The units' table from `grouped` rows: tasks handed out (no drafts) with a lead unit."""
    keys = ("open", *LIT, "closed", "closed_on_time")
    per: dict[int, dict[str, int]] = {}
    for g in groups:
        if g.lead_unit is None or g.state == State.DRAFT:
            continue
        f = per.setdefault(g.lead_unit, dict.fromkeys(keys, 0))
        if g.state in OPEN:
            f["open"] += g.n
            if g.light in LIT:
                f[g.light] += g.n
        elif g.state == State.CLOSED:
            f["closed"] += g.n
            f["closed_on_time"] += g.closed_on_time
    order = sorted(per, key=lambda u: (-per[u]["open"], -per[u]["closed"], u))
    names = Unit.objects.in_bulk(order[:top])
    shown = [UnitFigures(unit=names[u], **per[u]) for u in order[:top]]
    total = UnitFigures(unit=None, units=len(per), **{k: sum(f[k] for f in per.values()) for k in keys})
    rest = UnitFigures(unit=None, units=total.units - len(shown),
                       **{k: getattr(total, k) - sum(getattr(s, k) for s in shown) for k in keys})
    return ByUnit(top=shown, rest=rest if rest.units > 0 else None, total=total)


def figures(tasks: QuerySet[Task], today: dt.date, top: int = 10,
            groups: list[Group] | None = None) -> tuple[Overview, ByUnit]:
    """The state table and the units' table from one pass over the tasks (or from ``groups``
    already summed, as `kept` gives them)."""
    groups = grouped(tasks, today) if groups is None else groups
    return overview_of(groups), by_lead_unit_of(groups, top)


# -- on time, week by week ----------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """Tasks closed in a week (Monday to Sunday, local days) and how many by their due date."""

    start: dt.date
    end: dt.date
    closed: int = 0
    closed_on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.closed_on_time / self.closed if self.closed else None


def on_time_by_week(tasks: QuerySet[Task], today: dt.date, weeks: int = 12, kept: Kept | None = None) -> list[Week]:
    """The last ``weeks`` weeks up to the one holding ``today``, oldest first, empty weeks included:
    one query grouped by the week of closing (as the results ledger dates a closing), or the sums
    of the ``kept`` counts."""
    last_start, last_end = period_bounds("week", today)
    first_start = last_start - dt.timedelta(weeks=weeks - 1)
    if kept is not None:
        found = {monday: {"closed": n, "closed_on_time": on_time}
                 for monday, (n, on_time) in tally.closings(kept.orgs, first_start, last_start).items()}
        return _weeks(found, first_start, weeks)
    since, until = aware_range(first_start, last_end)
    rows = (tasks.filter(state=State.CLOSED, closed_at__gte=since, closed_at__lt=until)
            .annotate(week=TruncWeek("closed_at")).order_by().values("week")
            # counted on closed_at (never null in the range), not the key: the index holds it and
            # closed_on_time, so the weeks are read from the index alone (task_closed_week)
            .annotate(closed=Count("closed_at"), closed_on_time=Count("closed_at", filter=Q(closed_on_time=True))))
    return _weeks({_local_day(r["week"]): r for r in rows}, first_start, weeks)


def _weeks(found: dict[dt.date, dict], first_start: dt.date, weeks: int) -> list[Week]:
    out = []
    for n in range(weeks):
        start = first_start + dt.timedelta(weeks=n)
        r = found.get(start, {})
        out.append(Week(start=start, end=start + dt.timedelta(days=6), closed=r.get("closed", 0),
                        closed_on_time=r.get("closed_on_time", 0)))
    return out


def _local_day(value: dt.datetime | dt.date) -> dt.date:
    """The Monday a week truncation gave (an aware datetime at local midnight, or a date)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# -- the longest overdue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueTask:
    pk: int
    title: str
    lead_unit: str
    due_date: dt.date
    days: int  # calendar days past the due date, as the time ledger counts them
    state: str
    progress: int | None
    urged: int


def longest_overdue(tasks: QuerySet[Task], today: dt.date, limit: int = 10) -> list[OverdueTask]:
    """Open tasks past their due date, the longest overdue first (one query, ``limit`` rows)."""
    rows = (tasks.filter(state__in=OPEN, due_date__lt=today).order_by("due_date", "pk")
            .values("pk", "title", "lead_unit__name", "lead_unit__short_name", "due_date", "state",
                    "progress_percent", "urge_count")[:limit])
    return [OverdueTask(pk=r["pk"], title=r["title"],
                        lead_unit=r["lead_unit__short_name"] or r["lead_unit__name"] or "",
                        due_date=r["due_date"], days=(today - r["due_date"]).days, state=r["state"],
                        progress=r["progress_percent"], urged=r["urge_count"]) for r in rows]


# -- one meeting's directives -------------------------------------------------------------------


@dataclass(frozen=True)
class Directive:
    pk: int
    ordinal: int | None  # its number in the meeting's report (一要……六要)
    title: str
    lead_unit: str
    state: str
    light: str
    progress: int | None  # the share done the unit last reported
    due_date: dt.date | None

    @property
    def done(self) -> int:
        """How far it has come, for the bar: a closed task is done, else what the unit reported."""
        return 100 if self.state == State.CLOSED else (self.progress or 0)


@dataclass(frozen=True)
class Meeting:
    source: Source
    directives: list[Directive] = field(default_factory=list)
    others: int = 0  # tasks of other kinds made from the meeting (suggestions, instructions)


def meeting_sources(user, tasks: QuerySet[Task], limit: int = 100) -> QuerySet[Source]:
    """The meetings the reader may pick: sources of the counted tasks, the latest first."""
    # EXISTS, walked from the latest source: an IN list of the counted tasks' sources was built
    # over every task first (0.4 s at 1,000,000 tasks)
    counted = Exists(tasks.filter(items__source=OuterRef("pk")))
    latest = access.visible_sources(user).filter(counted).order_by("-created_at", "-pk")[:limit]
    # the choices stay a filterable queryset (a form looks the chosen one up in it), bounded by the subquery
    return (Source.objects.filter(pk__in=latest.values("pk")).defer("raw", "text", "extraction")
            .order_by("-created_at", "-pk"))


def meeting(tasks: QuerySet[Task], source: Source, today: dt.date, limit: int = 100) -> Meeting:
    """The directives made from ``source``, in the report's order, each with its state, light and
    share done; and how many other tasks came from it. Two queries."""
    from_source = tasks.filter(Exists(Task.items.through.objects.filter(task=OuterRef("pk"),
                                                                        item__source=source)))
    first_item = Task.items.through.objects.filter(task=OuterRef("pk"), item__source=source).order_by("item__ordinal")
    rows = (from_source.filter(kind=Task.Kind.DIRECTIVE)
            .annotate(light_now=light_case(today), ordinal=Subquery(first_item.values("item__ordinal")[:1]))
            .order_by("ordinal", "pk")
            .values("pk", "ordinal", "title", "lead_unit__name", "lead_unit__short_name", "state", "light_now",
                    "progress_percent", "due_date")[:limit])
    directives = [Directive(pk=r["pk"], ordinal=r["ordinal"], title=r["title"],
                            lead_unit=r["lead_unit__short_name"] or r["lead_unit__name"] or "", state=r["state"],
                            light=r["light_now"], progress=r["progress_percent"], due_date=r["due_date"])
                  for r in rows]
    others = from_source.exclude(kind=Task.Kind.DIRECTIVE).count()
    return Meeting(source=source, directives=directives, others=others)
