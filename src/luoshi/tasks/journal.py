"""The task journal: append-only events chained by hash, and the check of the chain.

Each event's hash covers its own fields and the hash of the task's previous event, so an
edit of any stored event (or a removed one) breaks the chain from that event on.
Appends happen inside the transaction that changed the task row, which holds that row's
lock, so two writers never extend the same task's chain at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from luoshi.tasks.models import Event, Task

GENESIS = "0" * 64


def event_hash(*, task_id: int, seq: int, at: datetime, actor_id: int | None, action: str,
               from_state: str, to_state: str, data: dict, prev_hash: str) -> str:
    body = json.dumps(
        {
            "task": task_id,
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "action": action,
            "from": from_state,
            "to": to_state,
            "data": data,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(task: Task, *, actor, action: str, from_state: str = "", to_state: str = "",
           data: dict | None = None) -> Event:
    """Add an event at the end of ``task``'s chain. Call inside the transaction that changed the task."""
    data = json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))  # as the database returns it
    last = Event.objects.filter(task=task).order_by("-seq").values_list("seq", "hash").first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = timezone.now()
    actor_id = actor.pk if actor is not None else None
    h = event_hash(task_id=task.pk, seq=seq, at=at, actor_id=actor_id, action=action,
                   from_state=from_state, to_state=to_state, data=data, prev_hash=prev)
    return Event.objects.create(task=task, seq=seq, at=at, actor_id=actor_id, action=action,
                                from_state=from_state, to_state=to_state, data=data, prev_hash=prev, hash=h)


@dataclass(frozen=True)
class Break:
    task_id: int
    seq: int
    event_id: int
    reason: str


def verify(events: Iterable[Event] | None = None) -> Break | None:
    """The first broken event (by task, then sequence), or None if every chain holds."""
    if events is None:
        events = Event.objects.order_by("task_id", "seq").iterator(chunk_size=2000)
    task_id, prev, expected_seq = None, GENESIS, 1
    for e in events:
        if e.task_id != task_id:
            task_id, prev, expected_seq = e.task_id, GENESIS, 1
        if e.seq != expected_seq:
            return Break(e.task_id, e.seq, e.pk, f"expected event number {expected_seq}, found {e.seq}")
        if e.prev_hash != prev:
            return Break(e.task_id, e.seq, e.pk, "does not link to the event before it")
        h = event_hash(task_id=e.task_id, seq=e.seq, at=e.at, actor_id=e.actor_id, action=e.action,
                       from_state=e.from_state, to_state=e.to_state, data=e.data, prev_hash=e.prev_hash)
        if h != e.hash:
            return Break(e.task_id, e.seq, e.pk, "its content does not match its hash (edited)")
        prev, expected_seq = e.hash, expected_seq + 1
    return None
