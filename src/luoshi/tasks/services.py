"""What people do to tasks besides moving their state: create, edit, report, comment.

Each goes through the same guard as a transition (`access.can`, the version check) and
writes one journal event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi import access
from luoshi.org.models import Unit
from luoshi.tasks import journal
from luoshi.tasks.models import Attachment, DueOrigin, Priority, ProgressReport, State, Task
from luoshi.tasks.workflow import WorkflowError, guarded_update


def create_task(
    actor,
    *,
    organisation: Unit,
    title: str,
    description: str = "",
    kind: str = Task.Kind.DIRECTIVE,
    lead_unit: Unit | None = None,
    co_units: Iterable[Unit] = (),
    due_date: dt.date | None = None,
    due_origin: str = DueOrigin.TYPED,
    due_basis: str = "",
    priority: str = Priority.NORMAL,
    leader=None,
    issuer_name: str = "",
    proposers: Iterable = (),
    items: Iterable = (),
) -> Task:
    """A new draft task, journaled as "created". Only a supervisor of ``organisation`` may."""
    if organisation.pk not in {o.pk for o in access.supervised_organisations(actor)}:
        raise WorkflowError(_("Only a supervisor of this organisation may create its tasks."), "forbidden")
    title = title.strip()
    if not title:
        raise WorkflowError(_("A task needs a title."), "invalid")
    co_units = [u for u in co_units if lead_unit is None or u.pk != lead_unit.pk]
    with transaction.atomic():
        task = Task.objects.create(
            organisation=organisation, title=title[:255], description=description, kind=kind,
            lead_unit=lead_unit, due_date=due_date, due_origin=due_origin, due_basis=due_basis,
            priority=priority, leader=leader, issuer_name=issuer_name, created_by=actor,
        )
        task.co_units.set(co_units)
        task.proposers.set(list(proposers))
        task.items.set(list(items))
        journal.append(task, actor=actor, action="created", to_state=State.DRAFT, data={
            "title": task.title, "lead_unit": lead_unit.pk if lead_unit else None,
            "co_units": sorted(u.pk for u in co_units),
            "due_date": due_date.isoformat() if due_date else None, "due_basis": due_basis,
            "items": sorted(i.pk for i in task.items.all()),
        })
    return task


EDITABLE = ("title", "description", "kind", "lead_unit", "due_date", "due_basis", "priority", "leader",
            "issuer_name")


def edit_task(task: Task, actor, *, version: int, co_units: Sequence[Unit] | None = None, **changes) -> Task:
    """Change a draft's fields (supervisors). Refused if the task changed since ``version``."""
    if not access.can(actor, "edit", task):
        if not access.task_roles(actor, task):
            raise WorkflowError(_("No such task."), "not_found")
        raise WorkflowError(_("Only a supervisor may edit a task, and only before it is assigned."), "forbidden")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "title" in changes and not str(changes["title"]).strip():
        raise WorkflowError(_("A task needs a title."), "invalid")
    diff = {}
    for key, value in changes.items():
        old = getattr(task, key)
        if old != value:
            diff[key] = [_plain(old), _plain(value)]
    if "due_date" in changes and changes["due_date"] != task.due_date:
        changes.setdefault("due_origin", DueOrigin.TYPED)
    with transaction.atomic():
        guarded_update(task, version, **changes)
        task.refresh_from_db()
        if co_units is not None:
            new = sorted(u.pk for u in co_units if u.pk != task.lead_unit_id)
            old = sorted(task.co_units.values_list("pk", flat=True))
            if new != old:
                task.co_units.set(new)
                diff["co_units"] = [old, new]
        journal.append(task, actor=actor, action="edited", from_state=task.state, to_state=task.state,
                       data={"changes": diff})
    return task


def _plain(value):
    if isinstance(value, Unit) or hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def check_upload(upload: UploadedFile) -> None:
    """Refuse an attachment that is empty, too large or of a type offices do not exchange."""
    limit = settings.LUOSHI["MAX_ATTACHMENT_BYTES"]
    name = PurePath(upload.name or "").name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not name:
        raise WorkflowError(_("An attachment has no file name."), "invalid")
    if upload.size == 0:
        raise WorkflowError(_("“%(name)s” is empty.") % {"name": name}, "invalid")
    if upload.size > limit:
        raise WorkflowError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "invalid",
        )
    if ext not in settings.LUOSHI["ATTACHMENT_TYPES"]:
        raise WorkflowError(
            _("“%(name)s”: files of type .%(ext)s are not accepted (accepted: %(types)s).")
            % {"name": name, "ext": ext or "?", "types": ", ".join(settings.LUOSHI["ATTACHMENT_TYPES"])},
            "invalid",
        )


def report_progress(task: Task, actor, *, version: int, text: str,
                    files: Sequence[UploadedFile] = ()) -> ProgressReport:
    """A unit's progress report with attachments, journaled; all of it or nothing."""
    if not access.can(actor, "report_progress", task):
        if not access.task_roles(actor, task):
            raise WorkflowError(_("No such task."), "not_found")
        raise WorkflowError(_("Progress can be reported by the units of a task while it is in progress."),
                            "forbidden")
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write what has been done."), "invalid")
    for f in files:
        check_upload(f)
    unit_ids = {m.unit_id for m in actor.memberships.all()}
    unit = task.lead_unit if task.lead_unit_id in unit_ids else task.co_units.filter(pk__in=unit_ids).first()
    now = timezone.now()
    with transaction.atomic():
        guarded_update(task, version, last_progress_at=now)
        meta = []
        for f in files:
            digest = hashlib.sha256()
            for chunk in f.chunks():
                digest.update(chunk)
            meta.append({"name": PurePath(f.name).name, "size": f.size, "sha256": digest.hexdigest()})
        event = journal.append(task, actor=actor, action="progress", from_state=task.state, to_state=task.state,
                               data={"text": text, "unit": unit.pk if unit else None, "attachments": meta})
        report = ProgressReport.objects.create(task=task, event=event, author=actor, unit=unit, text=text)
        for f, m in zip(files, meta, strict=True):
            f.seek(0)
            Attachment.objects.create(report=report, file=f, name=m["name"], size=m["size"],
                                      content_type=getattr(f, "content_type", "") or "", checksum=m["sha256"])
    return report


def comment(task: Task, actor, *, version: int, text: str) -> None:
    """A supervisor's note or a leader's instruction (批示) on the task."""
    if not access.can(actor, "comment", task):
        if not access.task_roles(actor, task):
            raise WorkflowError(_("No such task."), "not_found")
        raise WorkflowError(_("Only supervisors and leaders comment on tasks."), "forbidden")
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write the comment."), "invalid")
    roles = access.task_roles(actor, task)
    kind = "instruction" if access.TaskRole.LEADER in roles else "comment"
    with transaction.atomic():
        guarded_update(task, version)
        journal.append(task, actor=actor, action=kind, from_state=task.state, to_state=task.state,
                       data={"text": text})
