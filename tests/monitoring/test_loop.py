"""The closed loop a number opens: breach → alert item and assistance task → 风险消除 → 风险复发."""

from __future__ import annotations

import re

import pytest

from luoshi.monitoring.evaluate import evaluate
from luoshi.monitoring.models import Breach
from luoshi.sources.models import Item
from luoshi.tasks.models import Event, State, Task
from luoshi.tasks.roles import SYSTEM_ROLES
from luoshi.tasks.workflow import WorkflowError, available, perform
from tests.factories import drive, make_task
from tests.monitoring.helpers import JULY, JUNE, MAY, below, income, put, subject
from tests.oracle import SYSTEM_ALLOWED

pytestmark = pytest.mark.django_db

SYSTEM_MOVES = {"assign", "risk_cleared", "risk_renewed"}


def test_open_close_reopen_with_the_journal(org) -> None:
    ind = income(org)
    poor = subject(org, "LL-001")
    put(poor, ind, MAY, 4800)
    below(org)

    assert evaluate(org.province, MAY).line() == "breaches 1, opened 1, closed 0, reopened 0"
    breach = Breach.objects.get(subject=poor)
    task = breach.task
    assert (task.kind, task.state, task.lead_unit) == (Task.Kind.ALERT, State.ASSIGNED, org.unit_b)
    item = task.items.get()
    assert item.kind == Item.Kind.ALERT
    assert item.text == "LL-001户（LL-001）：收入低于标准，人均纯收入4,800元，低于6,000元（2026年5月）"
    assert item.source.text[item.span_start:item.span_end] == item.text
    # its title, read in the pickers of meetings, says the minute as an office writes it
    assert re.fullmatch(r"监测规则“收入低于标准”预警（评估时间 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d）", item.source.title)

    # the unit signs for it and works on it; then June's value clears the rule
    perform(task, "accept", org.handler_b, version=task.version)
    put(poor, ind, JUNE, 6500)
    assert evaluate(org.province, JUNE).line() == "breaches 0, opened 0, closed 1, reopened 0"
    task.refresh_from_db()
    assert task.state == State.CLOSED

    # July falls under the line again: the same loop reopens
    put(poor, ind, JULY, 5200)
    assert evaluate(org.province, JULY).line() == "breaches 1, opened 0, closed 0, reopened 1"
    task.refresh_from_db()
    breach.refresh_from_db()
    assert (task.state, breach.times_opened, breach.task_id) == (State.REOPENED, 2, task.pk)
    assert Task.objects.filter(kind=Task.Kind.ALERT).count() == 1

    events = list(Event.objects.filter(task=task).order_by("seq").values_list("action", "actor_id", "to_state"))
    assert events == [("created", None, "draft"), ("assign", None, "assigned"),
                      ("accept", org.handler_b.pk, "accepted"), ("risk_cleared", None, "closed"),
                      ("risk_renewed", None, "reopened")]
    assert "5,200" in Event.objects.get(task=task, action="risk_renewed").data["reason"]


def test_evaluating_again_leaves_the_tasks_alone(org) -> None:
    ind = income(org)
    put(subject(org, "LL-002"), ind, MAY, 100)
    below(org)
    evaluate(org.province, MAY)
    events = Event.objects.count()
    assert evaluate(org.province, MAY).line() == "breaches 1, opened 0, closed 0, reopened 0"
    assert Event.objects.count() == events
    assert Breach.objects.exclude(pending="").count() == 0


def test_a_run_stopped_before_the_tasks_is_finished_by_the_next(org) -> None:
    ind = income(org)
    put(subject(org, "LL-003"), ind, MAY, 100)
    below(org)
    evaluate(org.province, MAY, tasks=False)  # the set-based part only, as if stopped there
    assert Breach.objects.get().pending == "open"
    assert evaluate(org.province, MAY).line() == "breaches 1, opened 0, closed 0, reopened 0"
    assert Breach.objects.get().task.state == State.ASSIGNED


@pytest.mark.parametrize("state", list(SYSTEM_ALLOWED))
def test_the_system_may_do_exactly_what_the_table_says(org, state) -> None:
    ind = income(org)
    put(subject(org, "LL-004"), ind, MAY, 100)
    below(org)
    evaluate(org.province, MAY)
    alert = Breach.objects.get().task
    if state == "draft":
        alert = perform(alert, "withdraw", org.supervisor, version=alert.version, reason="重新核实")
    else:
        alert = _drive_alert(org, alert, state)
    assert alert.state == state
    assert {t.action for t in available(alert, SYSTEM_ROLES)} == SYSTEM_ALLOWED[state]
    for action in sorted(SYSTEM_MOVES - SYSTEM_ALLOWED[state]):
        with pytest.raises(WorkflowError):
            perform(alert, action, None, version=alert.version, system=True)
    action = sorted(SYSTEM_ALLOWED[state])[0]
    perform(alert, action, None, version=alert.version, system=True)
    last = Event.objects.filter(task=alert).order_by("-seq").first()
    assert (last.action, last.actor_id, last.from_state) == (action, None, state)


def _drive_alert(org, task: Task, state: str) -> Task:
    """An alert's task driven from assigned to ``state`` by the people who would move it."""
    if state == "assigned":
        return task
    if state == "reassignment_requested":
        return perform(task, "request_reassignment", org.handler_b, version=task.version, reason="不属本单位",
                       unit=org.unit_c)
    if state == "closed":
        return perform(task, "risk_cleared", None, version=task.version, system=True)
    if state == "reopened":
        task = perform(task, "risk_cleared", None, version=task.version, system=True)
        return perform(task, "risk_renewed", None, version=task.version, system=True)
    task = perform(task, "accept", org.handler_b, version=task.version)
    if state == "accepted":
        return task
    task = perform(task, "start", org.handler_b, version=task.version)
    steps = {"in_progress": [], "extension_requested": [("request_extension", org.handler_b)],
             "unit_review": None, "submitted": [("submit", org.handler_b)],
             "returned": [("submit", org.handler_b), ("return", org.supervisor)]}
    if state == "unit_review":
        org.province.requires_head_approval = True
        org.province.save()
        task = Task.objects.get(pk=task.pk)
        steps[state] = [("submit", org.handler_b)]
    import datetime as dt
    for action, who in steps[state]:
        task = perform(task, action, who, version=task.version, reason="已处理",
                       due_date=(task.due_date or dt.date.today()) + dt.timedelta(days=30))
    return task


@pytest.mark.parametrize("state", ["draft", "assigned", "closed"])
def test_the_system_does_nothing_to_a_task_of_another_kind(org, state) -> None:
    task = drive(org, make_task(org), state)
    for action in sorted(SYSTEM_MOVES):
        with pytest.raises(WorkflowError):
            perform(task, action, None, version=task.version, system=True)


def test_no_user_moves_as_the_system(org) -> None:
    task = drive(org, make_task(org), "assigned")
    with pytest.raises(WorkflowError):
        perform(task, "risk_cleared", org.supervisor, version=task.version, system=True)
    with pytest.raises(WorkflowError):
        perform(task, "risk_cleared", org.supervisor, version=task.version)


@pytest.mark.parametrize("language", ["en", None])  # an English reader's request; the worker (no language)
def test_what_the_loop_writes_is_in_the_office_language_whoever_runs_it(org, language) -> None:
    from django.utils import translation

    ind = income(org)
    poor = subject(org, "LL-004")
    put(poor, ind, MAY, 4800)
    below(org)
    with translation.override(language):
        evaluate(org.province, MAY)
    task = Breach.objects.get(subject=poor).task
    assert task.title == "帮扶：LL-004户——收入低于标准"
    assert task.items.get().text == "LL-004户（LL-004）：收入低于标准，人均纯收入4,800元，低于6,000元（2026年5月）"
    assert task.items.get().source.title.startswith("监测规则“收入低于标准”预警")
    put(poor, ind, JUNE, 6500)
    with translation.override(language):
        evaluate(org.province, JUNE)
    assert Event.objects.get(task=task, action="risk_cleared").data["reason"] == "新报数据已不触发规则（2026年6月），风险消除。"
