"""How fast, and in how much memory, a ledger leaves Luoshi as .xlsx — beside the writing library alone.

    .venv/bin/python bench/export.py [--tasks 100000] [--database postgresql://…/db]

Makes a throwaway database (SQLite under a temporary folder by default) with one organisation,
20 units and N tasks, then times, each in a fresh process so that its peak memory (RSS) is its
own: the tasks ledger exported by Luoshi as the supervisor sees it (visibility, filters, the
organisation's columns, the lights, XlsxWriter into a temporary file), and the
baseline: the same rows fetched by one plain query and written with XlsxWriter
alone, the same number of columns (and openpyxl's write-only mode alone, which Luoshi used
before). Aim: 100,000 tasks in under 10 s and 200 MB.
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
        rows = queries.only_read(queries.task_rows(TASKS, user, Filters()), columns)
        return xlsx.write(out, str(TASKS.label), columns, queries.chunks(rows))


BASE_HEADER = ["编号", "督办事项", "类别", "状态", "亮灯", "牵头单位", "配合单位", "责任人", "领导", "来源",
               "立项日期", "办结时限", "完成进度", "催办次数"]


def _plain_rows():
    """The same rows and as many columns, by one plain query: what any code must at least read."""
    from luoshi.tasks.models import Task

    rows = Task.objects.order_by("due_date", "pk").values_list(
        "pk", "title", "kind", "state", "state", "lead_unit__name", "lead_unit__short_name", "owner__username",
        "issuer_name", "description", "created_at", "due_date", "progress_percent", "urge_count")
    return rows.iterator(chunk_size=5000)


def baseline(path: str) -> int:
    """XlsxWriter alone (the library Luoshi writes with), constant-memory mode, typed writes."""
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                    "strings_to_numbers": False, "strings_to_urls": False})
    ws = wb.add_worksheet("任务账")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, BASE_HEADER)
    n = 0
    for n, row in enumerate(_plain_rows(), start=1):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str):
                ws.write_string(n, c, v)
            elif isinstance(v, dt.datetime):
                ws.write_datetime(n, c, v.replace(tzinfo=None), date)
            elif isinstance(v, dt.date):
                ws.write_datetime(n, c, v, date)
            else:
                ws.write_number(n, c, v)
    wb.close()
    return n


def openpyxl_alone(path: str) -> int:
    """openpyxl's write-only mode alone, for comparison (Luoshi wrote with it before)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("任务账")
    ws.append(BASE_HEADER)
    n = 0
    for row in _plain_rows():
        ws.append([v.replace(tzinfo=None) if hasattr(v, "tzinfo") and getattr(v, "tzinfo", None) else v
                   for v in row])
        n += 1
    wb.save(path)
    return n


def child(kind: str, database: str | None, var: str) -> None:
    setup(database, var)
    path = os.path.join(var, f"{kind}.xlsx")
    started = time.perf_counter()
    rows = {"ours": ours, "baseline": baseline, "openpyxl": openpyxl_alone}[kind](path)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak, "bytes": os.path.getsize(path)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--child", choices=["ours", "baseline", "openpyxl"], help=argparse.SUPPRESS)
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
    for kind in ("baseline", "openpyxl", "ours"):
        cmd = [sys.executable, __file__, "--child", kind, "--var", var]
        if args.database:
            cmd += ["--database", args.database]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        results[kind] = json.loads(out)
    base = results["baseline"]
    print(f"{'':28s} {'rows':>9s} {'seconds':>8s} {'peak MB':>8s} {'file MB':>8s}")
    for kind, label in (("baseline", "XlsxWriter alone (baseline)"), ("openpyxl", "openpyxl alone"),
                        ("ours", "Luoshi tasks ledger")):
        r = results[kind]
        print(f"{label:28s} {r['rows']:9,d} {r['seconds']:8.2f} {r['peak_mb']:8.0f} {r['bytes'] / 1e6:8.1f}")
    print(f"ratio: {results['ours']['seconds'] / base['seconds']:.2f}x the time of XlsxWriter alone "
          "(Luoshi also reads visibility, co-units, sources and lights, and writes dates and styles)")


if __name__ == "__main__":
    main()
