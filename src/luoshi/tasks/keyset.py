"""Keyset pagination of tasks: the one way the task list, the ledgers and the API page.

A page is the rows after the last one shown, by its sort key and id (never OFFSET, which reads
and throws away every row before the page: a late page of 100,000 tasks cost 100x the first).
The queryset must be annotated with ``sort_key`` and ordered by (sort_key, pk), descending
for ``newest_first``. `luoshi.ledgers.queries` re-exports these names.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateField, DateTimeField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from luoshi.tasks.models import FAR_DUE, NEVER_CLOSED, Task

FAR = FAR_DUE  # no due date sorts last
EPOCH = NEVER_CLOSED  # the latest-closed-first key of a task without a closing time (index `task_closed_key`)


def due_key() -> Coalesce:
    """The soonest-due-first sort key (a task without a due date last); the tasks app's index
    `task_due_key` is on the same expression."""
    return Coalesce("due_date", Value(FAR, output_field=DateField()))


def closed_key() -> Coalesce:
    return Coalesce("closed_at", Value(EPOCH, output_field=DateTimeField()))


def after(tasks: QuerySet[Task], cursor: str | None, *, newest_first: bool = False) -> QuerySet[Task]:
    """The rows after ``cursor`` (what `cursor_of` gave for the last row shown); a cursor that
    cannot be read gives no rows rather than a wrong page."""
    if not cursor:
        return tasks
    key, _sep, pk = cursor.rpartition("_")
    try:
        pk_ = int(pk)
        # the bound alone (>= or <=) lets the index on the sort key start at the cursor; the OR
        # after it could not (a page 80% down walked 80,000 rows of 100,000 to find its first)
        if newest_first:
            value = dt.datetime.fromisoformat(key)
            return tasks.filter(sort_key__lte=value).filter(Q(sort_key__lt=value) | Q(sort_key=value, pk__lt=pk_))
        value = dt.date.fromisoformat(key)
    except (ValueError, OverflowError):
        return tasks.none()
    return tasks.filter(sort_key__gte=value).filter(Q(sort_key__gt=value) | Q(sort_key=value, pk__gt=pk_))


def cursor_of(task: Task) -> str:
    return f"{task.sort_key.isoformat()}_{task.pk}"


def page(tasks: QuerySet[Task], cursor: str | None, size: int, *,
         newest_first: bool = False) -> tuple[list[Task], str | None]:
    """One page of rows after ``cursor``, and the cursor of the next page (None: the last):
    one query of size + 1 rows, and no count."""
    rows = list(after(tasks, cursor, newest_first=newest_first)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (cursor_of(rows[-1]) if more and rows else None)
