"""Bulk work from the task list: one action on many ticked rows, with a result per row.

Each ticked row carries the task's id and the version the user saw ("17:4"). Every row is run
on its own, in its own transaction, through the same doors as one task's page (`workflow.perform`
for assign and close, `services.urge` for urging), so each is checked for visibility, role,
state and version exactly as there, and one refused row never undoes or blocks another. A row
that cannot be read, or names a task the user may not see, is "not found" — nothing about it leaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi import access
from luoshi.forms import parse_id
from luoshi.tasks import services, workflow
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Task

MAX_ROWS = 200  # one request touches at most this many tasks: a page of the list is 50
MAX_VERSION = 2**31 - 1

# the actions that change tasks, and their names on the list's buttons and the result page
ACTIONS = {
    "assign": gettext_lazy("Assign (交办)"),
    "urge": gettext_lazy("Urge (催办)"),
    "close": gettext_lazy("Close (办结)"),
}


@dataclass(frozen=True)
class Selected:
    """One ticked row as sent: the raw value, and the id and version read from it (None if unreadable)."""

    raw: str
    pk: int | None
    version: int | None


@dataclass(frozen=True)
class RowResult:
    """What became of one row: ``code`` is "done" or a `WorkflowError` code (not_found, state, stale…)."""

    pk: int | None
    raw: str
    ok: bool
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"pk": self.pk, "raw": self.raw, "ok": self.ok, "code": self.code, "message": self.message}

    @classmethod
    def from_dict(cls, d: dict) -> RowResult:
        return cls(pk=d.get("pk"), raw=str(d.get("raw", "")), ok=bool(d.get("ok")), code=str(d.get("code", "")),
                   message=str(d.get("message", "")))


class SelectionRefused(ValueError):
    """A selection refused as a whole, before any row is touched; the message says why."""


class TooManyRows(SelectionRefused):
    pass


def row_value(task: Task) -> str:
    """What a row's checkbox sends: the task's id and the version shown."""
    return f"{task.pk}:{task.version}"


def parse(values: Iterable[str]) -> list[Selected]:
    """The ticked rows, each once (the first wins), in the order sent; unreadable ones kept as such."""
    out: list[Selected] = []
    seen: set[int] = set()
    for value in values:
        raw = str(value)[:40]
        pk_text, sep, version_text = raw.partition(":")
        pk, version = parse_id(pk_text), parse_id(version_text) if sep else None
        if pk is not None and (version is None or version > MAX_VERSION):
            pk = version = None
        if pk is not None:
            if pk in seen:
                continue
            seen.add(pk)
        out.append(Selected(raw, pk, version))
    return out


def check_size(rows: list[Selected]) -> None:
    """Refuse a request that would touch more than `MAX_ROWS` tasks (before any is touched)."""
    if len(rows) > MAX_ROWS:
        raise TooManyRows(_("%(count)d tasks were ticked; at most %(max)d can be handled at once. Narrow the list "
                            "with the filters and work through it in parts.") % {"count": len(rows), "max": MAX_ROWS})


def check_selection(rows: list[Selected]) -> None:
    """What a page asks before a bulk action: something ticked, not too much, and every value one
    the list sends (anything else comes from a tampered request: refused whole, nothing done)."""
    if not rows:
        raise SelectionRefused(_("Tick the tasks first (the box at the start of each row)."))
    check_size(rows)
    if any(r.pk is None for r in rows):
        raise SelectionRefused(_("Some ticked values are not rows of the task list; nothing was done."))


def _not_found(row: Selected) -> RowResult:
    return RowResult(row.pk, row.raw, False, "not_found", _("No such task."))


def _one(user, action: str, row: Selected, task: Task, inputs: dict) -> RowResult:
    try:
        with transaction.atomic():
            if action == "urge":
                services.urge(task, user, reason=inputs.get("reason") or "", level=inputs.get("level"),
                              version=row.version)
            else:
                workflow.perform(row.pk, action, user, version=row.version,
                                 **{k: v for k, v in inputs.items() if k != "level" and v not in (None, "")})
    except WorkflowError as err:
        return RowResult(row.pk, row.raw, False, err.code, str(err.message))
    return RowResult(row.pk, row.raw, True, "done", _("Done."))


def run(user, action: str, rows: list[Selected], *, reason: str = "", evaluation: str = "",
        level: int | None = None) -> list[RowResult]:
    """Take ``action`` ("assign", "urge" or "close") on every row as ``user``; one result per row.

    ``reason`` is the urging's reason or the closing opinion, ``evaluation`` the closing's, ``level``
    the urging's escalation: one value for every row, as the list's form gives them."""
    if action not in ACTIONS:
        raise ValueError(f"unknown bulk action: {action}")
    check_size(rows)
    wanted = [r.pk for r in rows if r.pk is not None]
    visible = access.visible_tasks(user).filter(pk__in=wanted).in_bulk()
    inputs = {} if action == "assign" else {"reason": reason, "evaluation": evaluation, "level": level}
    return [_one(user, action, r, visible[r.pk], inputs) if r.pk in visible else _not_found(r) for r in rows]


def visible_ids(user, rows: list[Selected]) -> list[int]:
    """The ids of the rows ``user`` may see, in the order ticked (for an export of the selection)."""
    check_size(rows)
    wanted = [r.pk for r in rows if r.pk is not None]
    visible = set(access.visible_tasks(user).filter(pk__in=wanted).values_list("pk", flat=True))
    return [pk for pk in wanted if pk in visible]


def back_to_list(target: str, host: str) -> str:
    """Where to return after a bulk action: the list as it was (filters, page) if ``target`` is
    that list on this site, else the plain list (never an address sent from elsewhere)."""
    list_url = reverse("tasks:list")
    if target.startswith(list_url) and url_has_allowed_host_and_scheme(target, allowed_hosts={host}):
        return target
    return list_url
