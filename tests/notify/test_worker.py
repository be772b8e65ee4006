"""End to end through the real queue: a change commits, its job waits in the database, and the
worker (`luoshi db_worker`) posts to the robot; a failed post waits, deferred, for its retry."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.factories import make_task

from luoshi.notify.models import Delivery, Preference, Status, Webhook
from luoshi.tasks import workflow


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_what_a_committed_change_owes(org, robot, closed_port) -> None:
    Webhook.objects.create(unit=org.province, name="督查群", url=robot.url)
    Webhook.objects.create(unit=org.unit_a, name="旧群", url=closed_port)
    org.handler_a.email = "handler_a@example.gov.cn"
    org.handler_a.save()
    Preference.objects.create(user=org.handler_a, kind="assign", email=True)
    task = make_task(org)

    workflow.perform(task, "assign", org.supervisor, version=task.version)  # commits: the job is queued
    assert robot.posts == [] and mail.outbox == []
    (job,) = DBTaskResult.objects.all()
    assert job.task_path == "luoshi.notify.jobs.deliver_event" and job.status == "READY"

    run_worker()

    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert len(robot.posts) == 1 and "抓好高标准农田建设" in robot.posts[0].body["text"]["content"]
    assert [m.to for m in mail.outbox] == [["handler_a@example.gov.cn"]]
    by_hook = {d.webhook.name if d.webhook else d.address: d for d in Delivery.objects.select_related("webhook")}
    assert by_hook["督查群"].status == Status.SENT and by_hook["handler_a@example.gov.cn"].status == Status.SENT
    dead = by_hook["旧群"]
    assert dead.status == Status.FAILED and dead.next_attempt_at > timezone.now()
    # the retry waits for its time: a worker run now leaves it alone
    retry = DBTaskResult.objects.get(task_path="luoshi.notify.jobs.retry_delivery")
    run_worker()
    retry.refresh_from_db()
    assert retry.status == "READY" and retry.run_after == dead.next_attempt_at
    assert Delivery.objects.count() == 3 and len(robot.posts) == 1
