"""Answering a suggestion as the rules for deputies' suggestions have it: written replies with a class.

The lead unit writes a reply to each proposer — or one to all of them, when several suggestions
are handled together (并案办理) and one answer fits — with its class: A solved or adopted, B being
solved, C planned (both promise a follow-up reply by a date), D kept for reference (with the
reason). The co-units sign it off (会签); a co-unit that does not agree sends it back to the
draft with what it would change. The unit submits the task when every proposer's reply is
signed off; the supervision office's closing is its review, and the replies go to the proposers,
who rate them on one form. An unsatisfied rating starts another round (办理轮次) with new
replies. Every step is a journal event of the task.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi import access
from luoshi.tasks import changes
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Countersign, Reply, ReplyClass, Task
from luoshi.tasks.roles import task_roles

PROMISE_FOLLOW_UP = (ReplyClass.B, ReplyClass.C)


def _locked_for(task_id: int, actor, permission: str, refusal: str) -> Task:
    current = changes.locked(task_id)
    if current is None or not task_roles(actor, current):
        raise WorkflowError(_("No such task."), "not_found")
    if not access.can(actor, permission, current):
        raise WorkflowError(refusal, "forbidden")
    return current


def _validate(task: Task, category: str, text: str, reason: str, follow_up_date: dt.date | None,
              proposer) -> None:
    if category not in ReplyClass.values:
        raise WorkflowError(_("Choose the reply's class: A, B, C or D."), "invalid")
    if not text.strip():
        raise WorkflowError(_("Write the reply."), "invalid")
    if category == ReplyClass.D and not reason.strip():
        raise WorkflowError(_("A reply kept for reference (D) says why."), "invalid")
    if category in PROMISE_FOLLOW_UP and (follow_up_date is None or follow_up_date <= timezone.localdate()):
        raise WorkflowError(_("A B or C reply promises a follow-up reply: give a date after today."), "invalid")
    if proposer is not None and not task.proposers.filter(pk=proposer.pk).exists():
        raise WorkflowError(_("Reply to a proposer of this suggestion."), "invalid")


def write(task: Task, actor, *, category: str, text: str, proposer=None, reason: str = "",
          follow_up_date: dt.date | None = None) -> Reply:
    """The lead unit writes (or rewrites) the draft reply of this round to ``proposer`` (None: to all)."""
    with transaction.atomic():
        current = _locked_for(task.pk, actor, "write_reply",
                              _("The lead unit writes the reply while it handles the suggestion."))
        _validate(current, category, text, reason, follow_up_date, proposer)
        if category not in PROMISE_FOLLOW_UP:
            follow_up_date = None
        reply = Reply.objects.filter(task=current, round=current.round, proposer=proposer, follow_up=False).first()
        if reply is not None and reply.status != Reply.Status.DRAFT:
            raise WorkflowError(_("This reply is being signed off or reviewed: it cannot be changed now."), "state")
        fields = {"category": category, "text": text.strip(), "reason": reason.strip(),
                  "follow_up_date": follow_up_date, "drafted_by": actor}
        if reply is None:
            reply = Reply.objects.create(task=current, round=current.round, proposer=proposer, **fields)
        else:
            Reply.objects.filter(pk=reply.pk).update(**fields, updated_at=timezone.now())
        changes.write(current, actor, "reply_written", data={
            "reply": reply.pk, "round": current.round, "to": proposer.pk if proposer else None,
            "category": category})
    return Reply.objects.get(pk=reply.pk)


def send(reply: Reply, actor) -> Reply:
    """The draft goes to the co-units for sign-off (会签), or straight to review if there are none."""
    with transaction.atomic():
        current = _locked_for(reply.task_id, actor, "write_reply",
                              _("The lead unit sends its reply for sign-off."))
        co = list(current.co_units.values_list("pk", flat=True))
        target = Reply.Status.COUNTERSIGN if co else Reply.Status.REVIEW
        if Reply.objects.filter(pk=reply.pk, status=Reply.Status.DRAFT).update(status=target, note="") != 1:
            raise WorkflowError(_("Only a draft reply is sent for sign-off."), "state")
        Countersign.objects.filter(reply=reply).delete()  # a new sign-off for a changed draft
        changes.write(current, actor, "reply_sent", data={"reply": reply.pk, "to": target})
    return Reply.objects.get(pk=reply.pk)


def countersign(reply: Reply, actor, *, agreed: bool, comment: str = "") -> Reply:
    """A co-unit signs the reply off, or sends it back to the draft with what it would change."""
    comment = comment.strip()
    if not agreed and not comment:
        raise WorkflowError(_("Say what the reply should change."), "invalid")
    with transaction.atomic():
        current = _locked_for(reply.task_id, actor, "countersign_reply",
                              _("The co-units sign off the lead unit's reply."))
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if reply.status != Reply.Status.COUNTERSIGN:
            raise WorkflowError(_("This reply is not awaiting the co-units' sign-off."), "state")
        mine = {m.unit_id for m in actor.memberships.all()}
        co = set(current.co_units.values_list("pk", flat=True))
        signed = set(Countersign.objects.filter(reply=reply).values_list("unit_id", flat=True))
        unit = min((mine & co) - signed, default=None)
        if unit is None:
            raise WorkflowError(_("Your unit has signed this reply off already."), "state")
        Countersign.objects.create(reply=reply, unit_id=unit, agreed=agreed, comment=comment, by=actor)
        if not agreed:
            Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.DRAFT, note=comment)
        elif co <= signed | {unit}:
            Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.REVIEW)
        changes.write(current, actor, "reply_countersigned" if agreed else "reply_disputed",
                      data={"reply": reply.pk, "unit": unit, "comment": comment})
    return Reply.objects.get(pk=reply.pk)


def write_follow_up(task: Task, actor, *, category: str, text: str, proposer=None) -> Reply:
    """The follow-up reply a B or C reply promised, written once the task is closed."""
    with transaction.atomic():
        current = _locked_for(task.pk, actor, "write_follow_up",
                              _("The lead unit writes the follow-up reply it promised."))
        if not Reply.objects.filter(task=current, status=Reply.Status.PUBLISHED,
                                    category__in=PROMISE_FOLLOW_UP).exists():
            raise WorkflowError(_("No reply of this suggestion promised a follow-up."), "state")
        if category not in ReplyClass.values or not text.strip():
            raise WorkflowError(_("Choose the follow-up's class and write it."), "invalid")
        if proposer is not None and not current.proposers.filter(pk=proposer.pk).exists():
            raise WorkflowError(_("Reply to a proposer of this suggestion."), "invalid")
        reply = Reply.objects.create(task=current, round=current.round, proposer=proposer, follow_up=True,
                                     category=category, text=text.strip(), status=Reply.Status.REVIEW,
                                     drafted_by=actor)
        changes.write(current, actor, "follow_up_written", data={"reply": reply.pk, "category": category})
    return reply


def publish_follow_up(reply: Reply, actor) -> Reply:
    """The supervision office reviews the follow-up reply and sends it to the proposer."""
    with transaction.atomic():
        current = _locked_for(reply.task_id, actor, "publish_follow_up",
                              _("The supervision office sends follow-up replies on."))
        if Reply.objects.filter(pk=reply.pk, follow_up=True, status=Reply.Status.REVIEW).update(
                status=Reply.Status.PUBLISHED, published_at=timezone.now()) != 1:
            raise WorkflowError(_("Only a follow-up reply awaiting review is sent on."), "state")
        changes.write(current, actor, "follow_up_sent", data={"reply": reply.pk})
    return Reply.objects.get(pk=reply.pk)


def visible_replies(user, task: Task):
    """The replies ``user`` may read: a proposer reads those sent to them or to all; the units and
    the office read every one."""
    roles = task_roles(user, task)
    replies = Reply.objects.filter(task=task).select_related("proposer", "drafted_by").prefetch_related(
        "countersigns__unit").order_by("round", "follow_up", "pk")
    if roles & {access.TaskRole.SUPERVISOR, access.TaskRole.LEAD_HANDLER, access.TaskRole.LEAD_HEAD,
                access.TaskRole.CO_HANDLER, access.TaskRole.CO_HEAD}:
        return replies
    if access.TaskRole.PROPOSER in roles:
        return replies.filter(Q(proposer=user) | Q(proposer__isnull=True), status=Reply.Status.PUBLISHED)
    if access.TaskRole.LEADER in roles:
        return replies.filter(status=Reply.Status.PUBLISHED)
    return replies.none()
