"""Answer templates: kept per organisation by its supervisors and administrators, offered beside
the matching text fields of that organisation's tasks only."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.factories import drive, make_task

from luoshi import access
from luoshi.answers import services
from luoshi.answers.models import AnswerTemplate, Purpose
from luoshi.tasks.models import State


def _template(organisation, title: str, purpose: str, text: str = "", **kw) -> AnswerTemplate:
    return AnswerTemplate.objects.create(organisation=organisation, title=title, purpose=purpose,
                                         text=text or title + "。", **kw)


def test_offered_are_the_task_organisations_for_the_field_and_state(org) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    ours = _template(org.province, "材料不全", Purpose.RETURN)
    _template(org.province, "只在办理中", Purpose.RETURN, state=State.IN_PROGRESS)
    in_submitted = _template(org.province, "只在申请办结", Purpose.RETURN, state=State.SUBMITTED)
    _template(org.province, "催办", Purpose.URGE)
    _template(org.other_org, "大同的退回理由", Purpose.RETURN)
    assert list(services.offered(task, Purpose.RETURN)) == [in_submitted, ours]
    assert services.purpose_of("return", "reason") == Purpose.RETURN
    assert services.purpose_of("close", "reason") == Purpose.CLOSE
    assert services.purpose_of("progress", "text") == Purpose.PROGRESS
    assert services.purpose_of("comment", "text") is None


def test_who_keeps_them(org) -> None:
    keepers = {who for who, user in org.users().items() if access.can_keep_answers(user, org.province)}
    assert keepers == {"supervisor", "admin"}
    assert access.can_keep_answers(org.other_supervisor, org.other_org)


@pytest.mark.parametrize("who", ["handler_a", "head_a", "leader", "deputy", "outsider"])
def test_others_may_not_open_the_page(org, as_user, who: str) -> None:
    assert as_user(who).get("/answers/").status_code == 403


def test_add_edit_delete(org, as_user) -> None:
    client: Client = as_user("supervisor")
    r = client.get("/answers/")
    assert r.status_code == 200 and "暂无常用语" in r.content.decode()
    r = client.post("/answers/", {"title": "材料不全", "purpose": "return", "text": "  请补充佐证材料后再报。 ",
                                   "reply_class": "", "state": ""})
    assert r.status_code == 302
    saved = AnswerTemplate.objects.get()
    assert (saved.organisation, saved.text, saved.updated_by) == (org.province, "请补充佐证材料后再报。", org.supervisor)
    # a reply class only with a reply
    r = client.post("/answers/", {"title": "A类", "purpose": "return", "text": "已采纳。", "reply_class": "A"})
    assert r.status_code == 400 and AnswerTemplate.objects.count() == 1
    r = client.post(f"/answers/{saved.pk}/", {"title": "材料不全", "purpose": "return", "text": "请补充。",
                                               "state": "submitted"})
    assert r.status_code == 302
    saved.refresh_from_db()
    assert (saved.text, saved.state) == ("请补充。", "submitted")
    # another organisation's supervisor cannot even see it
    assert as_user("other_supervisor").get(f"/answers/{saved.pk}/").status_code == 404
    assert as_user("other_supervisor").post(f"/answers/{saved.pk}/delete/").status_code == 404
    assert "材料不全" not in as_user("other_supervisor").get("/answers/").content.decode()
    assert as_user("admin").post(f"/answers/{saved.pk}/delete/").status_code == 302
    assert not AnswerTemplate.objects.exists()


def test_the_task_page_offers_its_organisations_templates_beside_the_field(org, as_user) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    _template(org.province, "材料不全", Purpose.RETURN, "请补充佐证材料。")
    _template(org.province, "按期办结", Purpose.CLOSE, "按期完成，同意办结。")
    _template(org.province, "进展", Purpose.PROGRESS)
    _template(org.other_org, "大同的理由", Purpose.RETURN)
    html = as_user("supervisor").get(f"/tasks/{task.pk}/").content.decode()
    assert 'data-target="id_return-reason"' in html and 'data-text="请补充佐证材料。"' in html
    assert 'data-target="id_close-reason"' in html and "按期完成，同意办结。" in html
    assert "大同的理由" not in html
    assert "进展" not in html  # nobody reports progress on a submitted task
    assert "luoshi/answers.js" in html
    # the unit sees no return form, so no return templates
    unit_html = as_user("handler_a").get(f"/tasks/{task.pk}/").content.decode()
    assert "请补充佐证材料" not in unit_html


def test_reply_templates_carry_their_class(org, as_user) -> None:
    from luoshi.tasks.models import Task

    task = make_task(org)
    Task.objects.filter(pk=task.pk).update(kind=Task.Kind.SUGGESTION)
    task = drive(org, Task.objects.get(pk=task.pk), State.IN_PROGRESS)
    _template(org.province, "已采纳", Purpose.REPLY, "您的建议已采纳。", reply_class="A")
    html = as_user("handler_a").get(f"/tasks/{task.pk}/").content.decode()
    assert 'data-target="id_reply-text"' in html and 'data-class-target="id_reply-category"' in html
    assert 'data-class="A"' in html


def test_a_closing_opinion_is_kept_in_the_journal(org, as_user) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    r = as_user("supervisor").post(f"/tasks/{task.pk}/do/close/", {
        "close-version": task.version, "close-reason": "按期完成，同意办结。", "close-evaluation": "good",
        "close-target_met": "unknown"})
    assert r.status_code == 302
    assert task.events.get(action="close").data["reason"] == "按期完成，同意办结。"


def test_the_list_bulk_bar_offers_the_users_organisations_urging_and_closing_templates(org, as_user) -> None:
    make_task(org)
    _template(org.province, "进度滞后", Purpose.URGE, "请加快推进。")
    _template(org.province, "按期办结", Purpose.CLOSE, "同意办结。")
    _template(org.province, "未按时签收", Purpose.URGE, "请尽快签收。", state=State.ASSIGNED)  # rows differ
    _template(org.province, "材料不全", Purpose.RETURN)
    _template(org.other_org, "大同催办", Purpose.URGE)
    html = as_user("supervisor").get("/tasks/").content.decode()
    assert 'data-target="id_bulk-reason" data-follow="id_bulk-action"' in html
    assert re.findall(r'data-purpose="([a-z_]+)">([^<]+)</option>', html) == [("close", "按期办结"),
                                                                              ("urge", "进度滞后")]
