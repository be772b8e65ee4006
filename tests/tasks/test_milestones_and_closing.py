"""Milestones (节点) done on time or late, and what closing records: on time, evaluation, target met."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import drive, make_task

from luoshi.tasks import services
from luoshi.tasks.models import State
from luoshi.tasks.workflow import WorkflowError, perform


def test_a_milestone_planned_and_done_on_time_or_late(org) -> None:
    today = timezone.localdate()
    task = drive(org, make_task(org, due=today + dt.timedelta(days=60)), State.IN_PROGRESS)
    ahead = services.add_milestone(task, org.supervisor, title="完成选址", due_date=today + dt.timedelta(days=10))
    past = services.add_milestone(task, org.handler_a, title="完成立项", due_date=today - dt.timedelta(days=1))
    assert services.complete_milestone(ahead, org.handler_a).done_on_time is True
    assert services.complete_milestone(past, org.head_a).done_on_time is False
    with pytest.raises(WorkflowError) as err:
        services.complete_milestone(ahead, org.handler_a)
    assert err.value.code == "state"
    actions = list(task.events.filter(action__startswith="milestone").values_list("action", flat=True))
    assert actions == ["milestone_added", "milestone_added", "milestone_done", "milestone_done"]


def test_who_plans_and_completes_milestones(org) -> None:
    today = timezone.localdate()
    task = drive(org, make_task(org, due=today + dt.timedelta(days=60)), State.IN_PROGRESS)
    for who, code in (("handler_b", "forbidden"), ("leader", "forbidden"), ("outsider", "not_found")):
        with pytest.raises(WorkflowError) as err:
            services.add_milestone(task, getattr(org, who), title="x", due_date=today)
        assert err.value.code == code
    with pytest.raises(WorkflowError, match="due date"):
        services.add_milestone(task, org.supervisor, title="x", due_date=today + dt.timedelta(days=61))
    m = services.add_milestone(task, org.supervisor, title="阶段验收", due_date=today)
    with pytest.raises(WorkflowError) as err:
        services.complete_milestone(m, org.supervisor)  # the unit does the work
    assert err.value.code == "forbidden"


@pytest.mark.parametrize("days,on_time", [(0, True), (-1, False), (5, True)])
def test_closing_records_whether_it_was_on_time(org, days, on_time) -> None:
    due = timezone.localdate() + dt.timedelta(days=days)
    task = drive(org, make_task(org, due=due), State.SUBMITTED)
    closed = perform(task, "close", org.supervisor, version=task.version, evaluation="good", target_met=True)
    assert (closed.closed_on_time, closed.evaluation, closed.target_met) == (on_time, "good", True)
    # a later change of the due date does not rewrite the figure
    type(closed).objects.filter(pk=closed.pk).update(due_date=due + dt.timedelta(days=30))
    closed.refresh_from_db()
    assert closed.closed_on_time is on_time


def test_signing_records_whether_it_was_on_time(org) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    signed = perform(task, "accept", org.handler_a, version=task.version)
    assert signed.signed_on_time is True
    late = drive(org, make_task(org, title="迟签收"), State.ASSIGNED)
    type(late).objects.filter(pk=late.pk).update(assigned_at=timezone.now() - dt.timedelta(days=30))
    late.refresh_from_db()
    assert perform(late, "accept", org.handler_a, version=late.version).signed_on_time is False


def test_an_unknown_evaluation_is_refused(org) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    with pytest.raises(WorkflowError) as err:
        perform(task, "close", org.supervisor, version=task.version, evaluation="splendid")
    assert err.value.code == "invalid"
