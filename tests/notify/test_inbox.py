"""What one was told of a task is read once one opens the task's page."""

from __future__ import annotations

from django.test import Client
from tests.factories import drive, make_task

from luoshi.notify.models import Notification
from luoshi.tasks.models import State


def test_opening_a_task_reads_what_one_was_told_of_it(org) -> None:
    first = drive(org, make_task(org, title="任务一"), State.ASSIGNED)
    second = drive(org, make_task(org, title="任务二"), State.ASSIGNED)
    unread = Notification.objects.filter(user=org.handler_a, read_at__isnull=True)
    assert set(unread.values_list("task_id", flat=True)) == {first.pk, second.pk}
    client = Client()
    client.force_login(org.handler_a)
    assert client.get(f"/tasks/{first.pk}/").status_code == 200
    assert set(unread.values_list("task_id", flat=True)) == {second.pk}
    # someone else's opening reads nothing of theirs
    other = Client()
    other.force_login(org.head_a)
    other.get(f"/tasks/{second.pk}/")
    assert set(unread.values_list("task_id", flat=True)) == {second.pk}
