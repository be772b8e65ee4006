"""What each person chose, emails in Django's test mailbox, and nothing sent twice."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult
from tests.factories import drive, make_task
from tests.notify.conftest import last_event, write_event

from luoshi.notify import dispatch, jobs
from luoshi.notify.models import Channel, Delivery, MailLanguage, Notification, Preference, Status, Webhook
from luoshi.tasks import workflow
from luoshi.tasks.models import State


def _assign(org, capture):
    task = drive(org, make_task(org), State.DRAFT)
    with capture(execute=True):
        workflow.perform(task, "assign", org.supervisor, version=task.version)
    return task, last_event(task)


def _mail_to(org, *who: str) -> None:
    for name in who:
        user = getattr(org, name)
        user.email = f"{name}@example.gov.cn"
        user.save()


def test_emails_go_to_who_asked_in_their_language(org, django_capture_on_commit_callbacks) -> None:
    _mail_to(org, "handler_a", "head_a", "handler_b")
    Preference.objects.create(user=org.handler_a, kind="assign", email=True)
    Preference.objects.create(user=org.head_a, kind="assign", email=True)
    MailLanguage.objects.create(user=org.head_a, language="en")
    # head_b asks for email but has no address; handler_b has an address but did not ask
    Preference.objects.create(user=org.head_b, kind="assign", email=True)
    task, event = _assign(org, django_capture_on_commit_callbacks)

    # the job was enqueued on commit; nothing was sent by the transition itself
    assert mail.outbox == []
    job = DBTaskResult.objects.get(task_path="luoshi.notify.jobs.deliver_event")
    assert job.args_kwargs == {"args": [event.pk], "kwargs": {}}
    assert jobs.deliver_event.call(event.pk) == 2

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"handler_a@example.gov.cn", "head_a@example.gov.cn"}
    zh = by_address["handler_a@example.gov.cn"]
    assert zh.subject == f"【落实】交办：#{task.pk} 抓好高标准农田建设"
    assert f"任务 #{task.pk}：抓好高标准农田建设" in zh.body
    assert "交办 — 督查员" in zh.body
    assert f"查看任务： https://luoshi.example.gov.cn/tasks/{task.pk}/" in zh.body
    assert "https://luoshi.example.gov.cn/inbox/settings/" in zh.body
    en = by_address["head_a@example.gov.cn"]
    assert en.subject == f"[Luoshi] Assign (交办): #{task.pk} 抓好高标准农田建设"
    assert f"Open the task: https://luoshi.example.gov.cn/tasks/{task.pk}/" in en.body
    assert zh.from_email == "luoshi@localhost"

    # everyone told keeps the inbox (the default), head_b too; every email is one delivery, sent
    assert set(Notification.objects.filter(event=event).values_list("user__username", flat=True)) == {
        "handler_a", "head_a", "handler_b", "head_b"}
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert sorted(emails.values_list("address", "status", "attempt")) == [
        ("handler_a@example.gov.cn", Status.SENT, 1), ("head_a@example.gov.cn", Status.SENT, 1)]
    assert all(d.notification.user_id == d.recipient_id for d in emails)


def test_inbox_off_means_no_notification_email_alone_still_goes(org, django_capture_on_commit_callbacks) -> None:
    _mail_to(org, "handler_a")
    Preference.objects.create(user=org.handler_a, kind="assign", inbox=False, email=True)
    Preference.objects.create(user=org.head_a, kind="assign", inbox=False, email=False)
    Preference.objects.create(user=org.handler_b, kind="close", inbox=False)  # another kind: no effect
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    jobs.deliver_event.call(event.pk)
    assert set(Notification.objects.filter(event=event).values_list("user__username", flat=True)) == {
        "handler_b", "head_b"}
    assert [m.to for m in mail.outbox] == [["handler_a@example.gov.cn"]]
    assert Delivery.objects.get(channel=Channel.EMAIL).notification is None


def test_nothing_to_send_enqueues_no_job(org, django_capture_on_commit_callbacks) -> None:
    _assign(org, django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 4
    assert not DBTaskResult.objects.exists()


def test_recorded_twice_and_sent_twice_is_told_once(org, robot, django_capture_on_commit_callbacks) -> None:
    _mail_to(org, "handler_a")
    Preference.objects.create(user=org.handler_a, kind="assign", email=True)
    Webhook.objects.create(unit=org.province, name="督查群", url=robot.url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert dispatch.record(event) is True  # the receiver again: nothing new is written
    assert Notification.objects.filter(event=event).count() == 4
    assert Delivery.objects.filter(event=event).count() == 2
    assert DBTaskResult.objects.count() == 2  # two jobs for one event…
    assert jobs.deliver_event.call(event.pk) == 2
    assert jobs.deliver_event.call(event.pk) == 0  # …and the second finds nothing to send
    assert len(mail.outbox) == 1 and len(robot.posts) == 1
    assert list(Delivery.objects.values_list("status", flat=True)) == [Status.SENT, Status.SENT]


def test_an_attempt_taken_by_another_worker_is_not_sent_again(org, robot, django_capture_on_commit_callbacks) -> None:
    Webhook.objects.create(unit=org.province, name="督查群", url=robot.url)
    _task, event = _assign(org, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event=event)
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.SENDING)  # another worker has claimed it
    assert jobs.attempt(delivery.pk) is False
    assert jobs.deliver_event.call(event.pk) == 0
    assert robot.posts == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_reminder_reads_well_in_either_language(org, language, django_capture_on_commit_callbacks) -> None:
    _mail_to(org, "handler_a")
    Preference.objects.create(user=org.handler_a, kind="remind", email=True)
    MailLanguage.objects.create(user=org.handler_a, language=language)
    task = drive(org, make_task(org), State.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        event = write_event(task, "remind", days_left=3, due_date="2030-03-31")
    jobs.deliver_event.call(event.pk)
    (sent,) = mail.outbox
    if language == "en":
        assert sent.subject == f"[Luoshi] Due in 3 days (March 31, 2030): #{task.pk} 抓好高标准农田建设"
        assert "Luoshi (automatic)" in sent.body
    else:
        assert sent.subject == f"【落实】距办结时限还有3天（2030年3月31日）：#{task.pk} 抓好高标准农田建设"
        assert "系统自动" in sent.body


def test_a_fault_in_telling_people_never_undoes_the_change(org, monkeypatch, caplog) -> None:
    def broken(*args, **kwargs):
        # a database error mid-way: on PostgreSQL it would spoil the whole transaction but for a savepoint
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(dispatch, "allowed", broken)  # deciding who may see the task
    task = make_task(org)
    moved = workflow.perform(task, "assign", org.supervisor, version=task.version)
    assert moved.state == State.ASSIGNED and last_event(task).action == "assign"
    assert not Notification.objects.exists()
    assert "were not recorded" in caplog.text


def test_the_sweep_takes_up_what_no_job_finished(org, robot, django_capture_on_commit_callbacks) -> None:
    import datetime as dt

    from django.utils import timezone

    hook = Webhook.objects.create(unit=org.province, name="督查群", url=robot.url)
    _task, lost = _assign(org, django_capture_on_commit_callbacks)  # its job never ran
    _task2, died = _assign(org, django_capture_on_commit_callbacks)
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    Delivery.objects.filter(event=died).update(status=Status.SENDING, attempted_at=long_ago)  # worker died
    Delivery.objects.filter(event__in=[lost, died]).update(created_at=long_ago)
    assert jobs.sweep.call() == 2
    assert Delivery.objects.get(event=lost).status == Status.SENT and len(robot.posts) == 1
    stuck = Delivery.objects.get(event=died, attempt=1)
    assert stuck.status == Status.FAILED and "stopped" in stuck.error and stuck.next_attempt_at
    # its retry was never run (the queue lost it): the next sweep, after its time, sends it
    Delivery.objects.filter(pk=stuck.pk).update(next_attempt_at=long_ago)
    assert jobs.sweep.call() == 1
    assert Delivery.objects.get(event=died, attempt=2).status == Status.SENT
    assert jobs.sweep.call() == 0  # nothing is taken up twice
    assert [p.body["msgtype"] for p in robot.posts] == ["text", "text"] and hook.pk
