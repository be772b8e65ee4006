"""What a notification says, in the active language: the kind's name, what happened, the email
and the robot's message. Transition names come from the workflow's table through the timeline,
so a notification uses the words of the task page's buttons and history.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.tasks.models import Event, Task
from luoshi.tasks.timeline import OTHER_ACTIONS, transition_label

# the reminders and warnings the scheduler writes (no transition, no timeline entry of their own)
SCHEDULER_KINDS = {
    "remind": gettext_lazy("Reminder before the due date (到期提醒)"),
    "overdue": gettext_lazy("Overdue (逾期)"),
    "escalate": gettext_lazy("Escalated (预警升级)"),
    "urge": gettext_lazy("Urged (催办)"),
    "receipt_overdue": gettext_lazy("Not signed for in time (签收超时)"),
    "stale": gettext_lazy("No recent progress (长期未报进展)"),
    "behind": gettext_lazy("Behind schedule (进度滞后)"),
}

NOTE_CHARS = 300  # how much of a reason or a comment a notification repeats


def kind_label(kind: str) -> str:
    if kind in SCHEDULER_KINDS:
        return str(SCHEDULER_KINDS[kind])
    if kind in OTHER_ACTIONS:
        return str(OTHER_ACTIONS[kind])
    return transition_label(kind)


def _date(iso) -> str:
    try:
        return date_format(dt.date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso or "—")


def describe(event: Event) -> str:
    """What happened, in a few words: "Assign", "Due in 3 days (31 March 2025)"."""
    d = event.data or {}
    if event.action == "remind":
        return _("Due in %(days)s days (%(date)s)") % {"days": d.get("days_left", "?"),
                                                        "date": _date(d.get("due_date"))}
    if event.action == "overdue":
        return _("Overdue: it was due on %(date)s") % {"date": _date(d.get("due_date"))}
    if event.action == "escalate":
        return _("Escalated to level %(level)s") % {"level": d.get("level", "?")}
    if event.action in SCHEDULER_KINDS or event.action in OTHER_ACTIONS:
        return kind_label(event.action)
    return transition_label(event.action, event.from_state, event.to_state)


def note(event: Event) -> str:
    """The words that came with the event (a reason, a comment, an instruction), shortened."""
    d = event.data or {}
    text = str(d.get("reason") or d.get("text") or "").strip()
    return text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1] + "…"


def actor_name(event: Event) -> str:
    return str(event.actor) if event.actor_id else _("Luoshi (automatic)")


def task_url(task_id: int) -> str:
    """The task's address; absolute when the deployment says where it is served (LUOSHI_BASE_URL)."""
    return settings.LUOSHI.get("BASE_URL", "").rstrip("/") + reverse("tasks:detail", args=[task_id])


def _context(event: Event, task: Task) -> dict:
    return {
        "task": task, "what": describe(event), "who": actor_name(event), "note": note(event),
        "at": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"), "url": task_url(task.pk),
        "settings_url": settings.LUOSHI.get("BASE_URL", "").rstrip("/") + reverse("notify:settings"),
    }


def email(event: Event, task: Task) -> tuple[str, str]:
    """(subject, body) of the email telling someone of ``event``."""
    subject = _("[Luoshi] %(what)s: #%(pk)s %(title)s") % {"what": describe(event), "pk": task.pk,
                                                             "title": task.title}
    body = render_to_string("notify/email.txt", _context(event, task))
    return " ".join(subject.split())[:200], body


def robot_text(event: Event, task: Task) -> str:
    """The plain text a group robot posts."""
    return render_to_string("notify/robot.txt", _context(event, task)).strip()


def robot_markdown(event: Event, task: Task) -> tuple[str, str]:
    """(title, markdown) a group robot posts."""
    title = _("Luoshi: %(what)s #%(pk)s") % {"what": describe(event), "pk": task.pk}
    return title, render_to_string("notify/robot.md", _context(event, task)).strip()


def trial_message() -> tuple[str, str]:
    """(title, text) of the message the webhook page's test button sends."""
    return _("Luoshi: test message"), _("This is a test message from Luoshi (落实). The robot is set up correctly.")
