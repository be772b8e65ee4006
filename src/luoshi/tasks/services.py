"""What people do to tasks besides moving their state: create, edit, report, comment.

Each asks `access.can` and writes its change and one journal event in one transaction
(`changes.write`). Editing refuses a stale version, as a move does; reporting progress and
commenting only append, so they never conflict with anyone.
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
from luoshi.tasks import changes, journal, tally
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import (
    Attachment,
    CoOpinion,
    DueOrigin,
    Instruction,
    Milestone,
    Priority,
    ProgressReport,
    State,
    Task,
)
from luoshi.tasks.roles import TaskRole, task_roles


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
    target: str = "",
    leader=None,
    issuer_name: str = "",
    proposers: Iterable = (),
    lead_proposer=None,
    items: Iterable = (),
    note: dict | None = None,
    system: bool = False,
) -> Task:
    """A new draft task, journaled as "created". Only a supervisor of ``organisation`` may, or
    the system itself (``system``, ``actor`` None: a monitoring rule raising its alert's task).

    ``note``: what the created event should also say of where the task came from (an import's
    batch and row: ``{"import": 3, "row": 7}``); it cannot replace the recorded changes."""
    may = actor is None if system else organisation.pk in {o.pk for o in access.supervised_organisations(actor)}
    if not may:
        raise WorkflowError(_("Only a supervisor of this organisation may create its tasks."), "forbidden")
    title = title.strip()
    if not title:
        raise WorkflowError(_("A task needs a title."), "invalid")
    co_units = [u for u in co_units if lead_unit is None or u.pk != lead_unit.pk]
    proposers = list(proposers)
    with transaction.atomic():
        task = Task.objects.create(
            organisation=organisation, title=title[:255], description=description, kind=kind,
            lead_unit=lead_unit, due_date=due_date, due_origin=due_origin, due_basis=due_basis,
            priority=priority, target=target, leader=leader, issuer_name=issuer_name, created_by=actor,
            # the deputy who put the suggestion first leads it; the others co-signed (附议)
            lead_proposer=lead_proposer or next(iter(proposers), None),
        )
        task.co_units.set(co_units)
        task.proposers.set(proposers)
        task.items.set(list(items))
        tally.added(task, co_units=[u.pk for u in co_units])
        initial = journal.snapshot(task)
        journal.append(task, actor=actor, action="created", to_state=State.DRAFT, version=task.version,
                       data={**(note or {}),
                             "changes": {k: [None, v] for k, v in initial.items()
                                         if k != "state" and v not in (None, "", [])}})
    return task


EDITABLE = ("title", "description", "kind", "lead_unit", "due_date", "due_basis", "target", "priority", "leader",
            "issuer_name")


def edit_task(task: Task, actor, *, version: int, co_units: Sequence[Unit] | None = None, **fields) -> Task:
    """Change a draft's fields (supervisors). Refused if the task changed since ``version``."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "title" in fields and not str(fields["title"]).strip():
        raise WorkflowError(_("A task needs a title."), "invalid")
    with transaction.atomic():
        current = changes.locked(task.pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "edit", current):
            if current.version != version:
                raise changes.stale()
            raise WorkflowError(_("Only a supervisor may edit a task, and only before it is assigned."),
                                "forbidden")
        if "due_date" in fields and fields["due_date"] != current.due_date:
            fields.setdefault("due_origin", DueOrigin.TYPED)
            fields.setdefault("due_basis", "")
        sets = {}
        if co_units is not None:
            lead = fields.get("lead_unit", current.lead_unit)
            sets["co_units"] = [u for u in co_units if lead is None or u.pk != lead.pk]
        changes.write(current, actor, "edited", expect_version=version, fields=fields, sets=sets,
                      only_if_changed=True)
    return current


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


def report_progress(task: Task, actor, *, text: str, files: Sequence[UploadedFile] = (),
                    percent: int | None = None) -> ProgressReport:
    """A unit's progress report with attachments, journaled; all of it or nothing. It only adds to
    the task, so it is taken whatever else happened meanwhile, if the task still takes reports.
    ``percent``: how much of the task is done, which the scan compares with the time gone by (序时进度)."""
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write what has been done."), "invalid")
    if percent is not None and not 0 <= percent <= 100:
        raise WorkflowError(_("Give the share done as a number from 0 to 100."), "invalid")
    for f in files:
        check_upload(f)
    with transaction.atomic():
        current = changes.locked(task.pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "report_progress", current):
            raise WorkflowError(_("Progress can be reported by the units of a task while it is in progress."),
                                "forbidden")
        unit_ids = {m.unit_id for m in actor.memberships.all()}
        unit = (current.lead_unit if current.lead_unit_id in unit_ids
                else current.co_units.filter(pk__in=unit_ids).order_by("pk").first())
        meta = []
        for f in files:
            digest = hashlib.sha256()
            for chunk in f.chunks():
                digest.update(chunk)
            meta.append({"name": PurePath(f.name).name, "size": f.size, "sha256": digest.hexdigest()})
        lead = unit is not None and unit.pk == current.lead_unit_id
        fields = {"progress_percent": percent} if percent is not None and lead else {}  # the lead unit's figure
        event = changes.write(current, actor, "progress", fields=fields, extra={"last_progress_at": timezone.now()},
                              data={"text": text, "unit": unit.pk if unit else None, "attachments": meta,
                                    **({"percent": percent} if percent is not None else {})})
        report = ProgressReport.objects.create(task=current, event=event, author=actor, unit=unit, text=text,
                                               percent=percent)
        for f, m in zip(files, meta, strict=True):
            f.seek(0)
            Attachment.objects.create(report=report, file=f, name=m["name"], size=m["size"],
                                      content_type=getattr(f, "content_type", "") or "", checksum=m["sha256"])
    return report


def comment(task: Task, actor, *, text: str) -> None:
    """A supervisor's note or a leader's instruction (批示) on the task. Only adds: never conflicts."""
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write the comment."), "invalid")
    with transaction.atomic():
        current = changes.locked(task.pk)
        roles = task_roles(actor, current) if current else frozenset()
        if not roles:
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "comment", current, roles):
            raise WorkflowError(_("Only supervisors and leaders comment on tasks."), "forbidden")
        kind = "instruction" if TaskRole.LEADER in roles else "comment"
        event = changes.write(current, actor, kind, data={"text": text})
        if kind == "instruction":
            Instruction.objects.create(task=current, event=event, leader=actor, text=text, at=event.at)


def acknowledge(instruction: Instruction, actor) -> Instruction:
    """The lead unit acknowledges a leader's instruction (批示), journaled; once."""
    with transaction.atomic():
        current = changes.locked(instruction.task_id)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "acknowledge", current):
            raise WorkflowError(_("The lead unit acknowledges a leader's instruction."), "forbidden")
        claimed = Instruction.objects.filter(pk=instruction.pk, task=current, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=actor)
        if claimed != 1:
            raise WorkflowError(_("This instruction has already been acknowledged."), "state")
        changes.write(current, actor, "acknowledge", data={"instruction": instruction.event_id})
    return Instruction.objects.get(pk=instruction.pk)


def urge(task: Task, actor, *, reason: str, level: int | None = None, version: int | None = None) -> Task:
    """The supervision office urges the unit (催办): a reason, and optionally a higher escalation level.
    Journaled, counted on the task, and the unit is told (the notifications read the event).
    ``version``: the version the actor saw (a bulk urging from a list), refused as stale if it moved."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Say why the task is urged."), "invalid")
    if level is not None and level not in ESCALATION_LEVELS:
        raise WorkflowError(_("Choose a level from 1 to 3."), "invalid")
    with transaction.atomic():
        current = changes.locked(task.pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if version is not None and current.version != version:
            raise changes.stale()
        if not access.can(actor, "urge", current):
            raise WorkflowError(_("The supervision office urges a task while its unit has it."), "forbidden")
        fields = {"urge_count": current.urge_count + 1}
        if level is not None and level > current.escalation_level:
            fields["escalation_level"] = level
        changes.write(current, actor, "urge", fields=fields,
                      data={"reason": reason, **({"level": level} if level is not None else {})})
    return Task.objects.get(pk=task.pk)


def add_milestone(task: Task, actor, *, title: str, due_date: dt.date) -> Milestone:
    """A step of the task with its own date (节点), journaled."""
    title = title.strip()
    if not title:
        raise WorkflowError(_("Name the milestone."), "invalid")
    if not isinstance(due_date, dt.date):
        raise WorkflowError(_("Give the milestone's date."), "invalid")
    with transaction.atomic():
        current = changes.locked(task.pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "add_milestone", current):
            raise WorkflowError(_("Milestones are planned by the supervision office or the lead unit."), "forbidden")
        if current.due_date and due_date > current.due_date:
            raise WorkflowError(_("A milestone falls on or before the task's due date."), "invalid")
        milestone = Milestone.objects.create(task=current, title=title[:200], due_date=due_date)
        changes.write(current, actor, "milestone_added",
                      data={"milestone": milestone.pk, "title": milestone.title, "due_date": due_date.isoformat()})
    return milestone


def complete_milestone(milestone: Milestone, actor) -> Milestone:
    """The lead unit marks a milestone done, on time or not (recorded now, never recomputed)."""
    with transaction.atomic():
        current = changes.locked(milestone.task_id)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "complete_milestone", current):
            raise WorkflowError(_("The lead unit marks its milestones done while it handles the task."), "forbidden")
        now = timezone.now()
        on_time = timezone.localdate(now) <= milestone.due_date
        if Milestone.objects.filter(pk=milestone.pk, task=current, done_at__isnull=True).update(
                done_at=now, done_on_time=on_time) != 1:
            raise WorkflowError(_("This milestone is already done."), "state")
        changes.write(current, actor, "milestone_done",
                      data={"milestone": milestone.pk, "title": milestone.title, "on_time": on_time})
    return Milestone.objects.get(pk=milestone.pk)


def give_opinion(task: Task, actor, *, text: str) -> CoOpinion:
    """A co-unit's written opinion (协办意见) to the lead unit, once, on time or not (recorded now)."""
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write the co-unit's opinion."), "invalid")
    with transaction.atomic():
        current = changes.locked(task.pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "give_opinion", current):
            raise WorkflowError(_("A co-unit gives its opinion while the lead unit handles the task."), "forbidden")
        mine = {m.unit_id for m in actor.memberships.all()}
        duty = (CoOpinion.objects.filter(task=current, unit__in=mine, given_at__isnull=True).order_by("unit_id")
                .first())
        if duty is None:
            raise WorkflowError(_("Your unit's opinion has already been given."), "state")
        now = timezone.now()
        on_time = timezone.localdate(now) <= duty.due_date
        CoOpinion.objects.filter(pk=duty.pk).update(text=text, given_at=now, given_by=actor, on_time=on_time)
        changes.write(current, actor, "co_opinion", data={"unit": duty.unit_id, "text": text, "on_time": on_time,
                                                          "due_date": duty.due_date.isoformat()})
    return CoOpinion.objects.get(pk=duty.pk)


def hand_down(task: Task, actor, *, title: str, lead_unit: Unit, due_date: dt.date | None = None,
              description: str = "") -> Task:
    """The lead unit passes a part of its task down (转办) to one of its own units (a city's department
    or county), as a task of its own, assigned at once; the part's progress rolls up to the task."""
    from luoshi.org.models import descendants
    from luoshi.tasks import workflow

    title = title.strip()
    if not title:
        raise WorkflowError(_("Name the part passed down."), "invalid")
    with transaction.atomic():
        current = changes.locked(task.pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "hand_down", current):
            raise WorkflowError(_("The lead unit passes parts of its task down while it handles it."), "forbidden")
        if current.lead_unit_id is None or not descendants(current.lead_unit).filter(pk=lead_unit.pk).exists():
            raise WorkflowError(_("Pass a part down to a unit under the lead unit."), "invalid")
        due = due_date or current.due_date
        if current.due_date and due and due > current.due_date:
            raise WorkflowError(_("A part is due on or before the task itself."), "invalid")
        part = Task.objects.create(
            organisation=current.organisation, parent=current, title=title[:255], description=description,
            kind=current.kind, lead_unit=lead_unit, due_date=due, due_basis="", leader=current.leader,
            issuer_name=current.issuer_name, created_by=actor)
        tally.added(part)
        initial = journal.snapshot(part)
        journal.append(part, actor=actor, action="created", to_state=State.DRAFT, version=part.version,
                       data={"changes": {k: [None, v] for k, v in initial.items()
                                         if k != "state" and v not in (None, "", [])}, "passed_down_from": current.pk})
        changes.write(current, actor, "handed_down", data={"part": part.pk, "unit": lead_unit.pk, "title": part.title})
    return workflow.perform(part, "assign", actor, version=part.version)


def allow_open_subtasks(task: Task, actor, *, reason: str) -> Task:
    """The supervision office lets the lead unit submit while parts passed down are still open."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Say why the task may be submitted with parts still open."), "invalid")
    with transaction.atomic():
        current = changes.locked(task.pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "allow_open_subtasks", current):
            raise WorkflowError(_("The supervision office decides this."), "forbidden")
        changes.write(current, actor, "open_parts_allowed", fields={"allow_open_subtasks": True},
                      data={"reason": reason})
    return Task.objects.get(pk=task.pk)


def rollup(task: Task, parts: Iterable[Task] | None = None) -> dict:
    """How far the parts passed down have come: their number, how many are closed, the share closed
    and the mean share done they report (a closed part counts as 100). ``parts``: the task's parts
    where the caller has them already."""
    parts = ([(p.state, p.progress_percent) for p in parts] if parts is not None
             else list(task.subtasks.values_list("state", "progress_percent")))
    closed = sum(1 for state, _p in parts if state == State.CLOSED)
    done = [100 if state == State.CLOSED else (p or 0) for state, p in parts]
    return {"count": len(parts), "closed": closed, "share_closed": round(100 * closed / len(parts)) if parts else None,
            "mean_done": round(sum(done) / len(done)) if done else None}


# 1: the unit head; 2: the supervision office; 3: the leader who issued the task
ESCALATION_LEVELS = (1, 2, 3)
