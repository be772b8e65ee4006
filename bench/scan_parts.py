"""The daily scan shared by several scanners (`luoshi scan --parts N`), committed, on copies of a
scale database (bench/scale.py builds one), beside one scanner in the same run.

    .venv/bin/python bench/scan_parts.py --database postgresql://postgres@127.0.0.1:5432/luoshi_scale1m
                                         [--parts 1,2] [--rounds 2] [--day 1]

The scan writes what it does and commits a batch at a time (the journal's head is locked by each
commit), so it is measured committed, which `bench/scale.py --only scan` (rolled back, one
transaction) cannot show. Each run gets a fresh copy of the database (``CREATE DATABASE … TEMPLATE
… STRATEGY FILE_COPY``; the template must have no other session), scanned as of today + ``--day``,
in a process of its own that times `scan.run_side_by_side` alone (not Django's start), then the
copy is dropped. The runs alternate between the numbers of parts, ``--rounds`` times. Each
prints its wall time, the acts and what the database holds after it (events, inbox rows, marks),
which must be the same whatever the parts. Needs the first scan done on the template (`luoshi
scan` once, committed), as a province's database has. With ``PYTHONPATH=<another checkout>/src``
the runs take that checkout's scan (one part, if it has no parts): the last stop's, as a baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

RUN = """
import datetime as dt, sys, time
import django
django.setup()
from django.db import connection
from django.utils import timezone
from luoshi.tasks import scan
day, parts = int(sys.argv[1]), int(sys.argv[2])
at = timezone.localdate() + dt.timedelta(days=day)
started = time.perf_counter()
# an older checkout (PYTHONPATH=its src, as the baseline) has no parts
s = scan.run_side_by_side(at, parts) if hasattr(scan, "run_side_by_side") else scan.run(at)
took = time.perf_counter() - started
with connection.cursor() as cur:
    cur.execute("SELECT (SELECT count(*) FROM tasks_event), (SELECT count(*) FROM notify_notification), "
                "(SELECT count(*) FROM tasks_scanmark)")
    rows = cur.fetchone()
print(took, s.reminders + s.escalations + s.overdue + s.stale + s.receipts + s.behind + s.caught_up
      + s.co_reminders + s.co_overdue + s.follow_ups, *rows)
"""


def _admin(url: str) -> psycopg.Connection:
    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _copy_url(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def one(url: str, parts: int, day: int) -> tuple[float, list[int]]:
    """Copy the template, scan the copy in ``parts`` processes, drop it: (seconds, [acts, events,
    inbox rows, marks])."""
    template = urlsplit(url).path.lstrip("/")
    copy = f"{template}_scan_bench"
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        started = time.perf_counter()
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        copied = time.perf_counter() - started
    try:
        env = {**os.environ, "DATABASE_URL": _copy_url(url, copy), "DJANGO_SETTINGS_MODULE": "luoshi.settings"}
        done = subprocess.run([sys.executable, "-c", RUN, str(day), str(parts)], env=env, capture_output=True,
                              text=True, check=False)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        took, *counts = done.stdout.split()
        print(f"  parts {parts}: {float(took):6.2f} s, {int(counts[0]):,} acts; after it {int(counts[1]):,} events, "
              f"{int(counts[2]):,} inbox rows, {int(counts[3]):,} marks (copy made in {copied:.0f} s)", flush=True)
        return float(took), [int(c) for c in counts]
    finally:
        with _admin(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--parts", default="1,2", help="comma-separated numbers of scanners, alternated")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--day", type=int, default=1, help="scan as of today + DAY")
    args = parser.parse_args()
    if not args.database or not args.database.startswith("postgres"):
        raise SystemExit("--database postgresql://… (a scale database built by bench/scale.py, scanned once)")
    counts = [int(n) for n in args.parts.split(",")]
    times: dict[int, list[float]] = {n: [] for n in counts}
    outcome: dict[int, list[int]] = {}
    for _round in range(args.rounds):
        for n in counts:
            took, rows = one(args.database, n, args.day)
            times[n].append(took)
            outcome.setdefault(n, rows)
    for n in counts:
        print(f"parts {n}: median {statistics.median(times[n]):.2f} s, {min(times[n]):.2f}–{max(times[n]):.2f} s "
              f"over {len(times[n])} runs")
    if len({tuple(r) for r in outcome.values()}) != 1:
        raise SystemExit(f"the parts did not do the same: {outcome}")


if __name__ == "__main__":
    main()
