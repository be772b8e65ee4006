"""A co-unit's own duty: its opinion (协办意见) by its own date, reminded and counted on its own; the
lead unit's submission waits for every opinion or records why it went ahead."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from tests.factories import drive, make_task

from luoshi.tasks import services
from luoshi.tasks.models import CoOpinion, Event, State
from luoshi.tasks.workflow import WorkflowError, perform

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_assignment_gives_each_co_unit_its_own_date(org) -> None:
    org.province.co_opinion_within = "10d"
    org.province.save()
    task = drive(org, make_task(org, due=timezone.localdate() + dt.timedelta(days=60)), State.ASSIGNED)
    duty = CoOpinion.objects.get(task=task)
    assert (duty.unit, duty.due_date) == (org.unit_b, timezone.localdate() + dt.timedelta(days=10))
    # never later than the task itself is due
    short = drive(org, make_task(org, title="短期任务", due=timezone.localdate() + dt.timedelta(days=3)),
                  State.ASSIGNED)
    assert CoOpinion.objects.get(task=short).due_date == timezone.localdate() + dt.timedelta(days=3)


def test_the_submission_waits_for_the_opinion_or_says_why(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    with pytest.raises(WorkflowError, match="吕梁市人民政府") as err:
        perform(task, "submit", org.handler_a, version=task.version, reason="已完成")
    assert err.value.code == "invalid"
    went = perform(task, "submit", org.handler_a, version=task.version, reason="已完成",
                   went_ahead="协办单位两次催要未复，时限已到")
    last = Event.objects.filter(task=task).order_by("-seq").first()
    assert went.state == State.SUBMITTED
    assert (last.data["went_ahead"], last.data["without_opinions"]) == ("协办单位两次催要未复，时限已到", [org.unit_b.pk])


def test_an_opinion_given_once_on_time_or_late(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    opinion = services.give_opinion(task, org.head_b, text="吕梁市将配合做好土地整理。")
    assert (opinion.on_time, opinion.given_by) == (True, org.head_b)
    with pytest.raises(WorkflowError) as err:
        services.give_opinion(task, org.handler_b, text="再次提交")
    assert err.value.code == "state"
    for who, code in (("handler_a", "forbidden"), ("supervisor", "forbidden"), ("outsider", "not_found")):
        with pytest.raises(WorkflowError) as err:
            services.give_opinion(task, getattr(org, who), text="x")
        assert err.value.code == code
    late = drive(org, make_task(org, title="迟到的意见"), State.IN_PROGRESS)
    CoOpinion.objects.filter(task=late).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    assert services.give_opinion(late, org.handler_b, text="意见").on_time is False
    # with every opinion in, the submission goes without a word more
    assert perform(task, "submit", org.handler_a, version=task.version, reason="已完成").state == State.SUBMITTED


def test_a_co_unit_made_lead_owes_no_opinion(org) -> None:
    task = drive(org, make_task(org), State.REASSIGNMENT_REQUESTED)
    perform(task, "approve_reassignment", org.supervisor, version=task.version, unit=org.unit_b)
    assert not CoOpinion.objects.filter(task=task).exists()


def test_the_scan_reminds_and_counts_a_co_unit_on_its_own(org, capsys) -> None:
    # due Mon 19 Feb 2024; the working day before is Sun 18 Feb (worked, 调休)
    task = drive(org, make_task(org, due=dt.date(2024, 6, 30)), State.IN_PROGRESS)
    CoOpinion.objects.filter(task=task).update(due_date=dt.date(2024, 2, 19))
    for day, reminded, late in (("2024-02-17", 0, 0), ("2024-02-18", 1, 0), ("2024-02-18", 0, 0),
                                ("2024-02-19", 0, 0), ("2024-02-20", 0, 1), ("2024-02-21", 0, 0)):
        call_command("scan", "--at", day, "-v", "2")
        details = capsys.readouterr().out
        assert f"co-unit reminders {reminded}, co-unit opinions late {late}" in details, day
    acts = list(Event.objects.filter(task=task, action__startswith="co_").values_list("action", "data"))
    assert [a for a, _d in acts] == ["co_remind", "co_overdue"]
    assert all(d["unit"] == org.unit_b.pk for _a, d in acts)
