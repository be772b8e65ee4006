"""The to-do list: the supervision office's kinds and a unit's, counted here by hand, with the
first tasks of a kind soonest due first."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import drive, make_task

from luoshi.tasks import todo, workflow
from luoshi.tasks.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(org) -> dict[str, object]:
    return {
        "draft1": make_task(org, title="甲", due=dt.date(2031, 5, 2)),
        "draft2": make_task(org, title="乙", due=dt.date(2031, 5, 1)),
        "extension": drive(org, make_task(org, title="丙"), State.EXTENSION_REQUESTED),
        "submitted": drive(org, make_task(org, title="丁"), State.SUBMITTED),
        "working": drive(org, make_task(org, title="戊"), State.IN_PROGRESS),
    }


def _counts(user) -> dict[str, int]:
    return {w.kind.key: w.count for w in todo.waiting(user)}


# two drafts, one request for more time, one submission; no request for another unit
BY_HAND = {"to_assign": 2, "extension_requests": 1, "to_review": 1}


def test_the_offices_kinds_counted_with_their_first_tasks_soonest_due_first(org, tasks) -> None:
    assert _counts(org.supervisor) == BY_HAND
    [drafts] = [w for w in todo.waiting(org.supervisor) if w.kind.key == "to_assign"]
    assert [t.title for t in drafts.first] == ["乙", "甲"]  # 乙 is due first (the fixture's dates)
    workflow.perform(tasks["draft1"], "assign", org.supervisor, version=tasks["draft1"].version)
    assert _counts(org.supervisor) == {"to_assign": 1, "extension_requests": 1, "to_review": 1}


def test_a_unit_handler_counts_its_units_tasks(org, tasks) -> None:
    workflow.perform(tasks["draft1"], "assign", org.supervisor, version=tasks["draft1"].version)
    assert _counts(org.handler_a) == {"to_sign": 1}
