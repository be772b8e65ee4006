"""The light of a task, derived, never stored.

red: overdue (open past its due date); yellow: due within the warning window, or no
progress for too long; green: otherwise. Drafts and closed tasks have no light ("none").
`light_of` judges one task; `light_q` is the same rule as a query filter, so that lists
can filter by light in the database.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from luoshi.tasks.models import State, Task

LIGHTS = ("red", "yellow", "green", "none")
_DARK = (State.DRAFT, State.CLOSED)


def _limits(today: dt.date | None) -> tuple[dt.date, dt.date, dt.datetime]:
    today = today or timezone.localdate()
    warn = today + dt.timedelta(days=settings.LUOSHI["WARNING_DAYS"])
    stale = timezone.now() - dt.timedelta(days=settings.LUOSHI["STALE_DAYS"])
    return today, warn, stale


def light_of(task: Task, today: dt.date | None = None) -> str:
    if task.state in _DARK:
        return "none"
    today, warn, stale = _limits(today)
    if task.due_date and task.due_date < today:
        return "red"
    last = task.last_progress_at or task.created_at
    if (task.due_date and task.due_date <= warn) or (
        task.state in (State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.RETURNED, State.REOPENED)
        and last is not None
        and last < stale
    ):
        return "yellow"
    return "green"


def light_q(light: str, today: dt.date | None = None) -> Q:
    """A filter that selects the tasks whose light is ``light``."""
    today, warn, stale = _limits(today)
    dark = Q(state__in=_DARK)
    red = ~dark & Q(due_date__lt=today)
    working = Q(state__in=[State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.RETURNED, State.REOPENED])
    silent = working & (Q(last_progress_at__lt=stale) | (Q(last_progress_at__isnull=True) & Q(created_at__lt=stale)))
    yellow = ~dark & ~red & (Q(due_date__lte=warn) | silent)
    if light == "red":
        return red
    if light == "yellow":
        return yellow
    if light == "green":
        return ~dark & ~red & ~yellow
    if light == "none":
        return dark
    raise ValueError(f"unknown light {light!r}")
