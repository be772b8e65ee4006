"""The journal: append-only events in one hash chain, and what a task's row must agree with.

Each event's hash covers every stored field of the event (its place in the chain, its task
and number there, time, actor, action, states, the task's version after it, its data) and
the hash of the event written before it, whatever that event's task. One chain for the
whole journal means that removing any event, a whole task's events included, or editing one,
breaks it; `JournalHead` records where the chain ends, so that cutting off its tail shows.

Every change of a task records the fields it changed (`data["changes"]`, old and new value
of each), so the journal can be replayed: the fields, state and version it arrives at must
be those of the task's row (see `luoshi.tasks.audit`).

What a chain alone cannot show is a chain recomputed from an edit to its end, by someone
who can write the database. An anchor (`luoshi journal anchor`: the hash of the last event)
kept outside the database closes that gap: the history up to the anchor can be checked
against it at any later time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.dispatch import Signal
from django.utils import timezone

from luoshi import pgarrays
from luoshi.tasks.models import Event, JournalHead, Task

GENESIS = "0" * 64

# Sent with ``events`` (a list: one event, or the scan's batch) once they are written, inside the
# transaction that wrote them: whoever listens (the notifications, the search index) writes in the
# same transaction, or defers outside work to its commit.
events_appended = Signal()

# The task fields the journal accounts for, and how each is written in it.
FIELDS = ("organisation", "kind", "title", "description", "lead_unit", "owner", "leader", "issuer_name", "due_date",
          "due_origin", "due_basis", "original_due_date", "priority", "satisfaction", "state",
          "progress_percent", "urge_count", "escalation_level", "behind_schedule", "overdue_for", "receipt_late",
          "target", "signed_on_time", "closed_on_time", "evaluation", "target_met", "lead_proposer", "round",
          "parent", "allow_open_subtasks")
SETS = ("co_units", "proposers", "items")  # many-to-many: sorted primary keys


def plain(value):
    """A field value as the journal writes it (primary keys, ISO dates, sorted lists)."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(plain(v) for v in value)
    return value


def row_values(task: Task) -> dict:
    """The task's own columns among FIELDS (no query): a column holds no object and no list, so
    of `plain`'s cases only a date's remains (the scan reads tens of thousands of rows a day)."""
    out = {}
    for name, attname in _columns():
        value = getattr(task, attname)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


@cache
def _columns() -> tuple[tuple[str, str], ...]:
    """(field, column attribute) of each of FIELDS."""
    return tuple((name, Task._meta.get_field(name).attname) for name in FIELDS)


def snapshot(task: Task) -> dict:
    """Everything the journal accounts for on ``task``, as the journal writes it."""
    out = row_values(task)
    for name in SETS:
        out[name] = sorted(getattr(task, name).values_list("pk", flat=True)) if task.pk else []
    return out


def diff(before: dict, after: dict) -> dict[str, list]:
    """{field: [old, new]} for every field whose value differs."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def event_hash(*, position: int, task_id: int, seq: int, at: datetime, actor_id: int | None, action: str,
               from_state: str, to_state: str, version: int, data: dict, prev_hash: str) -> str:
    body = json.dumps(
        {
            "position": position,
            "task": task_id,
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "action": action,
            "from": from_state,
            "to": to_state,
            "version": version,
            "data": data,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def hash_of(e: Event) -> str:
    """What the hash of a stored event must be."""
    return event_hash(position=e.position, task_id=e.task_id, seq=e.seq, at=e.at, actor_id=e.actor_id,
                      action=e.action, from_state=e.from_state, to_state=e.to_state, version=e.version,
                      data=e.data, prev_hash=e.prev_hash)


def _locked_head() -> JournalHead:
    """The head row, locked until the transaction ends (made on first use)."""
    head = JournalHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    last = Event.objects.order_by("-position").values_list("position", "hash").first()
    position, hash_ = last if last else (0, GENESIS)
    try:
        with transaction.atomic():
            JournalHead.objects.create(pk=1, position=position, hash=hash_)
    except IntegrityError:  # someone else made it at the same moment
        pass
    return JournalHead.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class Pending:
    """An event to be written (what `append` takes, for one task). ``task``: the task, or the
    scan's row of it (`changes.Locked`): what is read of it is its ``pk`` and ``version``."""

    task: Task | object
    actor: object
    action: str
    from_state: str = ""
    to_state: str = ""
    version: int | None = None
    data: dict | None = None


def append(task: Task, *, actor, action: str, from_state: str = "", to_state: str = "",
           version: int | None = None, data: dict | None = None) -> Event:
    """Add an event at the end of the chain. Call inside the transaction that changed the task:
    the head row stays locked until it commits, so events are chained one after another."""
    [event] = _write([Pending(task, actor, action, from_state, to_state, version, data)], None, task)
    return event


def append_many(pending: list[Pending], scope: dict | None = None) -> list[Event]:
    """Add events at the end of the chain in one go, in the order given: one lock of the head,
    one read of the tasks' last numbers, one insert. What `append` does for each, for the scan's
    thousands of acts a day. Call inside the transaction that changed the tasks. ``scope``: a dict
    the caller keeps across its batches, passed on to the listeners for what they may read once
    for all of them (the scan's run)."""
    if not pending:
        return []
    return _write(pending, scope)


def _write(pending: list[Pending], scope: dict | None, task: Task | None = None) -> list[Event]:
    """Stage the events, tell the listeners, link them into the chain.

    On PostgreSQL the events' keys are drawn from their sequence first, the listeners write what
    refers to them (the foreign keys are checked at commit), and only then is the head locked and
    are the events chained and written: the head, which every writer waits for, is held for the
    hashing and one insert, not for the listeners' work too (most of a scan's batch), so that
    scanners working side by side (`luoshi scan --parts`) overlap. On SQLite, where one writer
    holds the whole file anyway, the events are written first and get their keys from the insert.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the journal is written inside the transaction that changes the task")
    events, texts = _stage(pending)
    if task is not None:
        events[0].task = task  # as the caller has it, not read again
    drawn = _draw_keys(events)
    if not drawn:
        _link(events, texts)
    events_appended.send(sender=Event, events=events, scope=scope)
    if drawn:
        _link(events, texts)
    return events


def _stage(pending: list[Pending]) -> tuple[list[Event], list[str]]:
    """The events of ``pending`` numbered within their tasks (whose rows the caller has locked),
    not yet placed in the chain; and their data as the JSON text they are written with."""
    # each task's last number, one backward probe of (task, seq) a task: MAX over a GROUP BY
    # read every event of the tasks, ten times as many rows, from the table as well as the index
    last = Event.objects.filter(task=OuterRef("pk")).order_by("-seq").values("seq")[:1]
    last_seq = {pk: seq for pk, seq in Task.objects.filter(pk__any_of={p.task.pk for p in pending})
                .annotate(m=Subquery(last)).values_list("pk", "m") if seq is not None}
    events, texts = [], []
    for p in pending:
        text = json.dumps(p.data or {}, ensure_ascii=False, default=str)
        texts.append(text)  # as it is written (`_insert`)
        seq = last_seq.get(p.task.pk, 0) + 1
        last_seq[p.task.pk] = seq
        events.append(Event(task_id=p.task.pk, seq=seq, actor_id=p.actor.pk if p.actor is not None else None,
                            action=p.action, from_state=p.from_state, to_state=p.to_state,
                            version=p.task.version if p.version is None else p.version,
                            data=json.loads(text)))  # as the database returns it
    return events, texts


def _draw_keys(events: list[Event]) -> bool:
    """Give ``events`` their keys from the table's sequence, in order (PostgreSQL only)."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return False
    table, key = Event._meta.db_table, Event._meta.pk.column
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, key, len(events)])
        for event, pk in zip(events, sorted(pk for (pk,) in cur.fetchall()), strict=True):
            event.pk = pk
    return True


def _link(events: list[Event], texts: list[str]) -> None:
    """Place ``events`` at the end of the chain, in order, and write them: the head is locked from
    here until the transaction commits."""
    head = _locked_head()
    position, prev, at = head.position, head.hash, timezone.now()
    for e in events:
        position += 1
        e.position, e.at, e.prev_hash = position, at, prev
        e.hash = prev = event_hash(position=position, task_id=e.task_id, seq=e.seq, at=at, actor_id=e.actor_id,
                                   action=e.action, from_state=e.from_state, to_state=e.to_state,
                                   version=e.version, data=e.data, prev_hash=e.prev_hash)
    _insert(events, texts)
    JournalHead.objects.filter(pk=1).update(position=position, hash=prev, at=at)


# the columns an event is written with, in the order of `_insert`'s arrays
_COLUMNS = ("id", "task", "seq", "position", "actor", "action", "from_state", "to_state", "version", "data",
            "prev_hash", "hash")


def _insert(events: list[Event], texts: list[str]) -> None:
    """Write ``events`` (made by `_stage`, placed by `_link`, one time for all; ``texts``: their data
    as JSON). On PostgreSQL, where their keys were drawn beforehand, a batch is one statement over
    arrays of its columns: the scan writes tens of thousands a day."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        Event.objects.bulk_create(events, batch_size=1000)
        return
    meta = Event._meta
    fields = [meta.get_field(name) for name in _COLUMNS]
    names = ", ".join(f.column for f in fields)
    values = [texts if f.name == "data"
              else [getattr(e, f.attname) for e in events] for f in fields]
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {meta.db_table} ({names}, at) SELECT *, %s FROM {pgarrays.unnest(fields)}",
                    [events[0].at, *map(pgarrays.column, values)])
    for event in events:
        event._state.adding, event._state.db = False, connection.alias


def head() -> tuple[int, str, datetime | None]:
    """(number of events, hash of the last, its time): what an anchor records."""
    last = Event.objects.order_by("-position").values_list("position", "hash", "at").first()
    return last if last else (0, GENESIS, None)
