"""Each task's next day for the scan, with answers counted by hand on the 2024 calendar.

Around the Spring Festival: Sun 4 Feb worked; Sat 10 – Sat 17 Feb off; Sun 18 Feb worked.
Rules as in test_scan: remind 3 and 1 working days before; escalate 1, 5, 10 working days after
the due date; silence over 14 calendar days; behind by more than 10 points; 2 working days to
sign for a task.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest
from django.core.management import call_command
from tests.factories import drive, make_task, spread_over_festival

from luoshi.tasks import services, wake
from luoshi.tasks.models import SCAN_AT_ONCE, Event, ScanBasis, ScanDay, State, Task
from luoshi.workdays.calendar import Calendar
from luoshi.workdays.span import Span

RULES = wake.Rules(offsets=(Span(3, True), Span(1, True)), delays=(Span(1, True), Span(5, True), Span(10, True)),
                   quiet=Span(14, False), margin=10, receipt_days=2)
CAL = Calendar()


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _row(state=State.ACCEPTED, due="2024-02-19", overdue_for=None, level=0, receipt_late=False,
         assigned="2024-01-10", last="2024-02-19", percent=None, behind=False) -> wake.Row:
    return wake.Row(state=state, due=due and _d(due), overdue_for=overdue_for and _d(overdue_for), level=level,
                    receipt_late=receipt_late, assigned_day=assigned and _d(assigned), last_day=_d(last),
                    percent=percent, behind=behind)


# (row, the scan's day, marks, the next day): counted on the calendar above
TABLE = [
    # signed for, due Mon 19 Feb: the 3-working-day reminder is Thu 8 (Sun 18, Fri 9, Thu 8)
    (_row(), "2024-02-07", [], "2024-02-08"),
    # reminded: the 1-working-day reminder, Sun 18 (worked)
    (_row(), "2024-02-08", [("remind", "2024-02-19:3wd")], "2024-02-18"),
    # both sent: overdue Tue 20, which is also 1 working day late (level 1)
    (_row(), "2024-02-18", [("remind", "2024-02-19:3wd"), ("remind", "2024-02-19:1wd")], "2024-02-20"),
    # overdue and at level 1: level 2 is 5 working days late (20, 21, 22, 23, 26 Feb)
    (_row(overdue_for="2024-02-19", level=1), "2024-02-20", [], "2024-02-26"),
    # level 2: level 3 is 10 working days late (… 26, 27, 28, 29 Feb, 1, 4 Mar)
    (_row(overdue_for="2024-02-19", level=2), "2024-02-26", [], "2024-03-04"),
    # every level reached, marked overdue: nothing lies ahead
    (_row(overdue_for="2024-02-19", level=3), "2024-03-04", [], None),
    # waiting on the office: overdue the day after, never escalated nor reminded by the unit
    (_row(state=State.SUBMITTED), "2024-02-07", [], "2024-02-20"),
    (_row(state=State.SUBMITTED, overdue_for="2024-02-19"), "2024-02-20", [], None),
    # a rule whose day has come and still holds (the task changed while the scan ran): that day,
    # so that any later run reads it, the same day too
    (_row(), "2024-02-21", [], "2024-02-20"),
    # a reminder's day come and not sent, the due date not passed: read again
    (_row(state=State.RETURNED, behind=True), "2024-02-19", [], "2024-02-08"),
    # not signed for: assigned Thu 8, 2 working days (Fri 9, Sun 18), flagged from Mon 19
    (_row(state=State.ASSIGNED, due="2024-06-30", assigned="2024-02-08"), "2024-02-08", [], "2024-02-19"),
    (_row(state=State.ASSIGNED, due="2024-06-30", assigned="2024-02-08", receipt_late=True), "2024-02-19", [],
     "2024-06-26"),  # then the reminder 3 working days before Sun 30 Jun: Fri 28, Thu 27, Wed 26
    # silent since Sat 20 Jan: 14 days pass on 3 Feb, warned on Sun 4 Feb
    (_row(state=State.IN_PROGRESS, due="2024-06-30", last="2024-01-20", behind=True), "2024-02-01", [],
     "2024-02-04"),
    (_row(state=State.IN_PROGRESS, due="2024-06-30", last="2024-01-20", behind=True), "2024-02-04",
     [("stale", "2024-01-20")], "2024-06-26"),
    # assigned Thu 1 Feb, due Fri 1 Mar: 18 working days. 30% + 10 allowed: the 8th working day
    # (2, 4, 5, 6, 7, 8, 9, 18 Feb) makes 44% (7 make 39%): Sun 18 Feb
    (_row(state=State.IN_PROGRESS, due="2024-03-01", assigned="2024-02-01", last="2024-02-01", percent=30),
     "2024-02-01", [("stale", "2024-02-01")], "2024-02-18"),
    # nothing reported: over 10% after 2 working days (11%): Sun 4 Feb
    (_row(state=State.IN_PROGRESS, due="2024-03-01", assigned="2024-02-01", last="2024-02-01"),
     "2024-02-01", [("stale", "2024-02-01")], "2024-02-04"),
    # all done: never behind; the reminder 3 working days before Fri 1 Mar, Tue 27 Feb
    (_row(state=State.IN_PROGRESS, due="2024-03-01", assigned="2024-02-01", last="2024-02-01", percent=100),
     "2024-02-01", [("stale", "2024-02-01")], "2024-02-27"),
    # flagged already: only a report catches it up, and a report sets the task to be read at once
    (_row(state=State.IN_PROGRESS, due="2024-03-01", assigned="2024-02-01", last="2024-02-01", behind=True),
     "2024-02-01", [("stale", "2024-02-01")], "2024-02-27"),
    # open with no due date, no work going on: nothing
    (_row(state=State.ACCEPTED, due=None), "2024-02-01", [], None),
    (_row(state=State.CLOSED), "2024-02-01", [], None),
    (_row(state=State.DRAFT), "2024-02-01", [], None),
]


@pytest.mark.parametrize("row,at,marks,expected", TABLE)
def test_the_next_day_counted_by_hand(row, at, marks, expected) -> None:
    assert wake.Ahead(RULES, CAL).next_day(row, _d(at), marks) == (expected and _d(expected))


def test_silence_counted_in_working_days() -> None:
    # 3 working days back from Tue 20 Feb is Fri 9 (19, 18, 9), after Thu 8; from Mon 19 it is Thu 8
    assert wake.silent_from(Span(3, True), CAL, _d("2024-02-08")) == _d("2024-02-20")
    assert wake.silent_from(Span(14, False), CAL, _d("2024-01-20")) == _d("2024-02-04")


@pytest.mark.parametrize("assigned,due,allowed,expected", [
    ("2024-02-01", "2024-03-01", 40, "2024-02-18"),
    ("2024-02-01", "2024-03-01", 99, "2024-03-01"),  # 17 of 18 days is 94%: only the last makes 100
    ("2024-02-01", "2024-03-01", 100, None),
    ("2024-03-01", "2024-03-01", 10, dt.date.min),  # no working time at all: 100% expected at once
])
def test_the_day_a_task_falls_behind(assigned, due, allowed, expected) -> None:
    expected = _d(expected) if isinstance(expected, str) else expected
    assert wake.falls_behind(CAL, _d(assigned), _d(due), allowed) == expected


# -- the scan and the days on the database -------------------------------------------------------


# the rules these answers are counted by (tests/tasks/conftest.py)
pytestmark = pytest.mark.usefixtures("festival_rules")


def _accepted(org, due: str, title: str = "抓好高标准农田建设") -> Task:
    return drive(org, make_task(org, title=title, due=_d(due)), State.ACCEPTED)


def _scan(at: str) -> None:
    call_command("scan", "--at", at, stdout=io.StringIO())


def _day(task: Task) -> dt.date | None:
    return ScanDay.objects.values_list("day", flat=True).get(task=task)


@pytest.mark.database
def test_the_scan_reads_only_the_tasks_whose_day_has_come(org) -> None:
    task = _accepted(org, "2024-02-19")
    assert _day(task) == SCAN_AT_ONCE  # a task just written is read by the next scan
    _scan("2024-02-01")
    assert _day(task) == _d("2024-02-08")
    # a change behind the scan's back (no write through changes.stage) is not seen before that day:
    # proof that the scan no longer reads the task every day
    Task.objects.filter(pk=task.pk).update(due_date=_d("2024-02-05"))
    _scan("2024-02-06")
    assert not Event.objects.filter(task=task, action="overdue").exists()
    wake.at_once(task.pk, task.organisation_id, task.state)  # as every write does
    _scan("2024-02-06")
    assert Event.objects.filter(task=task, action="overdue").count() == 1


@pytest.mark.database
def test_a_task_changed_while_the_scan_acts_on_it_is_read_again_by_the_next_scan(org, monkeypatch) -> None:
    """On 8 Feb the scan reminds of a task due 19 Feb (3 working days before) and would move its
    day to 18 Feb (the next reminder). A person writes the task after the scan read it, before
    its act is written: the scan's day must not overwrite the "at once" that write set."""
    from luoshi.tasks import scan

    task = _accepted(org, "2024-02-19")
    _scan("2024-02-01")
    write = scan.Acts._write

    def a_person_first(self, acts):
        wake.at_once(task.pk, task.organisation_id, State.ACCEPTED)  # what every write does
        return write(self, acts)

    monkeypatch.setattr(scan.Acts, "_write", a_person_first)
    _scan("2024-02-08")
    assert Event.objects.filter(task=task, action="remind").count() == 1
    assert _day(task) == SCAN_AT_ONCE
    monkeypatch.undo()
    _scan("2024-02-08")  # the same day again: no second reminder, and the day it left is worked out
    assert Event.objects.filter(task=task, action="remind").count() == 1
    assert _day(task) == _d("2024-02-18")


@pytest.mark.database
def test_every_write_sets_the_task_to_be_read_at_once_and_closing_to_never(org) -> None:
    task = drive(org, make_task(org, due=_d("2024-03-01")), State.IN_PROGRESS)
    _scan("2024-02-01")
    assert _day(task) not in (None, SCAN_AT_ONCE)
    services.report_progress(Task.objects.get(pk=task.pk), org.handler_a, text="完成过半", percent=60)
    assert _day(task) == SCAN_AT_ONCE
    closed = drive(org, make_task(org, title="已办结"), State.CLOSED)
    assert _day(closed) is None


@pytest.mark.database
def test_a_write_gives_a_task_without_a_day_its_row(org) -> None:
    task = drive(org, make_task(org, due=_d("2024-03-01")), State.IN_PROGRESS)
    ScanDay.objects.filter(task=task).delete()  # a task loaded around the application
    services.report_progress(Task.objects.get(pk=task.pk), org.handler_a, text="完成一成", percent=10)
    assert ScanDay.objects.values_list("organisation_id", "day").get(task=task) == (org.province.pk, SCAN_AT_ONCE)


@pytest.mark.database
def test_a_day_is_not_written_over_a_change_made_since_it_was_read(org) -> None:
    task = _accepted(org, "2024-02-19")
    n = ScanDay.objects.values_list("n", flat=True).get(task=task)
    row = (task.pk, n, SCAN_AT_ONCE, _row(State.ACCEPTED, "2024-02-19", assigned=None, last="2024-02-01"))
    assert wake.rewake([row], {}, wake.Ahead(RULES, CAL), _d("2024-02-01")) == 1
    assert _day(task) == _d("2024-02-08")
    wake.at_once(task.pk, task.organisation_id, task.state)  # a person's change after the scan read the task
    assert wake.rewake([row], {}, wake.Ahead(RULES, CAL), _d("2024-02-01")) == 0  # left to the next scan
    assert _day(task) == SCAN_AT_ONCE


@pytest.mark.database
def test_new_rules_make_the_scan_read_every_open_task_again(org, settings) -> None:
    task = _accepted(org, "2024-02-19")
    closed = drive(org, make_task(org, title="已办结"), State.CLOSED)
    assert _day(closed) is None
    ScanDay.objects.filter(task=task).delete()  # a row written around the application: no day yet
    _scan("2024-02-01")
    assert _day(task) == _d("2024-02-08")
    settings.LUOSHI = {**settings.LUOSHI, "REMIND_BEFORE": "5wd"}  # back from Mon 19: 18, 9, 8, 7, Tue 6 Feb
    _scan("2024-02-02")
    assert _day(task) == _d("2024-02-06")
    assert ScanBasis.objects.count() == 1


@pytest.mark.database
def test_the_days_act_as_reading_every_task_every_day_would(org) -> None:
    """Forty tasks in the states the scan acts on, dates spread over the Spring Festival, scanned
    every day for ten weeks, with people's writes between the scans: once reading only the tasks
    whose day has come, once reading every open task every day (the scan before the days, as
    each run does when its rules change). The acts must be the same, day by day."""
    rng = random.Random(7)
    tasks = spread_over_festival(org, 40, rng)
    writes = {d: rng.sample(tasks, 3) for d in range(70) if d % 9 == 4}  # a report now and then

    def run(every_day: bool) -> list[tuple]:
        from django.db import transaction

        acts: list[tuple] = []
        try:
            with transaction.atomic():
                start = Event.objects.order_by("-position").values_list("position", flat=True).first()
                for d in range(70):
                    if every_day:
                        ScanBasis.objects.all().delete()
                    for pk in writes.get(d, ()):
                        t = Task.objects.get(pk=pk)
                        if t.state == State.IN_PROGRESS:
                            services.report_progress(t, org.handler_a, text="进展", percent=50)
                    _scan((_d("2024-01-20") + dt.timedelta(days=d)).isoformat())
                    acts += [(d, *a) for a in Event.objects.filter(position__gt=start, actor=None).order_by(
                        "position").values_list("task_id", "action", "data")]
                    start = Event.objects.order_by("-position").values_list("position", flat=True).first()
                raise _Rollback
        except _Rollback:
            pass
        return acts

    def each_day(acts: list[tuple]) -> list[tuple]:  # in no order within a day: the scan reads in none
        return sorted((d, pk, action, json.dumps(data, sort_keys=True)) for d, pk, action, data in acts)

    by_day, every_day = each_day(run(False)), each_day(run(True))
    assert len(by_day) > 100  # the scan did act, in every kind
    assert {a[2] for a in by_day} >= {"remind", "overdue", "escalate", "stale", "behind", "receipt_overdue"}
    assert by_day == every_day


class _Rollback(Exception):
    pass
