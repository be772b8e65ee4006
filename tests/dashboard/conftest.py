"""A hand-counted set of tasks for the dashboard, driven through the real workflow.

Every figure the tests expect is written by hand from this table, never read from the code:

    task  lead  co  leader        due        state         light   notes
    T1    A     B   leader        +10        closed        none    closed on time, Monday 00:00:30 this week
    T2    A     -   leader        -5         closed        none    closed late, Sunday 23:59:30 last week
    T3    A     -   leader        -3         in_progress   red     meeting directive 2, 40 % reported
    T4    B     A   leader        +20        assigned      green   meeting directive 1
    T5    C     -   leader        +30        draft         none    (a draft: the office's own)
    T6    C     -   leader        today      accepted      yellow  due today: not yet overdue
    T7    B     -   other_leader  +3         in_progress   yellow
    T8    B     -   leader        -10        accepted      red     meeting suggestion; signed for late

Signed for (签收): T1 T2 T3 T6 T7 T8, all on time but T8 (T4 waits to be signed, T5 is a draft).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from tests.factories import Org, drive
from tests.web.conftest import _media, as_user  # noqa: F401 - fixtures

from luoshi.ledgers.periods import period_bounds
from luoshi.org.models import Membership, Role, User
from luoshi.sources.models import Item, Source
from luoshi.tasks import services
from luoshi.tasks.models import State, Task
from luoshi.tasks.workflow import perform

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def local(day: dt.date, h: int, m: int, s: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def people(org: Org) -> dict[str, User]:
    other_leader = User.objects.create_user("other_leader", password="x", display_name="副省长")
    Membership.objects.create(user=other_leader, unit=org.province, role=Role.LEADER)
    handler_c = User.objects.create_user("handler_c", password="x", display_name="水利经办人")
    Membership.objects.create(user=handler_c, unit=org.unit_c, role=Role.HANDLER)
    return {"other_leader": other_leader, "handler_c": handler_c}


def _handler(org: Org, people: dict[str, User], task: Task) -> User:
    return {org.unit_a.pk: org.handler_a, org.unit_b.pk: org.handler_b, org.unit_c.pk: people["handler_c"]}[
        task.lead_unit_id]


def _move(org: Org, people: dict[str, User], task: Task, state: str) -> Task:
    """Assign, accept, start as the lead unit's own handler (tests.factories.drive acts as unit A's)."""
    steps = {State.ASSIGNED: ["assign"], State.ACCEPTED: ["assign", "accept"],
             State.IN_PROGRESS: ["assign", "accept", "start"]}[state]
    for action in steps:
        who = org.supervisor if action == "assign" else _handler(org, people, task)
        task = perform(task, action, who, version=task.version)
    return task


def _source(org: Org) -> tuple[Source, list[Item]]:
    text = "会议强调，一要抓好专业镇建设；二要抓好防返贫动态监测；三要提出一条建议。"
    raw = text.encode("utf-8")
    source = Source.objects.create(organisation=org.province, name="meeting.txt", title="省长参加吕梁代表团审议",
                                   raw=raw, checksum=hashlib.sha256(raw).hexdigest(), size=len(raw),
                                   encoding="utf-8", text=text)
    items = []
    for n, (kind, words) in enumerate([(Item.Kind.DIRECTIVE, "抓好专业镇建设"), (Item.Kind.DIRECTIVE, "抓好防返贫动态监测"),
                                       (Item.Kind.SUGGESTION, "提出一条建议")], start=1):
        start = text.index(words)
        items.append(Item.objects.create(source=source, kind=kind, ordinal=n, headline=words, text=words,
                                         span_start=start, span_end=start + len(words), raw_start=start,
                                         raw_end=start + len(words), issuer="省长"))
    return source, items


@pytest.fixture
def tasks(org: Org, people: dict[str, User]) -> dict[str, Task]:
    def make(title, lead, co, due, leader=None, kind=Task.Kind.DIRECTIVE):
        return services.create_task(org.supervisor, organisation=org.province, title=title, lead_unit=lead,
                                    co_units=co, due_date=due, leader=leader or org.leader, kind=kind)

    t1 = drive(org, make("T1 高标准农田", org.unit_a, [org.unit_b], days(10)), State.SUBMITTED)
    t1 = perform(t1, "close", org.supervisor, version=t1.version)
    t2 = drive(org, make("T2 水利设施", org.unit_a, [], days(-5)), State.SUBMITTED)
    t2 = perform(t2, "close", org.supervisor, version=t2.version)
    t3 = drive(org, make("T3 防返贫监测", org.unit_a, [], days(-3)), State.IN_PROGRESS)
    services.report_progress(t3, org.handler_a, text="已完成四成。", percent=40)
    t4 = _move(org, people, make("T4 专业镇建设", org.unit_b, [org.unit_a], days(20)), State.ASSIGNED)
    t5 = make("T5 草稿", org.unit_c, [], days(30))
    t6 = _move(org, people, make("T6 今日到期", org.unit_c, [], TODAY), State.ACCEPTED)
    t7 = _move(org, people, make("T7 副省长交办", org.unit_b, [], days(3), leader=people["other_leader"]),
               State.IN_PROGRESS)
    t8 = _move(org, people, make("T8 逾期十天", org.unit_b, [], days(-10), kind=Task.Kind.SUGGESTION), State.ACCEPTED)

    # the week's edges: the first second of this week, the last of the week before
    monday, _sunday = period_bounds("week", TODAY)
    Task.objects.filter(pk=t1.pk).update(closed_at=local(monday, 0, 0, 30))
    Task.objects.filter(pk=t2.pk).update(closed_at=local(monday - dt.timedelta(days=1), 23, 59, 30))
    Task.objects.filter(pk=t8.pk).update(signed_on_time=False)  # as if signed after the office's limit

    _meeting, items = _source(org)
    t4.items.add(items[0])
    t3.items.add(items[1])
    t8.items.add(items[2])
    return {k: Task.objects.get(pk=v.pk) for k, v in
            {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5, "t6": t6, "t7": t7, "t8": t8}.items()}
