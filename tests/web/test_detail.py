"""What the detail page tells: the due date and where it came from, the words the task was made
from, and the journal (who, when, what, why)."""

from __future__ import annotations

import datetime as dt
import re

from tests.factories import drive, make_task
from tests.web.helpers import link_to_source, page_text

from luoshi.tasks import services
from luoshi.tasks.models import DueOrigin, Event, State


def test_due_date_inferred_from_the_words(org, as_user) -> None:
    task = services.create_task(org.supervisor, organisation=org.province, title="重大项目一季度开门红",
                                lead_unit=org.unit_a, due_date=dt.date(2024, 3, 31),
                                due_origin=DueOrigin.INFERRED, due_basis="一季度")
    text = page_text(as_user("supervisor").get(f"/tasks/{task.pk}/"))
    assert "办结时限 2024年3月31日 （根据原文“一季度”推算）" in text


def test_the_source_sentence_is_shown_highlighted_in_context(org, as_user) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    source = link_to_source(org, task).source

    def quote(who: str) -> str:
        html = as_user(who).get(f"/tasks/{task.pk}/").content.decode()
        return re.search(r'<figure class="quote">.*?</figure>', html, re.S).group(0)

    # the office reads the item in its context
    assert "一要坚持问题导向，<mark>抓好高标准农田建设，确保一季度开门红</mark>；二要压实责任" in quote("supervisor")
    assert "省长参加吕梁代表团审议" in quote("supervisor")
    assert "…" not in quote("supervisor")  # the whole (short) source is shown, nothing cut
    # a unit reads its item's own words, not the report around it (other units' items), until it is opened
    assert "<mark>抓好高标准农田建设，确保一季度开门红</mark>" in quote("handler_b")
    assert "二要压实责任" not in quote("handler_b")
    source.open_to_units = True
    source.save()
    assert "一要坚持问题导向，<mark>抓好高标准农田建设，确保一季度开门红</mark>；二要压实责任" in quote("handler_b")


def test_the_timeline_says_who_when_what_and_why(org, as_user) -> None:
    task = drive(org, make_task(org), State.RETURNED)
    r = as_user("deputy").get(f"/tasks/{task.pk}/")
    html = r.content.decode()
    events = re.findall(r'<li class="event event-([a-z_]+)">', html)
    assert len(events) == Event.objects.filter(task=task).count()
    text = page_text(r)
    assert "申请办结 农业经办人" in text and "办理中 → 申请办结 已完成" in text
    assert "退回 督查员" in text and "申请办结 → 退回 材料不全" in text
    last = Event.objects.filter(task=task).order_by("-seq").first()
    assert f'<time datetime="{last.at.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()}' in html


def test_a_long_history_shows_its_latest_50_events_and_links_to_earlier_ones(org, as_user) -> None:
    task = make_task(org, title="常年督办事项")
    for i in range(1, 60):  # 1 created + 59 comments = 60 events
        services.comment(task, org.supervisor, text=f"第{i:02d}次批注")
    client = as_user("supervisor")
    latest = client.get(f"/tasks/{task.pk}/")
    text = page_text(latest)
    assert "第59次批注" in text and "第10次批注" in text  # events 11…60: comments 10…59
    assert "第09次批注" not in text and "常年督办事项" in text
    html = latest.content.decode()
    assert f'href="/tasks/{task.pk}/?before=11#history-h"' in html and "更早的记录（当前显示 50 条）" in text
    earlier = client.get(f"/tasks/{task.pk}/", {"before": 11})
    text = page_text(earlier)
    assert "第01次批注" in text and "第09次批注" in text and "第10次批注" not in text
    assert "更早的记录" not in text and "最新记录" in text
