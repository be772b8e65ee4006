"""Group robots against a real HTTP server on 127.0.0.1: the exact JSON of each platform and
message type, DingTalk's signature, failures, retries with backoff, and dead robots that never
hold up a change of a task."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import socket
import time
import urllib.parse

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.factories import drive, make_task
from tests.notify.conftest import last_event, write_event

from luoshi.notify import jobs, robots
from luoshi.notify.models import Delivery, Status, Webhook
from luoshi.tasks import services, workflow
from luoshi.tasks.models import State, Task

SECRET = "SEC1a2b3c4d5e6f"


def _hook(org, url: str, **fields) -> Webhook:
    return Webhook.objects.create(unit=fields.pop("unit", org.province), name=fields.pop("name", "督查群"),
                                  url=url, created_by=org.supervisor, **fields)


def _assign(org, capture, title: str = "抓好高标准农田建设"):
    task = make_task(org, title=title)
    with capture(execute=True):
        workflow.perform(task, "assign", org.supervisor, version=task.version)
    return task, last_event(task)


def _at(event) -> str:
    return timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")


def _by_key(robot) -> dict[str, dict]:
    return {p.query.get("key") or p.query.get("access_token"): p for p in robot.posts}


def test_the_json_of_each_platform_and_message_type(org, robot, django_capture_on_commit_callbacks) -> None:
    base = robot.url.split("?")[0]
    _hook(org, f"{base}?key=wecom-text", platform="wecom", msgtype="text")
    _hook(org, f"{base}?key=wecom-md", platform="wecom", msgtype="markdown")
    _hook(org, f"{base}?access_token=ding-text", platform="dingtalk", msgtype="text")
    _hook(org, f"{base}?access_token=ding-md", platform="dingtalk", msgtype="markdown")
    task, event = _assign(org, django_capture_on_commit_callbacks)
    assert jobs.deliver_event.call(event.pk) == 4

    url = f"https://luoshi.example.gov.cn/tasks/{task.pk}/"
    text = f"【落实】#{task.pk} 抓好高标准农田建设\n交办 · 督查员 · {_at(event)}\n{url}"
    markdown = f"### 交办\n\n**#{task.pk} 抓好高标准农田建设**\n\n督查员 · {_at(event)}\n\n[查看任务]({url})"
    posts = _by_key(robot)
    assert posts["wecom-text"].body == {"msgtype": "text", "text": {"content": text}}
    assert posts["wecom-md"].body == {"msgtype": "markdown", "markdown": {"content": markdown}}
    assert posts["ding-text"].body == {"msgtype": "text", "text": {"content": text}}
    assert posts["ding-md"].body == {"msgtype": "markdown",
                                     "markdown": {"title": f"落实：交办 #{task.pk}", "text": markdown}}
    assert all(p.path == "/cgi-bin/webhook/send" for p in robot.posts)
    assert "timestamp" not in posts["ding-text"].query  # no secret, no signature
    assert all(d.status == Status.SENT and d.http_status == 200 and '"errcode": 0' in d.response
               for d in Delivery.objects.all())


def test_a_reason_is_quoted(org, robot, django_capture_on_commit_callbacks) -> None:
    _hook(org, robot.url, msgtype="markdown")
    task = drive(org, make_task(org), State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(task, "return", org.supervisor, version=task.version, reason="佐证材料不全")
    event = last_event(task)
    jobs.deliver_event.call(event.pk)
    assert "\n\n> 佐证材料不全\n\n" in robot.posts[-1].body["markdown"]["content"]


def test_dingtalk_signature_by_hand() -> None:
    # base64(HMAC-SHA256(key=secret, msg="<timestamp>\n<secret>")), URL-encoded
    ts = 1700000000000
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert robots.dingtalk_sign(SECRET, ts) == expected.decode()
    url = "https://oapi.dingtalk.com/robot/send?access_token=abc"
    assert robots.signed_url(url, SECRET, ts) == (
        f"{url}&timestamp={ts}&sign={urllib.parse.quote_plus(expected.decode())}")
    assert robots.signed_url("http://127.0.0.1:9/send", SECRET, ts).startswith(
        f"http://127.0.0.1:9/send?timestamp={ts}&sign=")


def test_a_signed_dingtalk_robot_receives_a_valid_signature(org, robot, django_capture_on_commit_callbacks) -> None:
    _hook(org, robot.url.replace("key=", "access_token="), platform="dingtalk", secret=SECRET)
    _hook(org, robot.url, platform="wecom", secret=SECRET, name="企业微信群")  # WeCom does not sign
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    before = int(time.time() * 1000)
    jobs.deliver_event.call(event.pk)
    ding = next(p for p in robot.posts if "access_token" in p.query)
    wecom = next(p for p in robot.posts if "key" in p.query)
    ts = int(ding.query["timestamp"])
    assert before - 1000 <= ts <= int(time.time() * 1000)
    by_hand = base64.b64encode(hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert ding.query["sign"] == by_hand.decode()  # parse_qsl has decoded the URL encoding
    assert "sign" not in wecom.query


def test_errcode_not_zero_is_a_failure(org, robot, django_capture_on_commit_callbacks) -> None:
    robot.answer((200, {"errcode": 310000, "errmsg": "keywords not in content"}))
    _hook(org, robot.url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    assert jobs.deliver_event.call(event.pk) == 0
    failed = Delivery.objects.get()
    assert failed.status == Status.FAILED and failed.http_status == 200
    assert "310000" in failed.error and "keywords not in content" in failed.response
    assert failed.next_attempt_at is not None


def test_an_answer_that_is_not_json_is_a_failure(org, robot, django_capture_on_commit_callbacks) -> None:
    robot.answer((200, "<html>portal login</html>"))
    _hook(org, robot.url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    jobs.deliver_event.call(event.pk)
    assert Delivery.objects.get().status == Status.FAILED


def test_500_then_200_is_two_attempts_the_second_after_the_backoff(org, robot,
                                                                   django_capture_on_commit_callbacks) -> None:
    robot.answer((500, {"errmsg": "busy"}), (200, {"errcode": 0, "errmsg": "ok"}))
    _hook(org, robot.url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    assert jobs.deliver_event.call(event.pk) == 0
    first = Delivery.objects.get()
    assert (first.attempt, first.status, first.http_status) == (1, Status.FAILED, 500)
    assert first.next_attempt_at == first.attempted_at + dt.timedelta(minutes=1)  # the first delay configured
    retry = DBTaskResult.objects.get(task_path="luoshi.notify.jobs.retry_delivery")
    assert retry.args_kwargs == {"args": [first.pk], "kwargs": {}}
    assert retry.run_after == first.next_attempt_at

    assert jobs.retry_delivery.call(first.pk) is True
    assert jobs.retry_delivery.call(first.pk) is False  # run twice: not sent twice
    rows = list(Delivery.objects.order_by("attempt").values_list("attempt", "status", "http_status"))
    assert rows == [(1, Status.FAILED, 500), (2, Status.SENT, 200)]
    assert len(robot.posts) == 2 and robot.posts[0].body == robot.posts[1].body


def test_every_retry_waits_longer_then_it_gives_up(org, robot, django_capture_on_commit_callbacks) -> None:
    robot.answer(*[(502, "bad gateway")] * 4)
    _hook(org, robot.url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    jobs.deliver_event.call(event.pk)
    for _ in range(3):
        jobs.retry_delivery.call(Delivery.objects.latest("attempt").pk)
    rows = list(Delivery.objects.order_by("attempt"))
    assert [(d.attempt, d.status) for d in rows] == [
        (1, Status.FAILED), (2, Status.FAILED), (3, Status.FAILED), (4, Status.GAVE_UP)]
    waits = [d.next_attempt_at - d.attempted_at for d in rows[:3]]
    assert waits == [dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=25)]
    assert rows[3].next_attempt_at is None
    assert DBTaskResult.objects.filter(task_path="luoshi.notify.jobs.retry_delivery").count() == 3
    assert len(robot.posts) == 4


def test_a_dead_robot_never_stops_a_change(org, closed_port, django_capture_on_commit_callbacks) -> None:
    _hook(org, closed_port)
    task, event = _assign(org, django_capture_on_commit_callbacks)
    assert Task.objects.get(pk=task.pk).state == State.ASSIGNED
    pending = Delivery.objects.get()
    assert pending.status == Status.PENDING  # recorded with the event, sent after it
    jobs.deliver_event.call(event.pk)
    failed = Delivery.objects.get()
    assert failed.status == Status.FAILED and failed.http_status is None
    assert "refused" in failed.error.lower()
    assert failed.next_attempt_at == failed.attempted_at + dt.timedelta(minutes=1)
    assert DBTaskResult.objects.filter(task_path="luoshi.notify.jobs.retry_delivery").exists()


def test_a_silent_robot_is_not_even_called_during_the_change(org, silent_port, settings,
                                                             django_capture_on_commit_callbacks) -> None:
    url, listener = silent_port
    _hook(org, url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    listener.setblocking(False)
    with pytest.raises(BlockingIOError):  # no connection was made while the task changed
        listener.accept()
    settings.LUOSHI = {**settings.LUOSHI, "WEBHOOK_TIMEOUT": 0.3}
    jobs.deliver_event.call(event.pk)
    failed = Delivery.objects.get()
    assert failed.status == Status.FAILED and "timed out" in failed.error.lower()
    assert isinstance(listener.accept()[0], socket.socket)  # the job did call it


def test_which_robots_are_told(org, robot, django_capture_on_commit_callbacks) -> None:
    base = robot.url.split("?")[0]
    _hook(org, f"{base}?key=province")
    _hook(org, f"{base}?key=lead", unit=org.unit_a)
    _hook(org, f"{base}?key=co", unit=org.unit_b)
    _hook(org, f"{base}?key=unrelated", unit=org.unit_c)
    _hook(org, f"{base}?key=other-org", unit=org.other_org)
    _hook(org, f"{base}?key=closing-only", kinds=["close"])
    _hook(org, f"{base}?key=progress", unit=org.unit_a, kinds=["progress"])
    _hook(org, f"{base}?key=off", active=False)

    # a draft is the office's own: only the organisation's robot hears of it, and only if it asks
    draft = make_task(org, title="草稿")
    with django_capture_on_commit_callbacks(execute=True):
        write_event(draft, "overdue", due_date="2030-01-01")
    jobs.deliver_event.call(last_event(draft).pk)
    assert set(_by_key(robot)) == {"province"}

    robot.posts.clear()
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    jobs.deliver_event.call(event.pk)
    assert sorted(_by_key(robot)) == ["co", "lead", "province"]

    robot.posts.clear()
    task = drive(org, make_task(org), State.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_progress(task, org.handler_a, text="已完成一半")
    jobs.deliver_event.call(last_event(task).pk)
    assert set(_by_key(robot)) == {"progress"}  # progress tells no one, but this robot asked


def test_a_robot_switched_off_before_the_job_is_not_called(org, robot, django_capture_on_commit_callbacks) -> None:
    hook = _hook(org, robot.url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    Webhook.objects.filter(pk=hook.pk).update(active=False)
    jobs.deliver_event.call(event.pk)
    assert robot.posts == []
    assert Delivery.objects.get().status == Status.GAVE_UP


def test_long_messages_are_cut_to_what_the_platforms_take() -> None:
    long = "落实" * 3000
    body = robots.payload("wecom", "text", "", long)["text"]["content"]
    assert len(body.encode()) <= 2000 and body.endswith("…")
    md = robots.payload("dingtalk", "markdown", "标题", long)["markdown"]
    assert len(md["text"].encode()) <= 4000 and md["title"] == "标题"
