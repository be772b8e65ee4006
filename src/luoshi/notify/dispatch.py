"""From a journal event to what is owed: inbox rows, emails and robot posts, decided in the
transaction that wrote the event, sent after it commits.

`on_event_appended` receives `tasks.journal.event_appended` inside the event's transaction. It
writes the notifications and the pending deliveries (emails and robot posts) there and then, so
that they exist exactly when the event does, and enqueues one job on commit to send them.
Nothing outside the database happens here: a dead robot or mail server cannot block or slow a
change of a task. Writing twice writes nothing new (unique rows, conflicts ignored).
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from luoshi.notify.jobs import deliver_event
from luoshi.notify.models import Channel, Delivery, Notification, Preference, Webhook
from luoshi.notify.recipients import kinds, recipients, telling_kinds
from luoshi.tasks.models import Event, State, Task

log = logging.getLogger(__name__)


def on_event_appended(sender, event: Event, **kwargs) -> None:
    """The signal's receiver. A fault here is logged, never raised: telling people of a change
    must not undo the change (the savepoint keeps the transaction usable on PostgreSQL)."""
    try:
        with transaction.atomic():
            record(event)
    except Exception:
        log.exception("notifications for event %s were not recorded", event.pk)


def wanted_channels(users, kind: str) -> dict[int, tuple[bool, bool]]:
    """{user id: (inbox, email)} for ``kind``, defaults where a user chose nothing. One query."""
    chosen = {p.user_id: (p.inbox, p.email)
              for p in Preference.objects.filter(user__in=[u.pk for u in users], kind=kind)}
    return {u.pk: chosen.get(u.pk, (Preference.INBOX_DEFAULT, Preference.EMAIL_DEFAULT)) for u in users}


def webhooks_for(event: Event, task: Task) -> list[Webhook]:
    """The active robots told of ``event``: the organisation's, and those of the task's lead unit and
    co-units while they may see it (not a draft), each if it wants this kind."""
    units = [task.organisation_id]
    if task.state != State.DRAFT:
        units += [task.lead_unit_id] if task.lead_unit_id else []
        units += list(task.co_units.values_list("pk", flat=True))
    default = set(telling_kinds())
    return [w for w in Webhook.objects.filter(active=True, unit__in=units).order_by("pk")
            if event.action in (w.kinds or default)]


def record(event: Event) -> bool:
    """Write the notifications and pending deliveries of ``event``; enqueue their sending on commit.

    Call inside the transaction that wrote the event. Returns whether anything is to be sent.
    """
    if event.action not in kinds():
        log.warning("event %s: action %r is not in the table of recipients", event.pk, event.action)
    # read afresh: the event's task object is the one the change was made on, with its old state
    task = Task.objects.select_related("organisation").get(pk=event.task_id)
    users = recipients(event, task)
    channels = wanted_channels(users, event.action)
    Notification.objects.bulk_create(
        [Notification(user=u, event=event, task=task, kind=event.action) for u in users if channels[u.pk][0]],
        ignore_conflicts=True,
    )
    mailed = [u for u in users if channels[u.pk][1] and u.email]
    notes = dict(Notification.objects.filter(event=event, user__in=mailed).values_list("user_id", "pk")) \
        if mailed else {}
    mails = [Delivery(channel=Channel.EMAIL, event=event, recipient=u, address=u.email,
                      notification_id=notes.get(u.pk)) for u in mailed]
    posts = [Delivery(channel=Channel.WEBHOOK, event=event, webhook=w) for w in webhooks_for(event, task)]
    Delivery.objects.bulk_create(mails + posts, ignore_conflicts=True)
    if not (mails or posts):
        return False
    # robust: if the queue cannot take the job, the change stands and the deliveries stay pending
    transaction.on_commit(partial(deliver_event.enqueue, event.pk), robust=True)
    return True
