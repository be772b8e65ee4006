"""Sources (meeting reports): ingest as the desk does, list and read what this user may see."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from luoshi import access
from luoshi.api.auth import need
from luoshi.api.models import Scope
from luoshi.api.schemas import IngestOut, Problem, SourceOut, SourcePage, TextSourceIn
from luoshi.desk.intake import take_in
from luoshi.sources.services import IngestError, refusal
from luoshi.tasks.errors import WorkflowError

router = Router(tags=["sources"])
REFUSALS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _organisation(request: HttpRequest):
    organisation = access.organisation_for_ingest(request.user)
    if organisation is None:
        raise WorkflowError(_("Only a supervision office ingests meeting reports."), "forbidden")
    return organisation


def _ingest(request: HttpRequest, data: bytes, name: str):
    try:
        got = take_in(data, name=name, organisation=_organisation(request), actor=request.user)
    except IngestError as err:
        raise WorkflowError(str(err), "invalid") from err
    return Status(201 if got.created else 200, {
        "id": got.source.pk, "title": got.source.title, "created": got.created, "proposals": len(got.proposals),
        "pending": got.pending})


@router.post("", response={200: IngestOut, 201: IngestOut, 413: Problem, **REFUSALS},
             summary="Ingest a report file (.docx, .pdf, .ofd, text): its items become proposals at the desk")
def ingest_file(request: HttpRequest, file: File[UploadedFile], name: Form[str] = ""):
    need(request, Scope.INGEST)
    _organisation(request)
    name = (name or file.name or "").strip()[:200] or "upload"
    why = refusal(name, file.read(8))
    if why:
        raise WorkflowError(why, "invalid")
    file.seek(0)
    return _ingest(request, file.read(), name)


@router.post("/text", response={200: IngestOut, 201: IngestOut, **REFUSALS},
             summary="Ingest a report given as text")
def ingest_text(request: HttpRequest, body: TextSourceIn):
    need(request, Scope.INGEST)
    _organisation(request)
    if not body.text.strip():
        raise WorkflowError(_("The text is empty."), "invalid")
    name = body.name.strip() or _("Text sent through the API")
    return _ingest(request, body.text.replace("\r\n", "\n").encode("utf-8"), name)


class SourceQuery(Schema):
    cursor: int | None = Field(None, ge=1, description="the `next_cursor` of the previous page")
    limit: int = Field(50, ge=1, le=200)


@router.get("", response={200: SourcePage, **REFUSALS}, summary="The sources this user may see, newest first")
def source_list(request: HttpRequest, q: Query[SourceQuery]):
    need(request, Scope.READ)
    sources = access.visible_sources(request.user).select_related("organisation").only(
        "id", "title", "name", "created_at", "organisation__id", "organisation__name").order_by("-pk")
    if q.cursor:
        sources = sources.filter(pk__lt=q.cursor)
    rows = list(sources[: q.limit + 1])
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    return {"items": [{"id": s.pk, "title": s.title, "name": s.name, "created_at": s.created_at,
                       "organisation": {"id": s.organisation_id, "name": s.organisation.name}} for s in rows],
            "next_cursor": str(rows[-1].pk) if more and rows else None}


@router.get("/{source_id}", response={200: SourceOut, **REFUSALS},
            summary="One source: the whole text where this user may read it, else only the items of its tasks")
def source_detail(request: HttpRequest, source_id: int):
    need(request, Scope.READ)
    user = request.user
    source = access.get_source_or_404(user, source_id)
    whole = access.can_read_whole_source(user, source)
    items = list(access.visible_items(user, source, whole).order_by("span_start", "kind", "ordinal"))
    visible = set(access.visible_tasks(user).filter(items__source=source).values_list("pk", flat=True))
    links: dict[int, list[int]] = {i.pk: [] for i in items}
    for item_id, task_id in source.items.filter(pk__in=links).values_list("pk", "tasks"):
        if task_id in visible:
            links[item_id].append(task_id)
    return {"id": source.pk, "title": source.title, "name": source.name, "created_at": source.created_at,
            "organisation": {"id": source.organisation_id, "name": source.organisation.name}, "whole": whole,
            "text": source.text if whole else None,
            "items": [{"id": i.pk, "kind": i.kind, "ordinal": i.ordinal, "headline": i.headline, "text": i.text,
                       "tasks": sorted(links[i.pk])} for i in items]}
