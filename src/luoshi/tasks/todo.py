"""What waits for a person: the to-do list of their home page, kind by kind.

Each kind is the tasks in one state that one role must act on next (a unit signs for what was
assigned to it, a supervisor decides a request for more time…), or leaders' instructions the
unit has not yet acknowledged. Every kind is one indexed query on the state and the units or
organisations of the person, so a count stays cheap at a province's size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Role
from luoshi.tasks.models import Instruction, State, Task
from luoshi.tasks.roles import is_active, supervised_organisations, unit_ids

OPEN = [s for s in State if s not in (State.DRAFT, State.CLOSED)]


def _lead(user, *states: State) -> QuerySet[Task]:
    units = unit_ids(user, Role.HANDLER, Role.HEAD)
    return Task.objects.filter(lead_unit__in=units, state__in=states) if units else Task.objects.none()


def _headed(user, *states: State) -> QuerySet[Task]:
    units = unit_ids(user, Role.HEAD)
    return Task.objects.filter(lead_unit__in=units, state__in=states) if units else Task.objects.none()


def _supervised(user, *states: State) -> QuerySet[Task]:
    orgs = [o.pk for o in supervised_organisations(user)]
    return Task.objects.filter(organisation__in=orgs, state__in=states) if orgs else Task.objects.none()


def _to_acknowledge(user) -> QuerySet[Task]:
    units = unit_ids(user, Role.HANDLER, Role.HEAD)
    if not units:
        return Task.objects.none()
    waiting = Instruction.objects.filter(acknowledged_at__isnull=True, task__lead_unit__in=units).values("task")
    return Task.objects.filter(pk__in=waiting).exclude(state=State.DRAFT)


def _overdue(user) -> QuerySet[Task]:
    return _lead(user, *OPEN).filter(due_date__lt=timezone.localdate())


def _to_rate(user) -> QuerySet[Task]:
    return Task.objects.filter(proposers=user, state=State.CLOSED, satisfaction="")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    tasks: Callable[[object], QuerySet[Task]]
    note: str = ""


KINDS: tuple[Kind, ...] = (
    Kind("to_sign", _("To sign for (待签收)"), lambda u: _lead(u, State.ASSIGNED)),
    Kind("sent_back", _("Sent back to your unit (退回)"), lambda u: _lead(u, State.RETURNED, State.REOPENED),
         _("Read the reason, then resume handling.")),
    Kind("to_acknowledge", _("Instructions to acknowledge (批示)"), _to_acknowledge),
    Kind("unit_review", _("Submissions to approve as unit head (单位审核)"),
         lambda u: _headed(u, State.UNIT_REVIEW)),
    Kind("overdue", _("Your unit's overdue tasks (逾期)"), _overdue),
    Kind("to_assign", _("Drafts to assign (待交办)"), lambda u: _supervised(u, State.DRAFT)),
    Kind("extension_requests", _("Requests for more time (申请延期)"),
         lambda u: _supervised(u, State.EXTENSION_REQUESTED)),
    Kind("reassignment_requests", _("Requests for another unit (申请调整)"),
         lambda u: _supervised(u, State.REASSIGNMENT_REQUESTED)),
    Kind("to_review", _("Submissions to review (申请办结)"), lambda u: _supervised(u, State.SUBMITTED)),
    Kind("to_rate", _("Replies to rate (待评价)"), _to_rate),
)
BY_KEY = {k.key: k for k in KINDS}


@dataclass
class Waiting:
    kind: Kind
    count: int
    first: list[Task]


def waiting(user, shown: int = 5) -> list[Waiting]:
    """The kinds that have something for ``user``, each with its count and its first tasks
    (soonest due first)."""
    if not is_active(user):
        return []
    out = []
    for kind in KINDS:
        qs = kind.tasks(user)
        count = qs.count()
        if count:
            first = list(qs.select_related("lead_unit").order_by("due_date", "pk")[:shown])
            out.append(Waiting(kind, count, first))
    return out


def filter_tasks(user, key: str) -> Q | None:
    """A filter for the task list that shows one kind of the user's to-do list (None: no such kind)."""
    kind = BY_KEY.get(key)
    if kind is None:
        return None
    return Q(pk__in=kind.tasks(user).values("pk"))
