"""The dashboard's figures against the hand-counted table of tests/dashboard/conftest.py, and
against the ledgers' own figures for the same tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.dashboard.conftest import TODAY

from luoshi.dashboard import queries
from luoshi.ledgers.filters import Filters
from luoshi.ledgers.periods import period_bounds
from luoshi.ledgers.queries import responsibility_rows
from luoshi.sources.models import Source
from luoshi.tasks.models import Task


def _scope(user, leader=None):
    return queries.scoped_tasks(user, Filters(leader=leader))


# (state, light) -> tasks, counted by hand from the table
SUPERVISOR_CELLS = {
    ("closed", "none"): 2,  # T1 T2
    ("in_progress", "red"): 1,  # T3
    ("in_progress", "yellow"): 1,  # T7
    ("assigned", "green"): 1,  # T4
    ("draft", "none"): 1,  # T5
    ("accepted", "yellow"): 1,  # T6, due today
    ("accepted", "red"): 1,  # T8
}
# the leader sees what they issued, drafts excepted (T5 is the office's own), not T7 (another leader's)
LEADER_CELLS = {
    ("closed", "none"): 2,
    ("in_progress", "red"): 1,
    ("assigned", "green"): 1,
    ("accepted", "yellow"): 1,
    ("accepted", "red"): 1,
}


def test_by_state_and_light_counted_by_hand(org, tasks) -> None:
    o = queries.overview(_scope(org.supervisor), TODAY)
    assert o.cells == SUPERVISOR_CELLS
    assert (o.total, o.open, o.closed, o.closed_on_time) == (8, 5, 2, 1)
    assert [o.light_count(li) for li in ("red", "yellow", "green", "none")] == [2, 2, 1, 3]
    assert o.on_time_rate == 50
    assert (o.signed, o.signed_on_time) == (6, 5)
    assert o.states() == ["draft", "assigned", "accepted", "in_progress", "closed"]  # the loop's order


def test_a_leader_counts_only_the_tasks_they_issued(org, tasks, people) -> None:
    o = queries.overview(_scope(org.leader, org.leader), TODAY)
    assert o.cells == LEADER_CELLS
    assert (o.signed, o.signed_on_time) == (5, 4)  # not T7
    other = queries.overview(_scope(people["other_leader"], people["other_leader"]), TODAY)
    assert other.cells == {("in_progress", "yellow"): 1}  # T7
    # the supervision office narrowed to that leader also counts the draft it holds for him (T5)
    office = queries.overview(_scope(org.supervisor, org.leader), TODAY)
    assert office.cells == {**LEADER_CELLS, ("draft", "none"): 1}


def test_by_lead_unit_top_and_the_rest(org, tasks) -> None:
    b = queries.by_lead_unit(_scope(org.supervisor), TODAY, top=2)
    # B: T4 green, T7 yellow, T8 red; A: T3 red, T1 T2 closed (one on time); C: T6 yellow (T5 a draft)
    figures = [(u.unit.name, u.open, u.red, u.yellow, u.green, u.closed, u.closed_on_time) for u in b.top]
    assert figures == [("吕梁市人民政府", 3, 1, 1, 1, 0, 0), ("省农业农村厅", 1, 1, 0, 0, 2, 1)]
    assert (b.rest.units, b.rest.open, b.rest.red, b.rest.yellow, b.rest.green, b.rest.closed) == (1, 1, 0, 1, 0, 0)
    assert (b.total.units, b.total.open, b.total.red, b.total.yellow, b.total.green, b.total.closed,
            b.total.closed_on_time) == (3, 5, 2, 2, 1, 2, 1)
    every = queries.by_lead_unit(_scope(org.supervisor), TODAY, top=10)
    assert every.rest is None and [u.unit.name for u in every.top] == ["吕梁市人民政府", "省农业农村厅", "省水利厅"]


def test_by_lead_unit_equals_the_responsibility_ledger(org, tasks) -> None:
    for user, leader in ((org.supervisor, None), (org.supervisor, org.leader), (org.leader, org.leader),
                         (org.handler_b, None)):
        f = Filters(leader=leader)
        ours = {u.unit.pk: (u.open, u.closed, u.closed_on_time, u.red)
                for u in queries.by_lead_unit(queries.scoped_tasks(user, f), TODAY, top=50).top}
        ledger = {r.unit.pk: (r.open, r.closed, r.closed_on_time, r.overdue)
                  for r in responsibility_rows(user, f, today=TODAY) if r.led}
        assert ours == ledger, (user, leader)


def test_on_time_by_week_and_its_boundary(org, tasks) -> None:
    weeks = queries.on_time_by_week(_scope(org.supervisor), TODAY, weeks=3)
    monday, sunday = period_bounds("week", TODAY)
    assert [(w.start, w.end) for w in weeks] == [
        (monday - dt.timedelta(weeks=2), sunday - dt.timedelta(weeks=2)),
        (monday - dt.timedelta(weeks=1), sunday - dt.timedelta(weeks=1)),
        (monday, sunday)]
    assert all(w.start.weekday() == 0 and w.end.weekday() == 6 for w in weeks)
    # T2 closed at 23:59:30 on Sunday (late), T1 at 00:00:30 on Monday (on time): one each side
    assert [(w.closed, w.closed_on_time) for w in weeks] == [(0, 0), (1, 0), (1, 1)]
    assert [w.on_time_rate for w in weeks] == [None, 0, 100]


def test_the_longest_overdue_first(org, tasks) -> None:
    rows = queries.longest_overdue(_scope(org.supervisor), TODAY)
    assert [(r.title, r.days, r.lead_unit) for r in rows] == [("T8 逾期十天", 10, "吕梁市人民政府"),
                                                              ("T3 防返贫监测", 3, "省农业农村厅")]
    # due today is not overdue (T6), a closed late task no longer is (T2)
    assert queries.longest_overdue(_scope(org.supervisor), TODAY, limit=1)[0].title == "T8 逾期十天"


def test_a_meeting_shows_its_directives_in_the_report_order(org, tasks) -> None:
    source = Source.objects.get(name="meeting.txt")
    m = queries.meeting(_scope(org.supervisor), source, TODAY)
    assert [(d.ordinal, d.title, d.state, d.light, d.progress, d.done) for d in m.directives] == [
        (1, "T4 专业镇建设", "assigned", "green", None, 0),
        (2, "T3 防返贫监测", "in_progress", "red", 40, 40),
    ]
    assert m.others == 1  # T8, a suggestion
    assert list(queries.meeting_sources(org.supervisor, _scope(org.supervisor))) == [source]
    # a unit's handler counts only what their unit leads or co-handles (B: T4, not T3)
    assert [d.title for d in queries.meeting(_scope(org.handler_b), source, TODAY).directives] == ["T4 专业镇建设"]


def test_nothing_for_another_organisation(org, tasks) -> None:
    o = queries.overview(_scope(org.other_supervisor), TODAY)
    assert o.cells == {} and o.total == 0
    assert queries.by_lead_unit(_scope(org.other_supervisor), TODAY).top == []
    assert queries.longest_overdue(_scope(org.other_supervisor), TODAY) == []


@pytest.mark.parametrize("extra", [0, 40])
def test_a_constant_number_of_queries(org, tasks, extra) -> None:
    """However many tasks and units: the same queries (counted once per page build)."""
    from luoshi.org.models import Unit

    if extra:
        units = [Unit.objects.create(name=f"省第{i}厅", parent=org.province) for i in range(extra // 4)]
        Task.objects.bulk_create(Task(organisation=org.province, title=f"批量{i}", lead_unit=units[i % len(units)],
                                      state="in_progress", due_date=TODAY, leader=org.leader) for i in range(extra))
    source = Source.objects.get(name="meeting.txt")
    scope = _scope(org.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        queries.figures(scope, TODAY, top=10)
        queries.on_time_by_week(scope, TODAY)
        queries.longest_overdue(scope, TODAY)
        queries.meeting(scope, source, TODAY)
    # states and units 2 (one grouped pass, the top units' names), weeks 1, overdue 1, meeting 2; plus
    # the reader's memberships
    assert len(ctx.captured_queries) <= 7, [q["sql"][:80] for q in ctx.captured_queries]


def test_figures_from_one_pass_equal_each_table_alone(org, tasks) -> None:
    scope = _scope(org.supervisor)
    overview, units = queries.figures(scope, TODAY, top=2)
    assert overview == queries.overview(scope, TODAY)
    assert units == queries.by_lead_unit(scope, TODAY, top=2)
