"""Bulk work on ticked rows: each row on its own, through the workflow's door, with its own result."""

from __future__ import annotations

import pytest
from tests.factories import drive, make_task

from luoshi.tasks import bulk, workflow
from luoshi.tasks.models import Event, State, Task


def _mixed(org) -> dict:
    """A draft to assign, one already assigned, one changed since it was shown, one the user may not see."""
    fresh = make_task(org, title="抓好高标准农田建设")
    wrong_state = drive(org, make_task(org, title="推进重大项目"), State.ASSIGNED)
    stale = make_task(org, title="防返贫动态监测")
    shown = stale.version
    stale = workflow.perform(stale, "assign", org.supervisor, version=shown)  # someone acted meanwhile
    other = drive(org, make_task(org, title="别处的任务"), State.DRAFT)
    other.organisation = org.other_org
    Task.objects.filter(pk=other.pk).update(organisation=org.other_org)
    return {"fresh": fresh, "wrong_state": wrong_state, "stale": stale, "shown": shown, "other": other}


def test_assign_gives_one_result_per_row(org) -> None:
    t = _mixed(org)
    sent = [bulk.row_value(t["fresh"]), bulk.row_value(t["wrong_state"]), f"{t['stale'].pk}:{t['shown']}",
            bulk.row_value(t["other"]), "12abc:1"]
    # the supervisor of the province does not see the other organisation's draft
    results = bulk.run(org.supervisor, "assign", bulk.parse(sent))
    assert [(r.pk, r.ok, r.code) for r in results] == [
        (t["fresh"].pk, True, "done"),
        (t["wrong_state"].pk, False, "state"),
        (t["stale"].pk, False, "stale"),
        (t["other"].pk, False, "not_found"),
        (None, False, "not_found"),
    ]
    assert results[1].message == "This cannot be done while the task is “Assigned (已交办)”."
    assert results[2].message.startswith("Someone else changed this task")
    assert results[3].message == results[4].message == "No such task."
    # what succeeded is done, what was refused is untouched
    assert Task.objects.get(pk=t["fresh"].pk).state == State.ASSIGNED
    assert Task.objects.get(pk=t["other"].pk).state == State.DRAFT
    stale = Task.objects.get(pk=t["stale"].pk)
    assert (stale.state, stale.version) == (State.ASSIGNED, t["stale"].version)


def test_urge_needs_its_reason_on_every_row_and_refuses_stale_rows(org) -> None:
    a = drive(org, make_task(org, title="甲"), State.IN_PROGRESS)
    b = drive(org, make_task(org, title="乙"), State.ACCEPTED)
    draft = make_task(org, title="丙")
    rows = bulk.parse([bulk.row_value(a), bulk.row_value(b), bulk.row_value(draft)])
    missing = bulk.run(org.supervisor, "urge", rows, reason="  ")
    assert [(r.ok, r.message) for r in missing] == [(False, "Say why the task is urged.")] * 3
    assert Event.objects.filter(action="urge").count() == 0

    workflow.perform(b, "start", org.handler_a, version=b.version)  # b moves on after it was shown
    results = bulk.run(org.supervisor, "urge", rows, reason="请加快进度", level=2)
    # a draft is not the unit's yet: the service's own refusal, in its own words
    assert [(r.ok, r.code) for r in results] == [(True, "done"), (False, "stale"), (False, "forbidden")]
    assert results[2].message == "The supervision office urges a task while its unit has it."
    a.refresh_from_db()
    assert (a.urge_count, a.escalation_level) == (1, 2)
    urged = Event.objects.get(task=a, action="urge").data
    assert (urged["reason"], urged["level"]) == ("请加快进度", 2)
    assert Task.objects.get(pk=b.pk).urge_count == 0


def test_close_takes_the_evaluation_and_opinion_for_every_row(org) -> None:
    one = drive(org, make_task(org, title="甲"), State.SUBMITTED)
    two = drive(org, make_task(org, title="乙"), State.SUBMITTED)
    results = bulk.run(org.supervisor, "close", bulk.parse([bulk.row_value(one), bulk.row_value(two)]),
                       reason="按期完成，成效明显。", evaluation="good")
    assert all(r.ok for r in results)
    for t in (one, two):
        t.refresh_from_db()
        assert (t.state, t.evaluation) == (State.CLOSED, "good")
        assert Event.objects.get(task=t, action="close").data["reason"] == "按期完成，成效明显。"
    # a unit cannot close in bulk what it could not close on the page
    three = drive(org, make_task(org, title="丙"), State.SUBMITTED)
    refused = bulk.run(org.handler_a, "close", bulk.parse([bulk.row_value(three)]))
    assert [(r.ok, r.code) for r in refused] == [(False, "forbidden")]


@pytest.mark.parametrize("raw", ["", "abc", "0:1", "1:0", "1", ":", "-3:1", "99999999999999999999999:1",
                                 "1:99999999999", "１:1", "1:1:1", "x" * 500])
def test_malformed_rows_are_not_found_never_an_error(org, raw: str) -> None:
    rows = bulk.parse([raw])
    results = bulk.run(org.supervisor, "assign", rows)
    assert [(r.ok, r.code) for r in results] == [(False, "not_found")]
    assert len(results[0].raw) <= 40


def test_a_row_ticked_twice_is_done_once_and_too_many_rows_are_refused_before_any(org) -> None:
    task = make_task(org)
    results = bulk.run(org.supervisor, "assign", bulk.parse([bulk.row_value(task)] * 2))
    assert [r.ok for r in results] == [True]
    many = bulk.parse([f"{n}:1" for n in range(1, bulk.MAX_ROWS + 2)])
    with pytest.raises(bulk.TooManyRows, match="at most 200"):
        bulk.run(org.supervisor, "assign", many)


def test_only_visible_ids_are_exported(org) -> None:
    mine = drive(org, make_task(org, title="甲"), State.ASSIGNED)
    draft = make_task(org, title="乙")  # a draft: the office's, not the unit's
    assert bulk.visible_ids(org.handler_a, bulk.parse([bulk.row_value(draft), "x", bulk.row_value(mine)])) == [
        mine.pk]
