"""Tasks: list (the task ledger's query layer), read, report progress, move."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from luoshi import access
from luoshi.api.auth import need
from luoshi.api.models import Scope
from luoshi.api.schemas import (
    Day,
    KindName,
    Light,
    MoveIn,
    Problem,
    ProgressIn,
    ProgressOut,
    StateName,
    TaskOut,
    TaskPage,
)
from luoshi.ledgers import queries
from luoshi.ledgers.definitions import LEDGERS
from luoshi.ledgers.filters import FLAGS, ROLES, Filters
from luoshi.org.models import Unit, User
from luoshi.sources.models import Source
from luoshi.tasks import services, workflow
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.forms import transition_form
from luoshi.tasks.lights import light_of
from luoshi.tasks.models import ProgressReport, Task
from luoshi.tasks.roles import task_roles

router = Router(tags=["tasks"])
REFUSALS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
MAX_LIMIT = 200


class TaskFilters(Schema):
    state: StateName | None = None
    light: Light | None = None
    kind: KindName | None = None
    unit: int | None = Field(None, description="a unit's id: the tasks it leads or co-handles (see `role`)")
    role: str | None = Field(None, description="with `unit`: " + ", ".join(ROLES), pattern="^(lead|co)$")
    source: int | None = Field(None, description="a source's id: the tasks made from it")
    leader: int | None = Field(None, description="a leader's user id: the tasks they issued")
    flag: str | None = Field(None, description="one of " + ", ".join(FLAGS), pattern="^(" + "|".join(FLAGS) + ")$")
    start: Day | None = Field(None, description="made on or after this day")
    end: Day | None = Field(None, description="made on or before this day")
    cursor: str | None = Field(None, max_length=100, description="the `next_cursor` of the previous page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


def _filters(q: TaskFilters) -> Filters | None:
    """The ledgers' filters from the query; None where a named object does not exist (no rows)."""
    named = {}
    for name, model in (("unit", Unit), ("source", Source), ("leader", User)):
        pk = getattr(q, name)
        if pk is not None:
            named[name] = model.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
            if named[name] is None:
                return None
    return Filters(state=q.state or "", light=q.light or "", kind=q.kind or "", flag=q.flag or "",
                   role=q.role or "", start=q.start, end=q.end, **named)


def _unit(u: Unit | None) -> dict | None:
    return {"id": u.pk, "name": u.name} if u is not None else None


@router.get("", response={200: TaskPage, **REFUSALS}, summary="The tasks this user may see, a page at a time")
def task_list(request: HttpRequest, q: Query[TaskFilters]):
    need(request, Scope.READ)
    f = _filters(q)
    if f is None:
        return {"items": [], "next_cursor": None}
    rows, cursor = queries.page(queries.task_rows(LEDGERS["tasks"], request.user, f), q.cursor, q.limit)
    return {"items": [{
        "id": t.pk, "kind": t.kind, "title": t.title, "state": t.state, "light": t.light_now,
        "lead_unit": _unit(t.lead_unit), "co_units": t.co_labels, "due_date": t.due_date, "version": t.version,
    } for t in rows], "next_cursor": cursor}


def _task_out(request: HttpRequest, task: Task) -> dict:
    roles = task_roles(request.user, task)
    return {
        "id": task.pk, "kind": task.kind, "title": task.title, "description": task.description,
        "target": task.target, "state": task.state, "light": light_of(task),
        "organisation": _unit(task.organisation), "lead_unit": _unit(task.lead_unit),
        "co_units": [_unit(u) for u in task.co_units.order_by("name")],
        "leader": str(task.leader) if task.leader_id else "", "issuer_name": task.issuer_name,
        "due_date": task.due_date, "priority": task.priority, "progress_percent": task.progress_percent,
        "version": task.version, "parent_id": task.parent_id, "created_at": task.created_at,
        "updated_at": task.updated_at, "closed_at": task.closed_at,
        "actions": access.allowed_actions(request.user, task, roles),
    }


@router.get("/{task_id}", response={200: TaskOut, **REFUSALS}, summary="One task, with what this user may do")
def task_detail(request: HttpRequest, task_id: int):
    need(request, Scope.READ)
    return _task_out(request, access.get_task_or_404(request.user, task_id))


@router.get("/{task_id}/progress", response={200: list[ProgressOut], **REFUSALS},
            summary="The task's progress reports, newest first (at most 200)")
def progress_list(request: HttpRequest, task_id: int):
    need(request, Scope.READ)
    task = access.get_task_or_404(request.user, task_id)
    reports = (ProgressReport.objects.filter(task=task).select_related("author", "unit")
               .prefetch_related("attachments").order_by("-created_at", "-pk")[:200])
    return [{"id": r.pk, "at": r.created_at, "author": str(r.author), "unit": _unit(r.unit), "text": r.text,
             "percent": r.percent, "attachments": [a.name for a in r.attachments.all()]} for r in reports]


@router.post("/{task_id}/progress", response={201: ProgressOut, 409: Problem, **REFUSALS},
             summary="Report progress (text and the share done; attachments through the page)")
def progress_report(request: HttpRequest, task_id: int, body: ProgressIn):
    need(request, Scope.REPORT)
    task = access.get_task_or_404(request.user, task_id)
    r = services.report_progress(task, request.user, text=body.text, percent=body.percent)
    return Status(201, {"id": r.pk, "at": r.created_at, "author": str(r.author), "unit": _unit(r.unit), "text": r.text,
                 "percent": r.percent, "attachments": []})


def _as_form_data(task: Task, action: str, body: MoveIn) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in body.dict(exclude_none=True).items():
        if name == "action":
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[f"{action}-{name}"] = str(value.isoformat() if isinstance(value, dt.date) else value)
    return data


@router.post("/{task_id}/moves", response={200: TaskOut, 409: Problem, **REFUSALS},
             summary="Move the task (accept, start, submit, close, …): the workflow decides who may, and when")
def task_move(request: HttpRequest, task_id: int, body: MoveIn):
    need(request, Scope.ACT)
    task = access.get_task_or_404(request.user, task_id)
    if body.action not in workflow.actions():
        raise WorkflowError(_("No such move: %(action)s.") % {"action": body.action}, "invalid")
    roles = task_roles(request.user, task)
    # the row these roles take now, or any row of the move (perform() then explains the refusal)
    row = (workflow.transition_for(body.action, task, roles, request.user)
           or next(iter(workflow.rows_of(body.action, task.state)), None) or workflow.rows_of(body.action)[0])
    form = transition_form(task, row, _as_form_data(task, body.action, body))
    if not form.is_valid():
        err = WorkflowError(_("Some inputs cannot be taken: see fields."), "invalid")
        err.fields = {k: [str(m) for m in v] for k, v in form.errors.items()}
        raise err
    moved = workflow.perform(task, body.action, request.user, version=form.cleaned_data["version"], **form.inputs())
    return _task_out(request, access.get_task_or_404(request.user, moved.pk))
