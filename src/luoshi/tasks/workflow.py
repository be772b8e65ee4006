"""The closed loop: one table of transitions, and one door through which every move passes.

`TRANSITIONS` is data: each row names an action, the state it starts from, the state it
leads to, the roles that may take it, what it needs (a reason, a unit, a date) and, where
the organisation's settings decide, a guard. `available()` answers which rows these roles
may take on this task now, guards included; the buttons of a task page, `access.can()` and
`perform()` all ask it, so a button is shown exactly when the move would be accepted.
`perform()` is the only code that changes a task's state: it locks the task, checks roles,
state and version, and writes the change and its journal event through `changes.write`, all
in one transaction; anything refused raises one `WorkflowError` and leaves nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Unit
from luoshi.tasks import changes
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import CoOpinion, DueOrigin, Evaluation, Rating, Reply, Satisfaction, State, Task
from luoshi.tasks.roles import NO_ROLES, SYSTEM_ROLES, task_roles
from luoshi.tasks.roles import TaskRole as R
from luoshi.workdays.services import calendar_for
from luoshi.workdays.span import Span

__all__ = ["TRANSITIONS", "Transition", "WorkflowError", "available", "perform", "transition_for"]

LEAD = frozenset({R.LEAD_HANDLER, R.LEAD_HEAD})
# who oversees a task: the supervision office, and for a part passed down (转办) the unit that passed it
SUP = frozenset({R.SUPERVISOR, R.DELEGATOR})


SYSTEM = frozenset({R.SYSTEM})
# a monitoring alert's task (帮扶) is closed by the system when a later value clears its rule
# (风险消除), from wherever it stands, and reopened when the rule is breached again
NOT_CLOSED = tuple(s for s in State if s != State.CLOSED)


def _monitoring_alert(task: Task, roles: frozenset, actor) -> bool:
    return task.kind == Task.Kind.ALERT


def _head_approval(task: Task) -> bool:
    return task.organisation.requires_head_approval


def _signing_starts(task: Task) -> bool:
    return task.organisation.signing_starts_handling


@dataclass(frozen=True)
class Transition:
    action: str
    source: State
    target: State
    roles: frozenset[R]
    label: str
    needs: tuple[str, ...] = ()  # inputs the form must give: reason, unit, due_date, satisfaction
    guard: Callable[[Task, frozenset[R], object], bool] | None = field(default=None, compare=False)
    optional: tuple[str, ...] = ()  # inputs the form offers, not required: evaluation, target_met

    def allows(self, task: Task, roles: frozenset[R], actor=None) -> bool:
        return self.guard is None or self.guard(task, roles, actor)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("assign", State.DRAFT, State.ASSIGNED, SUP, _("Assign (交办)")),
    Transition("withdraw", State.ASSIGNED, State.DRAFT, SUP, _("Withdraw (撤回)"), ("reason",)),
    Transition("withdraw", State.REASSIGNMENT_REQUESTED, State.DRAFT, SUP, _("Withdraw (撤回)"), ("reason",)),
    Transition("accept", State.ASSIGNED, State.ACCEPTED, LEAD, _("Accept (签收)"),
               guard=lambda t, roles, actor: not _signing_starts(t)),
    Transition("accept", State.ASSIGNED, State.IN_PROGRESS, LEAD, _("Accept and start (签收并办理)"),
               guard=lambda t, roles, actor: _signing_starts(t)),
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
               ("reason",), guard=lambda t, roles, actor: not _head_approval(t) or R.LEAD_HEAD in roles,
               optional=("went_ahead",)),
    Transition("submit", State.IN_PROGRESS, State.UNIT_REVIEW, frozenset({R.LEAD_HANDLER}),
               _("Submit to the unit head (提交单位审核)"), ("reason",),
               guard=lambda t, roles, actor: _head_approval(t) and R.LEAD_HEAD not in roles, optional=("went_ahead",)),
    Transition("approve_submission", State.UNIT_REVIEW, State.SUBMITTED, frozenset({R.LEAD_HEAD}),
               _("Approve and submit (审核通过)")),
    Transition("send_back", State.UNIT_REVIEW, State.IN_PROGRESS, frozenset({R.LEAD_HEAD}),
               _("Send back to the handler (退回经办人)"), ("reason",)),
    Transition("close", State.SUBMITTED, State.CLOSED, SUP, _("Close (办结)"),
               optional=("evaluation", "target_met", "reason")),  # reason: the closing opinion (办结意见)
    Transition("return", State.SUBMITTED, State.RETURNED, SUP, _("Return (退回)"), ("reason",)),
    Transition("resume", State.RETURNED, State.IN_PROGRESS, LEAD, _("Resume handling (继续办理)")),
    Transition("rate", State.CLOSED, State.CLOSED, frozenset({R.PROPOSER}), _("Rate the reply (评价)"),
               ("satisfaction",), guard=lambda t, roles, actor: not _rated(t, actor), optional=("comment",)),
    Transition("rate_unsatisfied", State.CLOSED, State.REOPENED, frozenset({R.PROPOSER}),
               _("Unsatisfied: reopen (不满意)"), ("reason",), guard=lambda t, roles, actor: not _rated(t, actor)),
    Transition("reopen", State.CLOSED, State.REOPENED, SUP, _("Reopen (重新办理)"), ("reason",)),
    Transition("resume", State.REOPENED, State.IN_PROGRESS, LEAD, _("Resume handling (继续办理)")),
    # the system: a monitoring rule hands its alert's task to the unit that must act, closes it
    # when the risk is removed and reopens it when the rule is breached again
    Transition("assign", State.DRAFT, State.ASSIGNED, SYSTEM, _("Assign (交办)"), guard=_monitoring_alert),
    *(Transition("risk_cleared", s, State.CLOSED, SYSTEM, _("Risk removed (风险消除)"), guard=_monitoring_alert)
      for s in NOT_CLOSED),
    Transition("risk_renewed", State.CLOSED, State.REOPENED, SYSTEM, _("Risk again: reopen (风险复发)"),
               guard=_monitoring_alert),
)

def available(task: Task, roles: frozenset[R], actor=None) -> list[Transition]:
    """The rows these roles (of ``actor``) may take on ``task`` now: its state, their role, the guard."""
    return [t for t in TRANSITIONS if t.source == task.state and roles & t.roles and t.allows(task, roles, actor)]


def transition_for(action: str, task: Task, roles: frozenset[R], actor=None) -> Transition | None:
    """The row ``action`` takes for these roles on ``task`` now, or None if they may not."""
    return next((t for t in available(task, roles, actor) if t.action == action), None)


def _rated(task: Task, actor) -> bool:
    """Whether this proposer already rated the reply of the task's current round (one rating each)."""
    if actor is None or not getattr(actor, "pk", None):
        return bool(task.satisfaction)
    return Rating.objects.filter(task=task, round=task.round, proposer=actor).exists()


def rows_of(action: str, state: str | None = None) -> list[Transition]:
    """Every row of ``action`` (from ``state``): labels and forms for a move not available now."""
    return [t for t in TRANSITIONS if t.action == action and (state is None or t.source == state)]


def actions() -> list[str]:
    return list(dict.fromkeys(t.action for t in TRANSITIONS))


def _unit(value) -> Unit | None:
    if value is None or isinstance(value, Unit):
        return value
    return Unit.objects.filter(pk=value).first()


def _effects(t: Transition, task: Task, inputs: dict, actor=None) -> tuple[dict, dict, dict]:
    """What a transition changes: (fields, many-to-many sets, event data)."""
    fields: dict = {}
    sets: dict = {}
    data: dict = {k: str(inputs[k]).strip() for k in ("reason",) if inputs.get(k)}
    if t.action == "assign" and task.lead_unit_id is None:
        raise WorkflowError(_("Choose a lead unit before assigning."), "invalid")
    if t.action == "withdraw":
        fields["receipt_late"] = False
    if t.action == "request_reassignment":
        unit = _unit(inputs.get("unit"))
        if unit is not None:
            data["unit"] = unit.pk
    if t.action == "approve_reassignment":
        unit = _unit(inputs.get("unit")) or requested_unit(task)
        if unit is None:
            raise WorkflowError(_("Choose the unit that should lead."), "invalid")
        if unit.organisation().pk != task.organisation_id:
            raise WorkflowError(_("Choose a unit of this organisation."), "invalid")
        fields["lead_unit"] = unit
        fields["receipt_late"] = False  # the new unit's time to sign starts now
        fields["owner"] = None  # the new unit's signer will answer for it
        co = list(task.co_units.values_list("pk", flat=True))
        if unit.pk in co:  # the new lead is no longer a co-unit of its own task
            sets["co_units"] = [pk for pk in co if pk != unit.pk]
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
        fields.update(due_date=due, due_origin=DueOrigin.EXTENDED, escalation_level=0)  # late no more
        if task.original_due_date is None:
            fields["original_due_date"] = task.due_date
    if t.action == "risk_cleared":
        fields["closed_on_time"] = task.due_date is None or timezone.localdate() <= task.due_date
    if t.action == "close":
        fields["satisfaction"] = ""
        today = timezone.localdate()
        fields["closed_on_time"] = task.due_date is None or today <= task.due_date
        evaluation = inputs.get("evaluation") or ""
        if evaluation and evaluation not in Evaluation.values:
            raise WorkflowError(_("Choose an evaluation from the list."), "invalid")
        fields["evaluation"] = evaluation
        fields["target_met"] = inputs.get("target_met")
    if t.action == "submit" and not task.allow_open_subtasks:
        still_open = list(task.subtasks.exclude(state=State.CLOSED).order_by("pk").values_list("pk", flat=True))
        if still_open:
            raise WorkflowError(_("Parts passed down are still open (%(ids)s): close them first, or ask the "
                                  "supervision office to allow submitting without them.")
                                % {"ids": "、".join(f"#{pk}" for pk in still_open)}, "state")
    if t.action == "submit":
        waiting = list(CoOpinion.objects.filter(task=task, given_at__isnull=True).select_related("unit")
                       .order_by("unit__name"))
        went_ahead = str(inputs.get("went_ahead") or "").strip()
        if waiting and not went_ahead:
            raise WorkflowError(
                _("The opinions of %(units)s have not come yet: wait for them, or say why the unit goes ahead "
                  "without them.") % {"units": "、".join(o.unit.label for o in waiting)}, "invalid")
        if waiting:
            data["went_ahead"] = went_ahead
            data["without_opinions"] = [o.unit_id for o in waiting]
    if task.kind == Task.Kind.SUGGESTION:
        fields.update(_suggestion_effects(t, task, inputs, actor, data))
    if t.action == "accept":
        fields["signed_on_time"] = _signed_on_time(task)
        if task.owner_id is None and actor is not None:
            fields["owner"] = actor  # who signed is who answers for it (责任人), until changed
    if t.action == "rate":
        sat = inputs.get("satisfaction")
        if sat not in (Satisfaction.SATISFIED, Satisfaction.BASICALLY):
            raise WorkflowError(_("Choose satisfied or basically satisfied."), "invalid")
        # the task's rating is the least satisfied of its proposers' in this round
        given = set(Rating.objects.filter(task=task, round=task.round).values_list("value", flat=True))
        fields["satisfaction"] = Satisfaction.BASICALLY if Satisfaction.BASICALLY in given | {sat} else sat
        data["satisfaction"] = sat
        if inputs.get("comment"):
            data["comment"] = str(inputs["comment"]).strip()
    if t.action == "rate_unsatisfied":
        fields["satisfaction"] = Satisfaction.UNSATISFIED
        fields["round"] = task.round + 1  # another round of handling (办理轮次)
        data["satisfaction"] = Satisfaction.UNSATISFIED
    return fields, sets, data


def _suggestion_effects(t: Transition, task: Task, inputs: dict, actor, data: dict) -> dict:
    """A suggestion is answered by replies: the unit submits only with every proposer's reply signed
    off by the co-units; the office's closing is its review (the replies go out); a return sends
    them back to the unit."""
    if t.action == "submit":
        ready = Reply.objects.filter(task=task, round=task.round, follow_up=False, status=Reply.Status.REVIEW)
        answered = set(ready.values_list("proposer_id", flat=True))
        waiting = [] if None in answered else [p for p in task.proposers.order_by("pk") if p.pk not in answered]
        if not answered or waiting:
            names = "、".join(str(p) for p in waiting) or _("the proposers")
            raise WorkflowError(_("Submit when the reply to %(who)s is written and signed off by the co-units.")
                                % {"who": names}, "invalid")
        data["replies"] = sorted(ready.values_list("pk", flat=True))
    if t.action == "close":
        data["replies"] = sorted(Reply.objects.filter(task=task, round=task.round, status=Reply.Status.REVIEW)
                                 .values_list("pk", flat=True))
    return {}


def _after(t: Transition, task: Task, actor, inputs: dict) -> None:
    """What a move does beside the task row, in the same transaction."""
    if t.target == State.ASSIGNED:
        co_duties(task)
    # every proposer rates once per round, whatever the kind of task they raised
    if t.action == "rate":
        Rating.objects.create(task=task, round=task.round, proposer=actor, value=inputs["satisfaction"],
                              comment=str(inputs.get("comment") or "").strip())
    if t.action == "rate_unsatisfied":  # the rating belongs to the round now ended
        Rating.objects.create(task=task, round=task.round - 1, proposer=actor, value=Satisfaction.UNSATISFIED,
                              comment=str(inputs.get("reason") or "").strip())
    if task.kind != Task.Kind.SUGGESTION:
        return
    now = timezone.now()
    of_round = Reply.objects.filter(task=task, round=task.round, follow_up=False)
    if t.action == "close":
        of_round.filter(status=Reply.Status.REVIEW).update(status=Reply.Status.PUBLISHED, published_at=now)
    if t.action in ("return", "send_back"):
        of_round.filter(status__in=[Reply.Status.REVIEW, Reply.Status.COUNTERSIGN]).update(
            status=Reply.Status.DRAFT, note=str(inputs.get("reason") or "").strip())


def _signed_on_time(task: Task) -> bool:
    """Signed for within the organisation's working days after it was assigned (签收时限)."""
    if task.assigned_at is None:
        return True
    limit = calendar_for(task.organisation).add(timezone.localdate(task.assigned_at),
                                                task.organisation.receipt_days)
    return timezone.localdate() <= limit


def _extra(t: Transition) -> dict:
    """Timestamps a move sets (not accounted by the journal: the event has its own time)."""
    if t.target == State.CLOSED and t.source != State.CLOSED:
        return {"closed_at": timezone.now()}
    if t.target == State.REOPENED:
        return {"closed_at": None}
    if t.target == State.ASSIGNED and t.action != "reject_reassignment":
        return {"assigned_at": timezone.now()}  # the time to sign for it starts (again)
    if t.target == State.DRAFT:
        return {"assigned_at": None}
    return {}


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


def perform(task: Task | int, action: str, actor, *, version: int, system: bool = False, **inputs) -> Task:
    """Take ``action`` on ``task`` as ``actor``; returns the task as it now stands.

    ``system``: the system acts (``actor`` None, journaled as "the system"), with the rows of the
    system role only; no user ever holds that role.

    ``version`` is the version the actor saw; if the task changed since, nothing is done.
    ``inputs`` are what the transition needs: reason, unit, due_date, satisfaction.
    """
    pk = task.pk if isinstance(task, Task) else task
    with transaction.atomic():
        current = changes.locked(pk)
        if system and actor is not None:
            raise WorkflowError(_("Unknown action."), "invalid")
        roles = NO_ROLES if current is None else SYSTEM_ROLES if system else task_roles(actor, current)
        if current is None or not roles:
            raise WorkflowError(_("No such task."), "not_found")
        if current.version != version:
            raise changes.stale()
        t = transition_for(action, current, roles, actor)
        if t is None:
            if action not in actions():
                raise WorkflowError(_("Unknown action."), "invalid")
            if rows_of(action, current.state):
                raise WorkflowError(_("Your role does not allow this on this task."), "forbidden")
            raise WorkflowError(
                _("This cannot be done while the task is “%(state)s”.") % {"state": current.get_state_display()},
                "state",
            )
        if "reason" in t.needs and not str(inputs.get("reason") or "").strip():
            raise WorkflowError(_("Give a reason."), "invalid")
        fields, sets, data = _effects(t, current, inputs, actor)
        changes.write(current, actor, action, expect_version=version, state=t.target, fields=fields, sets=sets,
                      data=data, extra=_extra(t))
        _after(t, current, actor, inputs)
    return Task.objects.select_related("organisation").get(pk=pk)


def co_duties(task: Task) -> None:
    """Each co-unit's duty to give its opinion by its own date, from the task's assignment; a unit
    that now leads the task owes no opinion to itself (unless it gave one already)."""
    units = set(task.co_units.values_list("pk", flat=True))
    CoOpinion.objects.filter(task=task, given_at__isnull=True).exclude(unit__in=units).delete()
    have = set(CoOpinion.objects.filter(task=task).values_list("unit_id", flat=True))
    if units - have:
        cal = calendar_for(task.organisation)
        due = Span.parse(task.organisation.co_opinion_within or "20wd").apply(cal, timezone.localdate())
        if task.due_date and due > task.due_date:
            due = task.due_date  # an opinion is of no use after the task is due
        CoOpinion.objects.bulk_create([CoOpinion(task=task, unit_id=u, due_date=due) for u in units - have])
