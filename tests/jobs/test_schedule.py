"""Periodic jobs: a slot per day (from its time) or per interval, enqueued once whoever ticks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django_tasks_db.models import DBTaskResult

from luoshi.jobs import schedule
from luoshi.jobs.models import Tick

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(y, m, d, hh, mm) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


# (when, local time, slot): written out by hand
SLOTS = [
    ("daily 07:00", _at(2024, 2, 19, 6, 59), None),
    ("daily 07:00", _at(2024, 2, 19, 7, 0), "2024-02-19"),
    ("daily 07:00", _at(2024, 2, 19, 23, 59), "2024-02-19"),
    ("daily 7:30", _at(2024, 2, 20, 7, 29), None),
    ("every 15 minutes", _at(2024, 2, 19, 10, 14), "2024-02-19T0600"),
    ("every 15 minutes", _at(2024, 2, 19, 10, 15), "2024-02-19T0615"),
]


@pytest.mark.parametrize("when,now,slot", SLOTS)
def test_slots(when, now, slot) -> None:
    assert schedule.Periodic("x", "luoshi.jobs.jobs.probe", when).slot(now) == slot


def test_a_bad_schedule_is_named() -> None:
    with pytest.raises(ValueError, match="twice a day"):
        schedule.Periodic("x", "luoshi.jobs.jobs.probe", "twice a day").slot(_at(2024, 1, 1, 0, 0))


@pytest.mark.django_db(transaction=True)
def test_a_periodic_job_is_enqueued_once_per_slot(settings) -> None:
    settings.LUOSHI = {**settings.LUOSHI, "SCHEDULE": [("probe", "luoshi.jobs.jobs.probe", "daily 07:00")]}
    assert schedule.tick(_at(2024, 2, 19, 6, 0)) == []
    assert schedule.tick(_at(2024, 2, 19, 8, 0)) == ["probe"]
    assert schedule.tick(_at(2024, 2, 19, 9, 0)) == []  # the same day: already enqueued
    assert schedule.tick(_at(2024, 2, 20, 7, 5)) == ["probe"]
    assert list(Tick.objects.order_by("slot").values_list("slot", flat=True)) == ["2024-02-19", "2024-02-20"]
    assert [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.order_by("enqueued_at")] == [
        {"slot": "2024-02-19"}, {"slot": "2024-02-20"}]


def test_every_scheduled_job_takes_the_slot_it_is_given(settings) -> None:
    """The schedule enqueues a job with ``slot=`` (its day or its interval's start): a job that
    takes no such argument fails in every worker, every time (the hourly fold did, in the
    province-shape test). Called here as the schedule calls each, on an empty database."""
    import inspect

    from django.utils.module_loading import import_string

    refused = []
    for name, path, _when in settings.LUOSHI["SCHEDULE"]:
        job = import_string(path)
        try:
            inspect.signature(job.func).bind(slot="2026-12-02T0300")
        except TypeError as exc:
            refused.append((name, str(exc)))
    assert refused == []
