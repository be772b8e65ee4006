"""The journal of a task as people read it: who, when, what, why.

Turns stored events (codes, primary keys, ISO dates in `Event.data`) into labelled entries
for the detail page. Transition labels come from `workflow.TRANSITIONS`, so the timeline
and the buttons always use the same words. Reads only; a fixed number of queries per task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from luoshi.org.models import Unit
from luoshi.tasks.models import Attachment, Event, Satisfaction, State, Task
from luoshi.tasks.workflow import TRANSITIONS

OTHER_ACTIONS = {
    "created": _("Created as a draft"),
    "edited": _("Edited"),
    "progress": _("Progress report"),
    "comment": _("Comment"),
    "instruction": _("Instruction (批示)"),
    "source_linked": _("Another source linked (多头交办)"),
    "accounted": _("Fields recorded in the journal"),
    "acknowledge": _("Instruction acknowledged (已阅)"),
    "urge": _("Urged (催办)"),
    "remind": _("Reminder before the due date (到期提醒)"),
    "overdue": _("Overdue (逾期)"),
    "escalate": _("Escalated (预警升级)"),
    "receipt_overdue": _("Not signed for in time (签收超时)"),
    "stale": _("No recent progress (长期未报进展)"),
    "behind": _("Behind schedule (进度滞后)"),
    "on_schedule": _("Back on schedule"),
    "milestone_added": _("Milestone planned (节点)"),
    "milestone_done": _("Milestone done (节点完成)"),
    "co_opinion": _("Co-unit's opinion (协办意见)"),
    "co_remind": _("Reminder: co-unit's opinion due"),
    "co_overdue": _("Co-unit's opinion overdue"),
    "notice_issued": _("Supervision notice issued (督办通知单)"),
    "handed_down": _("A part passed down (转办)"),
    "open_parts_allowed": _("Allowed to submit with parts still open"),
    "reply_written": _("Reply drafted (建议答复)"),
    "reply_sent": _("Reply sent for sign-off (会签)"),
    "reply_countersigned": _("Reply signed off (会签同意)"),
    "reply_disputed": _("Reply not signed off"),
    "follow_up_written": _("Follow-up reply written"),
    "follow_up_sent": _("Follow-up reply sent"),
    "follow_up_due": _("Follow-up reply due"),
}


@dataclass
class Detail:
    label: str
    value: object
    after: object = None
    is_change: bool = False  # shown as "value → after"


@dataclass
class Entry:
    event: Event
    kind: str  # css hook: transition, progress, comment, instruction, created, edited, other
    title: str
    from_state: str = ""
    to_state: str = ""
    details: list[Detail] = field(default_factory=list)
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def transition_label(action: str, from_state: str = "", to_state: str = "") -> str:
    rows = [t for t in TRANSITIONS if t.action == action]
    exact = [t for t in rows if t.source == from_state and t.target == to_state]
    row = (exact or rows or [None])[0]
    return str(row.label) if row else action


def _state_label(code: str) -> str:
    try:
        return str(State(code).label)
    except ValueError:
        return code


def _date(iso) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except (TypeError, ValueError):
        return None


def _field_value(name: str, value, units: dict[int, Unit]):
    """An edited field's stored value (codes, pks, ISO dates) as something to show."""
    if value in (None, "", []):
        return "—"
    if name == "lead_unit":
        return units.get(value, value)
    if name == "co_units":
        return "、".join(str(units.get(pk, pk)) for pk in value)
    if name == "due_date":
        return _date(value) or value
    try:
        f = Task._meta.get_field(name)
    except FieldDoesNotExist:  # an old event may name a field that no longer exists
        return value
    return dict(f.flatchoices).get(value, value) if f.choices else value


# changes not shown as "old → new": bookkeeping, or said otherwise in the entry
QUIET_CHANGES = {"due_origin", "original_due_date", "satisfaction", "items", "proposers", "organisation",
                 # marks of the scan and of urging, said by the entry's own title and details
                 "urge_count", "escalation_level", "behind_schedule", "overdue_for", "receipt_late",
                 "signed_on_time", "closed_on_time", "owner", "allow_open_subtasks"}
# what the creation entry shows of the task it made
CREATED_SHOWS = ("lead_unit", "due_date")


def entries(task: Task, *, latest: int | None = None, before: int | None = None) -> list[Entry]:
    """The task's events, oldest first, ready to show: all of them, or the ``latest`` ones (of
    those numbered below ``before``), so that a task with a long history shows a page of it."""
    events = Event.objects.filter(task=task).select_related("actor", "progress", "progress__unit")
    if before is not None:
        events = events.filter(seq__lt=before)
    if latest is not None:  # the (task, seq) unique index gives the newest first without a sort
        events = list(events.prefetch_related("progress__attachments").order_by("-seq")[:latest])[::-1]
    else:
        events = list(events.prefetch_related("progress__attachments").order_by("seq"))
    unit_ids: set[int] = set()
    for e in events:
        if isinstance(e.data.get("unit"), int):
            unit_ids.add(e.data["unit"])
        unit_ids.update(u for u in e.data.get("without_opinions") or [] if isinstance(u, int))
        for name, change in (e.data.get("changes") or {}).items():
            if name in ("lead_unit", "co_units"):
                for v in change:
                    unit_ids.update(v if isinstance(v, list) else [v] if isinstance(v, int) else [])
    units = Unit.objects.in_bulk(unit_ids) if unit_ids else {}

    out = []
    for e in events:
        d = e.data or {}
        if e.action in OTHER_ACTIONS:
            entry = Entry(e, e.action, str(OTHER_ACTIONS[e.action]))
        elif any(t.action == e.action for t in TRANSITIONS):
            entry = Entry(e, "transition", transition_label(e.action, e.from_state, e.to_state))
        else:
            entry = Entry(e, "other", e.action)
        if e.from_state and e.to_state and e.from_state != e.to_state:
            entry.from_state, entry.to_state = _state_label(e.from_state), _state_label(e.to_state)
        elif e.action == "created":
            entry.to_state = _state_label(e.to_state)
        if d.get("reason"):
            entry.text = d["reason"]
        if d.get("text"):
            entry.text = d["text"]
        if d.get("unit") and e.action in ("request_reassignment",):
            entry.details.append(Detail(_("Unit asked for"), units.get(d["unit"], d["unit"])))
        if e.action == "request_extension":
            entry.details.append(Detail(_("New due date asked for"), _date(d.get("due_date"))))
        if e.action in ("remind", "overdue", "co_remind", "co_overdue") and d.get("due_date"):
            entry.details.append(Detail(_("Due date"), _date(d["due_date"])))
        if e.action == "escalate" and d.get("level"):
            entry.details.append(Detail(_("Level"), d["level"]))
        if e.action in ("co_opinion", "co_remind", "co_overdue") and d.get("unit"):
            entry.details.append(Detail(_("Co-unit"), units.get(d["unit"], d["unit"])))
        if e.action == "notice_issued" and d.get("number"):
            entry.details.append(Detail(_("Number"), d["number"]))
        if e.action == "handed_down":
            entry.text = d.get("title", "")
            entry.details.append(Detail(_("To unit"), units.get(d.get("unit"), d.get("unit"))))
            entry.details.append(Detail(_("As task"), f"#{d.get('part')}"))
        if e.action in ("milestone_added", "milestone_done") and d.get("title"):
            entry.text = d["title"]
        if e.action == "submit" and d.get("went_ahead"):
            entry.details.append(Detail(_("Went ahead without the opinions of"),
                                        "、".join(str(units.get(u, u)) for u in d.get("without_opinions", []))))
            entry.details.append(Detail(_("Because"), d["went_ahead"]))
        changed = d.get("changes") or {}
        if e.action == "created":
            for name in CREATED_SHOWS:
                if isinstance(changed.get(name), list) and changed[name][1] not in (None, ""):
                    entry.details.append(Detail(_label(name), _field_value(name, changed[name][1], units)))
            changed = {}
        if e.action == "accounted":  # a baseline written when the journal began to record fields
            changed = {}
        for name, change in changed.items():
            if name in QUIET_CHANGES or not (isinstance(change, list) and len(change) == 2):
                continue
            old, new = (_field_value(name, v, units) for v in change)
            entry.details.append(Detail(_label(name), old, new, is_change=True))
        sat = (changed.get("satisfaction") or [None, None])[1]
        if sat:
            try:
                entry.details.append(Detail(_("Rating"), Satisfaction(sat).label))
            except ValueError:
                entry.details.append(Detail(_("Rating"), sat))
        progress = getattr(e, "progress", None) if e.action == "progress" else None
        if progress is not None:
            if progress.unit is not None:
                entry.details.append(Detail(_("Unit"), progress.unit))
            entry.attachments = list(progress.attachments.all())
        out.append(entry)
    return out


def _label(name: str):
    try:
        return Task._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name
