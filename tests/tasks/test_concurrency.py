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
