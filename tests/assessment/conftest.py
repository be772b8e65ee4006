"""The assessment's fixtures: a frozen clock, and February 2024 counted by hand.

The 2024 calendar around the Spring Festival: Sun 4 Feb worked; Sat 10 – Sat 17 Feb off; Sun 18
Feb worked. February 2024 has 18 working days: Thu 1, Fri 2, Sun 4, Mon 5 – Fri 9 (7 so far),
Sun 18, Mon 19 – Fri 23 (13), Mon 26 – Thu 29 (18). The organisation gives 2 working days to
sign for a task: assigned Thu 1 Feb, it is due signed by Sun 4 Feb (Fri 2, Sun 4).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from tests.web.conftest import _media, as_user  # noqa: F401 - fixtures

from luoshi.org.models import Membership, Role, Unit, User
from luoshi.tasks import services, workflow
from luoshi.tasks.models import Task

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
FEBRUARY = (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
AFTER = dt.date(2024, 3, 5)  # "today" once February is over


class Clock:
    """timezone.now() (and so localdate(), the journal's times, auto_now) at a time a test sets."""

    def __init__(self) -> None:
        self.now = dt.datetime(2024, 1, 2, 9, tzinfo=SH)

    def at(self, day: str, hour: int = 9, minute: int = 0) -> None:
        self.now = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=SH)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def handler(name: str, unit: Unit) -> User:
    user = User.objects.create_user(name, password="x", display_name=name)
    Membership.objects.create(user=user, unit=unit, role=Role.HANDLER)
    return user


class Steps:
    """Moves a task along as the right people, each step at its own (frozen) time."""

    def __init__(self, org, clock: Clock) -> None:
        self.org, self.clock = org, clock

    def new(self, title: str, lead: Unit, due: str, co=(), proposers=(), organisation=None, by=None) -> Task:
        return services.create_task(by or self.org.supervisor, organisation=organisation or self.org.province,
                                    title=title, lead_unit=lead, co_units=list(co), proposers=list(proposers),
                                    due_date=dt.date.fromisoformat(due))

    def do(self, task: Task, day: str, action: str, actor, hour: int = 9, minute: int = 0, **inputs) -> Task:
        self.clock.at(day, hour, minute)
        task = Task.objects.get(pk=task.pk)
        if action == "urge":
            return services.urge(task, actor, reason="请加快进度")
        if action == "opinion":
            services.give_opinion(task, actor, text="同意牵头单位的办理意见。")
            return Task.objects.get(pk=task.pk)
        return workflow.perform(task, action, actor, version=task.version, **inputs)


@pytest.fixture
def february(org, clock):
    """The hand-counted fixture (see tests/assessment/test_figures.py for the figures).

    A 省农业农村厅 (handler_a), B 吕梁市人民政府 (handler_b), C 省水利厅 (handler_c).
    """
    s = Steps(org, clock)
    sup, ha, hb, dep = org.supervisor, org.handler_a, org.handler_b, org.deputy
    hc = handler("handler_c", org.unit_c)
    a, b, c = org.unit_a, org.unit_b, org.unit_c
    done = {"reason": "已完成"}

    # A1: signed Fri 2 Feb (on time), closed on its due date Fri 9 Feb (on time); B's opinion Mon 5 (on time,
    # due Fri 9: the task's due date comes before 20 working days); rated satisfied Tue 20 Feb
    t = s.new("A1", a, "2024-02-09", co=[b], proposers=[dep])
    s.do(t, "2024-02-01", "assign", sup)
    s.do(t, "2024-02-02", "accept", ha)
    s.do(t, "2024-02-02", "start", ha, 10)
    s.do(t, "2024-02-05", "opinion", hb)
    s.do(t, "2024-02-08", "submit", ha, **done)
    s.do(t, "2024-02-09", "close", sup, 17)
    s.do(t, "2024-02-20", "rate", dep, satisfaction="satisfied")

    # A2: signed Tue 6 Feb (late: due by Sun 4), submitted without B's opinion and returned Thu 8,
    # closed Mon 19 Feb (due Fri 9: late by Sun 18 and Mon 19, 2 working days across the holiday);
    # B's opinion Mon 19 (late); rated basically satisfied Wed 21 Feb
    t = s.new("A2", a, "2024-02-09", co=[b], proposers=[dep])
    s.do(t, "2024-02-01", "assign", sup)
    s.do(t, "2024-02-06", "accept", ha)
    s.do(t, "2024-02-06", "start", ha, 10)
    s.do(t, "2024-02-07", "submit", ha, went_ahead="时间紧", **done)
    s.do(t, "2024-02-08", "return", sup, reason="材料不全")
    s.do(t, "2024-02-08", "resume", ha, 10)
    s.do(t, "2024-02-19", "opinion", hb)
    s.do(t, "2024-02-19", "submit", ha, 10, **done)
    s.do(t, "2024-02-19", "close", sup, 11)
    s.do(t, "2024-02-21", "rate", dep, satisfaction="basically")

    # A3: signed in January, due Wed 31 Jan, still open: late every working day of February (18);
    # urged Tue 20 and Wed 21 Feb
    t = s.new("A3", a, "2024-01-31")
    s.do(t, "2024-01-15", "assign", sup)
    s.do(t, "2024-01-16", "accept", ha)
    s.do(t, "2024-01-16", "start", ha, 10)
    s.do(t, "2024-02-20", "urge", sup)
    s.do(t, "2024-02-21", "urge", sup)

    # A4: signed Fri 2 Feb (on time), due Tue 20 Feb, extended to 20 March on Tue 20 Feb: never late
    t = s.new("A4", a, "2024-02-20")
    s.do(t, "2024-02-01", "assign", sup)
    s.do(t, "2024-02-02", "accept", ha)
    s.do(t, "2024-02-02", "start", ha, 10)
    s.do(t, "2024-02-19", "request_extension", ha, reason="汛期施工", due_date=dt.date(2024, 3, 20))
    s.do(t, "2024-02-20", "approve_extension", sup)

    # B1: signed Sun 4 Feb (a Sunday worked: the last day, on time), closed at 23:30 on its due date,
    # Thu 29 Feb (on time; 15:30 UTC, the same day)
    t = s.new("B1", b, "2024-02-29")
    s.do(t, "2024-02-01", "assign", sup)
    s.do(t, "2024-02-04", "accept", hb)
    s.do(t, "2024-02-04", "start", hb, 10)
    s.do(t, "2024-02-28", "submit", hb, **done)
    s.do(t, "2024-02-29", "close", sup, 23, 30)

    # C1: a draft long past its date: not handed out, so counted nowhere
    s.new("C1", c, "2024-01-01")
    # C2: signed Thu 1 Feb, due Fri 9 Feb, closed Sat 10 Feb: late (the day after), but by no working day
    t = s.new("C2", c, "2024-02-09")
    s.do(t, "2024-02-01", "assign", sup)
    s.do(t, "2024-02-01", "accept", hc, 10)
    s.do(t, "2024-02-01", "start", hc, 11)
    s.do(t, "2024-02-08", "submit", hc, **done)
    s.do(t, "2024-02-10", "close", sup)

    # another organisation's task, closed late in February: never in the province's figures
    d = Unit.objects.create(name="大同市农业农村局", parent=org.other_org)
    hd = handler("handler_d", d)
    t = s.new("D1", d, "2024-02-01", organisation=org.other_org, by=org.other_supervisor)
    s.do(t, "2024-02-01", "assign", org.other_supervisor)
    s.do(t, "2024-02-01", "accept", hd, 10)
    s.do(t, "2024-02-01", "start", hd, 11)
    s.do(t, "2024-02-05", "submit", hd, **done)
    s.do(t, "2024-02-20", "close", org.other_supervisor)

    clock.at(AFTER.isoformat())
    return org
