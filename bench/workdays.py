"""Speed of the working-day calendar beside chinesecalendar's own `is_workday` walked day by day
(the baseline: how one would add or count working days with the package alone), in one run.

    .venv/bin/python bench/workdays.py [--seconds 1]

On the same random dates in the years the package knows, times: is_workday; add(d, 3) (a
reminder) and add(d, 60) (a limit of 60 working days); count over a month and over a year; and
count(today, due) for a million due dates, as a scan over every task's light would. Each figure
is the best of three runs of about ``--seconds``; prints operations per second and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from collections.abc import Callable

import chinese_calendar

from luoshi.workdays.calendar import Calendar
from luoshi.workdays.statutory import PACKAGE

ONE = dt.timedelta(days=1)


def rate(fn: Callable[[dt.date], object], days: list[dt.date], seconds: float) -> float:
    """Calls of ``fn`` per second, the best of three runs of about ``seconds`` each."""
    n = 1
    while True:  # find how many calls take about a tenth of the budget
        t = time.perf_counter()
        for d in days[:n]:
            fn(d)
        took = time.perf_counter() - t
        if took > seconds / 10 or n >= len(days):
            break
        n = min(len(days), n * 4)
    batch = days[:n]
    best = float("inf")
    for _ in range(3):
        gc.collect()
        t = time.perf_counter()
        for d in batch:
            fn(d)
        best = min(best, (time.perf_counter() - t) / len(batch))
    return 1 / best


def package_add(d: dt.date, n: int) -> dt.date:
    while n:
        d += ONE
        if chinese_calendar.is_workday(d):
            n -= 1
    return d


def package_count(start: dt.date, end: dt.date) -> int:
    total = 0
    while start <= end:
        total += chinese_calendar.is_workday(start)
        start += ONE
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=1.0)
    a = ap.parse_args()
    rng = random.Random(14)
    lo, hi = dt.date(PACKAGE.first, 1, 1).toordinal(), dt.date(PACKAGE.last - 1, 12, 31).toordinal()
    days = [dt.date.fromordinal(rng.randint(lo, hi)) for _ in range(200_000)]
    cal = Calendar()
    month, year = dt.timedelta(days=30), dt.timedelta(days=364)
    cases = [
        ("is_workday(d)", cal.is_workday, chinese_calendar.is_workday),
        ("add(d, 3)", lambda d: cal.add(d, 3), lambda d: package_add(d, 3)),
        ("add(d, 60)", lambda d: cal.add(d, 60), lambda d: package_add(d, 60)),
        ("count(d, d+30)", lambda d: cal.count(d, d + month), lambda d: package_count(d, d + month)),
        ("count(d, d+364)", lambda d: cal.count(d, d + year), lambda d: package_count(d, d + year)),
    ]
    print(f"chinesecalendar {chinese_calendar.__version__}, years {PACKAGE.first}–{PACKAGE.last}; "
          f"best of 3 runs of ~{a.seconds:g} s; calls per second")
    print(f"{'':18}{'Luoshi':>14}{'is_workday loop':>18}{'ratio':>10}")
    for name, ours, theirs in cases:
        r_ours, r_theirs = rate(ours, days, a.seconds), rate(theirs, days, a.seconds)
        print(f"{name:18}{r_ours:14,.0f}{r_theirs:18,.0f}{r_ours / r_theirs:9,.0f}×")

    # the lights of every task: working days from today to each of a million due dates
    # (within the years the package knows: its is_workday refuses the others)
    today = dt.date(PACKAGE.last - 1, 6, 1)
    dues = [dt.date.fromordinal(rng.randint(today.toordinal() - 400, today.toordinal() + 500))
            for _ in range(1_000_000)]
    gc.collect()
    t = time.perf_counter()
    for due in dues:
        cal.count(today, due)
    took = time.perf_counter() - t
    sample = dues[:2000]
    t = time.perf_counter()
    for due in sample:
        package_count(today, due)
    baseline = (time.perf_counter() - t) / len(sample) * len(dues)
    print(f"count(today, due) for 1,000,000 due dates: {took:.2f} s "
          f"(is_workday loop: ~{baseline:,.0f} s, from {len(sample):,} of them)")


if __name__ == "__main__":
    main()
