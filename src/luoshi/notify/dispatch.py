"""From a journal event to what is owed: inbox rows, emails and robot posts, decided in the
transaction that wrote the event, sent after it commits.

`on_events_appended` receives `tasks.journal.events_appended` (one event, or the scan's batch)
inside the events' transaction. It writes the notifications and the pending deliveries (emails
and robot posts) there and then, so that they exist exactly when the event does, and enqueues
one job an event on commit to send them.
Nothing outside the database happens here: a dead robot or mail server cannot block or slow a
change of a task. Writing twice writes nothing new (unique rows, conflicts ignored).
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from luoshi import pgarrays
from luoshi.notify.jobs import deliver_event
from luoshi.notify.models import Channel, Delivery, Notification, Preference, Webhook
from luoshi.notify.recipients import Memo, TaskRow, allowed, kinds, read_tasks, telling_kinds, told_ids
from luoshi.tasks.models import Event, State, Task
from luoshi.tasks.roles import Reach

log = logging.getLogger(__name__)


def on_events_appended(sender, events: list[Event], scope: dict | None = None, **kwargs) -> None:
    """The signal's receiver. A fault here is logged, never raised: telling people of a change
    must not undo the change (the savepoint keeps the transaction usable on PostgreSQL)."""
    try:
        with transaction.atomic():
            record_many(events, scope)
    except Exception:
        log.exception("notifications for events %s… were not recorded", events[0].pk if events else None)


def _channels(told: list[tuple[Event, list]], memo: Memo) -> dict[tuple[int, str], tuple[bool, bool]]:
    """{(user id, kind): (inbox, email)} for every person and kind of a batch: one query for the
    pairs ``memo`` has not read yet."""
    pairs = {(u.pk, e.action) for e, us in told for u in us}
    missing = pairs - memo.channels.keys()
    if missing:
        default = (Preference.INBOX_DEFAULT, Preference.EMAIL_DEFAULT)
        memo.channels.update(dict.fromkeys(missing, default))
        chosen = Preference.objects.filter(user__in={u for u, _k in missing}, kind__in={k for _u, k in missing})
        for user, kind, inbox, email in chosen.values_list("user_id", "kind", "inbox", "email"):
            if (user, kind) in missing:
                memo.channels[(user, kind)] = (inbox, email)
    return {pair: memo.channels[pair] for pair in pairs}


def _insert_notifications(rows: list[tuple[int, int, int, str]]) -> None:
    """Write inbox rows (user, event, task, kind), leaving alone those already written. The scan
    writes tens of thousands at once: one statement over arrays, since a model object and its
    compiled placeholders cost a row more than the insert itself."""
    pgarrays.insert(Notification, ["user", "event", "task", "kind"], rows, stamp="created_at", ignore_conflicts=True)


def _units(task: Task | TaskRow) -> list[int]:
    """The task's organisation, lead unit and co-units."""
    return [u for u in (task.organisation_id, task.lead_unit_id, *Reach.of(task).co_units) if u]


def webhooks_for(event: Event, task: Task | TaskRow, active: list[Webhook]) -> list[Webhook]:
    """Of the ``active`` robots (read once for a batch), those told of ``event``: the organisation's,
    and those of the task's lead unit and co-units while they may see it (not a draft), each if it
    wants this kind."""
    units = _units(task) if task.state != State.DRAFT else [task.organisation_id]
    default = set(telling_kinds())
    return [w for w in active if w.unit_id in units and event.action in (w.kinds or default)]


def record(event: Event) -> bool:
    """Write the notifications and pending deliveries of ``event``; enqueue their sending on commit.

    Call inside the transaction that wrote the event. Returns whether anything is to be sent.
    """
    return bool(record_many([event]))


def record_many(events: list[Event], scope: dict | None = None) -> int:
    """`record` for a batch of events, in a few queries for all of them whatever their number.
    Returns how many events have something to send. ``scope``: kept by the caller across its
    batches (the scan's run), so that the people, their units and their choices are read once for
    all of them, not once a batch; a membership changed meanwhile counts from the next run."""
    for action in sorted({e.action for e in events} - set(kinds())):
        log.warning("action %r is not in the table of recipients (events %s)", action,
                    [e.pk for e in events if e.action == action][:5])
    # read afresh: the events' task objects are those the changes were made on, with their old state
    tasks = read_tasks({e.task_id for e in events})
    units = {u for t in tasks.values() for u in _units(t)}
    memo = scope.setdefault("notify.memo", Memo()) if scope is not None else Memo()
    memo.load(units | {e.data.get("unit") for e in events if isinstance(e.data.get("unit"), int)})
    wanted = {e.pk: told_ids(e, tasks[e.task_id], memo) for e in events}
    memo.active_people(set().union(*wanted.values()))  # the people of the whole batch at once
    told = [(e, allowed(memo.active_people(wanted[e.pk]), tasks[e.task_id])) for e in events]
    channels = _channels(told, memo)
    _insert_notifications([(u.pk, e.pk, e.task_id, e.action)
                           for e, users in told for u in users if channels[(u.pk, e.action)][0]])
    mailed = {e.pk: [u for u in users if channels[(u.pk, e.action)][1] and u.email] for e, users in told}
    notes = {}
    if any(mailed.values()):
        notes = {(n.event_id, n.user_id): n.pk for n in Notification.objects.filter(
            event__in=[pk for pk, us in mailed.items() if us]).only("pk", "event_id", "user_id")}
    active = list(Webhook.objects.filter(active=True, unit__in=units).order_by("pk"))
    deliveries, sending = [], []
    for e, _users in told:
        mails = [Delivery(channel=Channel.EMAIL, event=e, recipient_id=u.pk, address=u.email,
                          notification_id=notes.get((e.pk, u.pk))) for u in mailed[e.pk]]
        posts = [Delivery(channel=Channel.WEBHOOK, event=e, webhook=w)
                 for w in webhooks_for(e, tasks[e.task_id], active)] if active else []
        deliveries += mails + posts
        if mails or posts:
            sending.append(e.pk)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
    for pk in sending:
        # robust: if the queue cannot take the job, the change stands and the deliveries stay pending
        transaction.on_commit(partial(deliver_event.enqueue, pk), robust=True)
    return len(sending)
