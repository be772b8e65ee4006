"""Which roles a user holds toward a task: the one place that answers it.

A user's roles come from their memberships (supervisor of the task's organisation, handler
or head of its lead unit or of one of its co-units) and from the task itself (the leader
who issued it, the deputies who proposed it). What each role may then do is asked
elsewhere: the moves of state of `luoshi.tasks.workflow`, the other actions of
`luoshi.access`. This module imports neither, so neither depends on the other's internals.
"""

from __future__ import annotations

from enum import StrEnum

from luoshi.org.models import Membership, Role, Unit
from luoshi.tasks.models import State, Task


class TaskRole(StrEnum):
    SUPERVISOR = "supervisor"
    LEAD_HANDLER = "lead_handler"
    LEAD_HEAD = "lead_head"
    CO_HANDLER = "co_handler"
    CO_HEAD = "co_head"
    LEADER = "leader"
    PROPOSER = "proposer"
    DELEGATOR = "delegator"  # the lead unit of the task this one is a part of (转办): it oversees the part
    # the system itself (a monitoring rule): never a user's role, only `workflow.perform(..., system=True)`
    SYSTEM = "system"


NO_ROLES: frozenset[TaskRole] = frozenset()
SYSTEM_ROLES: frozenset[TaskRole] = frozenset({TaskRole.SYSTEM})


def is_active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def memberships(user) -> list[Membership]:
    """The user's memberships, read once per user object (a request reads them once)."""
    cached = getattr(user, "_luoshi_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit", "unit__parent"))
        user._luoshi_memberships = cached
    return cached


def unit_ids(user, *roles: Role) -> set[int]:
    """The units in which the user holds any of ``roles``."""
    return {m.unit_id for m in memberships(user) if m.role in roles}


def supervised_organisations(user) -> list[Unit]:
    """The organisations whose tasks this user supervises."""
    if not is_active(user):
        return []
    return [m.unit.organisation() for m in memberships(user) if m.role == Role.SUPERVISOR]


def task_roles(user, task: Task) -> frozenset[TaskRole]:
    """Every role ``user`` holds toward ``task`` (empty: the user may not see it)."""
    if not is_active(user):
        return NO_ROLES
    roles: set[TaskRole] = set()
    if task.organisation_id in {o.pk for o in supervised_organisations(user)}:
        roles.add(TaskRole.SUPERVISOR)
    handler, head = unit_ids(user, Role.HANDLER), unit_ids(user, Role.HEAD)
    if task.lead_unit_id is not None:
        if task.lead_unit_id in handler:
            roles.add(TaskRole.LEAD_HANDLER)
        if task.lead_unit_id in head:
            roles.add(TaskRole.LEAD_HEAD)
    if (handler | head) and task.pk:
        co = {u.pk for u in task.co_units.all()}  # a task read with prefetch_related asks nothing
        if co & handler:
            roles.add(TaskRole.CO_HANDLER)
        if co & head:
            roles.add(TaskRole.CO_HEAD)
    if task.parent_id is not None and (handler | head):
        parent_lead = Task.objects.filter(pk=task.parent_id).values_list("lead_unit_id", flat=True).first()
        if parent_lead is not None and parent_lead in handler | head:
            roles.add(TaskRole.DELEGATOR)
    if task.leader_id is not None and task.leader_id == user.pk:
        roles.add(TaskRole.LEADER)
    if task.pk and any(p.pk == user.pk for p in task.proposers.all()):
        roles.add(TaskRole.PROPOSER)
    if task.state == State.DRAFT:
        # a draft has not been handed out yet: it is the supervision office's own (or, for a part
        # passed down, the unit's that passes it)
        roles &= {TaskRole.SUPERVISOR, TaskRole.DELEGATOR}
    return frozenset(roles)
