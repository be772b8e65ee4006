"""The edges of on time and late, in working days: one task due Fri 9 Feb 2024 (the Spring
Festival holiday is Sat 10 – Sat 17; Sun 18 is worked), closed on different days."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.assessment.conftest import FEBRUARY, Steps

from luoshi.assessment import figures


@pytest.mark.django_db
@pytest.mark.parametrize(("closed_on", "hour", "on_time", "late_days"), [
    ("2024-02-09", 23, 1, 0),  # on the due date, late in the evening: on time
    ("2024-02-10", 9, 0, 0),  # the day after: late, but a holiday is no working day
    ("2024-02-17", 9, 0, 0),  # the whole holiday: still no working day late
    ("2024-02-18", 9, 0, 1),  # Sunday 18, worked in its place (调休): 1 working day late
    ("2024-02-19", 9, 0, 2),  # Monday: 2
])
def test_closed_on_the_due_date_is_on_time_and_lateness_counts_working_days(
        org, clock, closed_on, hour, on_time, late_days) -> None:
    s = Steps(org, clock)
    task = s.new("按期办结", org.unit_a, "2024-02-09")
    s.do(task, "2024-02-01", "assign", org.supervisor)
    s.do(task, "2024-02-02", "accept", org.handler_a)
    s.do(task, "2024-02-02", "start", org.handler_a, 10)
    s.do(task, "2024-02-08", "submit", org.handler_a, reason="已完成")
    s.do(task, closed_on, "close", org.supervisor, hour, 30)
    found = figures.per_unit(figures.Period(org.province.pk, *FEBRUARY, dt.date(2024, 3, 1)))[org.unit_a.pk]
    assert (found.closed, found.closed_on_time) == (1, on_time)
    assert (found.overdue_tasks, found.overdue_days) == (0 if on_time else 1, late_days)
