"""A province's scale: every heavy page as people see it, beside one hand-written SQL query each.

    .venv/bin/python bench/scale.py --tasks 100000 [--events-per-task 10] [--runs 7]
                                    [--database postgresql://postgres@127.0.0.1:5432/luoshi_scale]
                                    [--only list,detail] [--verify] [--skip-scan]

Builds (once: a database that already holds N tasks is reused) one province (省) with 200 units,
2,000 users and N tasks spread over every state, due dates from three months back to six
ahead, one to three co-units on a third of them, one source item each (a source per 100 tasks),
and about ``--events-per-task`` journal events each — task #1 has 1,000 — written in bulk
(COPY on PostgreSQL) as **one valid hash chain**: each task's events start with "created"
(recording every field it holds, as `services.create_task` does), move it through the states
to its own (each move bumping its version) and add comments; `luoshi journal verify` passes on
it (``--verify`` runs it after building; it reads every event, minutes at a million tasks).

Then, in this process with Django's test client (force_login, no network), prints for each
page the median and 95th percentile of ``--runs`` requests (``--heavy-runs`` for the export)
after one warming request (which is also the one whose queries are counted), the
number of SQL queries one request makes, and beside it the p50 of one hand-written SQL
statement that returns the same rows (no ORM, no visibility subquery, no template): the
floor the page could reach. The ratio is page / SQL; "in DB" is the time the page's own queries
took (of the counted request), so that what remains of the page's time is Python's.

First two floors, which no page can go under: a signed-in request to an empty response through
the app's middleware, and the layout alone (`bench_floor`). Pages: the task list (/tasks/) as
the supervisor and as a unit's handler, with each filter (state, unit, light, due in 30-60
days, title contains), a late page (row 80% of the way down); the page of the task with 1,000
events; the to-do home (/); each ledger; the dashboard (and, with `busy_day`, the dashboard
after a day's 50,000 moves, before and after the fold of its kept counts); /sources/ as a unit;
the tasks ledger as .xlsx; and `luoshi scan`: its first run on the generated
data, which acts on every task already due, overdue or silent (its acts a second), then the next
two days' runs after it, which are what a province's daily scan does (all rolled back).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time

UNITS = 200  # the province, its supervision office and 198 departments
USERS = 2000
LEADERS = 10
BIG_EVENTS = 1000  # task #1's history


def setup(database: str | None, var: str) -> None:
    os.environ["LUOSHI_VAR_DIR"] = var
    if database:
        os.environ["DATABASE_URL"] = database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


# -- building the data -------------------------------------------------------------------------


def _insert(model, columns: list[str], rows) -> int:
    """Rows (tuples in ``columns`` order) into ``model``'s table: COPY on PostgreSQL, else executemany."""
    from django.db import connection

    table = model._meta.db_table
    n = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            marks = ", ".join("%s" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 5000:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            cur.executemany(sql, batch)
            n += len(batch)
    return n


# each state's way from a draft: (action, state it arrives at)
PATHS = {
    "draft": [],
    "assigned": [("assign", "assigned")],
    "reassignment_requested": [("assign", "assigned"), ("request_reassignment", "reassignment_requested")],
    "accepted": [("assign", "assigned"), ("accept", "accepted")],
    "in_progress": [("assign", "assigned"), ("accept", "in_progress")],
    "extension_requested": [("assign", "assigned"), ("accept", "in_progress"),
                            ("request_extension", "extension_requested")],
    "unit_review": [("assign", "assigned"), ("accept", "in_progress"), ("submit", "unit_review")],
    "submitted": [("assign", "assigned"), ("accept", "in_progress"), ("submit", "submitted")],
    "returned": [("assign", "assigned"), ("accept", "in_progress"), ("submit", "submitted"),
                 ("return", "returned")],
    "closed": [("assign", "assigned"), ("accept", "in_progress"), ("submit", "submitted"), ("close", "closed")],
    "reopened": [("assign", "assigned"), ("accept", "in_progress"), ("submit", "submitted"), ("close", "closed"),
                 ("reopen", "reopened")],
}
# how often each state occurs: most tasks are being worked on or closed
STATE_WEIGHTS = {"draft": 3, "assigned": 8, "reassignment_requested": 1, "accepted": 4, "in_progress": 35,
                 "extension_requested": 2, "unit_review": 2, "submitted": 5, "returned": 2, "closed": 36,
                 "reopened": 2}


def build(n: int, events_per_task: int, seed: int = 1) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from luoshi.org.models import Membership, Role, Unit, User
    from luoshi.sources.models import Item, Source
    from luoshi.tasks import journal, wake
    from luoshi.tasks.models import SCAN_AT_ONCE, Event, JournalHead, ScanDay, Task

    call_command("migrate", verbosity=0)
    have = Task.objects.count()
    if have == n:
        print(f"reusing the {n:,} tasks already in the database")
        return
    if have:
        sys.exit(f"the database holds {have:,} tasks, not {n:,}: give an empty database")
    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()

    with transaction.atomic():
        province = Unit.objects.create(name="某省人民政府", short_name="省政府", is_organisation=True,
                                       kind=Unit.Kind.GOVERNMENT)
        office = Unit.objects.create(name="省政府督查室", parent=province, kind=Unit.Kind.OFFICE)
        depts = Unit.objects.bulk_create(
            [Unit(name=f"省第{i:03d}厅", short_name=f"{i:03d}厅", parent=province) for i in range(UNITS - 2)])
        password = make_password("x")
        users = [User(username="supervisor", display_name="督查员", password=password)]
        users += [User(username=f"leader{i}", display_name=f"领导{i}", password=password) for i in range(LEADERS)]
        users += [User(username=f"u{i}", display_name=f"经办{i}", password=password)
                  for i in range(USERS - len(users))]
        users = User.objects.bulk_create(users)
        sup, leaders, staff = users[0], users[1:1 + LEADERS], users[1 + LEADERS:]
        ms = [Membership(user=sup, unit=office, role=Role.SUPERVISOR)]
        ms += [Membership(user=u, unit=province, role=Role.LEADER) for u in leaders]
        # ten people a department: the first its head, the others handlers
        ms += [Membership(user=u, unit=depts[i % len(depts)], role=Role.HEAD if i < len(depts) else Role.HANDLER)
               for i, u in enumerate(staff)]
        Membership.objects.bulk_create(ms)

    # a few departments lead most tasks (as in a province: development and reform, finance…)
    weights = [1 / (i + 1) ** 0.8 for i in range(len(depts))]
    states, state_w = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    unit_ids = [u.pk for u in depts]
    handlers = {u.pk: [] for u in depts}
    for i, u in enumerate(staff):
        handlers[depts[i % len(depts)].pk].append(u.pk)

    n_sources = max(1, n // 100)
    sources = [Source(organisation=province, name=f"会议纪要{k}.txt", title=f"第{k}次省政府常务会议纪要",
                      raw=b"", checksum=f"{k:064d}", size=0, encoding="utf-8", text="……", created_by=sup)
               for k in range(n_sources)]
    Source.objects.bulk_create(sources, batch_size=2000)
    source_ids = list(Source.objects.order_by("pk").values_list("pk", flat=True))
    # one item per task (its words in the minutes), ids assigned here: the journal records them
    item_base = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    task_base = 1
    _insert(Item, ["id", "source_id", "kind", "ordinal", "headline", "text", "span_start", "span_end",
                   "raw_start", "raw_end", "issuer", "proposers", "deadline_basis"],
            ((item_base + i, source_ids[i % n_sources], "directive", i // n_sources + 1, f"第{i}项",
              f"抓好第{i}项重点工作", 0, 1, 0, 1, "", "[]", "") for i in range(n)))

    task_cols = [f for f in Task._meta.concrete_fields]
    task_names = [f.column for f in task_cols]
    event_names = ["task_id", "seq", "position", "at", "actor_id", "action", "from_state", "to_state", "version",
                   "data", "prev_hash", "hash"]
    co_rows: list[tuple[int, int]] = []
    item_rows: list[tuple[int, int]] = []
    position, prev = 0, journal.GENESIS
    CHUNK = 10000

    def plan(i: int):
        """Task number ``i`` (0-based) as a Task in memory, its co-units and its events."""
        nonlocal position, prev
        pk = task_base + i
        state = "in_progress" if i == 0 else rng.choices(states, state_w)[0]
        lead = rng.choices(unit_ids, weights)[0] if state != "draft" or rng.random() < 0.5 else None
        co = sorted(set(rng.sample(unit_ids, rng.randint(1, 3))) - {lead}) if rng.random() < 0.33 else []
        created = now - dt.timedelta(days=rng.randint(20, 400), seconds=rng.randint(0, 86400))
        due = today + dt.timedelta(days=rng.randint(-90, 180)) if rng.random() < 0.95 else None
        closed = state == "closed"
        t = Task(pk=pk, organisation_id=province.pk, title=f"抓好第{i}项重点工作，确保按期完成", lead_unit_id=lead,
                 leader_id=rng.choice(leaders).pk, due_date=due, original_due_date=due, state=state,
                 created_by_id=sup.pk, created_at=created, updated_at=created,
                 progress_percent=rng.randint(0, 100) if state not in ("draft", "assigned") else None,
                 behind_schedule=state == "in_progress" and rng.random() < 0.05,
                 closed_on_time=(rng.random() < 0.8) if closed else None,
                 signed_on_time=True if state not in ("draft", "assigned", "reassignment_requested") else None)
        path = PATHS[state]
        comments = (BIG_EVENTS if i == 0 else max(0, events_per_task + rng.randint(-2, 2))) - 1 - len(path)
        t.version = 1 + len(path)
        moments = sorted(created + dt.timedelta(seconds=rng.randint(60, max(120, int((now - created).total_seconds()))))
                         for _ in range(len(path) + max(0, comments)))
        if state not in ("draft", "assigned"):
            t.last_progress_at = moments[-1] if moments else None
        if closed:
            t.closed_at = moments[len(path) - 1]
        if state != "draft":
            t.assigned_at = moments[0]
        values = journal.row_values(t)
        values.update(co_units=co, proposers=[], items=[item_base + i])
        events = []
        changes = {k: [None, v] for k, v in values.items() if k != "state" and v not in (None, "", [])}
        # a handler of the lead unit signs for it and so owns it (责任人), as `workflow` records
        # on accept; chosen from the task's number, not the generator, so the data stays the same
        who = handlers[lead][1 + pk % (len(handlers[lead]) - 1)] if lead else sup.pk
        if lead and any(action == "accept" for action, _ in path):
            t.owner_id = who
        steps = [("created", "", "draft", 1, {"changes": changes}, created, sup.pk)]
        version = 1
        for (action, to), at in zip(path, moments, strict=False):
            version += 1
            data = {"reason": "已按要求办理"} if action in ("return", "reopen", "request_extension") else {}
            if action == "accept":
                data = {"changes": {"owner": [None, who]}}
            steps.append((action, steps[-1][2], to, version, data, at, sup.pk if action in (
                "assign", "close", "return", "reopen") else who))
        for at in moments[len(path):]:
            steps.append(("comment", steps[-1][2], steps[-1][2], version, {"text": "请抓紧推进，按时报送进展。"}, at,
                          sup.pk))
        for seq, (action, frm, to, version_, data, at, actor) in enumerate(steps, start=1):
            position += 1
            data = json.loads(json.dumps(data, ensure_ascii=False))
            h = journal.event_hash(position=position, task_id=pk, seq=seq, at=at, actor_id=actor, action=action,
                                   from_state=frm if action != "created" else "", to_state=to, version=version_,
                                   data=data, prev_hash=prev)
            frm = frm if action != "created" else ""
            events.append((pk, seq, position, at_db(at), actor, action, frm, to, version_,
                           json.dumps(data, ensure_ascii=False), prev, h))
            prev = h
        t.updated_at = steps[-1][5]
        return t, co, events

    def at_db(at):
        return at if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(at)

    def row_of(t: Task) -> tuple:
        return tuple(f.get_db_prep_save(getattr(t, f.attname), connection) for f in task_cols)

    done = 0
    while done < n:
        k = min(CHUNK, n - done)
        tasks, events, days = [], [], []
        for i in range(done, done + k):
            t, co, evs = plan(i)
            tasks.append(row_of(t))
            # each task's day for the scan: at once while open (the first scan works each out)
            days.append((t.pk, t.organisation_id, SCAN_AT_ONCE if t.state in wake.OPEN else None, 0))
            co_rows.extend((t.pk, u) for u in co)
            item_rows.append((t.pk, item_base + i))
            events.extend(evs)
        with transaction.atomic():
            _insert(Task, task_names, tasks)
            _insert(Task.co_units.through, ["task_id", "unit_id"], co_rows)
            _insert(Task.items.through, ["task_id", "item_id"], item_rows)
            _insert(Event, event_names, events)
            _insert(ScanDay, ["task_id", "organisation_id", "day", "n"], days)
        co_rows.clear()
        item_rows.clear()
        done += k
        print(f"  {done:,} tasks, {position:,} events ({time.perf_counter() - started:.0f} s)", flush=True)
    JournalHead.objects.update_or_create(pk=1, defaults={"position": position, "hash": prev, "at": now})
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Task, Event, Item]):
            cur.execute(sql)
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE")
    # the kept counts, as the nightly job leaves them: without them the dashboard and a unit's
    # list count the tasks (a unit's list 290 ms instead of 50 at a million)
    from luoshi.tasks import tally

    tally.recount_all()
    print(f"built {n:,} tasks and {position:,} events in {time.perf_counter() - started:.0f} s")


def verify() -> None:
    from luoshi.tasks import audit

    started = time.perf_counter()
    report = audit.verify(files=False)
    took = time.perf_counter() - started
    print(f"journal verify: {'OK' if report.ok else 'FAILED'} — {report.events:,} events, {report.tasks:,} tasks "
          f"({took:.0f} s)")
    for f in report.findings[:10]:
        print("   ", f)
    if not report.ok:
        sys.exit(1)


# -- the hand-written SQL ----------------------------------------------------------------------


def _day(value):
    from django.db import connection

    return connection.ops.adapt_datefield_value(value)


def _moment(value):
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(value)


def light_sql(prefix: str = "") -> tuple[str, list]:
    """The light as a CASE over one row (the rule of `luoshi.tasks.lights`, written out)."""
    from luoshi.tasks.lights import DARK, WORKING, limits

    lim = limits()
    p = prefix
    dark = ", ".join(f"'{s}'" for s in sorted(DARK))
    working = ", ".join(f"'{s}'" for s in sorted(WORKING))
    sql = (f"CASE WHEN {p}state IN ({dark}) THEN 'none' WHEN {p}due_date < %s THEN 'red' "
           f"WHEN {p}due_date <= %s OR ({p}state IN ({working}) AND ({p}last_progress_at < %s "
           f"OR ({p}last_progress_at IS NULL AND {p}created_at < %s) OR {p}behind_schedule)) THEN 'yellow' "
           f"ELSE 'green' END")
    return sql, [_day(lim.today), _day(lim.warn_until), _moment(lim.quiet_since), _moment(lim.quiet_since)]


def run_sql(sql: str, params: list) -> list:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


class Scene:
    """Who looks, at what: the users, a busy unit, a late row and the task with 1,000 events."""

    def __init__(self) -> None:
        from django.db.models import Count

        from luoshi.org.models import Membership, Role, Unit, User
        from luoshi.tasks.models import Task

        self.sup = User.objects.get(username="supervisor")
        self.org = Unit.objects.get(is_organisation=True, name="某省人民政府")
        busy = (Task.objects.exclude(lead_unit=None).values("lead_unit").annotate(n=Count("pk"))
                .order_by("-n").first())
        self.unit = Unit.objects.get(pk=busy["lead_unit"])
        # a busy unit's handler: as many tasks as any unit has
        self.handler = (User.objects.filter(memberships__unit=self.unit, memberships__role=Role.HANDLER)
                        .order_by("pk").first())
        # a mid-sized unit for the unit filter
        self.other = Unit.objects.filter(parent=self.org, kind=Unit.Kind.DEPARTMENT).order_by("name")[40]
        self.big = 1
        self.total = Task.objects.filter(organisation=self.org).count()
        self.late_offset = (self.total * 4 // 5) // 50 * 50  # the first row of a page 80% down
        self.membership = Membership


def hand(scene: Scene) -> dict:
    """One statement per page: the rows the page shows, and nothing else."""
    from luoshi.tasks.lights import limits

    light, lp = light_sql("t.")
    today = limits().today
    org, unit, other = scene.org.pk, scene.unit.pk, scene.other.pk
    cols = f"t.id, t.title, t.kind, t.state, t.version, t.urge_count, u.name, t.due_date, {light}"
    base = "FROM tasks_task t LEFT JOIN org_unit u ON u.id = t.lead_unit_id"
    order = "ORDER BY COALESCE(t.due_date, '9999-12-31'), t.id"
    sup_where = "t.organisation_id = %s"
    unit_where = ("t.state <> 'draft' AND (t.lead_unit_id = %s OR EXISTS (SELECT 1 FROM tasks_task_co_units c "
                  "WHERE c.task_id = t.id AND c.unit_id = %s))")
    by_other = ("(t.lead_unit_id = %s OR EXISTS (SELECT 1 FROM tasks_task_co_units c WHERE c.task_id = t.id "
                "AND c.unit_id = %s))")
    # the light's red as the page filters it: open and past due
    red = "t.state NOT IN ('draft', 'closed') AND t.due_date < %s"
    d30, d60 = today + dt.timedelta(days=30), today + dt.timedelta(days=60)

    def page(where: str, params: list, offset: int = 0):
        return lambda: run_sql(f"SELECT {cols} {base} WHERE {where} {order} LIMIT 50 OFFSET {offset}",
                               [*lp, *params])

    late_key = run_sql(f"SELECT COALESCE(t.due_date, '9999-12-31'), t.id FROM tasks_task t WHERE {sup_where} "
                       f"{order} LIMIT 1 OFFSET {scene.late_offset - 1}", [org])[0]
    open_states = "('assigned', 'reassignment_requested', 'accepted', 'in_progress', 'extension_requested', " \
                  "'unit_review', 'submitted', 'returned', 'reopened')"
    return {
        "list_supervisor": page(sup_where, [org]),
        "list_unit": page(unit_where, [unit, unit]),
        "list_state": page(f"{sup_where} AND t.state = 'in_progress'", [org]),
        "list_unit_filter": page(f"{sup_where} AND {by_other}", [org, other, other]),
        "list_light_red": page(f"{sup_where} AND {red}", [org, _day(today)]),
        # the range on the sort key's expression, as the page writes it, so that both walk its index
        "list_due_30_60": page(f"{sup_where} AND COALESCE(t.due_date, '9999-12-31') >= %s "
                               f"AND COALESCE(t.due_date, '9999-12-31') <= %s", [org, _day(d30), _day(d60)]),
        "list_q": page(f"{sup_where} AND UPPER(t.title) LIKE UPPER(%s)", [org, "%第123%"]),
        "list_late_page": page(f"{sup_where} AND COALESCE(t.due_date, '9999-12-31') >= %s AND "
                               f"(COALESCE(t.due_date, '9999-12-31') > %s OR "
                               f"(COALESCE(t.due_date, '9999-12-31') = %s AND t.id > %s))",
                               [org, late_key[0], late_key[0], late_key[0], late_key[1]]),
        "list_unit_light_red": page(f"{unit_where} AND {red}", [unit, unit, _day(today)]),
        "detail_1000_events": lambda: (
            run_sql("SELECT t.*, u.name FROM tasks_task t LEFT JOIN org_unit u ON u.id = t.lead_unit_id "
                    "WHERE t.id = %s", [scene.big]),
            run_sql("SELECT e.seq, e.at, e.action, e.from_state, e.to_state, e.data, a.display_name "
                    "FROM tasks_event e LEFT JOIN org_user a ON a.id = e.actor_id WHERE e.task_id = %s "
                    "ORDER BY e.seq DESC LIMIT 50", [scene.big])),
        "home_supervisor": lambda: run_sql(
            "SELECT state, COUNT(*) FROM tasks_task WHERE organisation_id = %s AND state IN "
            "('draft', 'extension_requested', 'reassignment_requested', 'submitted') GROUP BY state", [org]),
        "home_unit": lambda: run_sql(
            f"SELECT state, due_date < %s, COUNT(*) FROM tasks_task WHERE lead_unit_id = %s AND state IN {open_states} "
            f"GROUP BY 1, 2", [_day(today), unit]),
        "ledger_tasks": page(sup_where, [org]),
        "ledger_time": page(sup_where, [org]),
        "ledger_results": lambda: run_sql(
            f"SELECT {cols} {base} WHERE {sup_where} AND t.state = 'closed' ORDER BY t.closed_at DESC, t.id DESC "
            f"LIMIT 50", [*lp, org]),
        "ledger_responsibility": lambda: run_sql(
            f"SELECT lead_unit_id, COUNT(*), SUM(CASE WHEN state IN {open_states} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN state = 'closed' AND closed_on_time THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN state IN {open_states} AND due_date < %s THEN 1 ELSE 0 END) "
            f"FROM tasks_task WHERE organisation_id = %s AND state <> 'draft' AND lead_unit_id IS NOT NULL "
            f"GROUP BY lead_unit_id", [_day(today), org]),
        "dashboard": lambda: run_sql(
            f"SELECT state, {light} AS light, COUNT(*) FROM tasks_task t WHERE organisation_id = %s GROUP BY 1, 2",
            [*lp, org]),
        "sources_unit": lambda: run_sql(
            "SELECT s.id, s.title, s.created_at FROM sources_source s WHERE s.id IN (SELECT i.source_id "
            "FROM sources_item i JOIN tasks_task_items ti ON ti.item_id = i.id JOIN tasks_task t ON t.id = ti.task_id "
            f"WHERE {unit_where}) ORDER BY s.created_at DESC, s.id DESC LIMIT 50", [unit, unit]),
        "sources_supervisor": lambda: run_sql(
            "SELECT s.id, s.title, s.created_at FROM sources_source s WHERE s.organisation_id = %s "
            "ORDER BY s.created_at DESC, s.id DESC LIMIT 50", [org]),
        "export_tasks_xlsx": lambda: run_sql(f"SELECT {cols} {base} WHERE {sup_where} {order}", [*lp, org]),
        "scan": lambda: run_sql(
            f"SELECT id FROM tasks_task WHERE state IN {open_states} AND (due_date <= %s OR last_progress_at < %s)",
            [_day(today + dt.timedelta(days=5)), _moment(limits().quiet_since)]),
    }


# -- the pages ---------------------------------------------------------------------------------


def pages(scene: Scene) -> dict:
    """Each page as (user, url), or a callable for what is not a page."""
    from luoshi.tasks.lights import limits

    today = limits().today
    d30, d60 = today + dt.timedelta(days=30), today + dt.timedelta(days=60)
    sup, handler = scene.sup, scene.handler
    return {
        "list_supervisor": (sup, "/tasks/"),
        "list_unit": (handler, "/tasks/"),
        "list_state": (sup, "/tasks/?state=in_progress"),
        "list_unit_filter": (sup, f"/tasks/?unit={scene.other.pk}"),
        "list_light_red": (sup, "/tasks/?light=red"),
        "list_due_30_60": (sup, f"/tasks/?due_from={d30}&due_to={d60}"),
        "list_q": (sup, "/tasks/?q=%E7%AC%AC123"),
        "list_late_page": (sup, late_url(scene)),
        "list_unit_light_red": (handler, "/tasks/?light=red"),
        "detail_1000_events": (sup, f"/tasks/{scene.big}/"),
        "home_supervisor": (sup, "/"),
        "home_unit": (handler, "/"),
        "ledger_tasks": (sup, "/ledgers/tasks/"),
        "ledger_time": (sup, "/ledgers/time/"),
        "ledger_results": (sup, "/ledgers/results/"),
        "ledger_responsibility": (sup, "/ledgers/responsibility/"),
        "dashboard": (sup, "/dashboard/"),
        "sources_unit": (handler, "/sources/"),
        "sources_supervisor": (sup, "/sources/"),
        "export_tasks_xlsx": (sup, "/ledgers/tasks.xlsx"),
    }


def late_url(scene: Scene) -> str:
    """The list's page whose first row is 80% down: by number where the list pages by OFFSET,
    by the cursor of the row before it where it pages by keyset."""
    from luoshi.tasks import views

    if hasattr(views, "list_cursor"):
        from luoshi import access

        rows = views.list_rows(access.visible_tasks(scene.sup))
        before = rows[scene.late_offset - 1:scene.late_offset][0]
        return f"/tasks/?after={views.list_cursor(before)}"
    return f"/tasks/?page={scene.late_offset // 50 + 1}"


HEAVY = {"export_tasks_xlsx"}  # seconds each at 100,000 tasks: ``--heavy-runs`` runs


def timed(fn, runs: int, warm: bool = True) -> tuple[float, float, list[float]]:
    if warm:
        fn()  # the first run reads the pages from disk
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, times


def bench(runs: int, only: set[str] | None, skip_scan: bool, heavy_runs: int = 1) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    scene = Scene()
    sql = hand(scene)
    out = []
    clients = {}
    print(f"\n{scene.total:,} tasks; the unit: {scene.unit} (its handler {scene.handler.username}); "
          f"p50/p95 of {runs} runs, ms")
    if not only or "dashboard" in only:
        out += bench_tally(scene, runs)
    if not only or "busy_day" in only:
        out += bench_busy_day(scene, runs)
    print(f"{'page':24} {'p50':>8} {'p95':>8} {'SQL p50':>8} {'ratio':>7} {'queries':>8} {'in DB':>8}")
    if not only or "floor" in only:
        out += bench_floor(scene, runs)
    for name, (user, url) in pages(scene).items():
        if only and name not in only:
            continue
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        client = clients[user.pk]

        def get(client=client, url=url):
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            if getattr(r, "streaming", False):
                b"".join(r.streaming_content)
            return r

        with CaptureQueriesContext(connection) as ctx:
            get()  # also the warming run
        queries = len(ctx.captured_queries)  # now: the next request empties the log
        # the time the page's queries took (of the warming request): the rest of a page is Python
        db = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        p50, p95, _ = timed(get, heavy_runs if name in HEAVY else runs, warm=False)
        s50, _, _ = timed(sql[name], runs)
        out.append((name, p50, p95, s50, queries, db))
        print(f"{name:24} {p50:8.1f} {p95:8.1f} {s50:8.1f} {p50 / s50:6.1f}x {queries:8} {db:8.1f}", flush=True)
    if not skip_scan and (not only or "scan" in only):
        out += bench_scan(sql["scan"], runs)
    return out


def bench_floor(scene: Scene, runs: int) -> list[tuple]:
    """What any page costs before its own work, for the ratio's sake: a signed-in request through
    the app's middleware (session, user, language, the body limit) to a view that answers an empty
    response, and one that renders the layout alone (the header's links as the supervisor's
    permissions allow, the unread count, the CSRF tokens, the language switch), on the app's own
    URLs with these two added. No page of the app can be quicker than the first."""
    import types

    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.db import connection
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path

    urls = types.ModuleType("bench_floor_urls")
    urls.urlpatterns = [
        path("bench/empty/", login_required(lambda request: HttpResponse(b""))),
        path("bench/layout/", login_required(lambda request: render(request, "base.html", {"nav": ""}))),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[urls.__name__] = urls
    client = Client()
    client.force_login(scene.sup)
    out = []
    with override_settings(ROOT_URLCONF=urls.__name__):
        for name, url in (("floor_signed_in", "/bench/empty/"), ("floor_layout", "/bench/layout/")):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            queries = len(ctx.captured_queries)  # now: the next request empties the log
            db = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
            p50, p95, _ = timed(lambda url=url: client.get(url), runs, warm=False)
            out.append((name, p50, p95, 0.0, queries, db))
            print(f"{name:24} {p50:8.1f} {p95:8.1f} {'':>8} {'':>7} {queries:8} {db:8.1f}", flush=True)
    return out


def bench_tally(scene: Scene, runs: int) -> list[tuple]:
    """The dashboard's kept counts (`luoshi.tasks.tally`): the recount the daily scan ends with, then
    the dashboard's figures read from them beside the same figures counted over the tasks."""
    from django.utils import timezone

    from luoshi.dashboard import queries
    from luoshi.ledgers.filters import Filters
    from luoshi.tasks import tally

    today = timezone.localdate()
    started = time.perf_counter()
    groups = tally.recount(scene.org.pk, today)
    took = (time.perf_counter() - started) * 1000
    print(f"{'tally recount':24} {took:8.0f} ms ({groups:,} groups)")
    counted = queries.scoped_tasks(scene.sup, Filters())

    def from_tasks():
        queries.figures(counted, today)
        queries.on_time_by_week(counted, today)

    def from_tally():
        kept = queries.kept(scene.sup, Filters(), today)
        queries.figures(counted, today, groups=kept.groups)
        queries.on_time_by_week(counted, today, kept=kept)

    c50, c95, _ = timed(from_tasks, runs)
    k50, k95, _ = timed(from_tally, runs)
    print(f"{'dashboard figures':24} counted over the tasks p50 {c50:.1f} / p95 {c95:.1f} ms; "
          f"from the tally p50 {k50:.1f} / p95 {k95:.1f} ms (states, lights, units and weeks)")
    return [("tally_recount", took, took, 0.0, 0, 0.0), ("figures_counted", c50, c95, 0.0, 0, 0.0),
            ("figures_tallied", k50, k95, 0.0, 0, 0.0)]


def bench_busy_day(scene: Scene, runs: int, moves: int = 50_000) -> list[tuple]:
    """The dashboard late in a busy day: ``moves`` tasks moved from one group to another since the
    nightly recount add two rows each to the kept counts (`tally.moved`), which every visit sums
    until they are folded (`tally.fold`, after the scan and every hour). Made here as pairs of
    rows of +1 and -1 on existing groups (the figures unchanged, the rows as such a day leaves
    them); the dashboard's figures and page timed before and after the fold, all rolled back."""
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from luoshi.dashboard import queries
    from luoshi.ledgers.filters import Filters
    from luoshi.tasks import tally
    from luoshi.tasks.models import Tally

    today = timezone.localdate()
    client = Client()
    client.force_login(scene.sup)
    counted = queries.scoped_tasks(scene.sup, Filters())

    def figures():
        kept = queries.kept(scene.sup, Filters(), today)
        assert kept is not None, "the tally is not counted for today"
        queries.figures(counted, today, groups=kept.groups)
        queries.on_time_by_week(counted, today, kept=kept)

    def page():
        assert client.get("/dashboard/").status_code == 200

    out = []
    with transaction.atomic():
        table, left = Tally._meta.db_table, moves
        with connection.cursor() as cur:
            while left > 0:  # a pair on each group in turn, as many rounds as the moves need
                cur.execute(f"""INSERT INTO {table} (organisation_id, lead_unit_id, co_unit_id, state, light, week,
                                n, closed_on_time, signed, signed_on_time, urged, receipt_late)
                                SELECT t.organisation_id, t.lead_unit_id, NULL, t.state, t.light, t.week, s.sign,
                                       0, 0, 0, 0, 0
                                FROM (SELECT * FROM {table} WHERE co_unit_id IS NULL AND n > 0
                                      ORDER BY id LIMIT %s) t CROSS JOIN (SELECT 1 AS sign UNION ALL SELECT -1) s""",
                            [left])
                left -= cur.rowcount // 2
        rows = Tally.objects.count()
        f50, f95, _ = timed(figures, runs)
        p50, p95, _ = timed(page, runs)
        started = time.perf_counter()
        tally.fold_all()
        took = (time.perf_counter() - started) * 1000
        g50, g95, _ = timed(figures, runs)
        q50, q95, _ = timed(page, runs)
        print(f"{'busy day, then fold':24} {rows:,} rows: figures p50 {f50:.1f} / p95 {f95:.1f} ms, page p50 "
              f"{p50:.1f} / p95 {p95:.1f}; fold {took:.0f} ms to {Tally.objects.count():,} rows: figures p50 "
              f"{g50:.1f} / p95 {g95:.1f}, page p50 {q50:.1f} / p95 {q95:.1f}", flush=True)
        out += [("busy_day_dashboard", p50, p95, 0.0, 0, 0.0), ("busy_day_folded", q50, q95, 0.0, 0, 0.0)]
        transaction.set_rollback(True)
    return out


def bench_scan(sql, runs: int) -> list[tuple]:
    """The scan twice, rolled back each time: its first run on the generated data (which acts on
    every task already due, overdue or silent: tens of thousands of acts), and the next day's run
    after it, which is what a province's daily scan does. Acts a second, and the queries made."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from luoshi.tasks import scan

    class Rollback(Exception):
        pass

    today = timezone.localdate()
    out = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            first = scan.run(today)
            took = (time.perf_counter() - started) * 1000
            acts = _acts(first)
            out.append(("scan_first", took, took, 0.0, 0, 0.0))
            print(f"{'scan, first run':24} {took:8.0f} ms for {acts:,} acts ({acts / took * 1000:,.0f} a second): "
                  f"{first.line()}", flush=True)
            times = []
            for k in (1, 2):
                before = _written()
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    daily = scan.run(today + dt.timedelta(days=k))
                    times.append((time.perf_counter() - started) * 1000)
                db = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
                rows = {name: n - before[name] for name, n in _written().items()}
                print(f"{'scan, day +' + str(k):24} {times[-1]:8.0f} ms, {_acts(daily):,} acts, "
                      f"{len(ctx.captured_queries)} queries ({db:.0f} ms in DB), {daily.days:,} tasks' next "
                      f"days moved: {daily.line()}", flush=True)
            _fold(runs)
            raise Rollback
    except Rollback:
        pass
    s50, _, _ = timed(sql, runs)
    print(f"{'scan candidates, SQL':24} {s50:8.1f} ms (the open tasks due within 5 days or silent)", flush=True)
    if connection.vendor == "postgresql":
        took = _write_floor(rows, _acts(daily))
        print(f"{'scan writes, SQL':24} {took:8.0f} ms (day +2's rows by hand: "
              + ", ".join(f"{n:,} {name}" for name, n in rows.items()) + ")", flush=True)
    out.append(("scan_daily", statistics.median(times), max(times), s50, len(ctx.captured_queries), db))
    return out


def _fold(runs: int) -> None:
    """What the scan's rows of the dashboard's counts cost each visit until folded (as the scan's
    job and command do after the scan, `tally.fold_all`), and the fold itself."""
    from luoshi.tasks import tally
    from luoshi.tasks.models import Tally, TallyDay

    orgs = list(TallyDay.objects.filter(day__isnull=False).values_list("pk", flat=True))
    rows = Tally.objects.count()
    before, _, _ = timed(lambda: tally.groups(orgs), runs)
    started = time.perf_counter()
    tally.fold_all()
    took = (time.perf_counter() - started) * 1000
    after, _, _ = timed(lambda: tally.groups(orgs), runs)
    print(f"{'tally fold':24} {took:8.0f} ms, {rows:,} -> {Tally.objects.count():,} rows; the dashboard's sum "
          f"of them p50 {before:.1f} -> {after:.1f} ms", flush=True)


def _written() -> dict[str, int]:
    """How many rows the tables a scan writes hold (within the bench's transaction)."""
    from luoshi.notify.models import Notification
    from luoshi.tasks.models import Event, ScanMark

    return {"events": Event.objects.count(), "inbox rows": Notification.objects.count(),
            "marks": ScanMark.objects.count()}


def _write_floor(rows: dict[str, int], acts: int) -> float:
    """The writes of a day's scan as hand-written SQL, rolled back: its events (one a task, numbered
    after the journal's end), inbox rows (spread over the users), marks and an UPDATE of the tasks
    acted on, each one INSERT … SELECT FROM generate_series, against the same tables and indexes.
    No hashing, no reading, no rule: the floor the scan's own writes could reach. In ms."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT MAX(id), (SELECT MAX(position) FROM tasks_event) FROM tasks_task")
        tasks, position = cur.fetchone()
        # a task for each n (7,919 is prime to a million: distinct tasks), users by turn
        task = f"1 + (g * 7919) %% {tasks}"
        started = time.perf_counter()
        cur.execute(f"INSERT INTO tasks_event (task_id, seq, position, at, actor_id, action, from_state, to_state, "
                    f"version, data, prev_hash, hash) SELECT {task}, 100000 + g, {position} + g, now(), NULL, "
                    "'remind', 'in_progress', 'in_progress', 1, '{\"due_date\": \"2026-12-04\", \"days_left\": 1}', "
                    "md5(g::text) || md5(g::text), md5((g + 1)::text) || md5(g::text) "
                    "FROM generate_series(1, %s) g", [rows["events"]])
        cur.execute(f"INSERT INTO notify_notification (user_id, event_id, task_id, kind, created_at) "
                    f"SELECT u.ids[1 + g %% cardinality(u.ids)], -g, {task}, 'remind', now() "
                    "FROM generate_series(1, %s) g, (SELECT array_agg(id) AS ids FROM org_user) u",
                    [rows["inbox rows"]])
        cur.execute(f"INSERT INTO tasks_scanmark (task_id, kind, key, at) SELECT {task}, 'floor', g::text, now() "
                    "FROM generate_series(1, %s) g", [rows["marks"]])
        cur.execute(f"UPDATE tasks_task SET updated_at = now() WHERE id IN (SELECT {task} "
                    "FROM generate_series(1, %s) g)", [acts])
        took = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return took


def _acts(s) -> int:
    return sum(getattr(s, k) for k in ("reminders", "escalations", "overdue", "stale", "receipts", "behind",
                                       "caught_up", "co_reminders", "co_overdue", "follow_ups"))


def main() -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--events-per-task", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--heavy-runs", type=int, default=3, help="runs of the .xlsx export")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--verify", action="store_true", help="run `luoshi journal verify` after building")
    parser.add_argument("--skip-scan", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        setup(args.database, var)
        from django.conf import settings
        from django.db import connection

        settings.ALLOWED_HOSTS = ["*"]
        print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
        build(args.tasks, args.events_per_task)
        if args.verify:
            verify()
        if not args.build_only:
            bench(args.runs, set(filter(None, args.only.split(","))), args.skip_scan, args.heavy_runs)


if __name__ == "__main__":
    main()
