"""The dashboard's counts kept as tasks change, so that a province's figures are read from a few
thousand rows rather than counted over a million tasks on every visit.

An organisation's tally holds its tasks grouped by (lead unit, state, light) as of one day
(`TallyDay`): a job just after midnight recounts it (`recount_all`, scheduled as "tally"), and
every write that moves a task from one group to another adds two rows, -1 for the group it left
and +1 for the one it joined (`moved`, `added`). Rows are only ever added between recounts, so
writers never wait on one another for a counter; the dashboard sums them (`groups`). A light
depends on the day, so the tally is read only on the day, and with the limits, it was counted
for; on any other it is not used, and the dashboard counts the tasks as before
(`luoshi.dashboard.queries.grouped`), slower but never wrong.

The recount locks the organisation's `TallyDay` row; each write takes a shared lock on it before
it adds rows, so a write lands either wholly before a recount (counted by it) or wholly after
(counted against the new day), never half in each.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, DateField, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone

from luoshi.org.models import Unit
from luoshi.tasks.lights import DARK, Limits, light_case, light_under, limits
from luoshi.tasks.models import State, Tally, TallyDay, TallyLink, Task

# the columns a task's group and its light are read from
FIELDS = ("organisation_id", "lead_unit_id", "state", "due_date", "last_progress_at", "created_at",
          "behind_schedule", "closed_on_time", "signed_on_time", "closed_at", "urge_count", "receipt_late")


class Group(NamedTuple):
    """Tasks of one (lead unit, state, light), with the counts the dashboard reads (a tuple: a
    province's few thousand groups are made in a blink)."""

    lead_unit: int | None
    state: str
    light: str
    n: int
    closed_on_time: int
    signed: int
    signed_on_time: int


def values(task: Task, changed: dict | None = None, co_units: Sequence[int] | None = None) -> SimpleNamespace:
    """The columns of `FIELDS` of ``task``, as they will be once ``changed`` (column values by
    field name or attribute name, as `changes.stage` writes them) is written; ``co_units``, the
    keys of its co-units, where they may have changed (None: they did not, and are not read)."""
    v = {name: getattr(task, name) for name in FIELDS}
    v["co_units"] = None if co_units is None else tuple(sorted(co_units))
    for name, value in (changed or {}).items():
        if name == "lead_unit":
            v["lead_unit_id"] = getattr(value, "pk", value)
        elif name in v:
            v[name] = value
    return SimpleNamespace(**v)


def _key(v: SimpleNamespace, lim: Limits) -> tuple:
    closed = v.state == State.CLOSED
    return (v.lead_unit_id, v.state, light_under(v, lim), week_of(v.closed_at) if closed else None,
            int(closed and v.closed_on_time is True), int(v.signed_on_time is not None),
            int(v.signed_on_time is True), int((v.urge_count or 0) > 0), int(v.receipt_late is True))


def _co_keys(v: SimpleNamespace | None) -> Counter:
    """A task's co-unit rows: (co-unit, "draft" or "") for each of its co-units, if they are known."""
    if v is None or v.co_units is None:
        return Counter()
    drafted = "draft" if v.state == State.DRAFT else ""
    return Counter((u, drafted) for u in v.co_units)


def _links(v: SimpleNamespace | None) -> Counter | None:
    """A task's pairs of units (`TallyLink`): every ordered pair of its lead unit and co-units,
    each with itself, if it is handed out; None if its co-units are not known, which
    `changes.stage` allows only when neither they, its lead unit nor its being a draft changed."""
    if v is None or v.state == State.DRAFT:
        return Counter()
    if v.co_units is None:
        return None
    units = [u for u in (v.lead_unit_id, *v.co_units) if u is not None]
    return Counter((a, b) for a in units for b in units)


def week_of(moment: dt.datetime | None) -> dt.date | None:
    """The Monday of the local week of ``moment`` (as the SQL of `recount` truncates it)."""
    if moment is None:
        return None
    day = timezone.localtime(moment).date()
    return day - dt.timedelta(days=day.weekday())


def _row(org: int, key: tuple, sign: int) -> Tally:
    lead_unit, state, light, week, on_time, signed, signed_on_time, urged, receipt_late = key
    return Tally(organisation_id=org, lead_unit_id=lead_unit, state=state, light=light, week=week, n=sign,
                 closed_on_time=sign * on_time, signed=sign * signed, signed_on_time=sign * signed_on_time,
                 urged=sign * urged, receipt_late=sign * receipt_late)


def _counted_as_of(org: int) -> Limits | None:
    """The limits the organisation's tally counts lights with, its `TallyDay` row share-locked
    until the transaction ends (so no recount runs meanwhile); None if it has not been counted."""
    share = " FOR SHARE" if connection.vendor == "postgresql" else ""  # SQLite serialises writers as a whole
    select = f"SELECT * FROM {TallyDay._meta.db_table} WHERE organisation_id = %s{share}"
    row = next(iter(TallyDay.objects.raw(select, [org])), None)
    if row is None:
        # no row to lock yet: make it (uncounted), so that a first recount, whose own insert of
        # it waits for this transaction, counts this write rather than missing it
        TallyDay.objects.bulk_create([TallyDay(organisation_id=org)], ignore_conflicts=True)
        row = next(iter(TallyDay.objects.raw(select, [org])), None)
    if row is None or row.day is None:
        return None
    return Limits(today=row.day, warn_until=row.warn_until, quiet_since=row.quiet_since)


def moved(changes: Iterable[tuple[SimpleNamespace | None, SimpleNamespace | None]]) -> None:
    """Add the rows for tasks that changed, each given as (its values before, after); None before
    for a new task. Call inside the transaction that writes the tasks."""
    rows: list[Tally] = []
    links: list[TallyLink] = []
    seen: dict[int, Limits | None] = {}
    for before, after in changes:
        if before is not None and after is not None and vars(before) == vars(after):
            continue  # nothing a group is read from changed (a comment, a mark): no lock, no row
        org = (after or before).organisation_id
        if org not in seen:
            seen[org] = _counted_as_of(org)
        lim = seen[org]
        if lim is None:
            continue
        old = _key(before, lim) if before is not None else None
        new = _key(after, lim) if after is not None else None
        if old != new:
            if old is not None:
                rows.append(_row(org, old, -1))
            if new is not None:
                rows.append(_row(org, new, +1))
        old_co, new_co = _co_keys(before), _co_keys(after)
        for (unit, drafted), n in (old_co - new_co).items():
            rows.append(Tally(organisation_id=org, co_unit_id=unit, state=drafted, light="", n=-n))
        for (unit, drafted), n in (new_co - old_co).items():
            rows.append(Tally(organisation_id=org, co_unit_id=unit, state=drafted, light="", n=n))
        old_links, new_links = _links(before), _links(after)
        if old_links is not None and new_links is not None:
            links += [TallyLink(organisation_id=org, unit_id=a, other_id=b, n=-n)
                      for (a, b), n in (old_links - new_links).items()]
            links += [TallyLink(organisation_id=org, unit_id=a, other_id=b, n=n)
                      for (a, b), n in (new_links - old_links).items()]
    if rows:
        Tally.objects.bulk_create(rows, batch_size=1000)
    if links:
        TallyLink.objects.bulk_create(links, batch_size=1000)


def added(task: Task, co_units: Sequence[int] = ()) -> None:
    """Count a task just created (with the keys of its co-units)."""
    moved([(None, values(task, co_units=co_units))])


# An organisation's pairs of units (`TallyLink`) counted afresh: the units of each task handed out
# (its lead unit, its co-units), joined with themselves task by task. Migration tasks/0015 holds a
# copy, as migrations hold what the code was when they were written.
LINKS_SQL = f"""
    WITH on_task AS (
        SELECT t.id AS task_id, t.lead_unit_id AS unit_id FROM {Task._meta.db_table} t
        WHERE t.organisation_id = %s AND t.state <> '{State.DRAFT}' AND t.lead_unit_id IS NOT NULL
        UNION ALL
        SELECT c.task_id, c.unit_id FROM {Task.co_units.through._meta.db_table} c
        JOIN {Task._meta.db_table} t ON t.id = c.task_id
        WHERE t.organisation_id = %s AND t.state <> '{State.DRAFT}')
    INSERT INTO {TallyLink._meta.db_table} (organisation_id, unit_id, other_id, n)
    SELECT %s, a.unit_id, b.unit_id, COUNT(*) FROM on_task a JOIN on_task b ON b.task_id = a.task_id
    GROUP BY a.unit_id, b.unit_id"""


def recount(org: int, day: dt.date | None = None) -> int:
    """Count the organisation's tasks afresh as of ``day`` (today by default), replacing its rows.
    Returns the number of groups."""
    lim = limits(day)
    TallyDay.objects.get_or_create(organisation_id=org)  # committed first: writers can lock it meanwhile
    with transaction.atomic():
        TallyDay.objects.select_for_update().get(organisation_id=org)
        Tally.objects.filter(organisation_id=org).delete()
        counted = _grouped(Task.objects.filter(organisation_id=org), lim.today, by_week=True)
        rows = [Tally(organisation_id=org, lead_unit_id=r["lead_unit"], state=r["state"], light=r["light_now"],
                      week=r["week"], n=r["n"], closed_on_time=r["on_time"], signed=r["signed"],
                      signed_on_time=r["signed_on_time"], urged=r["urged"], receipt_late=r["receipt_late"])
                for r in counted]
        links = (Task.co_units.through.objects.filter(task__organisation_id=org).annotate(drafted=Case(
            When(task__state=State.DRAFT, then=Value("draft")), default=Value(""), output_field=CharField()))
            .order_by().values("unit", "drafted").annotate(n=Count("pk")))
        rows += [Tally(organisation_id=org, co_unit_id=r["unit"], state=r["drafted"], light="", n=r["n"])
                 for r in links]
        Tally.objects.bulk_create(rows, batch_size=1000)
        TallyLink.objects.filter(organisation_id=org).delete()
        with connection.cursor() as cur:
            cur.execute(LINKS_SQL, [org, org, org])
        TallyDay.objects.filter(organisation_id=org).update(day=lim.today, warn_until=lim.warn_until,
                                                            quiet_since=lim.quiet_since)
    return len(rows)


def recount_all(day: dt.date | None = None) -> int:
    """Recount every organisation that has tasks, as of ``day`` (today by default), unless it was
    already counted for a later day (a late run of yesterday's job leaves today's counts alone).
    Returns how many were recounted."""
    day = day or timezone.localdate()
    later = TallyDay.objects.filter(organisation=OuterRef("pk"), day__gt=day)
    orgs = (Unit.objects.filter(Exists(Task.objects.filter(organisation=OuterRef("pk")))).exclude(Exists(later))
            .order_by("pk").values_list("pk", flat=True))
    for org in orgs:
        recount(org, day)
    return len(orgs)


# the columns a row is grouped by, and those summed
KEYS = ("lead_unit_id", "co_unit_id", "state", "light", "week")
SUMS = ("n", "closed_on_time", "signed", "signed_on_time", "urged", "receipt_late")


def _fold_sql(table: str, keys: Sequence[str], sums: Sequence[str]) -> str:
    # the rows up to an id summed by group, added as new rows (none for a group every task has left)
    columns = ", ".join(("organisation_id", *keys, *sums))
    summed = ", ".join(f"SUM({c})" for c in sums)
    kept = " OR ".join(f"SUM({c}) <> 0" for c in sums)
    return (f"INSERT INTO {table} ({columns}) SELECT organisation_id, {', '.join(keys)}, {summed} FROM {table} "
            f"WHERE organisation_id = %s AND id <= %s GROUP BY organisation_id, {', '.join(keys)} HAVING {kept}")


def fold(org: int) -> int:
    """Sum the organisation's rows to one a group, as a recount leaves them, without counting the
    tasks again: every write adds two rows a task moved (the daily scan's acts, the day's work),
    and every visit of the dashboard sums them all until the next recount. In SQL (the sums added
    as new rows, then the rows they sum deleted), under the recount's lock, so that a write in
    flight is folded whole or not at all (it waits for the fold, or the fold for it). Returns how
    many rows it took away."""
    taken = 0
    with transaction.atomic(), connection.cursor() as cur:
        if not list(TallyDay.objects.select_for_update().filter(organisation_id=org).values_list("pk")):
            return 0
        for model, keys, sums in ((Tally, KEYS, SUMS), (TallyLink, ("unit_id", "other_id"), ("n",))):
            table = model._meta.db_table
            cur.execute(f"SELECT MAX(id), COUNT(*), (SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE "
                        f"organisation_id = %s GROUP BY {', '.join(keys)}) g) FROM {table} WHERE organisation_id = %s",
                        [org, org])
            last, rows, groups = cur.fetchone()
            if rows == groups:
                continue  # one row a group already (a recount's, or folded): nothing rewritten
            cur.execute(_fold_sql(table, keys, sums), [org, last])
            added = cur.rowcount
            cur.execute(f"DELETE FROM {table} WHERE organisation_id = %s AND id <= %s", [org, last])
            taken += cur.rowcount - added
    return taken


def fold_all() -> int:
    """`fold` every organisation counted; returns the rows taken away."""
    orgs = TallyDay.objects.filter(day__isnull=False).order_by("pk").values_list("pk", flat=True)
    return sum(fold(org) for org in orgs)


def count(tasks, today: dt.date) -> list[Group]:
    """One pass over ``tasks``, grouped by lead unit, state and light (the light as the SQL CASE)."""
    return [Group(lead_unit=r["lead_unit"], state=r["state"], light=r["light_now"], n=r["n"],
                  closed_on_time=r["on_time"], signed=r["signed"], signed_on_time=r["signed_on_time"])
            for r in _grouped(tasks, today)]


def _grouped(tasks, today: dt.date, by_week: bool = False):
    """The grouped rows of `count` (and, ``by_week``, by the Monday of a closed task's closing)."""
    closed = Q(state=State.CLOSED)
    keys = ["lead_unit", "state", "light_now"]
    tasks = tasks.annotate(light_now=light_case(today))
    if by_week:
        keys.append("week")
        tasks = tasks.annotate(week=Case(When(closed, then=TruncWeek("closed_at", output_field=DateField())),
                                         output_field=DateField()))
    return (tasks.order_by().values(*keys)
            .annotate(n=Count("pk"), on_time=Count("pk", filter=closed & Q(closed_on_time=True)),
                      signed=Count("pk", filter=Q(signed_on_time__isnull=False)),
                      signed_on_time=Count("pk", filter=Q(signed_on_time=True)),
                      urged=Count("pk", filter=Q(urge_count__gt=0)),
                      receipt_late=Count("pk", filter=Q(receipt_late=True))))


def is_counted(orgs: Sequence[int], today: dt.date) -> bool:
    """Whether every one of ``orgs`` was counted as of ``today``, with the limits the light rule
    has today (a changed setting or calendar: not until the next recount)."""
    lim = limits(today)
    days = TallyDay.objects.filter(organisation_id__in=orgs, day=lim.today, warn_until=lim.warn_until,
                                   quiet_since=lim.quiet_since)
    return days.count() == len(set(orgs))


def groups(orgs: Sequence[int]) -> list[Group]:
    """The organisations' tasks grouped as `count` groups them, summed from their tallies (read
    where `is_counted`)."""
    return [Group(*row) for row in _tuples(
        Tally.objects.filter(organisation_id__in=orgs, co_unit__isnull=True).order_by()
        .values_list("lead_unit", "state", "light")
        .annotate(Sum("n"), Sum("closed_on_time"), Sum("signed"), Sum("signed_on_time")).exclude(n__sum=0))]


def closings(orgs: Sequence[int], first: dt.date, last: dt.date) -> dict[dt.date, tuple[int, int]]:
    """Tasks closed, and closed on time, by the Monday of their week, from ``first`` to ``last``
    (Mondays), summed from the tallies (read where `is_counted`)."""
    rows = _tuples(Tally.objects.filter(organisation_id__in=orgs, co_unit__isnull=True, state=State.CLOSED,
                                        week__gte=first, week__lte=last)
                   .order_by().values_list("week").annotate(Sum("n"), Sum("closed_on_time")))
    return {Tally._meta.get_field("week").to_python(week): (n, on_time) for week, n, on_time in rows if n}


@dataclass
class UnitCounts:
    """A lead unit's tasks handed out (no drafts), as the responsibility ledger counts them."""

    led: int = 0
    open: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0  # open past the due date: the red light
    urged: int = 0
    receipt_late: int = 0
    co_handled: int = 0


def by_unit(orgs: Sequence[int]) -> dict[int, UnitCounts]:
    """The responsibility ledger's figures per unit (those it leads, handed out; those it
    co-handles), summed from the tallies (read where `is_counted`)."""
    out: dict[int, UnitCounts] = {}
    open_ = ~Q(state__in=DARK)  # handed out and not closed
    led = (Tally.objects.filter(organisation_id__in=orgs, co_unit__isnull=True, lead_unit__isnull=False)
           .exclude(state=State.DRAFT).order_by().values_list("lead_unit")
           .annotate(led=Sum("n"), open=Sum("n", filter=open_),
                     closed=Sum("n", filter=Q(state=State.CLOSED)), closed_on_time_=Sum("closed_on_time"),
                     overdue=Sum("n", filter=open_ & Q(light="red")), urged_=Sum("urged"),
                     receipt_late_=Sum("receipt_late")))
    for unit, *figures in _tuples(led):
        f = UnitCounts(*(x or 0 for x in figures))
        if f.led:
            out[unit] = f
    co = (Tally.objects.filter(organisation_id__in=orgs, co_unit__isnull=False).exclude(state=State.DRAFT)
          .order_by().values_list("co_unit").annotate(co=Sum("n")))
    for unit, n in _tuples(co):
        if n:
            out.setdefault(unit, UnitCounts()).co_handled = n
    return out


def links_kept() -> bool:
    """Whether the pairs of units are kept for every organisation with tasks: they are once it has
    been counted (`moved` passes an uncounted organisation by)."""
    uncounted = (Unit.objects.exclude(Exists(TallyDay.objects.filter(organisation=OuterRef("pk"), day__isnull=False)))
                 .filter(Exists(Task.objects.filter(organisation=OuterRef("pk")))))
    return not uncounted.exists()


def linked(units: Sequence[int]) -> list[int]:
    """The units that share a task handed out with any of ``units`` (each of them too, if it has
    one), summed from the kept pairs (read where `links_kept`)."""
    pairs = TallyLink.objects.filter(unit__in=units).order_by().values_list("other").annotate(Sum("n"))
    return [other for other, n in _tuples(pairs) if n]


def _tuples(rows) -> list[tuple]:
    """The rows as the database's tuples: Django's converters on every summed cell cost more (60 ms
    for 5,000 groups) than the query itself; sums of integer columns come back as integers."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()
