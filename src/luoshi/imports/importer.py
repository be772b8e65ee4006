"""Taking a ledger in and importing it: the services the pages (and tests) call.

`receive` keeps an uploaded file as a pending batch once it reads as a ledger; `proposed`
gives the mapping to show (the batch's own last choice, else the one remembered for this
organisation and header row, else the one suggested from the headers); `choose` records a
mapping and remembers it; `run_import` checks every row again and creates every task, or none,
in one transaction, each journaled with the batch and row it came from.

Refusals raise `WorkflowError` (its code gives the page its status); a file imported before
raises `AlreadyImported`, carrying the first batch; rows with errors raise `ImportRefused`,
carrying the plan that lists them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi import access
from luoshi.imports import fields as mapping
from luoshi.imports import validation
from luoshi.imports.models import ImportBatch, ImportMapping
from luoshi.imports.reading import ReadError, Sheet, read_ledger
from luoshi.org.models import Unit
from luoshi.tasks import services, workflow
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Event, Task

PENDING_FOR = dt.timedelta(days=1)  # after this a pending batch may be abandoned (its bytes dropped)


class AlreadyImported(WorkflowError):
    """The same file (by checksum) was imported into the organisation before."""

    def __init__(self, first: ImportBatch) -> None:
        super().__init__(_("This file was already imported into %(organisation)s on %(date)s (import #%(batch)d).")
                         % {"organisation": first.organisation.name, "batch": first.pk,
                            "date": timezone.localtime(first.imported_at or first.created_at).strftime("%Y-%m-%d")},
                         "state")
        self.first = first


class ImportRefused(WorkflowError):
    """Some rows have errors: nothing was imported. ``plan`` lists them."""

    def __init__(self, plan: validation.Plan) -> None:
        super().__init__(_("Nothing was imported: %(n)d errors in the file. Correct them and check again.")
                         % {"n": len(plan.errors)}, "invalid")
        self.plan = plan


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _imported_before(organisation: Unit, digest: str, but: int | None = None) -> ImportBatch | None:
    found = ImportBatch.objects.filter(organisation=organisation, checksum=digest, status=ImportBatch.Status.IMPORTED)
    return found.exclude(pk=but).select_related("organisation").order_by("pk").first()


def _may_import(actor, organisation: Unit) -> None:
    if organisation.pk not in {o.pk for o in access.import_organisations(actor)}:
        raise WorkflowError(_("Only a supervisor of this organisation may import its ledger."), "forbidden")


def receive(actor, organisation: Unit, *, name: str, data: bytes) -> ImportBatch:
    """Keep an uploaded ledger as a pending batch, once it reads as one (`ReadError` if not). The same
    file uploaded again by the same person, still pending, is that batch; nothing else is written."""
    _may_import(actor, organisation)
    sheet = read_ledger(data, name)
    digest = checksum(data)
    first = _imported_before(organisation, digest)
    if first is not None:
        raise AlreadyImported(first)
    abandon_stale()
    pending = ImportBatch.objects.filter(organisation=organisation, checksum=digest, created_by=actor,
                                         status=ImportBatch.Status.PENDING).order_by("-pk").first()
    if pending is not None:
        return pending
    return ImportBatch.objects.create(organisation=organisation, file_name=name[:255], checksum=digest, size=len(data),
                                      raw=data, sheet=sheet.sheet_name, rows=len(sheet.rows), created_by=actor)


def sheet_of(batch: ImportBatch, sheet: str | None = None) -> Sheet:
    """The batch's file read again (``sheet``: another sheet than the one chosen last)."""
    return read_ledger(bytes(batch.raw), batch.file_name, batch.sheet if sheet is None else sheet)


def proposed(batch: ImportBatch, sheet: Sheet) -> tuple[list[str], str]:
    """The mapping to show for ``sheet`` and where it comes from: "chosen" (on this batch),
    "remembered" (for this organisation and header row) or "suggested" (from the headers)."""
    own = mapping.from_json(batch.mapping, sheet.headers)
    if own is not None:
        return own, "chosen"
    kept = ImportMapping.objects.filter(organisation=batch.organisation_id,
                                        header_signature=mapping.signature(sheet.headers)).first()
    remembered = mapping.from_json(kept.mapping, sheet.headers) if kept else None
    if remembered is not None:
        return remembered, "remembered"
    return mapping.suggest(sheet.headers), "suggested"


def choose(batch: ImportBatch, actor, sheet: Sheet, fields: list[str], *, assign_all: bool) -> None:
    """Record the mapping the supervisor chose on the batch, and remember it for the header row."""
    stored = mapping.as_json(sheet.headers, fields)
    batch.mapping, batch.assign_all, batch.sheet, batch.rows = stored, assign_all, sheet.sheet_name, len(sheet.rows)
    batch.save(update_fields=["mapping", "assign_all", "sheet", "rows"])
    ImportMapping.objects.update_or_create(
        organisation=batch.organisation, header_signature=mapping.signature(sheet.headers),
        defaults={"mapping": stored, "updated_by": actor})


def check(batch: ImportBatch, sheet: Sheet, fields: list[str], *, assign_all: bool,
          today: dt.date | None = None) -> validation.Plan:
    return validation.check(sheet, fields, batch.organisation, today=today or timezone.localdate(),
                            assign_all=assign_all)


def may_continue(batch: ImportBatch, actor) -> None:
    """Only the uploader continues a pending batch, while they supervise its organisation."""
    _may_import(actor, batch.organisation)
    if batch.status != ImportBatch.Status.PENDING:
        raise WorkflowError(_("This import is no longer waiting: it was imported or abandoned."), "state")
    if batch.created_by_id != actor.pk:
        raise WorkflowError(_("Only the person who uploaded this file may continue its import."), "forbidden")


def run_import(batch: ImportBatch, actor, fields: list[str], *, assign_all: bool,
               today: dt.date | None = None) -> ImportBatch:
    """Create a task for every row of the batch's sheet, or none: all in one transaction.

    The file is read and every row checked before the transaction begins: it holds the journal's
    lock (and on SQLite the database's) while the tasks are written, so it holds them no longer."""
    may_continue(batch, actor)
    try:
        sheet = sheet_of(batch)
    except ReadError as err:
        raise WorkflowError(str(err), "invalid") from err
    plan = check(batch, sheet, fields, assign_all=assign_all, today=today)
    if not plan.ok:
        raise ImportRefused(plan)
    try:
        with transaction.atomic():
            current = ImportBatch.objects.select_for_update().select_related("organisation").get(pk=batch.pk)
            may_continue(current, actor)  # still pending, now that it is locked
            first = _imported_before(current.organisation, current.checksum)
            if first is not None:
                raise AlreadyImported(first)
            _create(current, actor, plan)
            current.status, current.imported_at = ImportBatch.Status.IMPORTED, timezone.now()
            current.sheet, current.mapping = sheet.sheet_name, mapping.as_json(sheet.headers, fields)
            current.assign_all, current.rows, current.created_count = assign_all, len(sheet.rows), len(plan.planned)
            current.save()
    except IntegrityError:  # the same file was imported meanwhile, by someone else
        first = _imported_before(batch.organisation, batch.checksum, but=batch.pk)
        if first is None:
            raise
        raise AlreadyImported(first) from None
    return current


def _create(batch: ImportBatch, actor, plan: validation.Plan) -> None:
    for p in plan.planned:
        try:
            task = services.create_task(actor, organisation=batch.organisation, note={"import": batch.pk, "row": p.row},
                                        **p.task_fields())
            if p.assign:
                workflow.perform(task, "assign", actor, version=task.version)
        except WorkflowError as err:
            raise WorkflowError(_("Row %(row)d could not be imported: %(why)s Nothing was imported.")
                                % {"row": p.row, "why": err.message}, err.code) from err


def abandon(batch: ImportBatch, actor) -> None:
    """The uploader gives up a pending import; its bytes are dropped."""
    may_continue(batch, actor)
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.ABANDONED, raw=b"")


def abandon_stale(now: dt.datetime | None = None) -> int:
    """Abandon the pending batches uploaded more than a day ago (their bytes dropped); how many."""
    old = (now or timezone.now()) - PENDING_FOR
    return ImportBatch.objects.filter(status=ImportBatch.Status.PENDING, created_at__lt=old).update(
        status=ImportBatch.Status.ABANDONED, raw=b"")


def created_tasks(batch: ImportBatch) -> list[tuple[int, Task]]:
    """(row, task) for every task the batch created, by row, read from the tasks' journals."""
    events = (Event.objects.filter(action="created", task__organisation=batch.organisation_id,
                                   at__gte=batch.created_at, data__import=batch.pk)
              .select_related("task", "task__lead_unit"))
    return sorted(((e.data.get("row", 0), e.task) for e in events), key=lambda x: x[0])
