"""The inbox, the settings and the robots pages, for each role."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import drive, make_task
from tests.notify.conftest import client_of, write_event
from tests.web.helpers import ROLES, page_text

from luoshi.notify.models import Delivery, MailLanguage, Notification, Preference, Status, Webhook
from luoshi.tasks import workflow
from luoshi.tasks.models import State


def _assigned(org, title: str = "抓好高标准农田建设"):
    return drive(org, make_task(org, title=title), State.ASSIGNED)


def _ids(response) -> list[int]:
    return [int(n) for n in re.findall(r'id="n-(\d+)"', response.content.decode())]


def _badge(response) -> str:
    found = re.search(r'class="badge unread-count">.*?</span>\s*([^<]+)</span>', response.content.decode(), re.S)
    return found.group(1).strip() if found else ""


# ---------------------------------------------------------------- the inbox


def test_the_inbox_shows_what_happened_newest_first(org) -> None:
    first = _assigned(org, "第一项")
    second = _assigned(org, "第二项")
    client = client_of(org.handler_a)
    r = client.get("/inbox/")
    assert r.status_code == 200
    text = page_text(r)
    assert text.index("第二项") < text.index("第一项")
    assert "交办" in text and "督查员" in text and "未读" in text
    assert f'action="/inbox/{Notification.objects.get(task=second, user=org.handler_a).pk}/open/"' in r.content.decode()
    assert _badge(r) == "2"
    assert _badge(client.get("/tasks/")) == "2"  # the header, on every page
    assert first.pk != second.pk


def test_the_header_count_is_one_capped_query(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    Notification.objects.all().delete()  # those of getting there
    for _ in range(101):
        write_event(task, "stale")  # tells handler_a
    client = client_of(org.handler_a)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/tasks/")
    assert _badge(r) == "99+"
    counts = [q["sql"] for q in ctx.captured_queries if "notify_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper() and "LIMIT 100" in counts[0].upper()
    assert _badge(client_of(org.head_a).get("/tasks/")) == ""  # stale tells the handler only


def test_inbox_pages_are_keyset_pages(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    Notification.objects.all().delete()  # those of getting there
    for _ in range(65):
        write_event(task, "stale")
    client = client_of(org.handler_a)
    seen: list[int] = []
    url = "/inbox/"
    with CaptureQueriesContext(connection) as ctx:
        while url:
            r = client.get(url)
            assert r.status_code == 200
            seen += _ids(r)
            more = re.search(r'href="(\?before=[\d-]+)" rel="next"', r.content.decode())
            url = "/inbox/" + more.group(1) if more else ""
    assert len(seen) == 65 and len(set(seen)) == 65
    assert seen == sorted(seen, reverse=True)  # newest first, none twice, none left out
    sql = [q["sql"].upper() for q in ctx.captured_queries if "NOTIFY_NOTIFICATION" in q["sql"].upper()]
    assert not any("OFFSET" in q for q in sql)
    assert all("LIMIT 100" in q for q in sql if "COUNT(" in q)  # only the header's capped count
    assert client.get("/inbox/?before=99999999999999999999-1").status_code == 200  # nonsense: first page


def test_opening_marks_read_and_goes_to_the_task(org) -> None:
    task = _assigned(org)
    note = Notification.objects.get(user=org.handler_a)
    client = client_of(org.handler_a)
    assert client.get(f"/inbox/{note.pk}/open/").status_code == 405
    r = client.post(f"/inbox/{note.pk}/open/")
    assert r.status_code == 302 and r["Location"] == f"/tasks/{task.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert _badge(client.get("/inbox/")) == ""
    assert f'href="/tasks/{task.pk}/"' in client.get("/inbox/").content.decode()  # read: a plain link
    # someone else's notification is not there for you
    assert client_of(org.head_b).post(f"/inbox/{note.pk}/open/").status_code == 404
    assert client.post("/inbox/999999/open/").status_code == 404


def test_opening_a_task_taken_away_says_so(org) -> None:
    task = drive(org, make_task(org), State.REASSIGNMENT_REQUESTED)
    note = Notification.objects.get(user=org.head_a, kind="assign")
    workflow.perform(task, "approve_reassignment", org.supervisor, version=task.version, unit=org.unit_c)
    r = client_of(org.head_a).post(f"/inbox/{note.pk}/open/", follow=True)
    assert r.redirect_chain == [("/inbox/", 302)]
    assert "您已无权查看该任务。" in page_text(r)


def test_mark_all_read_leaves_what_arrived_since(org) -> None:
    _assigned(org, "第一项")
    _assigned(org, "第二项")
    client = client_of(org.handler_a)
    page = client.get("/inbox/").content.decode()
    up_to = re.search(r'name="up_to" value="(\d+)"', page).group(1)
    _assigned(org, "第三项")  # arrives after the page was shown
    r = client.post("/inbox/read/", {"up_to": up_to}, follow=True)
    assert "已标为已读：2条。" in page_text(r)
    unread = Notification.objects.filter(user=org.handler_a, read_at__isnull=True)
    assert list(unread.values_list("task__title", flat=True)) == ["第三项"]
    assert client.get("/inbox/?unread=1").content.decode().count('class="notice unread"') == 1
    for bad in ("0", "-1", "abc", "99999999999999999999"):
        assert client.post("/inbox/read/", {"up_to": bad}).status_code == 400
    client.post("/inbox/read/")
    assert not Notification.objects.filter(user=org.handler_a, read_at__isnull=True).exists()


@pytest.mark.parametrize("who", ROLES)
def test_every_role_has_an_inbox_of_its_own(org, who) -> None:
    _assigned(org)
    r = client_of(getattr(org, who)).get("/inbox/")
    assert r.status_code == 200
    mine = set(Notification.objects.filter(user=getattr(org, who)).values_list("pk", flat=True))
    assert set(_ids(r)) == mine


def test_signed_out_people_are_sent_to_sign_in(client) -> None:
    for url in ("/inbox/", "/inbox/settings/", "/inbox/webhooks/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


# ---------------------------------------------------------------- settings


def test_settings_keep_only_what_differs_from_the_defaults(org) -> None:
    client = client_of(org.handler_a)
    r = client.get("/inbox/settings/")
    assert r.status_code == 200
    text = page_text(r)
    assert "交办" in text and "到期提醒" in text and "预警升级" in text
    assert "您没有登记电子邮箱" in text
    assert "每日提醒和预警" in text and "发给签收该任务的责任人" in text  # who is reminded, said on the page
    form = {f"{k}__inbox": "on" for k in re.findall(r'name="(\w+)__inbox"', r.content.decode())}
    form.update({"assign__email": "on", "language": "en"})
    del form["comment__inbox"]
    r = client.post("/inbox/settings/", form)
    assert r.status_code == 302
    assert sorted(Preference.objects.filter(user=org.handler_a).values_list("kind", "inbox", "email")) == [
        ("assign", True, True), ("comment", False, False)]
    assert MailLanguage.objects.get(user=org.handler_a).language == "en"
    # back to the defaults: no rows left
    form.update({"comment__inbox": "on"})
    del form["assign__email"]
    client.post("/inbox/settings/", form)
    assert not Preference.objects.filter(user=org.handler_a).exists()
    assert client.post("/inbox/settings/", {"language": "xx"}).status_code == 400


def test_settings_decide_what_is_kept(org) -> None:
    client = client_of(org.handler_a)
    page = client.get("/inbox/settings/").content.decode()
    form = {f"{k}__inbox": "on" for k in re.findall(r'name="(\w+)__inbox"', page) if k != "assign"}
    client.post("/inbox/settings/", {**form, "language": "zh-hans"})
    _assigned(org)
    assert not Notification.objects.filter(user=org.handler_a).exists()
    assert Notification.objects.filter(user=org.head_a).exists()


# ---------------------------------------------------------------- group robots

MANAGERS = {"supervisor", "admin"}


@pytest.mark.parametrize("who", ROLES)
def test_who_may_set_up_robots(org, who) -> None:
    r = client_of(getattr(org, who)).get("/inbox/webhooks/")
    if who in MANAGERS:
        assert r.status_code == 200 and "山西省人民政府" in page_text(r)
    elif who == "other_supervisor":
        assert r.status_code == 200 and "大同市人民政府" in page_text(r) and "山西省人民政府" not in page_text(r)
    else:
        assert r.status_code == 403
    link = 'href="/inbox/webhooks/"' in client_of(getattr(org, who)).get("/inbox/").content.decode()
    assert link is (who in MANAGERS | {"other_supervisor"})


def test_another_organisations_robots_are_not_found(org, robot) -> None:
    theirs = Webhook.objects.create(unit=org.other_org, name="大同督查群", url=robot.url)
    ours = Webhook.objects.create(unit=org.unit_a, name="农业厅群", url=robot.url)
    for who in ("supervisor", "admin"):
        client = client_of(getattr(org, who))
        assert client.get(f"/inbox/webhooks/{theirs.pk}/").status_code == 404
        assert client.post(f"/inbox/webhooks/{theirs.pk}/toggle/").status_code == 404
        assert client.post(f"/inbox/webhooks/{theirs.pk}/test/").status_code == 404
        assert client.get(f"/inbox/webhooks/{ours.pk}/").status_code == 200
        assert "大同督查群" not in page_text(client.get("/inbox/webhooks/"))
    for who in ("handler_a", "head_a", "leader", "deputy", "outsider"):
        client = client_of(getattr(org, who))
        assert client.get(f"/inbox/webhooks/{ours.pk}/").status_code == 404
        assert client.post(f"/inbox/webhooks/{ours.pk}/test/").status_code == 404
    assert robot.posts == []
    assert Webhook.objects.get(pk=theirs.pk).active


def test_a_supervisor_adds_tests_edits_and_switches_off_a_robot(org, robot) -> None:
    client = client_of(org.supervisor)
    r = client.post("/inbox/webhooks/", {
        "organisation": org.province.pk, "unit": org.unit_a.pk, "name": "农业厅工作群", "url": robot.url,
        "platform": "dingtalk", "msgtype": "markdown", "secret": "SECabc", "kinds": ["assign", "overdue"],
        "active": "on"})
    assert r.status_code == 302
    hook = Webhook.objects.get()
    assert (hook.unit, hook.platform, hook.msgtype, hook.secret, hook.kinds, hook.created_by) == (
        org.unit_a, "dingtalk", "markdown", "SECabc", ["assign", "overdue"], org.supervisor)

    listing = client.get("/inbox/webhooks/")
    html = listing.content.decode()
    assert "test-key-123" not in html and "key=test…" in html  # the key lets anyone post: never shown whole
    assert "SECabc" not in html and "已加签" in page_text(listing)

    r = client.post(f"/inbox/webhooks/{hook.pk}/test/", follow=True)
    assert "测试消息已送达农业厅工作群。" in page_text(r)
    assert robot.posts[-1].body == {"msgtype": "markdown", "markdown": {
        "title": "落实：测试消息", "text": "这是来自“落实”的测试消息，机器人配置正确。"}}
    assert "sign" in robot.posts[-1].query
    trial = Delivery.objects.get()
    assert (trial.event, trial.status, trial.http_status) == (None, Status.SENT, 200)
    assert "测试消息" in page_text(r) and "已送达" in page_text(r)

    # edited with the secret left blank: the secret stays
    edit = client.get(f"/inbox/webhooks/{hook.pk}/")
    assert "SECabc" not in edit.content.decode()
    form = {"unit": org.unit_a.pk, "name": "农业厅群", "url": robot.url, "platform": "dingtalk",
            "msgtype": "text", "secret": "", "active": "on"}
    assert client.post(f"/inbox/webhooks/{hook.pk}/", form).status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.msgtype, hook.secret, hook.kinds) == ("农业厅群", "text", "SECabc", [])
    client.post(f"/inbox/webhooks/{hook.pk}/", {**form, "forget_secret": "on"})
    hook.refresh_from_db()
    assert hook.secret == ""

    client.post(f"/inbox/webhooks/{hook.pk}/toggle/")
    hook.refresh_from_db()
    assert not hook.active
    _assigned(org)
    assert not Delivery.objects.exclude(pk=trial.pk).exists()  # switched off: told of nothing


def test_a_robot_form_refuses_what_cannot_work(org) -> None:
    client = client_of(org.supervisor)
    good = {"organisation": org.province.pk, "unit": org.province.pk, "name": "群", "platform": "wecom",
            "msgtype": "text", "active": "on"}
    for url in ("ftp://example.com/x", "not a url", ""):
        assert client.post("/inbox/webhooks/", {**good, "url": url}).status_code == 400
    # a unit of another organisation is no choice
    r = client.post("/inbox/webhooks/", {**good, "url": "https://qyapi.weixin.qq.com/x?key=1",
                                         "unit": org.other_org.pk})
    assert r.status_code == 400
    assert client.post("/inbox/webhooks/", {**good, "url": "https://qyapi.weixin.qq.com/x?key=1",
                                            "kinds": ["nonsense"]}).status_code == 400
    assert not Webhook.objects.exists()


def test_the_test_button_reports_a_dead_robot(org, closed_port) -> None:
    hook = Webhook.objects.create(unit=org.province, name="旧群", url=closed_port)
    r = client_of(org.admin).post(f"/inbox/webhooks/{hook.pk}/test/", follow=True)
    assert "发往旧群的测试消息失败" in page_text(r)
    failed = Delivery.objects.get()
    assert failed.status == Status.FAILED and failed.next_attempt_at is None  # a test is not retried
    assert "失败" in page_text(r)
