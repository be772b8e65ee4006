"""The closed loop: one table of transitions, and one door through which every move passes.

`TRANSITIONS` is data: each row names an action, the state it starts from, the state it
leads to, the roles that may take it and what it needs (a reason, a unit, a date). The
buttons on a task page, the diagram in the docs and the role × transition tests are all
read from it. `perform()` is the only code that changes a task's state: it checks the role,
the state and the version, applies the change with a conditional UPDATE (so of two
concurrent moves exactly one wins), writes the journal event, all in one transaction, and
refuses anything else with one `WorkflowError` and nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi import access
from luoshi.access import TaskRole as R
from luoshi.org.models import Unit
from luoshi.tasks import journal
from luoshi.tasks.models import DueOrigin, Satisfaction, State, Task


class WorkflowError(Exception):
    """A refused action. ``code`` says why: not_found, forbidden, state, stale or invalid."""

    status = {"not_found": 404, "forbidden": 403, "state": 409, "stale": 409, "invalid": 400}

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code

    @property
    def http_status(self) -> int:
        return self.status[self.code]


LEAD = frozenset({R.LEAD_HANDLER, R.LEAD_HEAD})
SUP = frozenset({R.SUPERVISOR})


def _head_approval(task: Task) -> bool:
    return task.organisation.requires_head_approval


@dataclass(frozen=True)
class Transition:
    action: str
    source: State
    target: State
    roles: frozenset[R]
    label: str
    needs: tuple[str, ...] = ()  # inputs the form must give: reason, unit, due_date, satisfaction
    guard: Callable[[Task, frozenset[R]], bool] | None = field(default=None, compare=False)

    def allows(self, task: Task, roles: frozenset[R]) -> bool:
        return self.guard is None or self.guard(task, roles)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("assign", State.DRAFT, State.ASSIGNED, SUP, _("Assign (交办)")),
    Transition("accept", State.ASSIGNED, State.ACCEPTED, LEAD, _("Accept (签收)")),
    Transition("request_reassignment", State.ASSIGNED, State.REASSIGNMENT_REQUESTED, LEAD,
               _("Ask for another unit (申请调整)"), ("reason", "unit")),
    Transition("approve_reassignment", State.REASSIGNMENT_REQUESTED, State.ASSIGNED, SUP,
               _("Reassign (同意调整)"), ("unit",)),
    Transition("reject_reassignment", State.REASSIGNMENT_REQUESTED, State.ASSIGNED, SUP,
               _("Keep the unit (不同意调整)"), ("reason",)),
    Transition("start", State.ACCEPTED, State.IN_PROGRESS, LEAD, _("Start handling (开始办理)")),
    Transition("request_extension", State.IN_PROGRESS, State.EXTENSION_REQUESTED, LEAD,
               _("Ask for an extension (申请延期)"), ("reason", "due_date")),
    Transition("approve_extension", State.EXTENSION_REQUESTED, State.IN_PROGRESS, SUP,
               _("Approve the extension (同意延期)")),
    Transition("reject_extension", State.EXTENSION_REQUESTED, State.IN_PROGRESS, SUP,
               _("Refuse the extension (不同意延期)"), ("reason",)),
    Transition("submit", State.IN_PROGRESS, State.SUBMITTED, LEAD, _("Submit for closing (申请办结)"),
               ("reason",), guard=lambda t, roles: not _head_approval(t) or R.LEAD_HEAD in roles),
    Transition("submit", State.IN_PROGRESS, State.UNIT_REVIEW, frozenset({R.LEAD_HANDLER}),
               _("Submit to the unit head (提交单位审核)"), ("reason",),
               guard=lambda t, roles: _head_approval(t) and R.LEAD_HEAD not in roles),
    Transition("approve_submission", State.UNIT_REVIEW, State.SUBMITTED, frozenset({R.LEAD_HEAD}),
               _("Approve and submit (审核通过)")),
    Transition("send_back", State.UNIT_REVIEW, State.IN_PROGRESS, frozenset({R.LEAD_HEAD}),
               _("Send back to the handler (退回经办人)"), ("reason",)),
    Transition("close", State.SUBMITTED, State.CLOSED, SUP, _("Close (办结)")),
    Transition("return", State.SUBMITTED, State.RETURNED, SUP, _("Return (退回)"), ("reason",)),
    Transition("resume", State.RETURNED, State.IN_PROGRESS, LEAD, _("Resume handling (继续办理)")),
    Transition("rate", State.CLOSED, State.CLOSED, frozenset({R.PROPOSER}), _("Rate the reply (评价)"),
               ("satisfaction",), guard=lambda t, roles: not t.satisfaction),
    Transition("rate_unsatisfied", State.CLOSED, State.REOPENED, frozenset({R.PROPOSER}),
               _("Unsatisfied: reopen (不满意)"), ("reason",), guard=lambda t, roles: not t.satisfaction),
    Transition("reopen", State.CLOSED, State.REOPENED, SUP, _("Reopen (重新办理)"), ("reason",)),
    Transition("resume", State.REOPENED, State.IN_PROGRESS, LEAD, _("Resume handling (继续办理)")),
)

_BY_KEY: dict[tuple[str, str], list[Transition]] = {}
for _t in TRANSITIONS:
    _BY_KEY.setdefault((_t.action, _t.source), []).append(_t)


def transition_for(action: str, state: str, task: Task | None = None,
                   roles: frozenset[R] | None = None) -> Transition | None:
    """The row for ``action`` from ``state`` (the one whose guard passes, when several)."""
    rows = _BY_KEY.get((action, state), [])
    if task is not None and roles is not None:
        rows = [t for t in rows if roles & t.roles and t.allows(task, roles)] or rows
    return rows[0] if rows else None


def actions() -> list[str]:
    return list(dict.fromkeys(t.action for t in TRANSITIONS))


def _effects(t: Transition, task: Task, inputs: dict) -> tuple[dict, dict]:
    """What a transition changes on the task (fields) and records (event data)."""
    fields: dict = {}
    data: dict = {k: inputs[k] for k in ("reason",) if inputs.get(k)}
    now = timezone.now()
    if t.action == "assign" and task.lead_unit_id is None:
        raise WorkflowError(_("Choose a lead unit before assigning."), "invalid")
    if t.action in ("request_reassignment", "approve_reassignment"):
        unit = inputs.get("unit")
        if unit is not None and not isinstance(unit, Unit):
            unit = Unit.objects.filter(pk=unit).first()
        if t.action == "approve_reassignment":
            unit = unit or requested_unit(task)
            if unit is None:
                raise WorkflowError(_("Choose the unit that should lead."), "invalid")
            fields["lead_unit"] = unit
            data["from_unit"], data["to_unit"] = task.lead_unit_id, unit.pk
        elif unit is not None:
            data["unit"] = unit.pk
    if t.action == "request_extension":
        due = inputs.get("due_date")
        if not isinstance(due, dt.date):
            raise WorkflowError(_("Give the new due date you ask for."), "invalid")
        if task.due_date and due <= task.due_date:
            raise WorkflowError(_("The new due date must be later than the current one."), "invalid")
        data["due_date"] = due.isoformat()
    if t.action == "approve_extension":
        due = _requested_due_date(task)
        if due is None:
            raise WorkflowError(_("No extension request was found."), "state")
        fields.update(due_date=due, due_origin=DueOrigin.EXTENDED)
        if task.original_due_date is None:
            fields["original_due_date"] = task.due_date
        data["from_due_date"] = task.due_date.isoformat() if task.due_date else None
        data["due_date"] = due.isoformat()
    if t.action == "close":
        fields.update(closed_at=now, satisfaction="")
    if t.action == "rate":
        sat = inputs.get("satisfaction")
        if sat not in (Satisfaction.SATISFIED, Satisfaction.BASICALLY):
            raise WorkflowError(_("Choose satisfied or basically satisfied."), "invalid")
        fields["satisfaction"] = sat
        data["satisfaction"] = sat
    if t.action == "rate_unsatisfied":
        fields["satisfaction"] = Satisfaction.UNSATISFIED
        data["satisfaction"] = Satisfaction.UNSATISFIED
    if t.target == State.REOPENED:
        fields["closed_at"] = None
    return fields, data


def _last_request(task: Task, action: str) -> dict:
    e = task.events.filter(action=action).order_by("-seq").values_list("data", flat=True).first()
    return e or {}


def _requested_due_date(task: Task) -> dt.date | None:
    iso = _last_request(task, "request_extension").get("due_date")
    return dt.date.fromisoformat(iso) if iso else None


def requested_unit(task: Task) -> Unit | None:
    """The unit the last request for a change of unit asked for, if any."""
    pk = _last_request(task, "request_reassignment").get("unit")
    return Unit.objects.filter(pk=pk).first() if pk else None


def guarded_update(task: Task, version: int, **fields) -> None:
    """Apply ``fields`` only if nobody changed the task since ``version`` was read."""
    fields.setdefault("updated_at", timezone.now())
    n = Task.objects.filter(pk=task.pk, version=version, state=task.state).update(
        version=F("version") + 1, **fields
    )
    if n != 1:
        raise WorkflowError(
            _("Someone else changed this task after you opened it. Look at it as it is now and try again."), "stale"
        )


def perform(task: Task | int, action: str, actor, *, version: int, **inputs) -> Task:
    """Take ``action`` on ``task`` as ``actor``; returns the task as it now stands.

    ``version`` is the version the actor saw; if the task changed since, nothing is done.
    ``inputs`` are what the transition needs: reason, unit, due_date, satisfaction.
    """
    pk = task.pk if isinstance(task, Task) else task
    with transaction.atomic():
        current = Task.objects.select_related("organisation").filter(pk=pk).first()
        roles = access.task_roles(actor, current) if current else frozenset()
        if current is None or not roles:
            raise WorkflowError(_("No such task."), "not_found")
        if current.version != version:
            raise WorkflowError(
                _("Someone else changed this task after you opened it. Look at it as it is now and try again."), "stale"
            )
        t = transition_for(action, current.state, current, roles)
        if t is None:
            if action not in actions():
                raise WorkflowError(_("Unknown action."), "invalid")
            raise WorkflowError(
                _("This cannot be done while the task is “%(state)s”.") % {"state": current.get_state_display()},
                "state",
            )
        if not roles & t.roles or not t.allows(current, roles):
            raise WorkflowError(_("Your role does not allow this on this task."), "forbidden")
        if "reason" in t.needs and not str(inputs.get("reason") or "").strip():
            raise WorkflowError(_("Give a reason."), "invalid")
        fields, data = _effects(t, current, inputs)
        guarded_update(current, version, state=t.target, **fields)
        journal.append(current, actor=actor, action=action, from_state=current.state, to_state=t.target, data=data)
    return Task.objects.get(pk=pk)
