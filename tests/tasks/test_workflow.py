"""The whole role × transition matrix, read from the transition table itself."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import drive, make_task, resolve

from luoshi import access
from luoshi.tasks.models import Event, State, Task
from luoshi.tasks.workflow import TRANSITIONS, WorkflowError, perform

# each of these users holds exactly one role towards the tasks make_task() creates
ROLE_OF = {
    "supervisor": access.TaskRole.SUPERVISOR,
    "handler_a": access.TaskRole.LEAD_HANDLER,
    "head_a": access.TaskRole.LEAD_HEAD,
    "handler_b": access.TaskRole.CO_HANDLER,
    "head_b": access.TaskRole.CO_HEAD,
    "leader": access.TaskRole.LEADER,
    "deputy": access.TaskRole.PROPOSER,
    "admin": None,
    "outsider": None,
    "other_supervisor": None,
}
INPUTS = {"reason": "按要求办理", "unit": "unit_c", "due_date": "+30", "satisfaction": "satisfied"}
CASES = [(i, who) for i in range(len(TRANSITIONS)) for who in ROLE_OF]


def _name(case: tuple[int, str]) -> str:
    t = TRANSITIONS[case[0]]
    return f"{t.action}:{t.source}->{t.target}:{case[1]}"


@pytest.mark.parametrize("case", CASES, ids=[_name(c) for c in CASES])
def test_role_transition_matrix(org, case) -> None:
    row, who = TRANSITIONS[case[0]], case[1]
    # the organisation setting under which this row applies (submit has two rows, one per setting)
    head_approval = State.UNIT_REVIEW in (row.source, row.target)
    task = drive(org, make_task(org), row.source, head_approval)
    actor = getattr(org, who)
    role = ROLE_OF[who]
    if row.source == State.DRAFT and role != access.TaskRole.SUPERVISOR:
        role = None  # a draft is the supervision office's own: nobody else sees it
    roles = frozenset({role}) if role else frozenset()
    allowed = role in row.roles and row.allows(task, roles)
    if not allowed:
        # the same action from the same state may be another row for this role (submit
        # straight to the supervisor when the head submits)
        other = [t for t in TRANSITIONS if (t.action, t.source) == (row.action, row.source)
                 and role in t.roles and t.allows(task, roles)]
        if other:
            row, allowed = other[0], True
    events_before = Event.objects.filter(task=task).count()
    inputs = resolve(org, task, {k: INPUTS[k] for k in row.needs})
    if allowed:
        after = perform(task, row.action, actor, version=task.version, **inputs)
        assert after.state == row.target
        assert after.version == task.version + 1
        last = Event.objects.filter(task=task).order_by("-seq").first()
        assert (last.action, last.from_state, last.to_state, last.actor_id) == (
            row.action, row.source, row.target, actor.pk)
    else:
        with pytest.raises(WorkflowError) as err:
            perform(task, row.action, actor, version=task.version, **inputs)
        # who may not see the task learns nothing about it; who may see it is told it is forbidden
        expected = "not_found" if role is None else "forbidden"
        if role is not None and role in row.roles:
            expected = "forbidden"  # the guard refused (e.g. head approval is required)
        assert err.value.code == expected
        fresh = Task.objects.get(pk=task.pk)
        assert (fresh.state, fresh.version) == (task.state, task.version)
        assert Event.objects.filter(task=task).count() == events_before


def test_every_state_is_reachable_and_every_action_has_a_door() -> None:
    sources = {t.source for t in TRANSITIONS}
    targets = {t.target for t in TRANSITIONS}
    assert set(State) == sources | targets
    assert State.DRAFT not in targets  # nothing goes back to draft


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


def test_a_reason_is_required_where_the_table_says(org) -> None:
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
