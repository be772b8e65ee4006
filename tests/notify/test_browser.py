"""The inbox in a real browser: the unread count in the header, opening a notification, read."""

from __future__ import annotations

import pytest
from tests.factories import drive, make_task
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401 (fixtures)

from luoshi.notify.models import Notification
from luoshi.tasks.models import State

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_a_handler_sees_the_count_opens_the_notification_and_it_is_read(org, live_server, page) -> None:  # noqa: F811
    base = live_server.url
    task = drive(org, make_task(org, title="建立防返贫动态监测机制"), State.ASSIGNED)
    drive(org, make_task(org, title="四全工作法推进重大项目"), State.ASSIGNED)

    sign_in(page, base, "handler_a")
    inbox = page.get_by_role("navigation").get_by_role("link", name="消息中心")
    assert inbox.locator(".unread-count").inner_text().split() == ["未读：", "2"]  # the label is for screen readers
    inbox.click()
    page.wait_for_url(f"{base}/inbox/")
    assert page.locator("li.notice.unread").count() == 2
    shot(page, "20-inbox")

    page.get_by_role("button", name=f"#{task.pk} 建立防返贫动态监测机制").click()
    page.wait_for_url(f"{base}/tasks/{task.pk}/")
    assert page.get_by_role("heading", name="建立防返贫动态监测机制").is_visible()
    assert page.locator(".unread-count").inner_text().split() == ["未读：", "1"]

    page.goto(f"{base}/inbox/")
    assert page.locator("li.notice.unread").count() == 1
    assert page.locator("li.notice:not(.unread)").get_by_role("link", name="建立防返贫动态监测机制").is_visible()
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_url(f"{base}/inbox/")
    assert "已标为已读：1条。" in page.locator(".messages").inner_text()
    assert page.locator("li.notice.unread").count() == 0
    assert page.locator(".unread-count").count() == 0
    assert not Notification.objects.filter(user=org.handler_a, read_at__isnull=True).exists()
