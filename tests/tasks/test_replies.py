"""Suggestions answered as the rules have it: a reply per proposer with its class, signed off by the
co-units, reviewed by the office, rated by each proposer; 不满意 starts another round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import drive

from luoshi.org.models import Membership, Role, User
from luoshi.tasks import replies, services
from luoshi.tasks.models import Rating, Reply, State, Task
from luoshi.tasks.workflow import WorkflowError, perform

LATER = timezone.localdate() + dt.timedelta(days=90)


@pytest.fixture
def deputies(org):
    second = User.objects.create_user("deputy2", display_name="代表二")
    Membership.objects.create(user=second, unit=org.province, role=Role.PROPOSER)
    return org.deputy, second


def _suggestion(org, deputies, state=State.IN_PROGRESS) -> Task:
    """Two deputies' suggestions handled together (并案办理): A leads, B co-handles."""
    task = services.create_task(org.supervisor, organisation=org.province, title="高标准农田建设",
                                kind=Task.Kind.SUGGESTION, lead_unit=org.unit_a, co_units=[org.unit_b],
                                due_date=LATER, proposers=list(deputies))
    task = drive(org, task, state)
    services.give_opinion(task, org.handler_b, text="吕梁市配合。")
    return Task.objects.get(pk=task.pk)


def _answer(org, task, deputy, category="A", **extra) -> Reply:
    reply = replies.write(task, org.handler_a, category=category, text=f"关于{deputy}的建议：已采纳。", proposer=deputy,
                          **extra)
    replies.send(reply, org.handler_a)
    return replies.countersign(reply, org.handler_b, agreed=True)


def test_each_proposer_gets_a_reply_with_its_class(org, deputies) -> None:
    first, second = deputies
    task = _suggestion(org, deputies)
    with pytest.raises(WorkflowError, match="代表"):  # no reply yet
        perform(task, "submit", org.handler_a, version=task.version, reason="已答复")
    a = _answer(org, task, first)
    assert a.status == Reply.Status.REVIEW
    with pytest.raises(WorkflowError, match="代表二"):  # the second proposer is still waiting
        perform(task, "submit", org.handler_a, version=task.version, reason="已答复")
    b = _answer(org, task, second, category="B", follow_up_date=timezone.localdate() + dt.timedelta(days=60))
    task = perform(task, "submit", org.handler_a, version=task.version, reason="已答复")
    task = perform(task, "close", org.supervisor, version=task.version)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Reply.Status.PUBLISHED, Reply.Status.PUBLISHED)
    # each proposer reads their own answer (并案, distinct answers); the units read both
    assert list(replies.visible_replies(first, task)) == [a]
    assert list(replies.visible_replies(second, task)) == [b]
    assert set(replies.visible_replies(org.handler_b, task)) == {a, b}


@pytest.mark.parametrize("category,extra,message", [
    ("D", {}, "says why"), ("B", {}, "follow-up"), ("C", {"follow_up_date": timezone.localdate()}, "after today"),
    ("E", {}, "A, B, C or D"),
])
def test_a_reply_is_refused_without_what_its_class_needs(org, deputies, category, extra, message) -> None:
    task = _suggestion(org, deputies)
    with pytest.raises(WorkflowError, match=message):
        replies.write(task, org.handler_a, category=category, text="答复", proposer=deputies[0], **extra)


def test_a_co_unit_that_disagrees_sends_the_reply_back(org, deputies) -> None:
    task = _suggestion(org, deputies)
    reply = replies.write(task, org.handler_a, category="A", text="已解决。", proposer=deputies[0])
    replies.send(reply, org.handler_a)
    with pytest.raises(WorkflowError):
        replies.countersign(reply, org.handler_a, agreed=True)  # the lead unit does not sign its own reply
    back = replies.countersign(reply, org.head_b, agreed=False, comment="请补充资金安排。")
    assert (back.status, back.note) == (Reply.Status.DRAFT, "请补充资金安排。")
    again = replies.send(replies.write(task, org.handler_a, category="A", text="已解决，资金已安排。",
                                       proposer=deputies[0]), org.handler_a)
    assert again.status == Reply.Status.COUNTERSIGN and again.countersigns.count() == 0


def test_ratings_and_rounds_of_handling(org, deputies) -> None:
    first, second = deputies
    task = _suggestion(org, deputies)
    _answer(org, task, first)
    _answer(org, task, second)
    task = perform(task, "submit", org.handler_a, version=task.version, reason="已答复")
    task = perform(task, "close", org.supervisor, version=task.version)
    task = perform(task, "rate", first, version=task.version, satisfaction="satisfied", comment="答复具体。")
    with pytest.raises(WorkflowError):  # once a round
        perform(task, "rate", first, version=task.version, satisfaction="basically")
    task = perform(task, "rate_unsatisfied", second, version=task.version, reason="未说明资金来源。")
    assert (task.state, task.round) == (State.REOPENED, 2)
    # round 2: only the reply to the unsatisfied proposer is needed again … here to both, as one
    task = perform(task, "resume", org.handler_a, version=task.version)
    reply = replies.write(task, org.handler_a, category="A", text="资金已列入年度预算。", proposer=None)
    replies.send(reply, org.handler_a)
    replies.countersign(reply, org.handler_b, agreed=True)
    task = perform(task, "submit", org.handler_a, version=task.version, reason="再次答复")
    task = perform(task, "close", org.supervisor, version=task.version)
    task = perform(task, "rate_unsatisfied", second, version=task.version, reason="仍不满意。")
    assert task.round == 3  # another round, counted
    rows = list(Rating.objects.filter(task=task).order_by("round", "proposer_id").values_list(
        "round", "proposer__username", "value", "comment"))
    assert rows == [(1, "deputy", "satisfied", "答复具体。"), (1, "deputy2", "unsatisfied", "未说明资金来源。"),
                    (2, "deputy2", "unsatisfied", "仍不满意。")]


def test_a_follow_up_reply_promised_by_b(org, deputies) -> None:
    first, second = deputies
    task = _suggestion(org, deputies)
    _answer(org, task, first, category="C", follow_up_date=timezone.localdate() + dt.timedelta(days=30))
    _answer(org, task, second)
    task = perform(task, "submit", org.handler_a, version=task.version, reason="已答复")
    task = perform(task, "close", org.supervisor, version=task.version)
    follow = replies.write_follow_up(task, org.handler_a, category="A", text="项目已开工建设。", proposer=first)
    assert follow.status == Reply.Status.REVIEW
    assert follow not in replies.visible_replies(first, task)  # not before the office sends it
    replies.publish_follow_up(follow, org.supervisor)
    assert follow in replies.visible_replies(first, task)


def test_the_scan_tells_the_unit_when_a_promised_follow_up_is_due(org, deputies, capsys) -> None:
    from django.core.management import call_command

    first, second = deputies
    task = _suggestion(org, deputies)
    promised = timezone.localdate() + dt.timedelta(days=30)
    _answer(org, task, first, category="B", follow_up_date=promised)
    _answer(org, task, second)
    task = perform(task, "submit", org.handler_a, version=task.version, reason="已答复")
    task = perform(task, "close", org.supervisor, version=task.version)
    for day, told in ((promised - dt.timedelta(days=1), 0), (promised, 1), (promised, 0)):
        call_command("scan", "--at", day.isoformat(), "-v", "2")
        assert f"follow-up replies due {told}" in capsys.readouterr().out, day
    follow = replies.write_follow_up(task, org.handler_a, category="A", text="已建成。", proposer=first)
    replies.publish_follow_up(follow, org.supervisor)
    call_command("scan", "--at", (promised + dt.timedelta(days=5)).isoformat(), "-v", "2")
    assert "follow-up replies due 0" in capsys.readouterr().out
