"""Which templates a text field is offered: those of the task's organisation for that field,
in any state or the task's own."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from luoshi.answers.models import AnswerTemplate, Purpose
from luoshi.tasks.models import Task

# (form prefix, field name) of the task page's text fields → what templates they take.
# A transition's form is prefixed with its action, so its reason is found by the action.
FIELDS: dict[tuple[str, str], str] = {
    ("return", "reason"): Purpose.RETURN,
    ("urge", "reason"): Purpose.URGE,
    ("close", "reason"): Purpose.CLOSE,
    ("progress", "text"): Purpose.PROGRESS,
    ("request_extension", "reason"): Purpose.EXTENSION,
    ("reject_extension", "reason"): Purpose.REJECT_EXTENSION,
    ("submit", "reason"): Purpose.SUBMIT,
    ("send_back", "reason"): Purpose.SEND_BACK,
    ("reopen", "reason"): Purpose.REOPEN,
    ("reply", "text"): Purpose.REPLY,
}


def purpose_of(prefix: str | None, name: str) -> str | None:
    """What a form field (by its form's prefix and its name) is filled with, or None."""
    return FIELDS.get((prefix or "", name))


def offered(task: Task, purpose: str) -> QuerySet[AnswerTemplate]:
    """The templates of ``task``'s organisation for ``purpose``, usable in the task's state."""
    return (AnswerTemplate.objects.filter(organisation_id=task.organisation_id, purpose=purpose)
            .filter(Q(state="") | Q(state=task.state)).order_by("reply_class", "title"))


def kept(organisation) -> QuerySet[AnswerTemplate]:
    """Every template of ``organisation``, for the page that keeps them."""
    return AnswerTemplate.objects.filter(organisation=organisation).select_related("updated_by")


def offered_in_bulk(organisation, purposes: tuple[str, ...]) -> QuerySet[AnswerTemplate]:
    """The templates the task list's bulk bar offers for its one reason field: ``organisation``'s
    for any of ``purposes`` (the rows may be in any state, so state-bound ones are left out)."""
    if organisation is None:
        return AnswerTemplate.objects.none()
    return (AnswerTemplate.objects.filter(organisation=organisation, purpose__in=purposes, state="")
            .order_by("purpose", "title"))
