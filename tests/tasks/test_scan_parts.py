"""The scan shared by several scanners (`scan.run(part=, parts=)`, `luoshi scan --parts`, the
workers' `scan_part` jobs), with answers counted by hand on the 2024 calendar as in test_scan:
remind 3 and 1 working days before; escalate 1, 5, 10 working days after the due date; silence
over 14 calendar days. Four tasks signed for and due Mon 19 Feb 2024: on Tue 20 Feb each is
overdue and escalated to level 1.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult
from tests.factories import drive, make_task, spread_over_festival

from luoshi.tasks import audit, jobs, scan, services
from luoshi.tasks.models import Event, ScanBasis, State, Task

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
NOTHING = "reminders 0, escalations 0, overdue 0, stale 0"


# the rules these answers are counted by (tests/tasks/conftest.py)
pytestmark = pytest.mark.usefixtures("festival_rules")


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _four(org) -> list[int]:
    return [drive(org, make_task(org, title=f"第{n}项", due=_d("2024-02-19")), State.ACCEPTED).pk for n in range(4)]


def _acted(since: int) -> list[tuple[int, str]]:
    """What the scan did to the lead units' tasks since ``since`` (the co-units' opinions, read
    apart from the tasks' days, are part 0's: tests/tasks/test_co_opinions.py)."""
    return sorted(Event.objects.filter(position__gt=since, actor=None).exclude(action__startswith="co_")
                  .values_list("task_id", "action"))


def _end() -> int:
    return Event.objects.order_by("-position").values_list("position", flat=True).first() or 0


def test_each_part_acts_on_its_own_share_of_the_tasks(org) -> None:
    pks = _four(org)
    scan.run(_d("2024-02-01"))  # nothing due yet; the days are worked out (a full pass) and kept
    assert ScanBasis.objects.count() == 1
    even = [pk for pk in pks if pk % 2 == 0]
    odd = [pk for pk in pks if pk % 2 == 1]
    start = _end()
    one = scan.run(_d("2024-02-20"), part=1, parts=2)
    assert one.line() == f"reminders 0, escalations {len(odd)}, overdue {len(odd)}, stale 0"
    assert _acted(start) == sorted([(pk, "escalate") for pk in odd] + [(pk, "overdue") for pk in odd])
    start = _end()
    zero = scan.run(_d("2024-02-20"), part=0, parts=2)
    assert zero.line() == f"reminders 0, escalations {len(even)}, overdue {len(even)}, stale 0"
    assert _acted(start) == sorted([(pk, "escalate") for pk in even] + [(pk, "overdue") for pk in even])
    # the whole day is done: neither part, nor one scanner, finds anything more
    for part, parts in [(0, 2), (1, 2), (0, 1)]:
        assert scan.run(_d("2024-02-20"), part=part, parts=parts).line() == NOTHING
    assert audit.verify().ok


def test_a_full_pass_is_left_to_part_zero(org) -> None:
    """With no days worked out under today's rules (a first scan, new rules), part 0 reads every
    open task; the others leave the organisation to it, and its basis is written only once it
    has read them all."""
    _four(org)
    assert scan.run(_d("2024-02-20"), part=1, parts=2).line() == NOTHING
    assert not ScanBasis.objects.exists()
    assert scan.run(_d("2024-02-20"), part=0, parts=2).line() == "reminders 0, escalations 4, overdue 4, stale 0"
    assert ScanBasis.objects.count() == 1
    assert scan.run(_d("2024-02-20"), part=1, parts=2).line() == NOTHING


def test_a_part_outside_the_parts_is_refused(org) -> None:
    with pytest.raises(ValueError, match="part 2 of 2"):
        scan.run(_d("2024-02-20"), part=2, parts=2)
    with pytest.raises(CommandError, match="--parts"):
        call_command("scan", "--at", "2024-02-20", "--parts", "0", stdout=io.StringIO())
    # processes of their own commit on connections of their own: not inside this test's transaction
    with pytest.raises(RuntimeError, match="outside a transaction"):
        scan.run_side_by_side(_d("2024-02-20"), 2)


def test_the_summaries_of_the_parts_add_up() -> None:
    a = scan.Summary(reminders=1, overdue=2, days=3, warnings=["2031: statutory holidays not known yet"])
    a.add(scan.Summary(reminders=4, stale=5, days=6, warnings=["2031: statutory holidays not known yet"]))
    assert (a.reminders, a.overdue, a.stale, a.days) == (5, 2, 5, 9)
    assert a.warnings == ["2031: statutory holidays not known yet"]  # said once, not once a part


@pytest.mark.database
def test_three_parts_act_as_one_scan_day_by_day(org) -> None:
    """Thirty tasks in the states the scan acts on, dates spread over the Spring Festival, scanned
    every day for ten weeks with people's reports between the scans: once by one scanner, once
    by three parts one after another (part 0 last, so that the others meet the first day's full
    pass first). The acts must be the same, day by day, and each done by the part of its task."""
    rng = random.Random(11)
    tasks = spread_over_festival(org, 30, rng)
    writes = {d: rng.sample(tasks, 3) for d in range(70) if d % 9 == 4}

    def run(parts: int) -> list[tuple]:
        from django.db import transaction

        acts: list[tuple] = []
        try:
            with transaction.atomic():
                for d in range(70):
                    for pk in writes.get(d, ()):
                        t = Task.objects.get(pk=pk)
                        if t.state == State.IN_PROGRESS:
                            services.report_progress(t, org.handler_a, text="进展", percent=50)
                    for part in reversed(range(parts)):
                        start = _end()
                        scan.run(_d("2024-01-20") + dt.timedelta(days=d), part=part, parts=parts)
                        done = list(Event.objects.filter(position__gt=start, actor=None)
                                    .values_list("task_id", "action", "data"))
                        # but on the first day (a full pass: part 0's) and the co-units' opinions (part 0's)
                        assert all(pk % parts == part for pk, action, _data in done
                                   if d > 0 and not action.startswith("co_")), (d, part)
                        acts += [(d, pk, action, json.dumps(data, sort_keys=True)) for pk, action, data in done]
                raise _Rollback
        except _Rollback:
            pass
        return sorted(acts)

    one, three = run(1), run(3)
    assert len(one) > 80
    assert {a[2] for a in one} >= {"remind", "overdue", "escalate", "stale", "behind", "receipt_overdue"}
    assert three == one


@pytest.mark.django_db(transaction=True)
def test_the_scan_job_hands_the_other_parts_to_other_workers(org, settings) -> None:
    settings.LUOSHI = {**settings.LUOSHI, "SCAN_PARTS": 2}
    pks = _four(org)
    scan.run(_d("2024-02-01"))
    odd = sum(pk % 2 for pk in pks)
    assert jobs.scan.call(slot="2024-02-20") == f"reminders 0, escalations {4 - odd}, overdue {4 - odd}, stale 0"
    [queued] = DBTaskResult.objects.filter(task_path="luoshi.tasks.jobs.scan_part")
    assert queued.args_kwargs["kwargs"] == {"slot": "2024-02-20", "part": 1, "parts": 2}
    assert jobs.scan_part.call(**queued.args_kwargs["kwargs"]) == f"reminders 0, escalations {odd}, overdue {odd}, stale 0"


@pytest.mark.database
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="processes side by side share a server database: set "
                    "LUOSHI_TEST_POSTGRES=postgresql://USER@HOST:PORT/DBNAME (make test runs it in its PostgreSQL pass)")
def test_luoshi_scan_in_two_processes(org) -> None:
    _four(org)
    call_command("scan", "--at", "2024-02-01", stdout=io.StringIO())
    out = io.StringIO()
    call_command("scan", "--at", "2024-02-20", "--parts", "2", stdout=out)
    assert out.getvalue().strip() == "reminders 0, escalations 4, overdue 4, stale 0"
    assert Event.objects.filter(actor=None, action="overdue").count() == 4
    assert audit.verify().ok


class _Rollback(Exception):
    pass
