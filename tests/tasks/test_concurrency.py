"""Two people act on the same task at the same moment: exactly one wins, on every database."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from tests.factories import drive, make_org, make_task

from luoshi.tasks.models import Event, State, Task
from luoshi.tasks.workflow import WorkflowError, perform


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", [5])
def test_concurrent_transitions_exactly_one_wins(rounds: int) -> None:
    org = make_org()
    for _ in range(rounds):
        task = drive(org, make_task(org), State.ASSIGNED)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def act(action: str, who, inputs: dict, task=task, barrier=barrier, outcomes=outcomes) -> None:
            try:
                barrier.wait()
                perform(task.pk, action, who, version=task.version, **inputs)
                outcomes.append("won")
            except WorkflowError as exc:
                outcomes.append(exc.code)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=act, args=("accept", org.handler_a, {})),
            threading.Thread(target=act, args=("request_reassignment", org.head_a,
                                               {"reason": "不属本单位职责", "unit": org.unit_c})),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes) == ["stale", "won"], outcomes
        fresh = Task.objects.get(pk=task.pk)
        assert fresh.version == task.version + 1
        assert fresh.state in (State.ACCEPTED, State.REASSIGNMENT_REQUESTED)
        assert Event.objects.filter(task=task).count() == 3  # created, assign, and one winner


@pytest.mark.django_db(transaction=True)
def test_twenty_progress_reports_at_once_are_all_taken(settings, tmp_path) -> None:
    """Appending conflicts with nothing: reports sent together are all kept, in one intact journal."""
    from luoshi.tasks import audit, services

    settings.MEDIA_ROOT = tmp_path
    org = make_org()
    task = drive(org, make_task(org), State.IN_PROGRESS)
    clients = 20
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []

    def report(n: int) -> None:
        try:
            barrier.wait()
            who = org.handler_a if n % 2 else org.handler_b
            services.report_progress(Task(pk=task.pk), who, text=f"第{n}次进度：已完成{n * 5}%。")
            outcomes.append("taken")
        except WorkflowError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert outcomes == ["taken"] * clients
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.version == task.version  # nothing a person acts on changed
    assert fresh.progress_reports.count() == clients
    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_move_made_while_reports_arrive_is_not_refused(settings, tmp_path) -> None:
    from luoshi.tasks import services

    settings.MEDIA_ROOT = tmp_path
    org = make_org()
    task = drive(org, make_task(org), State.IN_PROGRESS)
    seen = task.version
    services.report_progress(task, org.handler_b, text="吕梁市配合完成验收。")
    services.comment(task, org.leader, text="请抓紧推进。")
    services.give_opinion(task, org.handler_b, text="同意牵头单位意见。")
    after = perform(task.pk, "submit", org.handler_a, version=seen, reason="已完成")
    assert after.state == State.SUBMITTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises whole writing transactions; "
                    "set LUOSHI_TEST_POSTGRES=postgresql://USER@HOST:PORT/DBNAME to run this on PostgreSQL")
def test_a_batch_still_telling_people_holds_up_no_other_writer() -> None:
    """The journal's head is locked only to chain and write a batch's events, after its listeners
    (who is told) are done: a second writer appends and commits while the first is still at
    them, and the chain holds both, the second's events before the first's."""
    from django.db import transaction

    from luoshi.tasks import audit, journal

    org = make_org()
    first, second = (drive(org, make_task(org, title=t), State.ACCEPTED) for t in ("第一项", "第二项"))
    in_listener, second_done = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def hold(sender, events, **kwargs) -> None:
        if events[0].task_id == first.pk:
            in_listener.set()
            outcomes["second done while held"] = second_done.wait(timeout=20)

    def batch() -> None:
        try:
            with transaction.atomic():
                journal.append_many([journal.Pending(Task.objects.get(pk=first.pk), None, "stale", data={"n": 1})])
        finally:
            connection.close()

    def single() -> None:
        try:
            in_listener.wait(timeout=20)
            with transaction.atomic():
                journal.append(Task.objects.get(pk=second.pk), actor=None, action="stale", data={"n": 2})
            second_done.set()
        finally:
            connection.close()

    journal.events_appended.connect(hold, dispatch_uid="test-hold")
    try:
        threads = [threading.Thread(target=batch), threading.Thread(target=single)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        journal.events_appended.disconnect(dispatch_uid="test-hold")
    assert outcomes == {"second done while held": True}
    a, b = (Event.objects.get(task=t, action="stale") for t in (first, second))
    assert b.position < a.position
    assert audit.verify().ok
