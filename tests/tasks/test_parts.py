"""Passing a part down (转办): a city that leads a provincial task hands parts to its own counties;
their progress rolls up, and the task waits for them unless the office allows otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import drive

from luoshi.org.models import Membership, Role, Unit, User
from luoshi.tasks import services
from luoshi.tasks.models import State, Task
from luoshi.tasks.roles import task_roles
from luoshi.tasks.workflow import WorkflowError, perform

DUE = timezone.localdate() + dt.timedelta(days=60)


@pytest.fixture
def county(org):
    """离石区, a county under the city (unit B), with its handler."""
    unit = Unit.objects.create(name="吕梁市离石区人民政府", parent=org.unit_b, kind=Unit.Kind.GOVERNMENT)
    handler = User.objects.create_user("lishi", display_name="离石经办人")
    Membership.objects.create(user=handler, unit=unit, role=Role.HANDLER)
    return unit, handler


def _city_task(org) -> Task:
    task = services.create_task(org.supervisor, organisation=org.province, title="抓好高标准农田建设",
                                lead_unit=org.unit_b, due_date=DUE, leader=org.leader)
    task = drive(org, task, State.ASSIGNED)
    task = perform(task, "accept", org.handler_b, version=task.version)
    return perform(task, "start", org.handler_b, version=task.version)


def test_a_part_passed_down_to_a_county(org, county) -> None:
    unit, lishi = county
    task = _city_task(org)
    part = services.hand_down(task, org.handler_b, title="离石区完成5万亩", lead_unit=unit)
    assert (part.parent_id, part.state, part.lead_unit, part.due_date) == (task.pk, State.ASSIGNED, unit, DUE)
    # who holds which role toward the part, written out by hand
    assert {str(r) for r in task_roles(lishi, part)} == {"lead_handler"}
    assert {str(r) for r in task_roles(org.handler_b, part)} == {"delegator"}
    assert {str(r) for r in task_roles(org.head_b, part)} == {"delegator"}
    assert {str(r) for r in task_roles(org.supervisor, part)} == {"supervisor"}
    assert task_roles(org.handler_a, part) == frozenset()
    # the county works; the city, which passed it down, closes it
    part = perform(part, "accept", lishi, version=part.version)
    part = perform(part, "start", lishi, version=part.version)
    part = perform(part, "submit", lishi, version=part.version, reason="已完成")
    with pytest.raises(WorkflowError):
        perform(part, "close", lishi, version=part.version)
    part = perform(part, "close", org.handler_b, version=part.version)
    assert part.state == State.CLOSED


def test_parts_only_to_the_lead_units_own_units(org, county) -> None:
    task = _city_task(org)
    with pytest.raises(WorkflowError, match="under the lead unit"):
        services.hand_down(task, org.handler_b, title="水利部分", lead_unit=org.unit_c)
    with pytest.raises(WorkflowError) as err:
        services.hand_down(task, org.handler_a, title="x", lead_unit=county[0])
    assert err.value.code == "not_found"
    with pytest.raises(WorkflowError, match="on or before"):
        services.hand_down(task, org.handler_b, title="x", lead_unit=county[0], due_date=DUE + dt.timedelta(days=1))


def test_the_task_waits_for_its_parts_or_the_office_allows_it(org, county) -> None:
    unit, _lishi = county
    task = _city_task(org)
    part = services.hand_down(task, org.handler_b, title="离石区完成5万亩", lead_unit=unit)
    task = Task.objects.get(pk=task.pk)
    with pytest.raises(WorkflowError, match=f"#{part.pk}"):
        perform(task, "submit", org.handler_b, version=task.version, reason="已完成")
    with pytest.raises(WorkflowError) as err:
        services.allow_open_subtasks(task, org.handler_b, reason="x")
    assert err.value.code == "forbidden"
    task = services.allow_open_subtasks(task, org.supervisor, reason="离石区部分已纳入明年计划")
    assert perform(task, "submit", org.handler_b, version=task.version, reason="已完成").state == State.SUBMITTED


def test_progress_rolls_up(org, county) -> None:
    unit, lishi = county
    task = _city_task(org)
    first = services.hand_down(task, org.handler_b, title="第一部分", lead_unit=unit)
    second = services.hand_down(task, org.handler_b, title="第二部分", lead_unit=unit)
    for part in (first, second):
        part = perform(part, "accept", lishi, version=part.version)
        perform(part, "start", lishi, version=part.version)
    services.report_progress(first, lishi, text="完成四成", percent=40)
    first = Task.objects.get(pk=first.pk)
    first = perform(first, "submit", lishi, version=first.version, reason="已完成")
    perform(first, "close", org.handler_b, version=first.version)
    services.report_progress(second, lishi, text="完成两成", percent=20)
    # two parts, one closed (counts as 100), one at 20%: half closed, 60% done on average
    assert services.rollup(Task.objects.get(pk=task.pk)) == {"count": 2, "closed": 1, "share_closed": 50,
                                                             "mean_done": 60}
