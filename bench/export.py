"""How fast, and in how much memory, a ledger leaves Luoshi as .xlsx — beside openpyxl alone.

    .venv/bin/python bench/export.py [--tasks 100000] [--database postgresql://…/db]

Makes a throwaway database (SQLite under a temporary folder by default) with one organisation,
20 units and N tasks, then times, each in a fresh process so that its peak memory (RSS) is its
own: the tasks ledger exported by Luoshi as the supervisor sees it (visibility, filters, the
organisation's columns, the lights, write-only openpyxl into a temporary file), and the
baseline: the same rows fetched by one plain query and written with openpyxl's write-only mode
alone. Aim: 100,000 tasks in under 10 s and 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
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
    import random

    from django.core.management import call_command

    from luoshi.org.models import Membership, Role, Unit, User
    from luoshi.tasks.models import State, Task

    call_command("migrate", verbosity=0)
    if Task.objects.count() >= n:
        return
    province = Unit.objects.create(name="山西省人民政府", is_organisation=True)
    office = Unit.objects.create(name="省政府督查室", parent=province, kind=Unit.Kind.OFFICE)
    units = [Unit.objects.create(name=f"省第{i}厅", parent=province) for i in range(20)]
    sup = User.objects.create_user("supervisor", password="x", display_name="督查员")
    Membership.objects.create(user=sup, unit=office, role=Role.SUPERVISOR)
    rng = random.Random(1)
    states = [State.ASSIGNED, State.IN_PROGRESS, State.SUBMITTED, State.CLOSED, State.ACCEPTED]
    today = dt.date.today()
    batch = []
    for i in range(n):
        batch.append(Task(
            organisation=province, title=f"抓好第{i}项重点工作，确保按期完成", description="推进落实" * 5,
            lead_unit=rng.choice(units), state=rng.choice(states),
            due_date=today + dt.timedelta(days=rng.randint(-90, 180)),
            progress_percent=rng.randint(0, 100), urge_count=rng.randint(0, 3)))
        if len(batch) == 5000:
            Task.objects.bulk_create(batch)
            batch = []
    Task.objects.bulk_create(batch)


def ours(path: str) -> int:
    from luoshi import access
    from luoshi.ledgers import queries, services, xlsx
    from luoshi.ledgers.definitions import TASKS
    from luoshi.ledgers.filters import Filters
    from luoshi.org.models import User

    user = User.objects.get(username="supervisor")
    columns = services.columns_for(TASKS, access.home_organisation(user))
    with open(path, "wb") as out:
        return xlsx.write(out, str(TASKS.label), columns, queries.chunks(queries.task_rows(TASKS, user, Filters())))


def baseline(path: str) -> int:
    from openpyxl import Workbook

    from luoshi.tasks.models import Task

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("任务账")
    ws.append(["编号", "督办事项", "类别", "状态", "牵头单位", "办结时限", "完成进度", "催办次数"])
    n = 0
    rows = Task.objects.order_by("due_date", "pk").values_list(
        "pk", "title", "kind", "state", "lead_unit__name", "due_date", "progress_percent", "urge_count")
    for row in rows.iterator(chunk_size=5000):
        ws.append(list(row))
        n += 1
    wb.save(path)
    return n


def child(kind: str, database: str | None, var: str) -> None:
    setup(database, var)
    path = os.path.join(var, f"{kind}.xlsx")
    started = time.perf_counter()
    rows = ours(path) if kind == "ours" else baseline(path)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak, "bytes": os.path.getsize(path)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--child", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--var", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.database, args.var)
        return
    var = tempfile.mkdtemp(prefix="luoshi-bench-export-")
    setup(args.database, var)
    started = time.perf_counter()
    make(args.tasks)
    print(f"{args.tasks:,} tasks made in {time.perf_counter() - started:.1f} s "
          f"({'PostgreSQL' if args.database else 'SQLite'})")
    results = {}
    for kind in ("baseline", "ours"):
        cmd = [sys.executable, __file__, "--child", kind, "--var", var]
        if args.database:
            cmd += ["--database", args.database]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        results[kind] = json.loads(out)
    base = results["baseline"]
    print(f"{'':28s} {'rows':>9s} {'seconds':>8s} {'peak MB':>8s} {'file MB':>8s}")
    for kind, label in (("baseline", "openpyxl alone (baseline)"), ("ours", "Luoshi tasks ledger")):
        r = results[kind]
        print(f"{label:28s} {r['rows']:9,d} {r['seconds']:8.2f} {r['peak_mb']:8.0f} {r['bytes'] / 1e6:8.1f}")
    print(f"ratio: {results['ours']['seconds'] / base['seconds']:.2f}x the time of openpyxl alone "
          "(Luoshi also reads visibility, co-units, sources and lights, and writes dates and styles)")


if __name__ == "__main__":
    main()
