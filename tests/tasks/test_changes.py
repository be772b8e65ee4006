"""The scan's marks staged on a locked plain row (`changes.stage_marks`): what they leave to be
written, checked against values written out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from tests.factories import drive, make_task

from luoshi.tasks import changes
from luoshi.tasks.models import State, Task

pytestmark = pytest.mark.django_db


def _task(org) -> Task:
    return drive(org, make_task(org, title="抓好春耕备耕", due=dt.date(2024, 2, 19)), State.IN_PROGRESS)


def test_a_mark_leaves_its_column_its_change_and_no_new_version(org) -> None:
    task = _task(org)
    with transaction.atomic():
        row = changes.lock_rows([task.pk])[task.pk]
        assert (row.state, row.due_date, row.overdue_for, row.escalation_level) == (
            State.IN_PROGRESS, dt.date(2024, 2, 19), None, 0)
        moves, updates = [], {}
        event, after = changes.stage_marks(row, "overdue", {"overdue_for": dt.date(2024, 2, 19)},
                                           {"due_date": "2024-02-19"}, moves, updates)
    assert event.data == {"due_date": "2024-02-19", "changes": {"overdue_for": [None, "2024-02-19"]}}
    assert (event.action, event.from_state, event.to_state, event.version) == (
        "overdue", State.IN_PROGRESS, State.IN_PROGRESS, task.version)
    assert event.task.pk == task.pk and event.actor is None
    assert updates == {task.pk: {"overdue_for": dt.date(2024, 2, 19)}}
    assert after.overdue_for == dt.date(2024, 2, 19) and after.escalation_level == 0
    assert moves == []  # the day it fell overdue is no column of its tally group: no move staged


def test_a_mark_its_tally_group_is_counted_by_stages_a_move(org) -> None:
    task = _task(org)
    with transaction.atomic():
        row = changes.lock_rows([task.pk])[task.pk]
        moves, updates = [], {}
        _e, row = changes.stage_marks(row, "receipt_late", {"receipt_late": True}, {}, moves, updates)
        _e, row = changes.stage_marks(row, "behind", {"behind_schedule": True}, {}, moves, updates)
    [(b1, a1), (b2, a2)] = moves
    assert (b1.receipt_late, a1.receipt_late, a1.behind_schedule) == (False, True, False)
    assert (b2.receipt_late, b2.behind_schedule, a2.behind_schedule) == (True, False, True)
    assert a2.due_date == dt.date(2024, 2, 19) and a2.state == State.IN_PROGRESS


def test_a_second_mark_on_the_row_as_it_will_be_written(org) -> None:
    """Escalated after being marked overdue in the same batch: its change starts from level 0, and
    a mark already holding its value records no change."""
    task = _task(org)
    with transaction.atomic():
        row = changes.lock_rows([task.pk])[task.pk]
        moves, updates = [], {}
        _e, row = changes.stage_marks(row, "overdue", {"overdue_for": dt.date(2024, 2, 19)}, {}, moves, updates)
        e2, row = changes.stage_marks(row, "escalate", {"escalation_level": 2}, {"level": 2}, moves, updates)
        e3, row = changes.stage_marks(row, "remind", {}, {"offset": "1wd"}, moves, updates)
        e4, row = changes.stage_marks(row, "escalate", {"escalation_level": 2}, {"level": 2}, moves, updates)
    assert e2.data == {"level": 2, "changes": {"escalation_level": [0, 2]}}
    assert e3.data == {"offset": "1wd"}
    assert e4.data == {"level": 2}
    assert updates == {task.pk: {"overdue_for": dt.date(2024, 2, 19), "escalation_level": 2}}
    assert moves == []  # the overdue and escalation marks move no tally group; the reminder writes no column


def test_only_marks_are_staged_so(org) -> None:
    task = _task(org)
    with transaction.atomic():
        row = changes.lock_rows([task.pk])[task.pk]
        with pytest.raises(ValueError, match="due_date"):
            changes.stage_marks(row, "overdue", {"due_date": dt.date(2024, 3, 1)}, {}, [], {})


def test_a_task_gone_is_not_among_the_rows(org) -> None:
    task = _task(org)
    with transaction.atomic():
        assert list(changes.lock_rows([task.pk, task.pk + 1000])) == [task.pk]
