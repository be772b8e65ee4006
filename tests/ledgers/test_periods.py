"""A period's activity per unit, against a fixture counted by hand.

Tasks move through the real workflow; only the times of their events are then moved into or
out of June 2025 with a raw update (which breaks the journal's hash: these tests do not verify
it). Several events sit on the edges of the local day, where a count by UTC days would differ.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from luoshi import access
from luoshi.ledgers.periods import period_bounds, total, unit_activity
from luoshi.org.models import Membership, Role, Unit, User
from luoshi.tasks import services, workflow
from luoshi.tasks.models import Event, State, Task

SH = ZoneInfo("Asia/Shanghai")
JUNE = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
LATER = dt.date.today() + dt.timedelta(days=60)


def local(month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=SH)


def handler(name: str, unit: Unit) -> User:
    user = User.objects.create_user(name, password="x", display_name=name)
    Membership.objects.create(user=user, unit=unit, role=Role.HANDLER)
    return user


def new(org, title: str, lead: Unit, due: dt.date, organisation=None, by=None) -> Task:
    return services.create_task(by or org.supervisor, organisation=organisation or org.province, title=title,
                                lead_unit=lead, due_date=due)


def run(task: Task, *steps) -> Task:
    for action, actor, inputs in steps:
        task = workflow.perform(task, action, actor, version=task.version, **inputs)
    return task


def working(task: Task, sup: User, hand: User) -> Task:
    return run(task, ("assign", sup, {}), ("accept", hand, {}), ("start", hand, {}))


def submit(hand: User):
    return ("submit", hand, {"reason": "已完成"})


def move(task: Task, action: str, when: dt.datetime, nth: int = 0) -> None:
    """Put the task's ``nth`` event of ``action`` (in order) at ``when``."""
    pk = Event.objects.filter(task=task, action=action).order_by("seq").values_list("pk", flat=True)[nth]
    Event.objects.filter(pk=pk).update(at=when)


def urge(task: Task, sup: User, when: dt.datetime) -> Task:
    task = services.urge(task, sup, reason="请加快进度")
    move(task, "urge", when, nth=task.urge_count - 1)
    return task


@pytest.fixture
def june(org):
    """The hand-counted fixture. Units: A 省农业农村厅, B 吕梁市人民政府, C 省水利厅."""
    sup, ha, hb = org.supervisor, org.handler_a, org.handler_b
    hc = handler("handler_c", org.unit_c)
    a, b, c = org.unit_a, org.unit_b, org.unit_c

    # A1: closed on time, in June
    a1 = run(working(new(org, "A1", a, LATER), sup, ha), submit(ha), ("close", sup, {}))
    move(a1, "close", local(6, 10))
    # A2: closed late (its due date had passed), at 23:30 on the last day of June
    a2 = run(working(new(org, "A2", a, dt.date(2025, 6, 20)), sup, ha), submit(ha), ("close", sup, {}))
    move(a2, "close", local(6, 30, 23, 30))
    # A3: returned at 00:30 on 1 June (in; 31 May by UTC), closed at 00:00 on 1 July (out; 30 June by UTC)
    a3 = run(working(new(org, "A3", a, LATER), sup, ha), submit(ha), ("return", sup, {"reason": "材料不全"}),
             ("resume", ha, {}), submit(ha), ("close", sup, {}))
    move(a3, "return", local(6, 1, 0, 30))
    move(a3, "close", local(7, 1, 0, 0))
    # A4: due on the last day of June, still open: overdue at the period's end; urged twice in June, once after
    a4 = working(new(org, "A4", a, dt.date(2025, 6, 30)), sup, ha)
    for when in (local(6, 5), local(6, 25), local(7, 2)):
        a4 = urge(a4, sup, when)
    # A5: due the day after June: not overdue at its end; urged at 23:59 on 31 May (out; in by UTC? no: 15:59)
    a5 = working(new(org, "A5", a, dt.date(2025, 7, 1)), sup, ha)
    urge(a5, sup, local(5, 31, 23, 59))
    # X: urged in June while A led it, then handed to C: the urging counts for C, which leads it now
    x = run(new(org, "X", a, LATER), ("assign", sup, {}))
    x = urge(x, sup, local(6, 15))
    run(x, ("request_reassignment", ha, {"reason": "不属本单位职责", "unit": c}),
        ("approve_reassignment", sup, {"unit": c}))

    # B1: returned in June and not resumed: a returned task is open, and past its due date
    b1 = run(working(new(org, "B1", b, dt.date(2025, 6, 15)), sup, hb), submit(hb),
             ("return", sup, {"reason": "材料不全"}))
    move(b1, "return", local(6, 20))
    urge(b1, sup, local(6, 21))
    # B2: a draft long past its date: not handed out, so not overdue
    new(org, "B2", b, dt.date(2025, 1, 1))

    # C1: closed in June after its due date, then reopened: counted closed (in June) and overdue (now open)
    c1 = run(working(new(org, "C1", c, dt.date(2025, 6, 1)), sup, hc), submit(hc), ("close", sup, {}))
    move(c1, "close", local(6, 2))
    run(c1, ("reopen", sup, {"reason": "问题反弹"}))

    # another organisation's task, closed in June: never in the province's figures
    d = Unit.objects.create(name="大同市农业农村局", parent=org.other_org)
    hd = handler("handler_d", d)
    d1 = run(working(new(org, "D1", d, LATER, organisation=org.other_org, by=org.other_supervisor),
                     org.other_supervisor, hd), submit(hd), ("close", org.other_supervisor, {}))
    move(d1, "close", local(6, 10))
    return org


# counted by hand from the fixture: (closed, closed on time, overdue, returned, urged)
EXPECTED = {
    "省农业农村厅": (2, 1, 1, 1, 2),
    "吕梁市人民政府": (0, 0, 1, 1, 1),
    "省水利厅": (1, 0, 1, 0, 1),
}


def figures(rows) -> dict[str, tuple[int, ...]]:
    return {r.unit.name: (r.closed, r.closed_on_time, r.overdue, r.returned, r.urged) for r in rows}


@pytest.mark.django_db
def test_a_supervisor_sees_every_unit_of_the_organisation(june) -> None:
    tasks = access.visible_tasks(june.supervisor).filter(organisation=june.province)
    rows = unit_activity(tasks, *JUNE)
    assert figures(rows) == EXPECTED
    assert [r.unit.name for r in rows] == sorted(EXPECTED)  # in the units' name order
    assert rows[1].on_time_rate == 50.0 and rows[0].on_time_rate is None and rows[2].on_time_rate == 0.0
    assert (total(rows).closed, total(rows).urged) == (3, 4)


@pytest.mark.django_db
def test_a_unit_handler_counts_only_what_they_see(june) -> None:
    rows = unit_activity(access.visible_tasks(june.handler_b), *JUNE)
    assert figures(rows) == {"吕梁市人民政府": (0, 0, 1, 1, 1)}


@pytest.mark.django_db
def test_another_period_counts_other_events(june) -> None:
    # July 2025: A3's close (1 July 00:00) and A4's third urging; every open task past its due date by 31 July
    rows = unit_activity(access.visible_tasks(june.supervisor), dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    assert figures(rows) == {
        "省农业农村厅": (1, 1, 2, 0, 1),  # A3 closed on time; A4 and A5 overdue
        "吕梁市人民政府": (0, 0, 1, 0, 0),
        "省水利厅": (0, 0, 1, 0, 0),
    }
    # May 2025: only A5's urging at 23:59 on 31 May, and nothing was due by then
    may = unit_activity(access.visible_tasks(june.supervisor), dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert figures(may) == {"省农业农村厅": (0, 0, 0, 0, 1)}


@pytest.mark.django_db
def test_a_fixed_number_of_queries_whatever_the_units(june, django_assert_num_queries) -> None:
    tasks = access.visible_tasks(june.supervisor)
    with django_assert_num_queries(3):
        assert len(unit_activity(tasks, *JUNE)) == 3
    for n in range(10):  # ten more units, each with an overdue task
        unit = Unit.objects.create(name=f"测试单位{n}", parent=june.province)
        task = run(new(june, f"T{n}", unit, dt.date(2025, 6, 1)), ("assign", june.supervisor, {}))
        assert task.state == State.ASSIGNED
    with django_assert_num_queries(3):
        assert len(unit_activity(access.visible_tasks(june.supervisor), *JUNE)) == 13


@pytest.mark.django_db
def test_nothing_to_count() -> None:
    assert unit_activity(Task.objects.none(), *JUNE) == []
    with pytest.raises(ValueError):
        unit_activity(Task.objects.none(), dt.date(2025, 6, 2), dt.date(2025, 6, 1))


@pytest.mark.parametrize(("kind", "day", "bounds"), [
    ("week", dt.date(2026, 11, 30), (dt.date(2026, 11, 30), dt.date(2026, 12, 6))),  # a Monday
    ("week", dt.date(2026, 12, 6), (dt.date(2026, 11, 30), dt.date(2026, 12, 6))),  # its Sunday
    ("week", dt.date(2026, 1, 1), (dt.date(2025, 12, 29), dt.date(2026, 1, 4))),  # across the year
    ("month", dt.date(2024, 2, 10), (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),  # a leap February
    ("month", dt.date(2026, 12, 31), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
    ("quarter", dt.date(2026, 11, 30), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
    ("quarter", dt.date(2026, 3, 31), (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
    ("quarter", dt.date(2026, 4, 1), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
    ("year", dt.date(2026, 7, 4), (dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
])
def test_period_bounds(kind, day, bounds) -> None:
    assert period_bounds(kind, day) == bounds


def test_an_unknown_period_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        period_bounds("fortnight", dt.date(2026, 1, 1))
