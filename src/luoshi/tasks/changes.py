"""The one way a task's row changes: lock it, compare, update, journal the difference.

Moves of state and edits change what people act on, so they bump the task's version and
are refused if it moved since the person looked (`expect_version`). Appending to a task
(a progress report, a comment, a further source) conflicts with nothing: it locks the row
only to see the task as it is now, and never bumps the version.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.tasks import journal, tally, wake
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Event, State, Task

# changing any other field (or the state) changes what people act on: the version moves.
# These only add to what is known of a task (a further source, a percentage reported, the
# marks of the scan and of an urging), so they never make anyone's open page stale.
APPEND_ONLY = frozenset({"items", "progress_percent", "urge_count", "escalation_level", "behind_schedule",
                         "overdue_for", "receipt_late", "signed_on_time", "closed_on_time", "allow_open_subtasks"})


def stale() -> WorkflowError:
    return WorkflowError(
        _("Someone else changed this task after you opened it. Look at it as it is now and try again."), "stale")


def locked(pk: int) -> Task | None:
    """The task as it is now, its row locked until the transaction ends (PostgreSQL; SQLite's
    writing transactions are serialised as a whole)."""
    return (Task.objects.select_for_update(of=("self",)).select_related("organisation")
            .filter(pk=pk).first())


def write(task: Task, actor, action: str, *, expect_version: int | None = None, state: str | None = None,
          fields: dict | None = None, sets: dict[str, list] | None = None, data: dict | None = None,
          extra: dict | None = None, only_if_changed: bool = False) -> Event | None:
    """Change ``task`` (read with `locked` in this transaction) and journal it.

    ``fields``: new column values; ``sets``: new members of many-to-many fields (objects or
    primary keys); ``extra``: columns the journal does not account for (timestamps).
    ``expect_version``: the version the actor saw, refused as stale if the task moved since.
    ``only_if_changed``: write nothing (and return None) if no value changes.
    """
    pending = stage(task, actor, action, expect_version=expect_version, state=state, fields=fields, sets=sets,
                    data=data, extra=extra, only_if_changed=only_if_changed)
    if pending is None:
        return None
    event = journal.append(task, actor=pending.actor, action=pending.action, from_state=pending.from_state,
                           to_state=pending.to_state, version=pending.version, data=pending.data)
    task.refresh_from_db()
    return event


def stage(task: Task, actor, action: str, *, expect_version: int | None = None, state: str | None = None,
          fields: dict | None = None, sets: dict[str, list] | None = None, data: dict | None = None,
          extra: dict | None = None, only_if_changed: bool = False) -> journal.Pending | None:
    """`write` without its journal entry: change the row and return the event it owes.
    ``task`` is not read again. (The scan's marks take `stage_marks`, on plain rows.)"""
    fields, sets, extra = dict(fields or {}), dict(sets or {}), dict(extra or {})
    # the sets are read only when they may change: a set left alone cannot differ
    before = journal.row_values(task)
    for name in sets:
        before[name] = sorted(getattr(task, name).values_list("pk", flat=True)) if task.pk else []
    from_state = task.state
    if state is not None:
        fields["state"] = state
    after, columns = dict(before), {}
    for name, value in fields.items():
        field = Task._meta.get_field(name)
        # a relation given as a primary key is written to its column
        columns[field.attname if field.is_relation and not hasattr(value, "pk") else name] = value
        after[name] = journal.plain(value)
    for name, members in sets.items():
        after[name] = journal.plain(members)
    changes = journal.diff(before, after)
    bump = any(k not in APPEND_ONLY for k in changes)
    if expect_version is not None and task.version != expect_version:
        raise stale()
    if only_if_changed and not changes and not extra:
        return None
    columns.update(extra)
    if bump or columns:
        columns.setdefault("updated_at", timezone.now())
        query = Task.objects.filter(pk=task.pk, version=task.version, state=from_state)
        if bump:
            columns["version"] = F("version") + 1
        if query.update(**columns) != 1:
            raise stale()
        # whatever a person changed, the next scan reads the task and works its day out again;
        # the scan's own marks (`stage_marks`) leave that to the scan, which does it after them
        wake.at_once(task.pk, task.organisation_id, after["state"])
        # a task's co-unit rows move when its co-units change or it leaves (or enters) the drafts,
        # and its pairs of units (tally.TallyLink) when they or its lead unit do
        co_before = co_after = None
        if ("co_units" in sets or "lead_unit" in changes
                or (from_state == State.DRAFT) != (after["state"] == State.DRAFT)):
            co_before = before["co_units"] if "co_units" in sets else list(
                task.co_units.values_list("pk", flat=True))
            co_after = after["co_units"] if "co_units" in sets else co_before
        tally.moved([(tally.values(task, co_units=co_before), tally.values(task, columns, co_units=co_after))])
    for name, members in sets.items():
        if name in changes:
            getattr(task, name).set(members)
    version = task.version + 1 if bump else task.version
    payload = dict(data or {})
    if changes:
        payload["changes"] = {k: v for k, v in changes.items() if k != "state"}
        if not payload["changes"]:
            del payload["changes"]
    return journal.Pending(task=task, actor=actor, action=action, from_state=from_state, to_state=after["state"],
                           version=version, data=payload)


# the scan's marks of a task: columns it alone writes, all of them in APPEND_ONLY (no version moves)
MARKS = frozenset({"overdue_for", "escalation_level", "behind_schedule", "receipt_late"})
# those a task's tally group is counted by (`tally.FIELDS`)
TALLIED = MARKS & frozenset(tally.FIELDS)


class Locked(NamedTuple):
    """What the scan locks and reads of a task (a tuple, not a model object: it marks tens of
    thousands a day): its version, the columns its tally group is counted by (`tally.FIELDS`), and
    its marks. Named as `Task`'s attributes, so that a rule's check reads either."""

    pk: int
    version: int
    organisation_id: int
    lead_unit_id: int | None
    state: str
    due_date: dt.date | None
    last_progress_at: dt.datetime | None
    created_at: dt.datetime
    behind_schedule: bool
    closed_on_time: bool | None
    signed_on_time: bool | None
    closed_at: dt.datetime | None
    urge_count: int
    receipt_late: bool
    overdue_for: dt.date | None
    escalation_level: int


def lock_rows(pks) -> dict[int, Locked]:
    """The tasks ``pks`` as `Locked` rows, their rows locked in key order (two scanners wait for
    one another rather than deadlock) until the transaction ends."""
    rows = Task.objects.select_for_update().filter(pk__any_of=sorted(pks)).order_by("pk")
    return {r[0]: Locked(*r) for r in rows.values_list(*Locked._fields)}


def stage_marks(row: Locked, action: str, fields: dict, data: dict, moves: list,
                updates: dict[int, dict]) -> tuple[journal.Pending, Locked]:
    """`stage` for the scan: ``fields`` are marks (`MARKS`) of a task locked as ``row`` in this
    transaction. Returns the event it owes and the row as it will be written (for a next act on
    it), and leaves the columns in ``updates`` (for `write_staged`) and the tally's move in ``moves``
    (for `tally.moved`), so that a batch writes each in a few statements."""
    if not fields.keys() <= MARKS:
        raise ValueError(f"not a mark of the scan: {sorted(fields.keys() - MARKS)}")
    after = row._replace(**fields) if fields else row
    payload = dict(data)
    changed = {name: [journal.plain(getattr(row, name)), journal.plain(value)] for name, value in fields.items()
               if getattr(row, name) != value}
    if changed:
        payload["changes"] = changed
    if fields:
        updates.setdefault(row.pk, {}).update(fields)
        if not TALLIED.isdisjoint(fields):  # the overdue and escalation marks move no group
            moves.append((tally.values(row), tally.values(after)))
    return journal.Pending(task=row, actor=None, action=action, from_state=row.state, to_state=row.state,
                           version=row.version, data=payload), after


def write_staged(updates: dict[int, dict]) -> None:
    """Write the columns `stage_marks` left in ``updates`` ({task key: columns}), one UPDATE for each
    set of identical columns: the scan's hundreds of marks of a batch (overdue for one day,
    escalated to one level) in a few statements rather than one a task."""
    now = timezone.now()
    groups: dict[tuple, list[int]] = {}
    for pk, columns in updates.items():
        # a relation given as an object is written to its column, so that equal keys group
        key = tuple(sorted((Task._meta.get_field(name).attname, value.pk) if hasattr(value, "pk") else (name, value)
                           for name, value in columns.items()))
        groups.setdefault(key, []).append(pk)
    for key, pks in groups.items():
        Task.objects.filter(pk__any_of=pks).update(**dict(key), updated_at=now)
