"""The rows of the ledgers: one query layer for their pages, their .xlsx exports and the API.

Every row comes from the tasks the reader may see (`access.visible_tasks`), narrowed by the
same `Filters`. Task ledgers page by keyset (the last row's sort key and id, never OFFSET) and
export in chunks of the same order, so neither grows with the table; the responsibility ledger
is two GROUP BY queries (tasks led, tasks co-handled), whatever the number of tasks.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, DateField, DateTimeField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi import access
from luoshi.ledgers.definitions import Ledger
from luoshi.ledgers.filters import OPEN, Filters, apply
from luoshi.org.models import Unit, User
from luoshi.sources.models import Source
from luoshi.tasks import keyset, listing, tally
from luoshi.tasks.keyset import EPOCH, FAR, after, cursor_of  # noqa: F401 - the ledgers' names for them (the API reads them here)
from luoshi.tasks.lights import light_case
from luoshi.tasks.models import Event, Milestone, State, Task

PAGE = 50


def _first_source() -> Subquery:
    through = Task.items.through.objects.filter(task=OuterRef("pk")).order_by("item__source_id")
    return Subquery(Source.objects.filter(pk=Subquery(through.values("item__source_id")[:1])).values("title")[:1])


def task_rows(ledger: Ledger, user, f: Filters) -> QuerySet[Task]:
    """The tasks of a task ledger, sorted, with what its columns read."""
    tasks = apply(access.visible_tasks(user), f, period_on=ledger.period_on)
    if ledger.key == "results":
        tasks = tasks.filter(state=State.CLOSED)
    tasks = (tasks.select_related("lead_unit", "owner", "leader")
             .annotate(source_title=_first_source(), light_now=light_case()))
    if ledger.key == "time":
        extensions = (Event.objects.filter(task=OuterRef("pk"), action="approve_extension")
                      .values("task").annotate(n=Count("pk")).values("n"))
        total = Milestone.objects.filter(task=OuterRef("pk")).values("task").annotate(n=Count("pk")).values("n")
        done = (Milestone.objects.filter(task=OuterRef("pk"), done_at__isnull=False).values("task")
                .annotate(n=Count("pk")).values("n"))
        upcoming = (Milestone.objects.filter(task=OuterRef("pk"), done_at__isnull=True).order_by("due_date")
                    .values("due_date")[:1])
        tasks = tasks.annotate(
            extensions=Coalesce(Subquery(extensions, output_field=IntegerField()), 0),
            milestones_total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
            milestones_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
            next_milestone=Subquery(upcoming, output_field=DateField()),
        )
    if ledger.key == "results":  # the latest closings first
        return tasks.annotate(sort_key=Coalesce("closed_at", Value(EPOCH, output_field=DateTimeField()))).order_by(
            F("sort_key").desc(), F("pk").desc())
    return tasks.annotate(sort_key=Coalesce("due_date", Value(FAR, output_field=DateField()))).order_by(
        "sort_key", "pk")


def descending(ledger: Ledger) -> bool:
    return ledger.key == "results"


def decorate(rows: list[Task]) -> list[Task]:
    """Load the co-units of a page or chunk of tasks in one query (as ``co_labels``)."""
    units = listing.co_units_of(rows)
    for t in rows:
        t.co_labels = [short or name for short, name in units.get(t.pk, ())]
    return rows


def page(tasks: QuerySet[Task], cursor: str | None, size: int = PAGE, *,
         newest_first: bool = False) -> tuple[list[Task], str | None]:
    """One page of rows after ``cursor``, and the cursor of the next page (None: the last)."""
    rows, next_cursor = keyset.page(tasks, cursor, size, newest_first=newest_first)
    return decorate(rows), next_cursor


def only_read(tasks: QuerySet[Task], columns) -> QuerySet[Task]:
    """Load only the fields these columns read (an export of 14 columns need not convert a task's
    every date and text: a third of a 100,000-row export's time went there). Unchanged if a
    column does not say what it reads."""
    if any(c.reads is None for c in columns):
        return tasks
    fields = {"id", "state"} | {f for c in columns for f in c.reads}
    related = sorted({f.split("__")[0] for f in fields if "__" in f})
    return tasks.select_related(None).select_related(*related).only(*fields)


def chunks(tasks: QuerySet[Task], size: int = 2000, *, newest_first: bool = False) -> Iterator[list[Task]]:
    """Every row, a chunk at a time in the page's order (an export in constant memory): one query
    read through a cursor (a server-side one on PostgreSQL), so the rows are sorted once."""
    rows = tasks.iterator(chunk_size=size)
    while True:
        chunk = list(itertools.islice(rows, size))
        if not chunk:
            return
        yield decorate(chunk)


# -- the responsibility ledger: units (and people) with their figures -------------------------


@dataclass
class UnitRow:
    unit: Unit
    owner: User | None = None
    by_person: bool = False
    led: int = 0
    co_handled: int = 0
    open: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0
    urged: int = 0
    receipt_late: int = 0
    period_query: str = ""

    @property
    def on_time_rate(self) -> int | None:
        return round(100 * self.closed_on_time / self.closed) if self.closed else None


def kept_orgs(user, f: Filters, today: dt.date) -> list[int] | None:
    """The organisations whose kept counts (`luoshi.tasks.tally`) count exactly the tasks ``user``
    sees under ``f``: a supervisor's whole organisations, ``f`` narrowing nothing, no task of
    another organisation reaching them, and counted as of ``today``. None otherwise (count the
    tasks then)."""
    if f.is_set():
        return None
    orgs = [o.pk for o in access.supervised_organisations(user)]
    if not orgs or not access.sees_only(user, orgs) or not tally.is_counted(orgs, today):
        return None
    return orgs


def responsibility_rows(user, f: Filters, *, by_person: bool = False,
                        today: dt.date | None = None) -> list[UnitRow]:
    """Per lead unit (and person responsible, if ``by_person``): tasks led with their figures, and
    tasks co-handled. The unit filter picks the rows; the others narrow the tasks counted. Summed
    from the kept counts where they stand for the tasks counted (`kept_orgs`), else counted."""
    today = today or timezone.localdate()
    narrowing = Filters(**{**f.__dict__, "unit": None, "role": ""})
    orgs = None if by_person else kept_orgs(user, narrowing, today)
    if orgs is not None:
        rows = {(unit, None): UnitRow(unit=None, **vars(figures)) for unit, figures in tally.by_unit(orgs).items()}
        return _unit_rows(rows, f)
    # a draft is no unit's yet
    counted = apply(access.visible_tasks(user), narrowing, period_on="created_at").exclude(state=State.DRAFT)
    group = ["lead_unit", "owner"] if by_person else ["lead_unit"]
    led = (counted.filter(lead_unit__isnull=False).values(*group).order_by().annotate(
        led=Count("pk"),
        open=Count("pk", filter=Q(state__in=OPEN)),
        closed=Count("pk", filter=Q(state=State.CLOSED)),
        closed_on_time=Count("pk", filter=Q(state=State.CLOSED, closed_on_time=True)),
        overdue=Count("pk", filter=Q(state__in=OPEN, due_date__lt=today)),
        urged=Count("pk", filter=Q(urge_count__gt=0)),
        receipt_late=Count("pk", filter=Q(receipt_late=True)),
    ))
    co = (Task.co_units.through.objects.filter(task__in=counted.values("pk")).values("unit").order_by()
          .annotate(n=Count("task", distinct=True)))
    rows: dict[tuple, UnitRow] = {}
    for r in led:
        key = (r["lead_unit"], r.get("owner"))
        rows[key] = UnitRow(unit=None, owner=r.get("owner"), by_person=by_person,
                            **{k: r[k] for k in ("led", "open", "closed", "closed_on_time", "overdue", "urged",
                                                 "receipt_late")})
    for r in co:
        key = (r["unit"], None)
        rows.setdefault(key, UnitRow(unit=None, by_person=by_person)).co_handled = r["n"]
    return _unit_rows(rows, f)


def _unit_rows(rows: dict[tuple, UnitRow], f: Filters) -> list[UnitRow]:
    """The rows with their units and people, those the unit filter picks, by unit name."""
    units = Unit.objects.in_bulk({k[0] for k in rows})
    people = User.objects.in_bulk({k[1] for k in rows if k[1]})
    period = "".join(f"&{k}={getattr(f, k).isoformat()}" for k in ("start", "end") if getattr(f, k))
    out = []
    for (unit_id, owner_id), row in rows.items():
        row.unit, row.owner, row.period_query = units[unit_id], people.get(owner_id), period
        if f.unit is None or f.unit.pk == unit_id:
            out.append(row)
    return sorted(out, key=lambda r: (r.unit.name, str(r.owner or "")))


def responsibility_total(rows: list[UnitRow]) -> UnitRow:
    """The sum of the rows (a unit's co-handled tasks count once per unit, as in its row)."""
    total = UnitRow(unit=Unit(name=str(_("Total"))), by_person=False)
    for r in rows:
        for k in ("led", "co_handled", "open", "closed", "closed_on_time", "overdue", "urged", "receipt_late"):
            setattr(total, k, getattr(total, k) + getattr(r, k))
    return total
