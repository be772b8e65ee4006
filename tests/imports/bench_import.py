"""How long a 5,000-row ledger takes: read, check every row, import as drafts, import assigned.

Prints figures; asserts nothing (not collected by pytest). On SQLite, then on PostgreSQL:

    .venv/bin/python tests/imports/bench_import.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/luoshi .venv/bin/python tests/imports/bench_import.py

It makes and drops its own test database, as the tests do.

Measured on the development machine while other test runs shared it (so high, but the order holds):
SQLite: read 4.3 s, check 0.5 s; import as drafts 179 s (36 ms a row), assigned 990 s (198 ms a row).
PostgreSQL 15: read 3.9 s, check 1.7 s; import as drafts 462 s (92 ms a row); assigned not run to the end.
Nearly all of it is `tasks.services.create_task` and `workflow.perform` per row (about 18 queries a
task, 25 % of the time in the notifications each journal event writes); the transaction holds the
journal's head row (and on SQLite the database) until it commits, so other changes wait meanwhile.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

ROWS = 5000
UNITS = ["省农业农村厅", "水利厅", "吕梁市", "省统计局"]
DATES = [dt.datetime(2026, 12, 31), "2026-06-30", "2026年9月30日", "11月30日", "年底前", "一季度", "2026/3/31"]


def ledger(tag: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append([f"2026年督办事项台账 {tag}"])
    ws.append(["序号", "督办事项", "牵头单位", "配合单位", "完成时限", "工作目标", "紧急程度", "备注"])
    for n in range(ROWS):
        ws.append([n + 1, f"督办事项第{n + 1}项：推进重点工作落实", UNITS[n % 4], "、".join(UNITS[(n + 1) % 4:][:2]),
                   DATES[n % len(DATES)], "按期完成", ("一般", "重要", "紧急")[n % 3], "备注"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    from luoshi.imports import importer
    from luoshi.imports.reading import read_ledger
    from tests.factories import make_org

    old = connection.creation.create_test_db(verbosity=0)
    try:
        org = make_org()
        org.unit_b.short_name = "吕梁市"
        org.unit_b.save()
        print(f"{connection.vendor}: {ROWS} rows")
        for assign in (False, True):
            data = ledger("assigned" if assign else "drafts")
            t = time.perf_counter()
            sheet = read_ledger(data, "bench.xlsx")
            t_read = time.perf_counter() - t
            batch = importer.receive(org.supervisor, org.province, name="bench.xlsx", data=data)
            fields, _origin = importer.proposed(batch, sheet)
            t = time.perf_counter()
            plan = importer.check(batch, sheet, fields, assign_all=assign)
            t_check = time.perf_counter() - t
            assert plan.ok, plan.errors[:3]
            t = time.perf_counter()
            importer.run_import(batch, org.supervisor, fields, assign_all=assign)
            t_import = time.perf_counter() - t
            print(f"  {'assigned' if assign else 'drafts  '}: read {t_read:.2f} s, check {t_check:.2f} s, "
                  f"import (read + check + create{' + assign' if assign else ''}) {t_import:.1f} s "
                  f"({t_import / ROWS * 1000:.1f} ms a row)")
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
