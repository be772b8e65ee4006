"""Every page for every role of the test organisation: 200 where allowed, 404 for what the user
may not see (and it never shows in their list), 403 for a page their role may not use."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.factories import PASSWORD, drive, make_task
from tests.web.helpers import ROLES

from luoshi import access
from luoshi.tasks import services
from luoshi.tasks.models import State

# who may see the tasks make_task() creates (lead unit A, co-unit B, issued by leader, proposed by deputy)
# once assigned; a draft is the supervision office's own
SEES = {"supervisor", "handler_a", "head_a", "handler_b", "head_b", "leader", "deputy"}
SEES_DRAFT = {"supervisor"}
CREATES = {"supervisor", "other_supervisor"}  # supervisors, each in their own organisation
EDITS_DRAFT = {"supervisor"}


def test_expectations_agree_with_access(org) -> None:
    draft = make_task(org)
    assert {who for who in ROLES if access.task_roles(getattr(org, who), draft)} == SEES_DRAFT
    assert {who for who in ROLES if access.can_create_tasks(getattr(org, who))} == CREATES
    assert {who for who in ROLES if access.can(getattr(org, who), "edit", draft)} == EDITS_DRAFT
    assigned = drive(org, make_task(org), State.ASSIGNED)
    assert {who for who in ROLES if access.task_roles(getattr(org, who), assigned)} == SEES


def test_login_page_and_sign_in(org, client: Client) -> None:
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert 'name="username"' in r.content.decode() and 'name="password"' in r.content.decode()
    r = client.post("/accounts/login/", {"username": "handler_a", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"  # home: what waits for them
    r = client.post("/accounts/logout/")
    assert r.status_code == 302


def test_wrong_password_is_refused_on_the_page(org, client: Client) -> None:
    r = client.post("/accounts/login/", {"username": "handler_a", "password": "nope"})
    assert r.status_code == 200
    assert 'role="alert"' in r.content.decode()


@pytest.mark.parametrize("who", ROLES)
def test_every_role_signs_in_to_their_home(org, client: Client, who: str) -> None:
    r = client.post("/accounts/login/", {"username": who, "password": PASSWORD}, follow=True)
    assert r.status_code == 200
    assert r.redirect_chain[-1][0] == "/"
    assert str(getattr(org, who)) in r.content.decode()  # the header names the user


def test_anonymous_users_are_sent_to_sign_in(org, client: Client) -> None:
    task = make_task(org)
    for url in ("/tasks/", f"/tasks/{task.pk}/", "/tasks/new/", f"/tasks/{task.pk}/edit/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next="), url
    r = client.post(f"/tasks/{task.pk}/do/assign/", {"assign-version": task.version})
    assert r.status_code == 302
    assert task.__class__.objects.get(pk=task.pk).state == State.DRAFT


@pytest.mark.parametrize("who", ROLES)
def test_list_detail_new_edit_for_each_role(org, as_user, who: str) -> None:
    draft = make_task(org, title="草稿：推进四精四账闭环管理")
    assigned = drive(org, make_task(org, title="已交办：抓好春耕备耕"), State.ASSIGNED)
    client = as_user(who)

    listing = client.get("/tasks/")
    assert listing.status_code == 200
    for task, seers in ((draft, SEES_DRAFT), (assigned, SEES)):
        shown = task.title in listing.content.decode()
        assert shown == (who in seers), (who, task.title)
        detail = client.get(f"/tasks/{task.pk}/")
        assert detail.status_code == (200 if who in seers else 404)
        if who not in seers:
            assert task.title not in detail.content.decode()

    assert client.get("/tasks/new/").status_code == (200 if who in CREATES else 403)

    edit = client.get(f"/tasks/{draft.pk}/edit/")
    assert edit.status_code == (200 if who in EDITS_DRAFT else 403 if who in SEES_DRAFT else 404)
    # once assigned, nobody edits
    assert client.get(f"/tasks/{assigned.pk}/edit/").status_code == (403 if who in SEES else 404)


@pytest.mark.parametrize("who", ROLES)
def test_attachment_download_for_each_role(org, as_user, who: str) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    body = b"%PDF-1.4 progress of the farmland project"
    report = services.report_progress(
        task, org.handler_a, text="已完成八成",
        files=[SimpleUploadedFile("高标准农田进展.pdf", body, content_type="application/pdf")],
    )
    att = report.attachments.get()
    r = as_user(who).get(f"/attachments/{att.pk}/")
    if who in SEES:
        assert r.status_code == 200
        assert b"".join(r.streaming_content) == body
        disposition = r["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''%E9%AB%98" in disposition  # the original (Chinese) name, RFC 5987
    else:
        assert r.status_code == 404


def test_missing_objects_are_404(org, as_user) -> None:
    client = as_user("supervisor")
    assert client.get("/tasks/999999/").status_code == 404
    assert client.get("/tasks/999999/edit/").status_code == 404
    assert client.get("/attachments/999999/").status_code == 404
    assert client.post("/tasks/999999/do/assign/", {"assign-version": 1}).status_code == 404


def test_the_404_and_403_pages_say_what_to_do(org, as_user) -> None:
    task = make_task(org)
    r = as_user("outsider").get(f"/tasks/{task.pk}/")
    assert r.status_code == 404
    assert "返回任务列表" in r.content.decode() and task.title not in r.content.decode()
    r = as_user("handler_a").get("/tasks/new/")
    assert r.status_code == 403
    assert "您的角色无权访问此页面。" in r.content.decode()


def test_header_shows_name_roles_and_forms_that_post(org, as_user) -> None:
    html = as_user("head_a").get("/tasks/").content.decode()
    assert "农业负责人" in html and "单位负责人 · 省农业农村厅" in html
    assert 'action="/accounts/logout/"' in html and 'action="/i18n/setlang/"' in html
    assert html.count('method="post"') >= 2  # sign out and the language switch are POST forms
    assert 'href="/tasks/new/"' not in html  # a head creates no tasks
    assert 'href="/tasks/new/"' in as_user("supervisor").get("/tasks/").content.decode()
