"""Issuing a supervision notice: number it, build it, keep it, journal it, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi import access
from luoshi.documents.models import IssuedNotice, NoticeNumber
from luoshi.documents.notice import supervision_notice
from luoshi.org.models import Role, Unit
from luoshi.tasks import changes
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Task
from luoshi.tasks.roles import memberships, task_roles


def next_serial(organisation: Unit, year: int) -> int:
    """The next notice number of ``organisation`` in ``year`` (1 for its first), taken in the
    caller's transaction: the counter's row stays locked until it commits, so concurrent issuers
    queue and never get the same number, and a rolled-back issue gives its number back."""
    counters = NoticeNumber.objects.filter(organisation=organisation, year=year)
    for _attempt in range(2):
        if counters.update(last=F("last") + 1):  # a conditional UPDATE locks the row it changes
            return counters.values_list("last", flat=True).get()
        try:
            with transaction.atomic():  # a savepoint: losing the race to create it is not fatal
                NoticeNumber.objects.create(organisation=organisation, year=year, last=1)
            return 1
        except IntegrityError:
            continue  # another issuer created the year's counter meanwhile: count on from theirs
    raise RuntimeError("the notice counter could be neither updated nor created")


def format_number(year: int, serial: int) -> str:
    return f"〔{year}〕{serial}号"


def issuing_office(actor, organisation: Unit) -> str:
    """The name of the unit through which ``actor`` supervises ``organisation`` (its supervision
    office, 督查室), or the organisation's own name."""
    for m in memberships(actor):
        if m.role == Role.SUPERVISOR and m.unit.organisation().pk == organisation.pk:
            return m.unit.name
    return organisation.name


def issue_notice(task: Task | int, actor, *, on: dt.date | None = None) -> IssuedNotice:
    """Issue a supervision notice for ``task`` as ``actor``, dated ``on`` (today): the next
    number of the organisation's year, the document as issued, and a "notice_issued" event."""
    pk = task.pk if isinstance(task, Task) else task
    with transaction.atomic():
        current = changes.locked(pk)
        if current is None or not task_roles(actor, current):
            raise WorkflowError(_("No such task."), "not_found")
        if not access.can(actor, "issue_notice", current):
            raise WorkflowError(_("The supervision office issues notices for tasks handed out and not closed."),
                                "forbidden")
        issued_at = timezone.now()
        on = on or timezone.localdate(issued_at)
        serial = next_serial(current.organisation, on.year)
        number = format_number(on.year, serial)
        content = supervision_notice(current, number=number, issued_on=on,
                                     organisation_name=issuing_office(actor, current.organisation),
                                     contact=str(actor))
        checksum = hashlib.sha256(content).hexdigest()
        event = changes.write(current, actor, "notice_issued", data={"number": number, "sha256": checksum})
        return IssuedNotice.objects.create(
            task=current, organisation=current.organisation, year=on.year, serial=serial, number=number,
            event=event, issued_by=actor, issued_at=issued_at, content=content, checksum=checksum)
