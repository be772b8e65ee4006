"""Tasks through the API: the same visibility, moves and refusals as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import drive, make_task

from luoshi.tasks.models import Event, ProgressReport, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(org):
    """Five tasks led by unit A, due on days 10..50 from now, assigned; and one led by unit C."""
    today = dt.date.today()
    tasks = [drive(org, make_task(org, title=f"任务{n}", due=today + dt.timedelta(days=10 * n)), "assigned")
             for n in range(1, 6)]
    other = make_task(org, title="水利任务", due=today + dt.timedelta(days=5))
    other.lead_unit = org.unit_c
    other.save()
    other.co_units.clear()
    drive(org, other, "assigned")
    return tasks, other


def test_each_role_lists_what_it_may_see(org, api, five) -> None:
    _tasks, _other = five
    # hand-counted: unit A leads the five, B co-handles them (make_task names it), C leads one;
    # the leader issued and the deputy proposed all six
    expected = {"supervisor": 6, "handler_a": 5, "head_a": 5, "handler_b": 5, "leader": 6, "deputy": 6,
                "outsider": 0, "other_supervisor": 0, "admin": 0}
    for who, n in expected.items():
        got = api(who).get("/api/tasks", limit=200).json()
        assert len(got["items"]) == n, who
        assert got["next_cursor"] is None


def test_pages_follow_the_cursor_in_due_date_order(org, api, five) -> None:
    _tasks, _other = five
    client = api("handler_a")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/tasks", **params).json()
        seen += [row["title"] for row in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["任务1", "任务2", "任务3", "任务4", "任务5"]
    assert pages == 3


def test_filters_narrow_the_list(org, api, five) -> None:
    _tasks, _other = five
    client = api("supervisor")
    assert [r["title"] for r in client.get("/api/tasks", unit=org.unit_c.pk).json()["items"]] == ["水利任务"]
    assert len(client.get("/api/tasks", unit=org.unit_b.pk, role="co").json()["items"]) == 5
    assert client.get("/api/tasks", state="closed").json()["items"] == []
    assert client.get("/api/tasks", unit=999999).json()["items"] == []  # no such unit: no rows
    bad = client.get("/api/tasks", state="finished")
    assert bad.status_code == 422 and "state" in bad.json()["fields"]
    assert client.get("/api/tasks", cursor="not-a-cursor").json()["items"] == []


def test_a_task_unseen_is_404_without_content(org, api, five) -> None:
    _tasks, other = five
    for who in ("handler_a", "outsider", "other_supervisor"):
        r = api(who).get(f"/api/tasks/{other.pk}")
        assert r.status_code == 404 and "水利" not in r.content.decode()
    assert api("supervisor").get(f"/api/tasks/{other.pk}").json()["title"] == "水利任务"
    assert api("handler_a").get("/api/tasks/99999999999").status_code == 404


def test_detail_lists_the_moves_this_user_may_make(org, api, five) -> None:
    task = five[0][0]
    got = api("handler_a").get(f"/api/tasks/{task.pk}").json()
    assert got["state"] == "assigned" and got["lead_unit"]["id"] == org.unit_a.pk
    assert "accept" in got["actions"] and "close" not in got["actions"]
    assert "accept" not in api("handler_b").get(f"/api/tasks/{task.pk}").json()["actions"]  # a co-unit


def test_moves_take_the_version_and_refuse_a_stale_one(org, api, five) -> None:
    task = five[0][0]
    client = api("handler_a")
    r = client.post(f"/api/tasks/{task.pk}/moves", {"action": "accept", "version": task.version})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "accepted" and r.json()["version"] == task.version + 1
    stale = client.post(f"/api/tasks/{task.pk}/moves", {"action": "start", "version": task.version})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    ok = client.post(f"/api/tasks/{task.pk}/moves", {"action": "start", "version": task.version + 1})
    assert ok.json()["state"] == "in_progress"
    assert list(Event.objects.filter(task=task).order_by("seq").values_list("action", flat=True))[-2:] == [
        "accept", "start"]


def test_moves_refuse_what_the_workflow_refuses(org, api) -> None:
    task = drive(org, make_task(org), "in_progress")
    client = api("handler_a")
    no_reason = client.post(f"/api/tasks/{task.pk}/moves", {"action": "request_extension", "version": task.version,
                                                             "due_date": "2099-01-01"})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    assert client.post(f"/api/tasks/{task.pk}/moves", {"action": "fly", "version": 1}).status_code == 400
    wrong_state = client.post(f"/api/tasks/{task.pk}/moves", {"action": "accept", "version": task.version})
    assert wrong_state.status_code in (403, 409)
    asked = client.post(f"/api/tasks/{task.pk}/moves", {
        "action": "request_extension", "version": task.version, "reason": "汛期施工受阻", "due_date": "2099-01-01"})
    assert asked.status_code == 200 and asked.json()["state"] == State.EXTENSION_REQUESTED
    approved = api("supervisor").post(f"/api/tasks/{task.pk}/moves", {
        "action": "approve_extension", "version": asked.json()["version"]})
    assert approved.status_code == 200, approved.content
    assert approved.json()["due_date"] == "2099-01-01"


def test_progress_reports_are_taken_only_while_in_progress(org, api) -> None:
    working = drive(org, make_task(org, title="在办"), "in_progress")
    waiting = drive(org, make_task(org, title="待签收"), "assigned")
    client = api("handler_a")
    r = client.post(f"/api/tasks/{working.pk}/progress", {"text": "完成土方80%", "percent": 60})
    assert r.status_code == 201 and r.json()["unit"]["id"] == org.unit_a.pk
    assert ProgressReport.objects.get(task=working).text == "完成土方80%"
    assert client.post(f"/api/tasks/{waiting.pk}/progress", {"text": "x"}).status_code == 403
    assert client.post(f"/api/tasks/{working.pk}/progress", {"text": ""}).status_code == 422
    assert client.post(f"/api/tasks/{working.pk}/progress", {"text": "x", "percent": 101}).status_code == 422
    assert client.post(f"/api/tasks/{working.pk}/progress", {"text": "   "}).status_code == 400
    assert api("outsider").post(f"/api/tasks/{working.pk}/progress", {"text": "x"}).status_code == 404
    assert ProgressReport.objects.count() == 1
    listed = api("supervisor").get(f"/api/tasks/{working.pk}/progress").json()
    assert [(p["text"], p["percent"]) for p in listed] == [("完成土方80%", 60)]


def test_a_malformed_body_is_422_and_changes_nothing(org, api) -> None:
    task = drive(org, make_task(org), "in_progress")
    client = api("handler_a")
    r = client.client.post(f"/api/tasks/{task.pk}/progress", b"\xff\xfe{not json", content_type="application/json",
                           headers=client.headers)
    assert r.status_code in (400, 422)
    assert ProgressReport.objects.count() == 0


def test_an_unknown_query_parameter_is_refused_not_ignored(org, api) -> None:
    drive(org, make_task(org), "in_progress")
    client = api("handler_a")
    r = client.get("/api/tasks", stat="closed")  # a typo of state: ignored, it would list every task
    assert r.status_code == 400 and "stat" in r.json()["fields"]
    assert client.get("/api/sources", limit=5).status_code == 200  # the GET of a path that also takes POSTs
