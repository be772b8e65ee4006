"""Creating a draft and editing it: supervisors only, through services, version-checked."""

from __future__ import annotations

import re

from tests.factories import drive, make_task
from tests.web.helpers import page_text

from luoshi.tasks.models import Event, State, Task


def _new_task_data(org, **over) -> dict:
    data = {
        "title": "建立防返贫动态监测机制", "description": "对易返贫致贫户实行动态监测，及时帮扶。",
        "kind": "directive", "lead_unit": org.unit_a.pk, "co_units": [org.unit_b.pk, org.unit_c.pk],
        "due_date": "2030-03-31", "priority": "high", "leader": org.leader.pk, "issuer_name": "省长",
    }
    data.update(over)
    return data


def test_new_task_form_offers_the_organisations_units_and_leaders(org, as_user) -> None:
    html = as_user("supervisor").get("/tasks/new/").content.decode()
    for name in ("title", "description", "kind", "lead_unit", "co_units", "due_date", "priority", "leader",
                 "issuer_name"):
        assert f'name="{name}"' in html, name
    lead = re.search(r'<select name="lead_unit".*?</select>', html, re.S).group(0)
    assert "省农业农村厅" in lead and "省水利厅" in lead
    assert "大同市人民政府" not in lead and "山西省人民政府" not in lead  # not another org, not the org itself
    leader = re.search(r'<select name="leader".*?</select>', html, re.S).group(0)
    assert "省长" in leader and "农业经办人" not in leader
    # every visible input has a label
    for tag in re.findall(r'<(?:input|select|textarea)\b[^>]*>', html):
        if 'type="hidden"' in tag:
            continue
        input_id = re.search(r'\bid="([^"]+)"', tag).group(1)
        assert f'for="{input_id}"' in html, tag


def test_supervisor_creates_a_draft_then_assigns_it(org, as_user) -> None:
    client = as_user("supervisor")
    r = client.post("/tasks/new/", _new_task_data(org))
    assert r.status_code == 302
    task = Task.objects.get(title="建立防返贫动态监测机制")
    assert r["Location"] == f"/tasks/{task.pk}/"
    assert task.state == State.DRAFT and task.lead_unit == org.unit_a and task.leader == org.leader
    assert set(task.co_units.all()) == {org.unit_b, org.unit_c}
    assert str(task.due_date) == "2030-03-31" and task.priority == "high" and task.issuer_name == "省长"
    assert Event.objects.get(task=task).action == "created"
    page = client.get(r["Location"])
    assert "草稿已保存。请核对后交办给牵头单位。" in page_text(page)
    assert f'action="/tasks/{task.pk}/do/assign/"' in page.content.decode()
    r = client.post(f"/tasks/{task.pk}/do/assign/", {"assign-version": task.version})
    assert r.status_code == 302
    assert Task.objects.get(pk=task.pk).state == State.ASSIGNED


def test_new_task_without_title_or_with_a_foreign_unit_is_refused(org, as_user) -> None:
    client = as_user("supervisor")
    r = client.post("/tasks/new/", _new_task_data(org, title=""))
    assert r.status_code == 400
    assert re.search(r'<label for="id_title">.*?class="errorlist', r.content.decode(), re.S)
    assert "对易返贫致贫户实行动态监测" in r.content.decode()  # what was typed stays
    # a unit of another organisation is not a choice
    r = as_user("other_supervisor").post("/tasks/new/", _new_task_data(org))
    assert r.status_code == 400
    assert not Task.objects.exists()


def test_other_roles_get_403(org, as_user) -> None:
    for who in ("handler_a", "head_a", "leader", "deputy", "admin", "outsider"):
        assert as_user(who).post("/tasks/new/", _new_task_data(org)).status_code == 403, who
    assert not Task.objects.exists()


def test_supervisor_edits_a_draft(org, as_user) -> None:
    task = make_task(org)
    client = as_user("supervisor")
    html = client.get(f"/tasks/{task.pk}/edit/").content.decode()
    assert f'name="version" value="{task.version}"' in html
    assert re.search(r'<select name="leader"[^>]*disabled', html)  # fixed at creation (services.edit_task)
    data = _new_task_data(org, title="抓好高标准农田建设（修改）", co_units=[org.unit_c.pk], version=task.version)
    r = client.post(f"/tasks/{task.pk}/edit/", data)
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.title == "抓好高标准农田建设（修改）" and list(task.co_units.all()) == [org.unit_c]
    edited = Event.objects.filter(task=task, action="edited").get()
    assert edited.data["changes"]["title"] == ["抓好高标准农田建设", "抓好高标准农田建设（修改）"]
    text = page_text(client.get(f"/tasks/{task.pk}/"))
    assert "修改 督查员" in text and "标题 抓好高标准农田建设 → 抓好高标准农田建设（修改）" in text


def test_a_stale_edit_is_refused_and_loses_nothing(org, as_user) -> None:
    task = make_task(org)
    client = as_user("supervisor")
    seen = task.version
    # someone else saves first
    client.post(f"/tasks/{task.pk}/edit/", _new_task_data(org, title="别人改的标题", version=seen))
    mine = _new_task_data(org, title="我改的标题", description="我写的说明", version=seen)
    r = client.post(f"/tasks/{task.pk}/edit/", mine)
    assert r.status_code == 409
    html = r.content.decode()
    assert "您打开页面后，此任务已被他人更改" in html
    assert 'value="我改的标题"' in html and "我写的说明" in html
    assert "别人改的标题" in page_text(r)  # what was saved meanwhile is shown
    assert f'name="version" value="{seen + 1}"' in html
    assert Task.objects.get(pk=task.pk).title == "别人改的标题"  # never overwritten


def test_an_edit_posted_after_assignment_keeps_the_text(org, as_user) -> None:
    task = make_task(org)
    seen = task.version
    drive(org, task, State.ASSIGNED)
    r = as_user("supervisor").post(f"/tasks/{task.pk}/edit/", _new_task_data(org, title="迟到的修改", version=seen))
    assert r.status_code == 409
    assert 'value="迟到的修改"' in r.content.decode()
    assert "现已不能修改" in page_text(r)
    assert Task.objects.get(pk=task.pk).title == "抓好高标准农田建设"
