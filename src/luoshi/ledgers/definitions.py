"""The four ledgers (四账) and their columns, as data.

A ledger is a kind of row (tasks, or units and people) and the columns that may be shown of
it; which of them an organisation shows, in which order, is configuration kept at
/ledgers/<name>/columns/ (`LedgerColumns`). The page, the .xlsx export and the API read the
same rows from `luoshi.ledgers.queries` and the same columns from here, so they cannot differ.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.forms import LIGHT_CHOICES
from luoshi.tasks.lights import light_of

LIGHT_TEXT = dict(LIGHT_CHOICES)


@functools.lru_cache(maxsize=32)
def _light_texts(language: str) -> dict[str, str]:
    return {k: str(v) for k, v in LIGHT_TEXT.items()}


def _light_text(light: str) -> str:
    return _light_texts(get_language() or "").get(light, "")


class _LightColumn:
    """The light's words; ``prepared`` gives a faster reader for a whole export in one language."""

    def __call__(self, t) -> str:
        return _light_text(light_of(t))

    def prepared(self, language: str):
        texts = _light_texts(language)
        return lambda t: texts.get(light_of(t), "")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str  # text, int, date, percent, bool: how a page and a spreadsheet show the value
    value: Callable[[object], object]
    width: int = 12  # in characters, for the spreadsheet
    default: bool = True  # shown unless the organisation chose otherwise
    link: Callable[[object], str | None] | None = field(default=None, compare=False)
    # the task fields the value reads, so an export loads only those (None: it may read any)
    reads: tuple[str, ...] | None = field(default=None, compare=False)

    def reader(self, language: str) -> Callable[[object], object]:
        """The value function to call for many rows in one language and time zone (an export)."""
        prepare = getattr(self.value, "prepared", None)
        return prepare(language) if prepare else self.value


@dataclass(frozen=True)
class Ledger:
    key: str
    label: str
    about: str
    columns: tuple[Column, ...]
    rows: str  # "tasks" or "units"
    period_on: str  # which date the period filter applies to

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def default_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.default]


def _date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


class _LocalDate:
    """A moment's local date (a task made on …); ``prepared`` looks the time zone up once for an
    export instead of once a cell."""

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def __call__(self, t) -> dt.date | None:
        return _date(getattr(t, self.attr))

    def prepared(self, language: str):
        tz, attr = timezone.get_current_timezone(), self.attr
        return lambda t: v.astimezone(tz).date() if (v := getattr(t, attr)) is not None else None


def _task_link(t) -> str:
    return reverse("tasks:detail", args=[t.pk])


def _co_units(t) -> str:
    labels = getattr(t, "co_labels", None)  # loaded for a whole page or chunk at once (queries.decorate)
    if labels is None:
        labels = [u.label for u in t.co_units.all()]
    return "、".join(labels)


@functools.lru_cache(maxsize=64)
def _labels(field: str, language: str) -> dict[str, str]:
    """A choice field's labels in a language, read once: an export calls them per row."""
    from luoshi.tasks.models import Task

    return {value: str(label) for value, label in Task._meta.get_field(field).flatchoices}


class _Choice:
    """A choice field's label; ``prepared`` reads the labels once for a whole export (asking
    for the active language per cell cost a tenth of a 100,000-row export)."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, t) -> str:
        return self.prepared(get_language() or "")(t)

    def prepared(self, language: str):
        labels, field = _labels(self.field, language), self.field
        return lambda t: labels[code] if (code := getattr(t, field)) else ""


def _choice(field: str) -> _Choice:
    return _Choice(field)


def _days_late(t) -> int | None:
    """Working the figure offices keep: how many days past the due date (open: until today;
    closed: until the day it was closed). None when not late."""
    if t.due_date is None:
        return None
    end = _date(t.closed_at) if t.closed_at else timezone.localdate()
    days = (end - t.due_date).days
    return days if days > 0 else None


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes")) if value else str(_("no"))


NUMBER = Column("number", _("No."), "int", lambda t: t.pk, 8, link=_task_link, reads=("id",))
TITLE = Column("title", _("Task"), "text", lambda t: t.title, 40, link=_task_link, reads=("title",))
LEAD = Column("lead_unit", _("Lead unit"), "text", lambda t: t.lead_unit.label if t.lead_unit else "", 20,
              reads=("lead_unit", "lead_unit__name", "lead_unit__short_name"))
STATE = Column("state", _("State"), "text", _choice("state"), 10, reads=("state",))

TASKS = Ledger("tasks", _("Tasks (任务账)"), _("Every task with its unit, state, light and due date."), (
    NUMBER, TITLE,
    Column("kind", _("Kind"), "text", _choice("kind"), 12, reads=("kind",)),
    STATE,
    Column("light", _("Light"), "text", _LightColumn(), 14, reads=("state",)),
    LEAD,
    Column("co_units", _("Co-units"), "text", _co_units, 24, reads=()),
    Column("owner", _("Person responsible"), "text", lambda t: str(t.owner or ""), 12,
           reads=("owner", "owner__username", "owner__display_name")),
    Column("leader", _("Leader"), "text", lambda t: str(t.leader or t.issuer_name or ""), 10,
           reads=("leader", "leader__username", "leader__display_name", "issuer_name")),
    Column("source", _("Source"), "text", lambda t: getattr(t, "source_title", "") or "", 30, reads=()),
    Column("created", _("Made on"), "date", _LocalDate("created_at"), 12, reads=("created_at",)),
    Column("due_date", _("Due date"), "date", lambda t: t.due_date, 12, reads=("due_date",)),
    Column("progress", _("Progress"), "percent", lambda t: t.progress_percent, 8, reads=("progress_percent",)),
    Column("urged", _("Times urged"), "int", lambda t: t.urge_count, 8, reads=("urge_count",)),
    Column("priority", _("Priority"), "text", _choice("priority"), 8, default=False, reads=("priority",)),
    Column("target", _("Target"), "text", lambda t: t.target, 30, default=False, reads=("target",)),
    Column("description", _("Description"), "text", lambda t: t.description, 50, default=False, reads=("description",)),
), rows="tasks", period_on="created_at")

TIME = Ledger("time", _("Time (时间账)"),
              _("Deadlines, milestones, extensions with both dates, and days overdue."), (
    NUMBER, TITLE, LEAD, STATE,
    Column("assigned", _("Assigned on"), "date", _LocalDate("assigned_at"), 12, reads=("assigned_at",)),
    Column("due_date", _("Due date"), "date", lambda t: t.due_date, 12, reads=("due_date",)),
    Column("original_due_date", _("First due date"), "date", lambda t: t.original_due_date, 12,
           reads=("original_due_date",)),
    Column("extensions", _("Extensions"), "int", lambda t: t.extensions, 8, reads=()),
    Column("milestones", _("Milestones done"), "text",
           lambda t: f"{t.milestones_done}/{t.milestones_total}" if t.milestones_total else "", 10, reads=()),
    Column("next_milestone", _("Next milestone"), "date", lambda t: t.next_milestone, 12, reads=()),
    Column("days_late", _("Days overdue"), "int", _days_late, 10, reads=("due_date", "closed_at")),
    Column("closed", _("Closed on"), "date", _LocalDate("closed_at"), 12, reads=("closed_at",)),
), rows="tasks", period_on="created_at")

RESULTS = Ledger("results", _("Results (成效账)"),
                 _("Closed tasks: on time or late, targets met, evaluations and ratings."), (
    NUMBER, TITLE, LEAD,
    Column("closed", _("Closed on"), "date", _LocalDate("closed_at"), 12, reads=("closed_at",)),
    Column("on_time", _("On time"), "text", lambda t: _yes_no(t.closed_on_time), 8, reads=("closed_on_time",)),
    Column("days_late", _("Days late"), "int", _days_late, 8, reads=("due_date", "closed_at")),
    Column("target", _("Target"), "text", lambda t: t.target, 30, reads=("target",)),
    Column("target_met", _("Target met"), "text", lambda t: _yes_no(t.target_met), 8, reads=("target_met",)),
    Column("evaluation", _("Evaluation"), "text", _choice("evaluation"), 8, reads=("evaluation",)),
    Column("satisfaction", _("Rating"), "text", _choice("satisfaction"), 10, reads=("satisfaction",)),
    Column("urged", _("Times urged"), "int", lambda t: t.urge_count, 8, reads=("urge_count",)),
), rows="tasks", period_on="closed_at")


def _count_link(flag: str, role: str = "lead"):
    def link(row) -> str:
        query = f"?unit={row.unit.pk}&role={role}" + (f"&flag={flag}" if flag else "")
        if getattr(row, "owner", None) is not None:
            query += f"&owner={row.owner.pk}"
        return reverse("ledgers:page", args=["tasks"]) + query + row.period_query
    return link


RESPONSIBILITY = Ledger("responsibility", _("Responsibility (责任账)"),
                        _("By unit and person: tasks led and co-handled, closed on time, overdue, urged."), (
    Column("unit", _("Unit"), "text", lambda r: r.unit.label, 22),
    Column("person", _("Person responsible"), "text", lambda r: str(r.owner or "") if r.by_person else "", 12),
    Column("led", _("Led"), "int", lambda r: r.led, 8, link=_count_link("")),
    Column("co_handled", _("Co-handled"), "int", lambda r: r.co_handled, 8, link=_count_link("", "co")),
    Column("open", _("Open"), "int", lambda r: r.open, 8, link=_count_link("open")),
    Column("closed", _("Closed"), "int", lambda r: r.closed, 8, link=_count_link("closed")),
    Column("closed_on_time", _("Closed on time"), "int", lambda r: r.closed_on_time, 8,
           link=_count_link("closed_on_time")),
    Column("on_time_rate", _("On-time rate"), "percent", lambda r: r.on_time_rate, 8),
    Column("overdue", _("Overdue now"), "int", lambda r: r.overdue, 8, link=_count_link("overdue")),
    Column("urged", _("Urged"), "int", lambda r: r.urged, 8, link=_count_link("urged")),
    Column("receipt_late", _("Signed late"), "int", lambda r: r.receipt_late, 8,
           link=_count_link("receipt_late")),
), rows="units", period_on="created_at")

LEDGERS: dict[str, Ledger] = {x.key: x for x in (TASKS, RESPONSIBILITY, TIME, RESULTS)}
