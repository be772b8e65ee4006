"""The check: a slipped stage and a shortfall beyond the margin raise one task each for the
project's unit, linked back to the project; running again opens nothing twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from tests.projects.conftest import make_project

from luoshi.jobs import schedule
from luoshi.projects import check, jobs, queries, services
from luoshi.projects.models import Project, ProjectSettings, StageKind, Trigger
from luoshi.tasks import audit
from luoshi.tasks.models import Task
from luoshi.workdays.models import LocalDay
from luoshi.workdays.services import changed

D = dt.date


def _check(at: dt.date | None = None) -> str:
    out = StringIO()
    call_command("projects", "check", *(["--at", at.isoformat()] if at else []), stdout=out)
    return out.getvalue().strip()


def test_a_stage_planned_before_the_spring_festival_slips_when_work_resumes(org, clock) -> None:
    project = make_project(org, planned={StageKind.SIGN: D(2024, 2, 9)})
    clock.set(D(2024, 2, 9))  # planned today
    assert check.run().line() == "slipped 0, shortfalls 0, tasks opened 0"
    clock.set(D(2024, 2, 17))  # the last day of the holiday: no working day has passed
    assert check.run().line() == "slipped 0, shortfalls 0, tasks opened 0"
    clock.set(D(2024, 2, 18))  # the make-up working day (调休): slipped
    assert check.run().line() == "slipped 1, shortfalls 0, tasks opened 1"

    trigger = Trigger.objects.get()
    task = trigger.task
    assert (trigger.project, trigger.kind, trigger.stage.kind, trigger.planned_date) == (
        project, "slip", StageKind.SIGN, D(2024, 2, 9))
    assert task.lead_unit == org.unit_b and task.state == "assigned" and task.kind == "milestone"
    assert task.organisation == org.province and task.created_by == org.supervisor
    assert task.title == "重大项目“吕梁经济技术开发区氢能产业园”签约环节滞后"
    assert "计划于2024年2月9日完成" in task.description
    assert task.due_date == D(2024, 3, 1)  # the 10th working day after Sunday 18 February (19-23, 26-29, 1)
    assert project.triggers.get().task == task  # the task links back to its project
    assert task.events.filter(action="assign").exists() and audit.verify().ok

    assert check.run().line() == "slipped 1, shortfalls 0, tasks opened 0"  # twice: nothing twice
    assert _check(D(2024, 2, 26)) == "slipped 1, shortfalls 0, tasks opened 0"
    assert Task.objects.count() == 1


def test_a_local_day_off_counts_too(org, clock) -> None:
    # the organisation gives Monday 18 March off: a stage of Friday the 15th slips on Tuesday
    LocalDay.objects.create(organisation=org.province, date=D(2024, 3, 18), kind=LocalDay.Kind.HOLIDAY)
    changed()
    make_project(org, planned={StageKind.SIGN: D(2024, 3, 15)})
    assert check.run(D(2024, 3, 18)).slipped == 0
    assert check.run(D(2024, 3, 19)).line() == "slipped 1, shortfalls 0, tasks opened 1"


def test_a_stage_reached_late_is_no_longer_slipped_and_a_new_plan_slips_again(org, clock) -> None:
    project = make_project(org, planned={StageKind.SIGN: D(2024, 3, 5)})
    assert check.run(D(2024, 3, 6)).opened == 1
    stage = project.stages.get(kind=StageKind.SIGN)
    stage.planned_date = D(2024, 3, 20)  # the office moved the plan
    stage.save()
    assert check.run(D(2024, 3, 20)).line() == "slipped 0, shortfalls 0, tasks opened 0"
    assert check.run(D(2024, 3, 21)).line() == "slipped 1, shortfalls 0, tasks opened 1"
    clock.set(D(2024, 3, 22))
    services.record_stage(project, org.handler_b, StageKind.SIGN, D(2024, 3, 22))
    assert check.run(D(2024, 3, 25)).line() == "slipped 0, shortfalls 0, tasks opened 0"
    assert Project.objects.get().stage == StageKind.SIGN


def _invest(org, clock, project, actual: dict[dt.date, str]) -> None:
    clock.set(D(2024, 3, 1))
    for month, value in actual.items():
        services.record_investment(project, org.handler_b, month, Decimal(value))


def test_a_shortfall_at_the_margin_is_none_and_just_beyond_it_raises_a_task(org, clock) -> None:
    plan = [(D(2024, 1, 1), Decimal("500")), (D(2024, 2, 1), Decimal("500")), (D(2024, 3, 1), Decimal("800"))]
    at_margin = make_project(org, code="LL-001", name="离石区集中供热项目", monthly=plan)
    beyond = make_project(org, code="LL-002", name="交城县光伏发电项目", monthly=plan)
    _invest(org, clock, at_margin, {D(2024, 1, 1): "450", D(2024, 2, 1): "450"})  # 900 of 1000: 10 % behind
    _invest(org, clock, beyond, {D(2024, 1, 1): "450", D(2024, 2, 1): "449.99"})  # 100 yuan more
    # in February only January counts: both 50 behind of 500, 10 %
    assert check.run(D(2024, 2, 29)).line() == "slipped 0, shortfalls 0, tasks opened 0"
    # in March, January and February count (March is still being worked, its plan not yet due)
    assert check.run(D(2024, 3, 15)).line() == "slipped 0, shortfalls 1, tasks opened 1"
    trigger = Trigger.objects.get()
    assert (trigger.project, trigger.kind, trigger.month) == (beyond, "shortfall", D(2024, 2, 1))
    assert trigger.figures == {"planned": "1000.00", "actual": "899.99", "margin": 10}
    task = trigger.task
    assert task.lead_unit == org.unit_b and task.state == "assigned"
    assert task.title == "重大项目“交城县光伏发电项目”投资进度滞后"
    assert "实际完成投资899.99万元，计划1000万元" in task.description
    assert check.run(D(2024, 3, 15)).opened == 0
    # April: March's 800 not invested, both short; the second project's first task is still open:
    # only the first project's is raised
    assert check.run(D(2024, 4, 8)).line() == "slipped 0, shortfalls 2, tasks opened 1"
    assert beyond.triggers.count() == 1 and at_margin.triggers.get().month == D(2024, 3, 1)
    assert Task.objects.count() == 2

    for every in (False, True):  # a subquery per row, or GROUP BY over the join: the same figures
        figures = {p.code: (p.planned_to_date, p.actual_to_date, p.short)
                   for p in queries.with_figures(Project.objects.all(), D(2024, 3, 15), every=every)}
        assert figures == {"LL-001": (Decimal("1000"), Decimal("900"), False),
                           "LL-002": (Decimal("1000"), Decimal("899.99"), True)}, every


def test_the_margin_is_the_organisations(org, clock) -> None:
    ProjectSettings.objects.create(organisation=org.province, shortfall_margin=20)
    project = make_project(org, monthly=[(D(2024, 1, 1), Decimal("123.40"))])
    _invest(org, clock, project, {D(2024, 1, 1): "98.72"})  # exactly 20 % behind
    assert check.run(D(2024, 2, 5)).shortfalls == 0
    _invest(org, clock, project, {D(2024, 1, 1): "98.71"})
    assert check.run(D(2024, 2, 5)).shortfalls == 1


def test_the_check_is_a_daily_job(org, clock) -> None:
    make_project(org, planned={StageKind.SIGN: D(2024, 3, 5)})
    assert "projects-check" in [p.name for p in schedule.periodic()]
    assert jobs.check.call("2024-03-06") == "slipped 1, shortfalls 0, tasks opened 1"
    assert jobs.check.call("2024-03-06") == "slipped 1, shortfalls 0, tasks opened 0"


def test_an_organisation_without_a_supervisor_is_warned_of(org, clock) -> None:
    make_project(org, code="DT-1", organisation=org.other_org, unit=org.other_org,
                 planned={StageKind.SIGN: D(2024, 3, 5)})
    org.other_supervisor.is_active = False
    org.other_supervisor.save()
    summary = check.run(D(2024, 3, 6))
    assert summary.line() == "slipped 1, shortfalls 0, tasks opened 0" and len(summary.warnings) == 1
