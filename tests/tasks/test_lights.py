"""The light rule at its boundaries, and Python and SQL agreeing on it for generated tasks.

With the default settings: a task is red the day after its due date (due today is yellow),
yellow when due within 7 days (in 7 days: yellow; in 8: green), and yellow while the unit
works on it if nothing was reported for more than 14 days (14 days ago: green; 15: yellow).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from luoshi.tasks.lights import light_of, light_q
from luoshi.tasks.models import State, Task

TODAY = dt.date(2026, 6, 10)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _task(org, *, state=State.ASSIGNED, due=None, last_progress=None, created=None) -> Task:
    task = Task.objects.create(organisation=org.province, title="任务", lead_unit=org.unit_a, due_date=due,
                               last_progress_at=last_progress)
    Task.objects.filter(pk=task.pk).update(state=state, created_at=created or _at(TODAY))
    return Task.objects.get(pk=task.pk)


def _both(task: Task) -> tuple[str, str]:
    """The light of ``task`` by the Python rule and by the query."""
    sql = next(light for light in ("red", "yellow", "green", "none")
               if Task.objects.filter(pk=task.pk).filter(light_q(light, TODAY)).exists())
    return light_of(task, TODAY), sql


# (days from TODAY to the due date, light): written by hand from the rule above
DUE_BOUNDARIES = [(-1, "red"), (0, "yellow"), (1, "yellow"), (7, "yellow"), (8, "green"), (None, "green")]


@pytest.mark.parametrize("days,light", DUE_BOUNDARIES)
def test_due_date_boundaries(org, days, light) -> None:
    due = None if days is None else TODAY + dt.timedelta(days=days)
    assert _both(_task(org, due=due)) == (light, light)


# (days since the last progress report, hour of that report, light) for a task in progress, due far off
QUIET_BOUNDARIES = [(13, 10, "green"), (14, 0, "green"), (14, 23, "green"), (15, 23, "yellow"), (15, 0, "yellow"),
                    (30, 10, "yellow")]


@pytest.mark.parametrize("days,hour,light", QUIET_BOUNDARIES)
def test_no_progress_boundaries(org, days, hour, light) -> None:
    last = _at(TODAY - dt.timedelta(days=days), hour)
    task = _task(org, state=State.IN_PROGRESS, due=TODAY + dt.timedelta(days=60), last_progress=last,
                 created=_at(TODAY - dt.timedelta(days=100)))
    assert _both(task) == (light, light)


def test_without_any_report_the_time_since_creation_counts(org) -> None:
    due = TODAY + dt.timedelta(days=60)
    fresh = _task(org, state=State.IN_PROGRESS, due=due, created=_at(TODAY - dt.timedelta(days=14)))
    old = _task(org, state=State.IN_PROGRESS, due=due, created=_at(TODAY - dt.timedelta(days=15)))
    assert _both(fresh) == ("green", "green")
    assert _both(old) == ("yellow", "yellow")


@pytest.mark.parametrize("state,light", [(State.IN_PROGRESS, "yellow"), (State.RETURNED, "yellow"),
                                         (State.SUBMITTED, "green"), (State.ACCEPTED, "green")])
def test_behind_schedule_is_yellow_while_the_unit_works_on_it(org, state, light) -> None:
    task = _task(org, state=state, due=TODAY + dt.timedelta(days=60), last_progress=_at(TODAY))
    Task.objects.filter(pk=task.pk).update(behind_schedule=True)
    assert _both(Task.objects.get(pk=task.pk)) == (light, light)


def test_silence_only_counts_while_the_unit_works_on_it(org) -> None:
    long_ago = _at(TODAY - dt.timedelta(days=40))
    waiting = _task(org, state=State.SUBMITTED, due=TODAY + dt.timedelta(days=60), created=long_ago)
    assert _both(waiting) == ("green", "green")


@pytest.mark.parametrize("state", [State.DRAFT, State.CLOSED])
def test_drafts_and_closed_tasks_have_no_light(org, state) -> None:
    assert _both(_task(org, state=state, due=TODAY - dt.timedelta(days=30))) == ("none", "none")


def test_python_and_sql_agree_on_generated_tasks(org) -> None:
    rng = random.Random(20261130)
    days = [None, -30, -1, 0, 1, 6, 7, 8, 9, 60]
    quiet = [None, 0, 13, 14, 15, 16, 40]
    tasks = []
    for _ in range(300):
        q = rng.choice(quiet)
        tasks.append(Task(
            organisation=org.province, title="生成的任务", lead_unit=org.unit_a, state=rng.choice(list(State)),
            due_date=None if (d := rng.choice(days)) is None else TODAY + dt.timedelta(days=d),
            last_progress_at=None if q is None else _at(TODAY - dt.timedelta(days=q), rng.choice([0, 12, 23])),
            behind_schedule=rng.random() < 0.2,
        ))
    made = Task.objects.bulk_create(tasks)
    for task, created in zip(made, (rng.choice(quiet) or 0 for _ in made), strict=False):
        Task.objects.filter(pk=task.pk).update(created_at=_at(TODAY - dt.timedelta(days=created), 9))
    fresh = {t.pk: t for t in Task.objects.filter(pk__in=[t.pk for t in made])}
    by_python: dict[str, set[int]] = {}
    for pk, t in fresh.items():
        by_python.setdefault(light_of(t, TODAY), set()).add(pk)
    seen = set()
    for light in ("red", "yellow", "green", "none"):
        by_sql = set(Task.objects.filter(pk__in=fresh).filter(light_q(light, TODAY)).values_list("pk", flat=True))
        assert by_sql == by_python.get(light, set()), light
        assert not by_sql & seen  # every task has one light
        seen |= by_sql
    assert seen == set(fresh)
    assert len(by_python) == 4  # the generator reached every light
