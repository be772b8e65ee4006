"""Which roles each user holds toward a task, written out by hand for three tasks."""

from __future__ import annotations

from tests.factories import drive

from luoshi.org.models import Membership, Role
from luoshi.tasks.models import State
from luoshi.tasks.roles import task_roles
from luoshi.tasks.services import create_task

# users -> roles toward: (1) lead A, co-unit B, issued by the leader, proposed by the deputy;
# (2) lead C alone; (3) lead B, co-unit A
EXPECTED = {
    "supervisor": ({"supervisor"}, {"supervisor"}, {"supervisor"}),
    "handler_a": ({"lead_handler"}, set(), {"co_handler"}),
    "head_a": ({"lead_head"}, set(), {"co_head"}),
    "handler_b": ({"co_handler"}, set(), {"lead_handler"}),
    "head_b": ({"co_head"}, set(), {"lead_head"}),
    "leader": ({"leader"}, set(), set()),
    "deputy": ({"proposer"}, set(), set()),
    "admin": (set(), set(), set()),
    "outsider": (set(), set(), set()),
    "other_supervisor": (set(), set(), set()),
}


def _tasks(org):
    first = create_task(org.supervisor, organisation=org.province, title="抓好高标准农田建设", lead_unit=org.unit_a,
                        co_units=[org.unit_b], leader=org.leader, proposers=[org.deputy])
    second = create_task(org.supervisor, organisation=org.province, title="加快水库除险加固", lead_unit=org.unit_c)
    third = create_task(org.supervisor, organisation=org.province, title="做好防汛物资储备", lead_unit=org.unit_b,
                        co_units=[org.unit_a])
    return [drive(org, t, State.ASSIGNED) for t in (first, second, third)]


def test_roles_toward_three_tasks(org) -> None:
    tasks = _tasks(org)
    for name, user in org.users().items():
        got = tuple({str(r) for r in task_roles(user, t)} for t in tasks)
        assert got == EXPECTED[name], name


def test_a_user_with_two_memberships_holds_both_roles(org) -> None:
    tasks = _tasks(org)
    Membership.objects.create(user=org.handler_a, unit=org.unit_b, role=Role.HEAD)
    user = type(org.handler_a).objects.get(pk=org.handler_a.pk)  # memberships are read once per user object
    assert {str(r) for r in task_roles(user, tasks[0])} == {"lead_handler", "co_head"}
    assert {str(r) for r in task_roles(user, tasks[1])} == set()


def test_a_draft_is_the_supervision_offices_own(org) -> None:
    draft = create_task(org.supervisor, organisation=org.province, title="草稿", lead_unit=org.unit_a,
                        co_units=[org.unit_b], leader=org.leader, proposers=[org.deputy])
    for name, user in org.users().items():
        assert {str(r) for r in task_roles(user, draft)} == ({"supervisor"} if name == "supervisor" else set()), name
