"""How long the dashboard's queries take on many tasks — beside one hand-written SQL per figure.

    .venv/bin/python bench/dashboard.py [--tasks 100000] [--runs 7] [--database postgresql://…/db]

Makes a throwaway database (SQLite under a temporary folder by default; DATABASE_URL or
--database for PostgreSQL) with one organisation, 60 units, two leaders and N tasks spread over
every state, due dates from three months back to six ahead and closings over the last twelve
weeks; one meeting's six directives. Then prints the median (p50) of ``--runs`` runs of each of
the dashboard's query functions (`luoshi.dashboard.queries`, as the supervisor sees it: the
visibility rule, the ledgers' filters, the lights' SQL CASE) beside the baseline: one raw SQL
statement written by hand for the same figures over the organisation's tasks, with no visibility
subquery and no ORM. Both run in the same process on the same data; the figures must agree.

Figures (100,000 tasks, one laptop-class machine, p50 of 7 runs, every section of the page):
SQLite 573 ms beside 428 ms of raw SQL (1.34x); PostgreSQL 15 357 ms beside 242 ms (1.47x). The
by-unit figures cost most (2.4-2.9x: the top units, then every unit's sum for the rest, two
passes where the raw SQL makes one). Before `access.visible_tasks` used EXISTS for its
many-to-many links, the same page took 1,260 ms on SQLite and 2,244 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def setup(database: str | None, var: str) -> None:
    os.environ["LUOSHI_VAR_DIR"] = var
    if database:
        os.environ["DATABASE_URL"] = database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def make(n: int) -> None:
    import datetime as dt
    import hashlib
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from luoshi.org.models import Membership, Role, Unit, User
    from luoshi.sources.models import Item, Source
    from luoshi.tasks.models import State, Task

    call_command("migrate", verbosity=0)
    if Task.objects.count() >= n:
        return
    province = Unit.objects.create(name="山西省人民政府", is_organisation=True)
    office = Unit.objects.create(name="省政府督查室", parent=province, kind=Unit.Kind.OFFICE)
    units = [Unit.objects.create(name=f"省第{i}厅", parent=province) for i in range(60)]
    sup = User.objects.create_user("supervisor", password="x", display_name="督查员")
    Membership.objects.create(user=sup, unit=office, role=Role.SUPERVISOR)
    leaders = []
    for name in ("leader", "deputy_leader"):
        leaders.append(User.objects.create_user(name, password="x", display_name=name))
        Membership.objects.create(user=leaders[-1], unit=province, role=Role.LEADER)
    rng = random.Random(1)
    states = list(State.values)
    today = timezone.localdate()
    now = timezone.now()
    batch = []
    for i in range(n):
        state = rng.choice(states)
        closed = state == State.CLOSED
        batch.append(Task(
            organisation=province, title=f"抓好第{i}项重点工作", lead_unit=rng.choice(units), state=state,
            leader=rng.choice(leaders), due_date=today + dt.timedelta(days=rng.randint(-90, 180)),
            progress_percent=rng.randint(0, 100), behind_schedule=rng.random() < 0.05,
            last_progress_at=now - dt.timedelta(days=rng.randint(0, 40)) if rng.random() < 0.7 else None,
            closed_at=now - dt.timedelta(hours=rng.randint(0, 12 * 7 * 24)) if closed else None,
            closed_on_time=(rng.random() < 0.8) if closed else None))
        if len(batch) == 5000:
            Task.objects.bulk_create(batch)
            batch = []
    Task.objects.bulk_create(batch)
    raw = "一要……六要".encode()
    source = Source.objects.create(organisation=province, name="seed.txt", title="省长参加吕梁代表团审议", raw=raw,
                                   checksum=hashlib.sha256(raw).hexdigest(), size=len(raw), encoding="utf-8",
                                   text="一要……六要")
    for k, task in enumerate(Task.objects.order_by("pk")[:6], start=1):
        item = Item.objects.create(source=source, kind=Item.Kind.DIRECTIVE, ordinal=k, headline=f"第{k}要",
                                   text=f"第{k}要", span_start=0, span_end=1, raw_start=0, raw_end=1)
        task.items.add(item)


# -- the baseline: one statement per figure, written by hand ----------------------------------------


def _light_sql() -> tuple[str, list]:
    from luoshi.tasks.lights import DARK, WORKING, limits

    lim = limits()
    dark = ", ".join(f"'{s}'" for s in sorted(DARK))
    working = ", ".join(f"'{s}'" for s in sorted(WORKING))
    sql = (f"CASE WHEN state IN ({dark}) THEN 'none' WHEN due_date < %s THEN 'red' "
           f"WHEN due_date <= %s OR (state IN ({working}) AND (last_progress_at < %s "
           f"OR (last_progress_at IS NULL AND created_at < %s) OR behind_schedule)) THEN 'yellow' ELSE 'green' END")
    return sql, [_day(lim.today), _day(lim.warn_until), _moment(lim.quiet_since), _moment(lim.quiet_since)]


def _day(value):
    from django.db import connection

    return connection.ops.adapt_datefield_value(value)


def _moment(value):
    # as the ORM would send it (SQLite stores UTC text; a raw cursor would send "+08:00" text)
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(value)


def _week_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "date_trunc('week', closed_at AT TIME ZONE 'Asia/Shanghai')::date"
    return "date(closed_at, '+8 hours', 'weekday 0', '-6 days')"  # SQLite keeps UTC; Shanghai is UTC+8


def baselines(org_id: int, source_id: int) -> dict:
    import datetime as dt

    from django.db import connection

    from luoshi.ledgers.periods import aware_range, period_bounds
    from luoshi.tasks.lights import limits

    light, lp = _light_sql()
    today = limits().today
    monday, sunday = period_bounds("week", today)
    since, until = aware_range(monday - dt.timedelta(weeks=11), sunday)
    open_states = "('assigned', 'reassignment_requested', 'accepted', 'in_progress', 'extension_requested', " \
                  "'unit_review', 'submitted', 'returned', 'reopened')"

    def run(sql: str, params: list) -> list:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    return {
        "overview": lambda: run(
            f"SELECT state, {light} AS light, COUNT(*), SUM(CASE WHEN state = 'closed' AND closed_on_time "
            f"THEN 1 ELSE 0 END) FROM tasks_task WHERE organisation_id = %s GROUP BY 1, 2", [*lp, org_id]),
        "by_lead_unit": lambda: run(
            f"SELECT lead_unit_id, SUM(CASE WHEN state IN {open_states} THEN 1 ELSE 0 END) AS o, "
            f"SUM(CASE WHEN {light} = 'red' THEN 1 ELSE 0 END), SUM(CASE WHEN {light} = 'yellow' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {light} = 'green' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END) "
            f"AS c, SUM(CASE WHEN state = 'closed' AND closed_on_time THEN 1 ELSE 0 END) FROM tasks_task "
            f"WHERE organisation_id = %s AND state <> 'draft' AND lead_unit_id IS NOT NULL "
            f"GROUP BY lead_unit_id ORDER BY o DESC, c DESC, lead_unit_id", [*lp, *lp, *lp, org_id]),
        "on_time_by_week": lambda: run(
            f"SELECT {_week_sql(connection.vendor)} AS week, COUNT(*), SUM(CASE WHEN closed_on_time THEN 1 ELSE 0 END) "
            f"FROM tasks_task WHERE organisation_id = %s AND state = 'closed' AND closed_at >= %s AND closed_at < %s "
            f"GROUP BY 1", [org_id, _moment(since), _moment(until)]),
        "longest_overdue": lambda: run(
            f"SELECT t.id, t.title, u.name, t.due_date FROM tasks_task t LEFT JOIN org_unit u ON u.id = t.lead_unit_id "
            f"WHERE t.organisation_id = %s AND t.state IN {open_states} AND t.due_date < %s "
            f"ORDER BY t.due_date, t.id LIMIT 10", [org_id, _day(today)]),
        "meeting": lambda: run(
            f"SELECT t.id, MIN(i.ordinal), t.title, t.state, {light}, t.progress_percent FROM tasks_task t "
            f"JOIN tasks_task_items ti ON ti.task_id = t.id JOIN sources_item i ON i.id = ti.item_id "
            f"WHERE t.organisation_id = %s AND i.source_id = %s AND t.kind = 'directive' "
            f"GROUP BY t.id, t.title, t.state, t.due_date, t.last_progress_at, t.created_at, t.behind_schedule, "
            f"t.progress_percent ORDER BY 2", [*lp, org_id, source_id]),
    }


def ours(user, source) -> dict:
    from luoshi.dashboard import queries
    from luoshi.ledgers.filters import Filters
    from luoshi.tasks.lights import limits

    today = limits().today

    def scope():
        return queries.scoped_tasks(user, Filters())

    return {
        "overview": lambda: queries.overview(scope(), today),
        "by_lead_unit": lambda: queries.by_lead_unit(scope(), today, top=10),
        "on_time_by_week": lambda: queries.on_time_by_week(scope(), today, weeks=12),
        "longest_overdue": lambda: queries.longest_overdue(scope(), today, limit=10),
        "meeting": lambda: queries.meeting(scope(), source, today),
    }


def p50(fn, runs: int) -> float:
    fn()  # warm: the first run reads the pages from disk
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"),
                        help="a PostgreSQL URL (default: DATABASE_URL, else SQLite in a temporary folder)")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="luoshi-bench-dashboard-")
    setup(args.database, var)
    started = time.perf_counter()
    make(args.tasks)
    from django.db import connection

    from luoshi.dashboard import queries
    from luoshi.ledgers.filters import Filters
    from luoshi.org.models import User
    from luoshi.sources.models import Source

    print(f"{args.tasks:,} tasks made in {time.perf_counter() - started:.1f} s ({connection.vendor}); "
          f"p50 of {args.runs} runs")
    user = User.objects.get(username="supervisor")
    source = Source.objects.get()
    org_id = user.memberships.get().unit.organisation().pk
    mine, base = ours(user, source), baselines(org_id, source.pk)
    # the same figures first: the overview's counts, the weeks' closings
    o = mine["overview"]()
    raw = {(s, li): n for s, li, n, _on_time in base["overview"]()}
    assert o.cells == raw, "the overview differs from the raw SQL"
    weeks = sum(w.closed for w in mine["on_time_by_week"]())
    assert weeks == sum(r[1] for r in base["on_time_by_week"]()), "the weeks differ from the raw SQL"
    assert [d.pk for d in mine["meeting"]().directives] == [r[0] for r in base["meeting"]()]
    print(f"{'':18s} {'Luoshi ms':>10s} {'raw SQL ms':>11s} {'ratio':>6s}")
    total_ours = total_raw = 0.0
    for name in mine:
        a, b = p50(mine[name], args.runs), p50(base[name], args.runs)
        total_ours, total_raw = total_ours + a, total_raw + b
        print(f"{name:18s} {a:10.1f} {b:11.1f} {a / b:6.2f}")
    print(f"{'every section':18s} {total_ours:10.1f} {total_raw:11.1f} {total_ours / total_raw:6.2f}")
    page = p50(lambda: queries.meeting_sources(user, queries.scoped_tasks(user, Filters())).first(),
               args.runs)
    print(f"(choosing the meeting: {page:.1f} ms; Luoshi also applies the visibility rule the raw SQL skips)")


if __name__ == "__main__":
    main()
