"""Visibility per role: who sees which task, and who sees nothing of it."""

from __future__ import annotations

import pytest

from luoshi import access
from luoshi.org.models import Membership, Role, Unit, User
from luoshi.tasks.models import State
from luoshi.tasks.services import create_task
from luoshi.tasks.workflow import perform
from tests.factories import drive, make_task

SEES_ASSIGNED = {"supervisor", "handler_a", "head_a", "handler_b", "head_b", "leader", "deputy"}


@pytest.mark.parametrize("state", [State.DRAFT, State.ASSIGNED, State.CLOSED])
def test_who_sees_a_task(org, state) -> None:
    task = drive(org, make_task(org), state)
    unrelated = create_task(org.supervisor, organisation=org.province, title="另一项任务", lead_unit=org.unit_c)
    drive(org, unrelated, State.ASSIGNED)
    expected = {"supervisor"} if state == State.DRAFT else SEES_ASSIGNED
    for name, user in org.users().items():
        visible = set(access.visible_tasks(user).values_list("pk", flat=True))
        sees = name in expected
        assert (task.pk in visible) is sees, name
        assert bool(access.task_roles(user, task)) is sees, name
        if name in ("handler_a", "head_a", "handler_b", "head_b", "deputy", "leader"):
            assert unrelated.pk not in visible, name


def test_another_organisations_supervisor_sees_nothing_of_ours(org) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    assert not access.visible_tasks(org.other_supervisor).filter(pk=task.pk).exists()
    theirs = create_task(org.other_supervisor, organisation=org.other_org, title="大同的任务")
    assert not access.visible_tasks(org.supervisor).filter(pk=theirs.pk).exists()
    assert access.visible_tasks(org.other_supervisor).filter(pk=theirs.pk).exists()


def test_inactive_and_anonymous_users_see_nothing(org) -> None:
    from django.contrib.auth.models import AnonymousUser

    drive(org, make_task(org), State.ASSIGNED)
    org.handler_a.is_active = False
    org.handler_a.save()
    assert not access.visible_tasks(org.handler_a).exists()
    assert not access.visible_tasks(AnonymousUser()).exists()


def test_list_of_visible_tasks_has_no_duplicates(org) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    task.co_units.add(org.unit_a, org.unit_c)  # seen through several doors at once
    assert list(access.visible_tasks(org.handler_a).values_list("pk", flat=True)) == [task.pk]


def test_allowed_actions_follow_the_tables(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    # moves first, then the permissions in the order their buttons show
    assert access.allowed_actions(org.handler_a, task) == ["request_extension", "submit", "report_progress",
                                                           "hand_down", "add_milestone", "complete_milestone",
                                                           "acknowledge"]
    assert access.allowed_actions(org.handler_b, task) == ["report_progress", "give_opinion"]
    assert access.allowed_actions(org.supervisor, task) == ["comment", "urge", "allow_open_subtasks",
                                                            "issue_notice", "add_milestone"]
    assert access.allowed_actions(org.leader, task) == ["comment"]
    assert access.allowed_actions(org.deputy, task) == []
    assert access.can_create_tasks(org.supervisor) and not access.can_create_tasks(org.handler_a)


def test_who_sees_and_publishes_the_unit_assessment(org) -> None:
    seen = {who: [o.pk for o in access.assessment_organisations(user)] for who, user in org.users().items()}
    assert seen == {"supervisor": [org.province.pk], "leader": [org.province.pk],
                    "other_supervisor": [org.other_org.pk], "handler_a": [], "head_a": [], "handler_b": [],
                    "head_b": [], "deputy": [], "admin": [], "outsider": []}
    assert access.can_publish_assessment(org.supervisor, org.province)
    assert not access.can_publish_assessment(org.leader, org.province)
    assert not access.can_publish_assessment(org.other_supervisor, org.province)
    weighers = {who for who, user in org.users().items() if access.assessment_weight_organisations(user)}
    assert weighers == {"supervisor", "admin", "other_supervisor"}


def test_a_supervisor_who_also_acts_elsewhere_sees_those_tasks_too(org) -> None:
    """The supervisor's short filter (their organisation only) holds only while nothing reaches them
    from another one; each other way lets its task through. Users and tasks counted by hand."""
    ours = make_task(org, title="本省任务")
    datong_unit = Unit.objects.create(name="大同市水务局", parent=org.other_org)

    def theirs(title, **kw):  # a task of the other organisation, handed to its unit
        t = create_task(org.other_supervisor, organisation=org.other_org, title=title, **kw)
        return perform(t, "assign", org.other_supervisor, version=t.version) if t.lead_unit_id else t

    def fresh(user):  # a new user object: nothing remembered of an earlier question
        return User.objects.get(pk=user.pk)

    assert set(access.visible_tasks(fresh(org.supervisor))) == {ours}

    led = theirs("大同任务：省长交办", lead_unit=datong_unit, leader=org.supervisor)
    assert set(access.visible_tasks(fresh(org.supervisor))) == {ours, led}

    proposer = User.objects.create_user("sup2", password="x", display_name="督查员二")
    Membership.objects.create(user=proposer, unit=org.office, role=Role.SUPERVISOR)
    proposed = theirs("大同任务：代表建议", lead_unit=datong_unit, proposers=[proposer])
    assert set(access.visible_tasks(fresh(proposer))) == {ours, proposed}

    handler = User.objects.create_user("sup3", password="x", display_name="督查员三")
    Membership.objects.create(user=handler, unit=org.office, role=Role.SUPERVISOR)
    Membership.objects.create(user=handler, unit=datong_unit, role=Role.HANDLER)
    assert set(access.visible_tasks(fresh(handler))) == {ours, led, proposed}  # the lead unit's handler
    draft = theirs("大同草稿", lead_unit=None)
    assert draft not in set(access.visible_tasks(fresh(handler)))  # another office's draft stays its own
