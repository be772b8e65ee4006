"""How long the unit assessment takes to count a period, and in how many queries.

    .venv/bin/python bench/assessment.py [--tasks 100000] [--database postgresql://…/db]

Makes a throwaway database (SQLite under a temporary folder by default) with one organisation,
40 units and N tasks spread over a year, each with the events the figures read (signed, urged,
returned, extended, closed), a co-unit's opinion and, for the closed ones, a rating; the journal's
hashes are fakes (this measures counting, not the chain). Then counts a month, a quarter and the
year with `figures.per_unit` and scores them, printing the time and the number of queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
import zoneinfo

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2025


def setup(database: str | None, var: str) -> None:
    os.environ["LUOSHI_VAR_DIR"] = var
    if database:
        os.environ["DATABASE_URL"] = database
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def make(n: int) -> int:
    from django.core.management import call_command

    from luoshi.org.models import Membership, Role, Unit, User
    from luoshi.tasks.models import CoOpinion, Event, Rating, State, Task

    call_command("migrate", verbosity=0)
    province = Unit.objects.create(name="山西省人民政府", is_organisation=True)
    units = [Unit.objects.create(name=f"省第{i}厅", parent=province) for i in range(40)]
    deputy = User.objects.create_user("deputy", password="x")
    Membership.objects.create(user=deputy, unit=province, role=Role.PROPOSER)
    rng = random.Random(1)
    position = 0

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(rng.randint(8, 18)), tzinfo=SH)

    for first in range(0, n, 5000):
        tasks, plans = [], []
        for _ in range(min(5000, n - first)):
            assigned = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
            due = assigned + dt.timedelta(days=rng.randint(10, 90))
            closed = due + dt.timedelta(days=rng.randint(-9, 20)) if rng.random() < 0.6 else None
            state = State.CLOSED if closed else rng.choice([State.IN_PROGRESS, State.ACCEPTED, State.RETURNED])
            tasks.append(Task(organisation=province, title="抓好重点工作", lead_unit=rng.choice(units), state=state,
                              due_date=due, assigned_at=at(assigned), closed_at=at(closed) if closed else None,
                              signed_on_time=rng.random() < 0.8, closed_on_time=(closed <= due) if closed else None))
            plans.append((assigned, closed))
        Task.objects.bulk_create(tasks)
        events, opinions, ratings = [], [], []
        for task, (assigned, closed) in zip(tasks, plans, strict=True):
            actions = [("accept", assigned + dt.timedelta(days=1))]
            actions += [("urge", assigned + dt.timedelta(days=rng.randint(5, 30)))] * rng.randint(0, 2)
            if rng.random() < 0.1:
                actions.append(("return", assigned + dt.timedelta(days=rng.randint(5, 30))))
            if rng.random() < 0.05:
                actions.append(("approve_extension", assigned + dt.timedelta(days=rng.randint(5, 30))))
            if closed:
                actions.append(("close", closed))
            for seq, (action, day) in enumerate(actions, start=1):
                position += 1
                events.append(Event(task=task, seq=seq, position=position, at=at(day), action=action, version=seq,
                                    prev_hash="", hash=f"{position:064x}"))
            due = assigned + dt.timedelta(days=20)
            given = assigned + dt.timedelta(days=rng.randint(5, 25))
            opinions.append(CoOpinion(task=task, unit=rng.choice(units), due_date=due, given_at=at(given),
                                      on_time=given <= due))
            if closed:
                ratings.append(Rating(task=task, round=1, proposer=deputy,
                                      value=rng.choice(["satisfied", "basically", "unsatisfied"])))
        Event.objects.bulk_create(events)
        CoOpinion.objects.bulk_create(opinions)
        Rating.objects.bulk_create(ratings)
    return province.pk


def count(organisation: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from luoshi.assessment import figures
    from luoshi.assessment.scoring import WeightSet, score
    from luoshi.ledgers.periods import period_bounds

    today = dt.date(YEAR + 1, 1, 10)
    figures.per_unit(figures.Period(organisation, dt.date(YEAR, 1, 1), dt.date(YEAR, 1, 31), today))  # warm up
    for kind in ("month", "quarter", "year"):
        start, end = period_bounds(kind, dt.date(YEAR, 6, 15))
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            found = figures.per_unit(figures.Period(organisation, start, end, today))
            scores = [score(f, WeightSet()) for f in found.values()]
            took = time.perf_counter() - began
        print(f"{kind:8s} {start}–{end}: {len(scores)} units scored in {took:.2f} s, {len(queries)} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--database", help="a PostgreSQL URL (its tables are replaced); SQLite by default")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        setup(args.database, var)
        began = time.perf_counter()
        organisation = make(args.tasks)
        print(f"made {args.tasks} tasks in {time.perf_counter() - began:.0f} s ({os.environ['DATABASE_URL']})")
        count(organisation)


if __name__ == "__main__":
    main()
