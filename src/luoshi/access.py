"""Who may do what: the one place that decides.

A user's roles towards a task come from their memberships (supervisor of the task's
organisation, handler or head of its lead unit or of a co-unit) and from the task itself
(the leader who issued it, the deputies who proposed it). `PERMISSIONS` says which of these
roles may take each action that is not a move of state; the moves of state and who may make
them are in `luoshi.tasks.workflow.TRANSITIONS`. Views, commands and (later) the API and the
exports all ask `can()`, `allowed_actions()` and `visible_tasks()` here.

A user who may not see a task gets 404, never its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404

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


VIEWERS = frozenset(TaskRole)
UNIT_ROLES = frozenset({TaskRole.LEAD_HANDLER, TaskRole.LEAD_HEAD, TaskRole.CO_HANDLER, TaskRole.CO_HEAD})


@dataclass(frozen=True)
class Permission:
    roles: frozenset[TaskRole]
    states: frozenset[State] | None = None  # None: in any state


# Actions on a task that do not move its state.
PERMISSIONS: dict[str, Permission] = {
    "view": Permission(VIEWERS),
    "report_progress": Permission(UNIT_ROLES, frozenset({State.IN_PROGRESS, State.EXTENSION_REQUESTED})),
    "comment": Permission(frozenset({TaskRole.SUPERVISOR, TaskRole.LEADER})),
    "edit": Permission(frozenset({TaskRole.SUPERVISOR}), frozenset({State.DRAFT})),
}


def _memberships(user) -> list[Membership]:
    cached = getattr(user, "_luoshi_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit", "unit__parent"))
        user._luoshi_memberships = cached
    return cached


def supervised_organisations(user) -> list[Unit]:
    """The organisations whose tasks this user supervises."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [m.unit.organisation() for m in _memberships(user) if m.role == Role.SUPERVISOR]


def _unit_ids(user, role: Role) -> set[int]:
    return {m.unit_id for m in _memberships(user) if m.role == role}


def task_roles(user, task: Task) -> frozenset[TaskRole]:
    """Every role ``user`` holds towards ``task`` (empty: the user may not see it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles: set[TaskRole] = set()
    if task.organisation_id in {o.pk for o in supervised_organisations(user)}:
        roles.add(TaskRole.SUPERVISOR)
    handler, head = _unit_ids(user, Role.HANDLER), _unit_ids(user, Role.HEAD)
    if task.lead_unit_id in handler:
        roles.add(TaskRole.LEAD_HANDLER)
    if task.lead_unit_id in head:
        roles.add(TaskRole.LEAD_HEAD)
    if handler | head:
        co = set(task.co_units.values_list("pk", flat=True)) if task.pk else set()
        if co & handler:
            roles.add(TaskRole.CO_HANDLER)
        if co & head:
            roles.add(TaskRole.CO_HEAD)
    if task.leader_id is not None and task.leader_id == user.pk:
        roles.add(TaskRole.LEADER)
    if task.pk and task.proposers.filter(pk=user.pk).exists():
        roles.add(TaskRole.PROPOSER)
    if task.state == State.DRAFT:
        # a draft has not been handed out yet: it is the supervision office's own
        roles &= {TaskRole.SUPERVISOR}
    return frozenset(roles)


def visible_tasks(user) -> QuerySet[Task]:
    """The tasks ``user`` may see (and only those)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Task.objects.none()
    units = _unit_ids(user, Role.HANDLER) | _unit_ids(user, Role.HEAD)
    q = Q(leader=user) | Q(proposers=user)
    if units:
        q |= Q(lead_unit__in=units) | Q(co_units__in=units)
    q &= ~Q(state=State.DRAFT)  # drafts are the supervision office's own
    orgs = [o.pk for o in supervised_organisations(user)]
    if orgs:
        q |= Q(organisation__in=orgs)
    ids = Task.objects.filter(q).values("pk")
    return Task.objects.filter(pk__in=ids)


def get_task_or_404(user, pk: int) -> Task:
    task = Task.objects.select_related("organisation", "lead_unit", "owner", "leader").filter(pk=pk).first()
    if task is None or not task_roles(user, task):
        raise Http404
    return task


def can(user, action: str, task: Task, roles: frozenset[TaskRole] | None = None) -> bool:
    """Whether ``user`` may take ``action`` (a permission or a transition) on ``task`` now."""
    from luoshi.tasks.workflow import transition_for

    roles = task_roles(user, task) if roles is None else roles
    perm = PERMISSIONS.get(action)
    if perm is not None:
        return bool(roles & perm.roles) and (perm.states is None or task.state in perm.states)
    t = transition_for(action, task.state)
    return t is not None and bool(roles & t.roles) and t.allows(task, roles)


def allowed_actions(user, task: Task, roles: frozenset[TaskRole] | None = None) -> list[str]:
    """Everything ``user`` may do on ``task`` now, transitions first (they drive the buttons)."""
    from luoshi.tasks.workflow import TRANSITIONS

    roles = task_roles(user, task) if roles is None else roles
    moves = [t.action for t in TRANSITIONS if t.source == task.state and can(user, t.action, task, roles)]
    others = [a for a in PERMISSIONS if a != "view" and can(user, a, task, roles)]
    return list(dict.fromkeys(moves)) + others


def can_create_tasks(user) -> bool:
    return bool(supervised_organisations(user))


# -- sources -------------------------------------------------------------------------------------
# A supervisor sees and reviews every source of their organisation; anyone else sees a source
# only through a task made from it that they may see (and then sees the source, not the desk).


def can_review(user, source) -> bool:
    return source.organisation_id in {o.pk for o in supervised_organisations(user)}


def can_see_source(user, source) -> bool:
    return can_review(user, source) or visible_tasks(user).filter(items__source=source).exists()


def visible_sources(user):
    from luoshi.sources.models import Source

    orgs = [o.pk for o in supervised_organisations(user)]
    via_tasks = visible_tasks(user).values("items__source")
    return Source.objects.filter(Q(organisation__in=orgs) | Q(pk__in=via_tasks))


def get_source_or_404(user, pk: int):
    from luoshi.sources.models import Source

    source = Source.objects.select_related("organisation").filter(pk=pk).first()
    if source is None or not can_see_source(user, source):
        raise Http404
    return source


def organisation_for_ingest(user):
    """The organisation a user's uploads belong to (their first supervised one), or None."""
    orgs = supervised_organisations(user)
    return orgs[0] if orgs else None


# -- routing rules -------------------------------------------------------------------------------
# The phrases that suggest a lead unit are configuration: an organisation's administrators keep
# them, and so do its supervisors (who see at the desk what the rules suggest).


def routing_organisations(user) -> list[Unit]:
    """The organisations whose routing rules ``user`` may edit, each once."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    orgs = supervised_organisations(user)
    orgs += [m.unit.organisation() for m in _memberships(user) if m.role == Role.ADMIN]
    return list({o.pk: o for o in orgs}.values())


def can_edit_routing(user, organisation) -> bool:
    return organisation.pk in {o.pk for o in routing_organisations(user)}
