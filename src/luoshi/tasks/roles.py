"""Which roles a user holds toward a task: the one place that answers it.

A user's roles come from their memberships (supervisor of the task's organisation, handler
or head of its lead unit or of one of its co-units) and from the task itself (the leader
who issued it, the deputies who proposed it). What each role may then do is asked
elsewhere: the moves of state of `luoshi.tasks.workflow`, the other actions of
`luoshi.access`. This module imports neither, so neither depends on the other's internals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

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


@dataclass(frozen=True)
class Standing:
    """What of a user decides their roles toward any task, read once from their memberships."""

    user_id: int
    supervises: frozenset[int]  # the organisations whose supervision office they are in
    handler: frozenset[int]  # the units they handle tasks for
    head: frozenset[int]  # the units they head

    @classmethod
    def held(cls, user_id: int, memberships: Iterable[tuple[int, str]],
             organisation_of: Callable[[int], int]) -> Standing:
        """From a user's (unit, role) memberships; ``organisation_of`` a supervisor's unit gives the
        organisation it supervises (`Unit.organisation`)."""
        supervises, handler, head = set(), set(), set()
        for unit, role in memberships:
            if role == Role.SUPERVISOR:
                supervises.add(organisation_of(unit))
            elif role == Role.HANDLER:
                handler.add(unit)
            elif role == Role.HEAD:
                head.add(unit)
        return cls(user_id, frozenset(supervises), frozenset(handler), frozenset(head))


def standing(user) -> Standing | None:
    """The user's standing (None: not active, no role toward any task), kept on the user object
    as their memberships are."""
    if not is_active(user):
        return None
    cached = getattr(user, "_luoshi_standing", None)
    if cached is None:
        held = memberships(user)
        units = {m.unit_id: m.unit for m in held}
        cached = user._luoshi_standing = Standing.held(
            user.pk, [(m.unit_id, m.role) for m in held], lambda unit: units[unit].organisation().pk)
    return cached


def task_roles(user, task: Task) -> frozenset[TaskRole]:
    """Every role ``user`` holds toward ``task`` (empty: the user may not see it)."""
    found = standing(user)
    return NO_ROLES if found is None else roles_toward(found, task)


REACH = "_luoshi_reach"  # where a batch reader leaves a task's Reach, read for all its tasks at once


class Reach:
    """What of a task decides who holds which role toward it, beyond its own columns: each read
    when first asked, then once for every person asked about (a notification asks for dozens)."""

    def __init__(self, task: Task) -> None:
        self.task = task

    @classmethod
    def of(cls, task: Task) -> Reach:
        """The one a batch reader left on ``task`` (`notify.recipients.read_tasks`), else a new one."""
        return task.__dict__.get(REACH) or cls(task)

    @classmethod
    def known(cls, task: Task, *, co_units: frozenset[int], proposers: frozenset[int],
              parent_lead: int | None) -> Reach:
        """One read already, for many tasks at once, left on ``task`` for `of` to find."""
        reach = cls(task)
        reach.__dict__.update(co_units=co_units, proposers=proposers, parent_lead=parent_lead)
        task.__dict__[REACH] = reach
        return reach

    @cached_property
    def co_units(self) -> frozenset[int]:
        # a task read with prefetch_related asks nothing
        return frozenset(u.pk for u in self.task.co_units.all()) if self.task.pk else frozenset()

    @cached_property
    def proposers(self) -> frozenset[int]:
        return frozenset(p.pk for p in self.task.proposers.all()) if self.task.pk else frozenset()

    @cached_property
    def parent_lead(self) -> int | None:
        """The lead unit of the task this one is a part of."""
        return Task.objects.filter(pk=self.task.parent_id).values_list("lead_unit_id", flat=True).first()


def roles_toward(who: Standing, task: Task, reach: Reach | None = None) -> frozenset[TaskRole]:
    """Every role of a user of standing ``who`` toward ``task``: the rule `task_roles` applies
    (and the notifications, to thousands of people at once, without a User object each).
    ``reach``: the task's, shared by the calls for one task."""
    reach = reach or Reach.of(task)
    roles: set[TaskRole] = set()
    if task.organisation_id in who.supervises:
        roles.add(TaskRole.SUPERVISOR)
    handler, head = who.handler, who.head
    if task.lead_unit_id is not None:
        if task.lead_unit_id in handler:
            roles.add(TaskRole.LEAD_HANDLER)
        if task.lead_unit_id in head:
            roles.add(TaskRole.LEAD_HEAD)
    if handler or head:
        if not reach.co_units.isdisjoint(handler):
            roles.add(TaskRole.CO_HANDLER)
        if not reach.co_units.isdisjoint(head):
            roles.add(TaskRole.CO_HEAD)
        if task.parent_id is not None:
            parent_lead = reach.parent_lead
            if parent_lead is not None and (parent_lead in handler or parent_lead in head):
                roles.add(TaskRole.DELEGATOR)
    if task.leader_id is not None and task.leader_id == who.user_id:
        roles.add(TaskRole.LEADER)
    if who.user_id in reach.proposers:
        roles.add(TaskRole.PROPOSER)
    if task.state == State.DRAFT:
        # a draft has not been handed out yet: it is the supervision office's own (or, for a part
        # passed down, the unit's that passes it)
        roles &= {TaskRole.SUPERVISOR, TaskRole.DELEGATOR}
    return frozenset(roles)
