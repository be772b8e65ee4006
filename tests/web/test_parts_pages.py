"""The task page's parts (转办): the form offers only the lead unit's own units, the list shows
each part and how far they have come, and the office may let the task go ahead without them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from tests.factories import drive

from luoshi.org.models import Membership, Role, Unit, User
from luoshi.tasks import services
from luoshi.tasks.models import State, Task
from luoshi.tasks.workflow import perform

pytestmark = pytest.mark.database
DUE = timezone.localdate() + dt.timedelta(days=60)


@pytest.fixture
def counties(org):
    """Two counties under the city (unit B) and a department under one of them."""
    lishi = Unit.objects.create(name="离石区人民政府", parent=org.unit_b, kind=Unit.Kind.GOVERNMENT)
    xingxian = Unit.objects.create(name="兴县人民政府", parent=org.unit_b, kind=Unit.Kind.GOVERNMENT)
    office = Unit.objects.create(name="离石区农业农村局", parent=lishi, kind=Unit.Kind.DEPARTMENT)
    handler = User.objects.create_user("lishi", display_name="离石经办人")
    Membership.objects.create(user=handler, unit=lishi, role=Role.HANDLER)
    return lishi, xingxian, office, handler


def _city_task(org) -> Task:
    task = services.create_task(org.supervisor, organisation=org.province, title="抓好高标准农田建设",
                                lead_unit=org.unit_b, due_date=DUE, leader=org.leader)
    task = drive(org, task, State.ASSIGNED)
    task = perform(task, "accept", org.handler_b, version=task.version)
    return perform(task, "start", org.handler_b, version=task.version)


def _options(html: str) -> set[str]:
    form = html[html.index('name="part-lead_unit"'):]
    form = form[:form.index("</select>")]
    return set(re.findall(r">([^<>]+)</option>", form)) - {"---------"}


def test_the_city_passes_a_part_to_its_county(org, as_user, counties) -> None:
    lishi, _xingxian, _office, lishi_handler = counties
    task = _city_task(org)
    city = as_user("handler_b")
    html = city.get(f"/tasks/{task.pk}/").content.decode()
    # the city's own units at any depth, and no other unit of the province
    assert _options(html) == {"离石区人民政府", "兴县人民政府", "离石区农业农村局"}
    r = city.post(f"/tasks/{task.pk}/parts/", {"part-title": "离石区完成5万亩", "part-lead_unit": lishi.pk,
                                               "part-due_date": "", "part-description": ""})
    assert r.status_code == 302
    part = Task.objects.get(parent=task)
    assert (part.title, part.lead_unit, part.state, part.due_date) == ("离石区完成5万亩", lishi, State.ASSIGNED, DUE)
    html = city.get(f"/tasks/{task.pk}/").content.decode()
    assert f'href="/tasks/{part.pk}/"' in html and "离石区完成5万亩" in html
    # the county sees its part but not the city's task it came from
    county = as_user("handler_b")
    county.force_login(lishi_handler)
    page = county.get(f"/tasks/{part.pk}/").content.decode()
    assert "抓好高标准农田建设" not in page
    assert county.get(f"/tasks/{task.pk}/").status_code == 404


def test_a_part_to_another_units_county_is_refused_and_kept(org, as_user, counties) -> None:
    task = _city_task(org)
    r = as_user("handler_b").post(f"/tasks/{task.pk}/parts/", {"part-title": "水利部分", "part-lead_unit": org.unit_c.pk})
    assert r.status_code == 400
    assert "水利部分" in r.content.decode()  # what was typed is still in the form
    assert not Task.objects.filter(parent=task).exists()
    # a unit that does not lead the task has no such form and cannot post it
    assert 'name="part-title"' not in as_user("handler_a").get(f"/tasks/{task.pk}/").content.decode()
    r = as_user("handler_a").post(f"/tasks/{task.pk}/parts/", {"part-title": "x", "part-lead_unit": counties[0].pk})
    assert r.status_code in (403, 404)
    assert not Task.objects.filter(parent=task).exists()


def test_the_office_lets_the_task_go_ahead_with_parts_open(org, as_user, counties) -> None:
    task = _city_task(org)
    services.hand_down(task, org.handler_b, title="兴县部分", lead_unit=counties[1])
    office = as_user("supervisor")
    html = office.get(f"/tasks/{task.pk}/").content.decode()
    assert 'name="allow-reason"' in html
    assert "0 of 1 part closed" in html or "1 项中已办结 0 项" in html
    assert 'name="allow-reason"' not in as_user("handler_b").get(f"/tasks/{task.pk}/").content.decode()
    r = office.post(f"/tasks/{task.pk}/parts/allow/", {"allow-reason": "兴县部分纳入明年计划"})
    assert r.status_code == 302
    assert Task.objects.get(pk=task.pk).allow_open_subtasks
    html = office.get(f"/tasks/{task.pk}/").content.decode()
    assert 'name="allow-reason"' not in html and "兴县部分纳入明年计划" in html  # said in the history
