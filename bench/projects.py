"""How long the projects' check and a ledger page take over a province's projects, and in how many queries.

    .venv/bin/python bench/projects.py [--projects 20000] [--database postgresql://…/db]

Makes a throwaway database (SQLite under a temporary folder by default) with one organisation,
40 units and N projects, each with its six stages (planned over two years, the first ones
reached) and 24 months of planned and reported investment, a few slipped and a few short. Then
times, with nothing new to raise (the triggers already there), the check's finding of slips and
shortfalls, the first ledger page, the ledger filtered to projects behind, and the whole export.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import tempfile
import time
from decimal import Decimal

AT = dt.date(2025, 6, 16)


def setup(database: str | None, var: str) -> None:
    os.environ["LUOSHI_VAR_DIR"] = var
    os.environ["DATABASE_URL"] = database or f"sqlite:///{var}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def make(n: int) -> None:
    from django.core.management import call_command

    from luoshi.org.models import Membership, Role, Unit, User
    from luoshi.projects.models import Investment, Project, Stage, StageKind
    from luoshi.projects.rules import add_months

    call_command("migrate", verbosity=0)
    province = Unit.objects.create(name="山西省人民政府", is_organisation=True)
    office = Unit.objects.create(name="省政府督查室", parent=province)
    sup = User.objects.create_user("supervisor", password="x")
    Membership.objects.create(user=sup, unit=office, role=Role.SUPERVISOR)
    units = [Unit.objects.create(name=f"第{i}市", parent=province) for i in range(40)]
    rng = random.Random(1)
    for first in range(0, n, 2000):
        projects = [Project(organisation=province, unit=rng.choice(units), code=f"P{first + i:06d}",
                            name=f"重大项目{first + i}", total_investment=Decimal(24000))
                    for i in range(min(2000, n - first))]
        Project.objects.bulk_create(projects)
        stages, months = [], []
        for p in projects:
            start = AT - dt.timedelta(days=rng.randint(100, 500))
            reached = rng.randint(1, 5)
            slips = rng.random() < 0.02
            for k, kind in enumerate(StageKind.values):
                planned = start + dt.timedelta(days=120 * k)
                done = k < reached and planned <= AT
                stages.append(Stage(project=p, kind=kind, planned_date=planned,
                                    actual_date=planned if done or (planned < AT and not slips) else None))
            rate = Decimal("0.7") if rng.random() < 0.03 else Decimal("1")
            first_month = dt.date(2024, 1, 1)
            for m in range(24):
                month = add_months(first_month, m)
                months.append(Investment(project=p, month=month, planned=Decimal(1000),
                                         actual=Decimal(1000) * rate if month < AT.replace(day=1) else None))
        Stage.objects.bulk_create(stages)
        Investment.objects.bulk_create(months)


def timed(label: str, fn, repeat: int = 3) -> None:
    from django.db import connection, reset_queries

    best, queries = None, 0
    for _ in range(repeat):
        reset_queries()
        t = time.perf_counter()
        result = fn()
        took = time.perf_counter() - t
        queries = len(connection.queries)
        best = took if best is None else min(best, took)
    print(f"{label:50s} {best * 1000:8.0f} ms  {queries:3d} queries  ({result})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        setup(args.database, var)
        from django.conf import settings

        settings.DEBUG = True  # count the queries
        make(args.projects)
        from luoshi.ledgers import xlsx
        from luoshi.org.models import User
        from luoshi.projects import check, ledger, queries
        from luoshi.projects.models import Project, Trigger

        first = check.run(AT)
        print(f"{args.projects} projects, first check: {first.line()} (raising them: {Trigger.objects.count()} tasks)")
        user = User.objects.get(username="supervisor")
        timed("check again (nothing new to raise)", lambda: check.run(AT).line())
        timed("slipped stages (count)", lambda: queries.slipped_stages(AT).count())
        timed("projects short (count, a subquery per project)",
              lambda: queries.with_figures(Project.objects.all(), AT).filter(short=True).count())
        timed("projects short (count, GROUP BY)",
              lambda: queries.with_figures(Project.objects.all(), AT, every=True).filter(short=True).count())
        timed("ledger: first page", lambda: len(ledger.page(ledger.rows(user, ledger.Filters(), AT), None)[0]))
        timed("ledger: behind, first page",
              lambda: len(ledger.page(ledger.rows(user, ledger.Filters(short=True), AT), None)[0]))
        timed("ledger: whole export (.xlsx)", lambda: xlsx.write(
            io.BytesIO(), "ledger", ledger.COLUMNS, ledger.chunks(ledger.rows(user, ledger.Filters(), AT))), repeat=1)


if __name__ == "__main__":
    main()
