"""A user's inbox: the unread count, pages newest first, marking read.

Pages are keyset pages (after the last row shown, by time and id): no OFFSET and no COUNT over
the inbox, so the hundredth page costs what the first does. The unread count shown in the
header on every page is one COUNT over at most 100 index entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from luoshi.forms import parse_id
from luoshi.notify.models import Notification

PAGE_SIZE = 30
UNREAD_CAP = 99  # more is shown as "99+"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


def unread_count(user) -> int:
    """How many unread notifications ``user`` has, counted up to UNREAD_CAP + 1."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True)[: UNREAD_CAP + 1].count()


def badge(count: int) -> str:
    """The count as the header shows it: nothing, "7", or "99+"."""
    if count <= 0:
        return ""
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)


def stamp(at: dt.datetime) -> str:
    """A moment as microseconds since 1970, for a URL or a form."""
    return str((at - _EPOCH) // _MICRO)


def unstamp(text: str | None) -> dt.datetime | None:
    """The moment `stamp` wrote, or None for anything else."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    try:
        return _EPOCH + int(text) * _MICRO
    except OverflowError:
        return None


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last row's time and id (rows after it are older)."""

    at: dt.datetime
    pk: int

    def encode(self) -> str:
        return f"{stamp(self.at)}-{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor written by `encode`, or None for anything else (the first page)."""
        at, _, pk = (text or "").partition("-")
        moment, pk_ = unstamp(at), parse_id(pk)
        return cls(moment, pk_) if moment is not None and pk_ is not None else None


def page(user, *, before: Cursor | None = None, unread_only: bool = False,
         size: int = PAGE_SIZE) -> tuple[list[Notification], Cursor | None]:
    """One page of ``user``'s notifications, newest first, and the cursor of the next (None: last page)."""
    rows = Notification.objects.filter(user=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if before is not None:
        rows = rows.filter(Q(created_at__lt=before.at) | Q(created_at=before.at, pk__lt=before.pk))
    found = list(rows.select_related("task", "event", "event__actor").order_by("-created_at", "-pk")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return found, Cursor(found[-1].created_at, found[-1].pk) if more else None


def open_notification(user, pk: int) -> Notification | None:
    """``user``'s notification ``pk``, marked read now if it was not (None: not theirs)."""
    note = Notification.objects.select_related("task").filter(pk=pk, user=user).first()
    if note is not None and note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def read_task(user, task_id: int) -> int:
    """Mark what ``user`` was told of one task read: they have opened its page."""
    return Notification.objects.filter(user=user, task_id=task_id, read_at__isnull=True).update(
        read_at=timezone.now())


def on_task_viewed(sender, user, task, **kwargs) -> None:
    read_task(user, task.pk)


def mark_all_read(user, up_to: int | None = None) -> int:
    """Mark ``user``'s unread notifications read; with ``up_to`` (the newest the page showed), only
    those up to it, so that one arriving meanwhile stays unread."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if up_to is not None:
        rows = rows.filter(pk__lte=up_to)
    return rows.update(read_at=timezone.now())
