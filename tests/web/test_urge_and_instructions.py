"""Urging (催办), instructions (批示) acknowledged, and the reason beside "resume", through the pages."""

from __future__ import annotations

import re

from tests.factories import drive, make_task
from tests.web.helpers import page_text

from luoshi.tasks.models import Event, Instruction, State, Task


def test_the_supervisor_urges_and_the_count_shows(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    sup = as_user("supervisor")
    assert f'action="/tasks/{task.pk}/urge/"' in sup.get(f"/tasks/{task.pk}/").content.decode()
    r = sup.post(f"/tasks/{task.pk}/urge/", {"urge-reason": "请于本周五前报送进展。", "urge-level": "2"})
    assert r.status_code == 302
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.urge_count, fresh.escalation_level, fresh.version) == (1, 2, task.version)
    last = Event.objects.filter(task=task).order_by("-seq").first()
    assert (last.action, last.data["reason"], last.data["level"]) == ("urge", "请于本周五前报送进展。", 2)
    assert last.data["changes"] == {"urge_count": [0, 1], "escalation_level": [0, 2]}
    sup.post(f"/tasks/{task.pk}/urge/", {"urge-reason": "再次催办。", "urge-level": ""})
    assert "已催办 2 次" in page_text(sup.get(f"/tasks/{task.pk}/"))
    assert re.search(r"催办 2 次", page_text(sup.get("/tasks/")))
    # nobody else urges, and a reason is needed
    assert as_user("handler_a").post(f"/tasks/{task.pk}/urge/", {"urge-reason": "x"}).status_code == 403
    assert as_user("outsider").post(f"/tasks/{task.pk}/urge/", {"urge-reason": "x"}).status_code == 404
    assert sup.post(f"/tasks/{task.pk}/urge/", {"urge-reason": " "}).status_code == 400
    assert Task.objects.get(pk=task.pk).urge_count == 2


def test_a_submitted_task_is_not_urged(org, as_user) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    r = as_user("supervisor").post(f"/tasks/{task.pk}/urge/", {"urge-reason": "请加快。"})
    assert r.status_code == 403
    assert "请加快。" in r.content.decode()  # kept for the person to copy


def test_an_instruction_is_pinned_and_acknowledged_once(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    as_user("leader").post(f"/tasks/{task.pk}/comment/", {"comment-text": "要确保一季度开门红。"})
    instruction = Instruction.objects.get(task=task)
    handler = as_user("handler_a")
    html = handler.get(f"/tasks/{task.pk}/").content.decode()
    pinned = html.index('class="instructions card"')
    assert pinned < html.index('class="task-grid')  # above everything else
    assert "要确保一季度开门红。" in html[pinned:]
    url = f"/tasks/{task.pk}/instructions/{instruction.pk}/acknowledge/"
    assert url in html
    assert "待阅批示" in page_text(handler.get("/"))
    assert as_user("handler_b").post(url).status_code == 403  # the co-unit reads it, the lead unit acknowledges
    assert handler.post(url).status_code == 302
    assert handler.post(url).status_code == 409  # once
    instruction.refresh_from_db()
    assert instruction.acknowledged_by == org.handler_a
    assert "待阅批示" not in page_text(handler.get("/"))
    assert "农业经办人已阅" in page_text(as_user("leader").get(f"/tasks/{task.pk}/"))


def test_the_reason_of_a_return_stands_beside_resume(org, as_user) -> None:
    task = drive(org, make_task(org), State.RETURNED)  # returned with "材料不全"
    html = as_user("handler_a").get(f"/tasks/{task.pk}/").content.decode()
    note = html.index('class="sent-back"')
    assert "材料不全" in html[note:note + 400]
    assert html.index('id="move-resume"') > note
    assert "被退回" in page_text(as_user("handler_a").get("/"))
