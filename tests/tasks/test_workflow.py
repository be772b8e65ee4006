"""The role × state matrix against the hand-written table of tests/oracle.py, and the moves' effects."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import oracle
from tests.factories import drive, make_task, resolve

from luoshi import access
from luoshi.tasks import services
from luoshi.tasks.models import Event, State, Task
from luoshi.tasks.workflow import WorkflowError, perform

# what each move needs, to try it with valid inputs (so that only the role or state refuses it)
INPUTS = {
    "withdraw": {"reason": "交办单位有误"},
    "request_reassignment": {"reason": "不属本单位职责", "unit": "unit_c"},
    "approve_reassignment": {"unit": "unit_c"},
    "reject_reassignment": {"reason": "职责明确"},
    "request_extension": {"reason": "汛期施工受阻", "due_date": "+30"},
    "reject_extension": {"reason": "不符合延期条件"},
    "submit": {"reason": "已完成", "went_ahead": "协办单位意见已电话沟通"},
    "send_back": {"reason": "材料不全"},
    "return": {"reason": "材料不全"},
    "rate": {"satisfaction": "satisfied"},
    "rate_unsatisfied": {"reason": "问题没有解决"},
    "reopen": {"reason": "问题反弹"},
}
STATES = list(oracle.ALLOWED)
CASES = [(state, name) for state in STATES for name in [*oracle.USER_OF_ROLE.values(), *oracle.NOBODY]]


@pytest.mark.parametrize("state", STATES)
def test_each_role_may_do_exactly_what_the_table_says(org, state) -> None:
    task = drive(org, make_task(org), state)
    for name, user, role in oracle.users(org):
        allowed = set(access.allowed_actions(user, task))
        assert allowed == oracle.expected(state, role), (state, name)
        assert bool(access.task_roles(user, task)) is oracle.sees(state, role), (state, name)


@pytest.mark.parametrize("case", CASES, ids=[f"{s}:{n}" for s, n in CASES])
def test_every_move_is_taken_or_refused_as_the_table_says(org, case) -> None:
    state, name = case
    role = next((r for r, u in oracle.USER_OF_ROLE.items() if u == name), None)
    actor = getattr(org, name)
    allowed = oracle.expected(state, role) & oracle.MOVES
    # refusals change nothing, so one task takes them all
    task = drive(org, make_task(org), state)
    events = Event.objects.filter(task=task).count()
    for action in sorted(oracle.MOVES - allowed):
        with pytest.raises(WorkflowError) as err:
            perform(task, action, actor, version=task.version, **resolve(org, task, INPUTS.get(action, {})))
        if not oracle.sees(state, role):
            assert err.value.code == "not_found", (state, name, action)  # learns nothing about it
        else:
            assert err.value.code in ("forbidden", "state"), (state, name, action)
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.state, fresh.version) == (task.state, task.version)
    assert Event.objects.filter(task=task).count() == events
    for action in sorted(allowed):
        task = drive(org, make_task(org, title=f"{state} {action}"), state)
        after = perform(task, action, actor, version=task.version, **resolve(org, task, INPUTS.get(action, {})))
        assert after.version == task.version + 1
        last = Event.objects.filter(task=task).order_by("-seq").first()
        assert (last.action, last.from_state, last.actor_id) == (action, state, actor.pk)


@pytest.mark.parametrize("head_approval,role", list(oracle.SUBMIT_GOES_TO))
def test_where_a_submission_goes(org, head_approval, role) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS, head_approval=head_approval)
    who = getattr(org, oracle.USER_OF_ROLE[role])
    assert "submit" in access.allowed_actions(who, task)
    after = perform(task, "submit", who, version=task.version, reason="已完成", went_ahead="已电话征求协办意见")
    assert after.state == oracle.SUBMIT_GOES_TO[(head_approval, role)]


@pytest.mark.parametrize("setting,after", [(False, State.ACCEPTED), (True, State.IN_PROGRESS)])
def test_signing_may_start_handling_in_one_step(org, setting, after) -> None:
    org.province.signing_starts_handling = setting
    org.province.save()
    task = drive(org, make_task(org), State.ASSIGNED)
    signed = perform(task, "accept", org.handler_a, version=task.version)
    assert signed.state == after
    assert signed.assigned_at is not None


def test_with_head_approval_a_handler_cannot_send_a_submission_straight_on(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS, head_approval=True)
    services.give_opinion(task, org.handler_b, text="同意")
    after = perform(task, "submit", org.handler_a, version=task.version, reason="已完成")
    assert after.state == State.UNIT_REVIEW
    for who in ("handler_a", "handler_b", "head_b", "supervisor"):
        with pytest.raises(WorkflowError):
            perform(after, "approve_submission", getattr(org, who), version=after.version)
    done = perform(after, "approve_submission", org.head_a, version=after.version)
    assert done.state == State.SUBMITTED


def test_actions_not_possible_in_the_current_state_are_refused(org) -> None:
    task = make_task(org)
    with pytest.raises(WorkflowError) as err:
        perform(task, "close", org.supervisor, version=task.version)
    assert err.value.code == "state"
    with pytest.raises(WorkflowError) as err:
        perform(task, "no_such_action", org.supervisor, version=task.version)
    assert err.value.code == "invalid"


def test_stale_version_is_refused_and_nothing_changes(org) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    perform(task, "accept", org.handler_a, version=task.version)
    with pytest.raises(WorkflowError) as err:
        perform(task, "request_reassignment", org.head_a, version=task.version, reason="x", unit=org.unit_c)
    assert err.value.code == "stale"
    assert Task.objects.get(pk=task.pk).state == State.ACCEPTED


def test_a_reason_is_required_where_the_rules_say(org) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    with pytest.raises(WorkflowError) as err:
        perform(task, "return", org.supervisor, version=task.version, reason="  ")
    assert err.value.code == "invalid"


def test_extension_keeps_both_dates(org) -> None:
    task = drive(org, make_task(org, due=dt.date(2030, 6, 30)), State.EXTENSION_REQUESTED)
    after = perform(task, "approve_extension", org.supervisor, version=task.version)
    assert after.original_due_date == dt.date(2030, 6, 30)
    assert after.due_date == dt.date(2030, 9, 28)
    assert after.due_origin == "extended"


def test_extension_must_move_the_date_later(org) -> None:
    task = drive(org, make_task(org, due=dt.date(2030, 6, 30)), State.IN_PROGRESS)
    with pytest.raises(WorkflowError) as err:
        perform(task, "request_extension", org.handler_a, version=task.version, reason="x",
                due_date=dt.date(2030, 6, 1))
    assert err.value.code == "invalid"


def test_reassignment_moves_the_lead_unit(org) -> None:
    task = drive(org, make_task(org), State.REASSIGNMENT_REQUESTED)
    after = perform(task, "approve_reassignment", org.supervisor, version=task.version)
    assert after.lead_unit == org.unit_c
    assert not access.task_roles(org.handler_a, after)  # unit A no longer sees it


def test_a_co_unit_made_lead_is_no_longer_its_own_co_unit(org) -> None:
    task = drive(org, make_task(org), State.REASSIGNMENT_REQUESTED)
    after = perform(task, "approve_reassignment", org.supervisor, version=task.version, unit=org.unit_b)
    assert after.lead_unit == org.unit_b
    assert list(after.co_units.all()) == []


def test_a_unit_of_another_organisation_cannot_be_made_lead(org) -> None:
    task = drive(org, make_task(org), State.REASSIGNMENT_REQUESTED)
    with pytest.raises(WorkflowError) as err:
        perform(task, "approve_reassignment", org.supervisor, version=task.version, unit=org.other_org)
    assert err.value.code == "invalid"


def test_a_task_assigned_by_mistake_is_withdrawn_before_it_is_signed_for(org) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    after = perform(task, "withdraw", org.supervisor, version=task.version, reason="交办单位有误")
    assert after.state == State.DRAFT
    assert not access.task_roles(org.handler_a, after)  # a draft is the office's own again
    last = after.events.order_by("-seq").first()
    assert (last.action, last.data["reason"]) == ("withdraw", "交办单位有误")
    signed = drive(org, make_task(org, title="已签收的任务"), State.ACCEPTED)
    with pytest.raises(WorkflowError) as err:
        perform(signed, "withdraw", org.supervisor, version=signed.version, reason="x")
    assert err.value.code == "state"


def test_unsatisfied_proposer_reopens_and_the_loop_runs_again(org) -> None:
    task = drive(org, make_task(org), State.CLOSED)
    task = perform(task, "rate_unsatisfied", org.deputy, version=task.version, reason="问题没有解决")
    assert task.state == State.REOPENED and task.satisfaction == "unsatisfied"
    task = perform(task, "resume", org.handler_a, version=task.version)
    task = perform(task, "submit", org.handler_a, version=task.version, reason="已整改")
    task = perform(task, "close", org.supervisor, version=task.version)
    assert task.satisfaction == ""  # a new closing asks for a new rating
    task = perform(task, "rate", org.deputy, version=task.version, satisfaction="satisfied")
    assert (task.state, task.satisfaction) == (State.CLOSED, "satisfied")
    with pytest.raises(WorkflowError):
        perform(task, "rate", org.deputy, version=task.version, satisfaction="satisfied")
