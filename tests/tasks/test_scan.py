"""The scan at given days across the 2024 Spring Festival, with answers counted by hand.

The 2024 calendar around it: Sun 4 Feb worked; Sat 10 – Sat 17 Feb off; Sun 18 Feb worked.
Settings: remind 3 and 1 working days before; escalate 1, 5, 10 working days after the due
date; silence over 14 calendar days; behind schedule by more than 10 points; 2 working days
to sign for a task.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.management import call_command
from tests.factories import drive, make_task

from luoshi.tasks import audit, scan, wake
from luoshi.tasks.models import Event, State, Task

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


# the rules these answers are counted by (tests/tasks/conftest.py)
pytestmark = pytest.mark.usefixtures("festival_rules")


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _run(at: str, capsys) -> str:
    call_command("scan", "--at", at)
    return capsys.readouterr().out.strip()


def _assigned(org, due: str, title: str = "抓好高标准农田建设", state: str = State.ASSIGNED,
              assigned: str = "2024-01-10") -> Task:
    task = drive(org, make_task(org, title=title, due=_day(due)), state)
    Task.objects.filter(pk=task.pk).update(
        assigned_at=dt.datetime.combine(_day(assigned), dt.time(9), tzinfo=SHANGHAI),
        last_progress_at=dt.datetime.combine(_day("2024-02-19"), dt.time(9), tzinfo=SHANGHAI))
    return Task.objects.get(pk=task.pk)


def _actions(task: Task) -> list[tuple[str, dict]]:
    """What the scan did to the lead unit's task (the co-unit's own duty: tests/tasks/test_co_opinions.py)."""
    return [(e.action, e.data) for e in Event.objects.filter(task=task, actor=None).exclude(
        action__startswith="co_").order_by("seq")]


# (day, summary line) for a task signed for, due Mon 19 Feb 2024
DUE_19_FEB = [
    ("2024-02-07", "reminders 0, escalations 0, overdue 0, stale 0"),
    ("2024-02-08", "reminders 1, escalations 0, overdue 0, stale 0"),  # 3 working days before: Thu 8
    ("2024-02-08", "reminders 0, escalations 0, overdue 0, stale 0"),  # the same day again: nothing twice
    ("2024-02-12", "reminders 0, escalations 0, overdue 0, stale 0"),  # the holiday
    ("2024-02-18", "reminders 1, escalations 0, overdue 0, stale 0"),  # 1 working day before: Sun 18, worked
    ("2024-02-19", "reminders 0, escalations 0, overdue 0, stale 0"),  # due today is not overdue
    ("2024-02-20", "reminders 0, escalations 1, overdue 1, stale 0"),  # overdue; 1 working day late: level 1
    ("2024-02-20", "reminders 0, escalations 0, overdue 0, stale 0"),
    ("2024-02-23", "reminders 0, escalations 0, overdue 0, stale 0"),  # 4 working days late
    ("2024-02-26", "reminders 0, escalations 1, overdue 0, stale 0"),  # 5 working days late: level 2
    ("2024-03-01", "reminders 0, escalations 0, overdue 0, stale 0"),  # 9
    ("2024-03-04", "reminders 0, escalations 1, overdue 0, stale 0"),  # 10: level 3, the leader
]


def test_a_task_through_the_festival(org, capsys) -> None:
    task = _assigned(org, "2024-02-19", state=State.ACCEPTED)
    for day, line in DUE_19_FEB:
        assert _run(day, capsys) == line, day
    task.refresh_from_db()
    assert (task.overdue_for, task.escalation_level) == (_day("2024-02-19"), 3)
    acts = _actions(task)
    assert [a for a, _d in acts] == ["remind", "remind", "overdue", "escalate", "escalate", "escalate"]
    assert acts[0][1]["days_left"] == 3 and acts[1][1]["days_left"] == 1
    assert [d["level"] for a, d in acts if a == "escalate"] == [1, 2, 3]
    assert audit.verify().ok
    assert task.version == Task.objects.get(pk=task.pk).version  # the scan makes nobody's page stale


def test_a_missed_day_is_caught_up_with_the_latest_reminder_only(org, capsys) -> None:
    task = _assigned(org, "2024-02-19", state=State.ACCEPTED)
    assert _run("2024-02-18", capsys) == "reminders 1, escalations 0, overdue 0, stale 0"
    assert [d["offset"] for a, d in _actions(task)] == ["1wd"]
    assert _run("2024-02-18", capsys) == "reminders 0, escalations 0, overdue 0, stale 0"


def test_days_missed_escalate_once_to_the_level_the_lateness_reached(org, capsys) -> None:
    # due Mon 19 Feb 2024; first scanned Fri 1 Mar, 9 working days late (20–23, 26–29, 1): level 2,
    # then Mon 4 Mar, 10 working days: level 3; a second task first scanned on the 4th goes to 3 at once
    task = _assigned(org, "2024-02-19", state=State.ACCEPTED)
    assert _run("2024-03-01", capsys) == "reminders 0, escalations 1, overdue 1, stale 0"
    assert [(a, d.get("level")) for a, d in _actions(task)] == [("overdue", None), ("escalate", 2)]
    late = _assigned(org, "2024-02-19", title="第二项", state=State.IN_PROGRESS)
    assert _run("2024-03-04", capsys) == "reminders 0, escalations 2, overdue 1, stale 0"
    assert [(d["level"], d["after"]) for a, d in _actions(task) if a == "escalate"] == [(2, "5wd"), (3, "10wd")]
    assert [(d["level"], d["after"]) for a, d in _actions(late) if a == "escalate"] == [(3, "10wd")]
    # nothing more to escalate (the task in progress has now been silent for 15 days: stale)
    assert _run("2024-03-05", capsys) == "reminders 0, escalations 0, overdue 0, stale 1"


def test_an_extended_due_date_is_reminded_and_marked_again(org, capsys) -> None:
    task = _assigned(org, "2024-02-19", state=State.ACCEPTED)
    assert _run("2024-02-20", capsys).endswith("overdue 1, stale 0")
    # as an approved extension would (every write sets the task to be read at once: luoshi.tasks.wake)
    Task.objects.filter(pk=task.pk).update(due_date=_day("2024-02-29"))
    wake.at_once(task.pk, task.organisation_id, task.state)
    assert _run("2024-02-27", capsys).startswith("reminders 1")  # 3 working days before Thu 29: Mon 26 (caught up)
    assert _run("2024-03-01", capsys).endswith("overdue 1, stale 0")


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.CLOSED])
def test_drafts_closed_tasks_and_what_the_office_holds(org, capsys, state) -> None:
    task = drive(org, make_task(org, due=_day("2024-02-19")), state)
    day = "2024-03-04"
    line = _run(day, capsys)
    if state == State.SUBMITTED:  # still open, so overdue; but waiting on the office: not escalated
        assert line == "reminders 0, escalations 0, overdue 1, stale 0"
    else:
        assert line == "reminders 0, escalations 0, overdue 0, stale 0"
    assert task.pk


def test_silence_is_warned_once(org, capsys) -> None:
    task = _assigned(org, "2024-06-30", state=State.IN_PROGRESS)
    Task.objects.filter(pk=task.pk).update(
        last_progress_at=dt.datetime.combine(_day("2024-01-20"), dt.time(15), tzinfo=SHANGHAI))
    assert _run("2024-02-03", capsys).endswith("stale 0")  # 14 days: not yet
    assert _run("2024-02-04", capsys).endswith("stale 1")  # 15 days
    assert _run("2024-02-05", capsys).endswith("stale 0")  # the same silence: once
    assert [d["since"] for a, d in _actions(task) if a == "stale"] == ["2024-01-20"]


def test_a_task_not_signed_for_in_time_is_flagged(org, capsys) -> None:
    task = _assigned(org, "2024-06-30", assigned="2024-02-08")  # Thu 8: 2 working days → Fri 9, Sun 18
    call_command("scan", "--at", "2024-02-18")
    assert not Task.objects.get(pk=task.pk).receipt_late
    call_command("scan", "--at", "2024-02-19")
    assert Task.objects.get(pk=task.pk).receipt_late
    call_command("scan", "--at", "2024-02-20")
    assert [a for a, _d in _actions(task)] == ["receipt_overdue"]


@pytest.mark.parametrize("percent,behind", [(None, True), (0, True), (39, True), (40, False), (100, False)])
def test_behind_a_straight_line_from_assignment_to_due_date(org, capsys, percent, behind) -> None:
    # assigned Thu 1 Feb, due Fri 1 Mar: 18 working days; by Mon 19 Feb 9 of them gone (50%)
    task = _assigned(org, "2024-03-01", state=State.IN_PROGRESS, assigned="2024-02-01")
    Task.objects.filter(pk=task.pk).update(progress_percent=percent)
    call_command("scan", "--at", "2024-02-19")
    task.refresh_from_db()
    assert task.behind_schedule is behind  # 50 − 10 points: 40% is on the line
    if behind:
        data = next(d for a, d in _actions(task) if a == "behind")
        assert (data["expected"], data["reported"]) == (50, percent or 0)
        Task.objects.filter(pk=task.pk).update(progress_percent=80)  # as a report would, with:
        wake.at_once(task.pk, task.organisation_id, task.state)
        call_command("scan", "--at", "2024-02-20")
        assert not Task.objects.get(pk=task.pk).behind_schedule
        assert [a for a, _d in _actions(task)][-1] == "on_schedule"


def test_expected_share_counted_by_hand() -> None:
    from luoshi.workdays.calendar import Calendar

    cal = Calendar()
    assert scan.expected_share(cal, _day("2024-02-01"), _day("2024-03-01"), _day("2024-02-19")) == 50
    assert scan.expected_share(cal, _day("2024-02-01"), _day("2024-03-01"), _day("2024-02-12")) == 39  # 7/18
    assert scan.expected_share(cal, _day("2024-02-01"), _day("2024-03-01"), _day("2024-04-01")) == 100
    assert scan.expected_share(cal, _day("2024-02-01"), _day("2024-03-01"), _day("2024-01-15")) == 0  # not yet
    assert scan.expected_share(cal, _day("2024-02-01"), _day("2024-01-31"), _day("2024-01-15")) == 100  # due first
    # assigned on the Sunday worked for the festival (2/4), due the next working day: 1 of 1 gone
    assert scan.expected_share(cal, _day("2024-02-04"), _day("2024-02-05"), _day("2024-02-05")) == 100
    assert scan.expected_share(cal, _day("2024-02-04"), _day("2024-02-05"), _day("2024-02-04")) == 0


def test_a_year_the_calendar_does_not_know_counts_weekends_and_says_so(org, capsys) -> None:
    _assigned(org, "2027-03-05", state=State.ACCEPTED)  # Fri; 3 working days before by weekends: Tue 2
    call_command("scan", "--at", "2027-03-02")
    captured = capsys.readouterr()
    assert captured.out.strip() == "reminders 1, escalations 0, overdue 0, stale 0"
    assert "2027" in captured.err and "weekends" in captured.err


def test_acts_written_in_batches_smaller_than_their_number(org, capsys, monkeypatch) -> None:
    """Five tasks fall overdue on one day, written two at a time: each is acted on once, each
    lead unit's people and the office told once a task, and the journal still proves itself."""
    from luoshi.notify.models import Notification

    monkeypatch.setattr(scan.Acts, "SIZE", 2)
    tasks = [_assigned(org, "2024-02-19", title=f"第{i}项工作", state=State.ACCEPTED) for i in range(5)]
    assert _run("2024-02-20", capsys) == "reminders 0, escalations 5, overdue 5, stale 0"
    assert _run("2024-02-20", capsys) == "reminders 0, escalations 0, overdue 0, stale 0"
    for task in tasks:
        assert [a for a, _d in _actions(task)] == ["overdue", "escalate"]
    told = Notification.objects.filter(task__in=tasks)
    # overdue: the lead unit (its handler and head) and the office; escalation level 1: the head
    assert sorted(told.filter(kind="overdue").values_list("user__username", flat=True)) == sorted(
        ["handler_a", "head_a", "supervisor"] * 5)
    assert sorted(told.filter(kind="escalate").values_list("user__username", flat=True)) == ["head_a"] * 5
    assert audit.verify(files=False).ok


def test_the_people_told_are_read_once_a_run_not_once_a_batch(org, capsys, monkeypatch) -> None:
    """Six tasks (lead unit A, co-unit B) fall overdue, written two at a time: six batches of a
    task's overdue and escalation acts (A's people and the office told, then A's head), three of
    co-unit opinions late (B's people and A's). The users are read twice in those nine batches:
    A's and the office's in the first, B's when the co-units are first told; each choice of
    channel (a person and a kind) once, in two reads: overdue and escalate in the first batch,
    co_overdue in the first of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(scan.Acts, "SIZE", 2)
    for i in range(6):
        _assigned(org, "2024-02-19", title=f"第{i}项工作", state=State.ACCEPTED)
    with CaptureQueriesContext(connection) as ctx:
        assert _run("2024-02-20", capsys) == "reminders 0, escalations 6, overdue 6, stale 0"
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    users = [re.search(r'"org_user"\."id" IN \(([^)]*)\)', q).group(1) for q in reads if 'FROM "org_user"' in q]
    people = {name: getattr(org, name).pk for name in ("supervisor", "handler_a", "head_a", "handler_b", "head_b")}
    assert [{int(pk) for pk in read.split(", ")} for read in users] == [
        {people["supervisor"], people["handler_a"], people["head_a"]}, {people["handler_b"], people["head_b"]}]
    assert len([q for q in reads if 'FROM "notify_preference"' in q]) == 2


def test_a_batch_refused_by_the_database_is_done_again_one_by_one(org, capsys, monkeypatch) -> None:
    """A deadlock (simulated: the database refuses the first batch, the three tasks' overdue and
    escalation acts) loses no act."""
    from django.db import OperationalError

    write, refused = scan.Acts._write, []

    def once_refused(self, acts):
        if len(acts) > 1 and not refused:
            refused.append(len(acts))
            raise OperationalError("deadlock detected")
        return write(self, acts)

    monkeypatch.setattr(scan.Acts, "_write", once_refused)
    tasks = [_assigned(org, "2024-02-19", title=f"第{i}项工作", state=State.ACCEPTED) for i in range(3)]
    assert _run("2024-02-20", capsys) == "reminders 0, escalations 3, overdue 3, stale 0"
    assert refused == [6]
    assert [[a for a, _d in _actions(t)] for t in tasks] == [["overdue", "escalate"]] * 3
    assert audit.verify(files=False).ok


def test_a_batch_marks_its_tasks_in_one_update_per_set_of_values(org, capsys) -> None:
    """Four tasks fall overdue, two due Mon 19 Feb and two due Thu 8 Feb 2024 (4 working days
    late on the 20th: level 1, as the 19th's). Each row gets its own due date as overdue_for,
    written with its escalation level in two UPDATEs (one a due date), not one a task."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    late = [_assigned(org, "2024-02-19", title=f"第{i}项工作", state=State.ACCEPTED) for i in range(2)]
    later = [_assigned(org, "2024-02-08", title=f"第{i}项任务", state=State.ACCEPTED) for i in range(2)]
    with CaptureQueriesContext(connection) as ctx:
        assert _run("2024-02-20", capsys) == "reminders 0, escalations 4, overdue 4, stale 0"
    # the acts' updates (not the days worked out after them, nor a first run's clearing of closed tasks)
    updates = [q["sql"] for q in ctx.captured_queries
               if re.match(r'UPDATE "tasks_task" SET "(overdue_for|escalation_level)"', q["sql"])]
    assert len(updates) == 2
    for task, due in [(t, "2024-02-19") for t in late] + [(t, "2024-02-08") for t in later]:
        task.refresh_from_db()
        assert (task.overdue_for, task.escalation_level) == (_day(due), 1)
    assert audit.verify(files=False).ok


@pytest.mark.parametrize("at,percent,behind,expected", [
    # assigned Mon 4 Mar 2024, due Thu 14 Mar: 8 working days (5–8, 11–14 Mar), no margin
    ("2024-03-05", 12, False, 12),  # 1 of 8 gone: 12.5 rounds to the even 12, and 12 is not behind 12
    ("2024-03-07", 37, True, 38),  # 3 of 8: 37.5 rounds to the even 38
    ("2024-03-08", 49, True, 50),  # 4 of 8
    ("2024-03-15", 99, True, 100),  # past the due date: all of it
])
def test_a_half_point_of_expected_share_rounds_to_even(org, capsys, settings, at, percent, behind, expected) -> None:
    """The share gone by is rounded as Python rounds, a half to the even neighbour: the flag turns at
    the boundary, not one point before or after it."""
    settings.LUOSHI = {**settings.LUOSHI, "BEHIND_MARGIN": 0}
    task = _assigned(org, "2024-03-14", state=State.IN_PROGRESS, assigned="2024-03-04")
    Task.objects.filter(pk=task.pk).update(progress_percent=percent)
    call_command("scan", "--at", at)
    task.refresh_from_db()
    assert task.behind_schedule is behind
    if behind:
        data = next(d for a, d in _actions(task) if a == "behind")
        assert (data["expected"], data["reported"], data["margin"]) == (expected, percent, 0)



def test_the_local_day_of_a_moment_near_midnight(org) -> None:
    # Shanghai is UTC+8: 23:30 on the 19th is 15:30 UTC the 19th; 00:30 on the 20th is 16:30 UTC the 19th
    late, early = make_task(org, title="晚"), make_task(org, title="早")
    Task.objects.filter(pk=late.pk).update(assigned_at=dt.datetime(2024, 2, 19, 23, 30, tzinfo=SHANGHAI))
    Task.objects.filter(pk=early.pk).update(assigned_at=dt.datetime(2024, 2, 20, 0, 30, tzinfo=SHANGHAI))
    days = dict(Task.objects.filter(pk__in=[late.pk, early.pk]).annotate(day=scan.LocalDay("assigned_at"))
                .values_list("pk", "day"))
    assert days == {late.pk: dt.date(2024, 2, 19), early.pk: dt.date(2024, 2, 20)}
    assert all(type(d) is dt.date for d in days.values())
