"""Who is told of each event, written out by hand for the test organisation.

The task: lead unit A (handler_a, head_a, and an inactive former head), co-unit B (handler_b,
head_b), issued by the leader, proposed by the deputy, in the province whose office has two
supervisors (supervisor, colleague). Nobody else — admin, outsider, the other organisation's
supervisor, handler_c of unit C — is ever told, unless the task moves to unit C.
"""

from __future__ import annotations

import pytest
from tests.factories import drive, make_task, resolve
from tests.notify.conftest import last_event, write_event

from luoshi.notify.dispatch import record_many
from luoshi.notify.models import Notification
from luoshi.notify.recipients import recipients
from luoshi.org.models import Membership, Role, User
from luoshi.tasks import services, workflow
from luoshi.tasks.models import State, Task

UNITS = {"handler_a", "head_a", "handler_b", "head_b"}
OFFICE = {"supervisor", "colleague"}

# (action, state it is taken from, who takes it, inputs, unit heads approve?) → who is told
MOVES = [
    ("assign", State.DRAFT, "supervisor", {}, False, UNITS),
    ("withdraw", State.ASSIGNED, "supervisor", {"reason": "交办有误"}, False, {"colleague"}),
    ("accept", State.ASSIGNED, "handler_a", {}, False, {"supervisor", "colleague", "head_a"}),
    ("accept", State.ASSIGNED, "head_a", {}, False, {"supervisor", "colleague"}),  # never the actor
    ("request_reassignment", State.ASSIGNED, "handler_a", {"reason": "不属本单位职责", "unit": "unit_c"}, False,
     {"supervisor", "colleague", "head_a"}),
    # the new lead unit and the co-unit; unit A no longer sees the task
    ("approve_reassignment", State.REASSIGNMENT_REQUESTED, "supervisor", {"unit": "unit_c"}, False,
     {"handler_c", "handler_b", "head_b"}),
    ("reject_reassignment", State.REASSIGNMENT_REQUESTED, "supervisor", {"reason": "职责明确"}, False,
     {"handler_a", "head_a"}),
    ("start", State.ACCEPTED, "handler_a", {}, False, set()),
    ("request_extension", State.IN_PROGRESS, "handler_a", {"reason": "汛期", "due_date": "+90"}, False,
     {"supervisor", "colleague", "head_a"}),
    ("approve_extension", State.EXTENSION_REQUESTED, "supervisor", {}, False, UNITS),
    ("reject_extension", State.EXTENSION_REQUESTED, "supervisor", {"reason": "不予延期"}, False,
     {"handler_a", "head_a"}),
    ("submit", State.IN_PROGRESS, "handler_a", {"reason": "已完成", "went_ahead": "时限已到"}, False, OFFICE),
    ("submit", State.IN_PROGRESS, "handler_a", {"reason": "已完成", "went_ahead": "时限已到"}, True, {"head_a"}),
    ("approve_submission", State.UNIT_REVIEW, "head_a", {}, True, {"supervisor", "colleague", "handler_a"}),
    ("send_back", State.UNIT_REVIEW, "head_a", {"reason": "材料不全"}, True, {"handler_a"}),
    ("close", State.SUBMITTED, "supervisor", {}, False, {"handler_a", "head_a", "deputy", "leader"}),
    ("return", State.SUBMITTED, "supervisor", {"reason": "材料不全"}, False, {"handler_a", "head_a"}),
    ("resume", State.RETURNED, "handler_a", {}, False, OFFICE),
    ("rate", State.CLOSED, "deputy", {"satisfaction": "satisfied"}, False, {*OFFICE, "handler_a", "head_a"}),
    ("rate_unsatisfied", State.CLOSED, "deputy", {"reason": "没有解决"}, False, {*OFFICE, "handler_a", "head_a"}),
    ("reopen", State.CLOSED, "supervisor", {"reason": "问题反弹"}, False, {*UNITS, "deputy"}),
    ("resume", State.REOPENED, "handler_a", {}, False, OFFICE),
]


def told(event) -> set[str]:
    return set(Notification.objects.filter(event=event).values_list("user__username", flat=True))


@pytest.mark.parametrize(("action", "state", "who", "inputs", "head_approval", "expected"), MOVES,
                         ids=[f"{m[0]}-{m[1]}-{m[2]}" + ("-head" if m[4] else "") for m in MOVES])
def test_who_is_told_of_each_move(org, more, action, state, who, inputs, head_approval, expected) -> None:
    task = drive(org, make_task(org), state, head_approval=head_approval)
    actor = getattr(org, who)
    workflow.perform(task, action, actor, version=task.version, **resolve(org, task, inputs))
    event = last_event(task)
    assert event.action == action
    assert told(event) == expected
    assert {u.username for u in recipients(event)} == expected


def test_creating_and_editing_a_draft_tell_nobody(org, more) -> None:
    task = make_task(org)
    assert told(last_event(task)) == set()
    services.edit_task(task, org.supervisor, version=task.version, title="抓好高标准农田建设（修改）")
    assert last_event(task).action == "edited" and told(last_event(task)) == set()


def test_progress_tells_nobody_comments_tell_the_unit_instructions_everyone_working(org, more) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    services.report_progress(task, org.handler_a, text="已完成土地平整12万亩")
    assert told(last_event(task)) == set()
    services.comment(task, org.supervisor, text="请加快进度")
    assert last_event(task).action == "comment" and told(last_event(task)) == {"handler_a", "head_a"}
    services.comment(task, org.leader, text="要确保一季度开门红")
    assert last_event(task).action == "instruction" and told(last_event(task)) == {*UNITS, *OFFICE}


def test_a_source_linked_tells_the_lead_unit(org, more) -> None:
    task = drive(org, make_task(org), State.ACCEPTED)
    event = write_event(task, "source_linked", org.supervisor, source=1, text="再次部署")
    assert told(event) == {"handler_a", "head_a"}


# the scheduler's events: no actor; (action, data) → who is told
SCHEDULED = [
    ("remind", {"days_left": 3, "due_date": "2030-03-31"}, {"handler_a"}),  # who signed for it
    ("overdue", {"due_date": "2030-03-31"}, {"handler_a", "head_a", *OFFICE}),
    ("escalate", {"level": 1}, {"head_a"}),
    ("escalate", {"level": 2}, OFFICE),
    ("escalate", {"level": 3}, {"leader"}),
    ("urge", {"reason": "请于本周内报送进展", "level": 1}, {"handler_a", "head_a"}),
    ("receipt_overdue", {}, {"head_a", *OFFICE}),
    ("stale", {}, {"handler_a"}),
    ("behind", {}, {"handler_a"}),
]


@pytest.mark.parametrize(("action", "data", "expected"), SCHEDULED,
                         ids=[f"{a}-{d.get('level', '')}" for a, d, _e in SCHEDULED])
def test_who_is_told_of_reminders_and_warnings(org, more, action, data, expected) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    assert told(write_event(task, action, **data)) == expected


# unit A has a second handler: the daily nags go to the one who signed for the task (its owner,
# 责任人), the overdue and the urge to the head as well; nobody signed, or the owner gone from the
# unit (or inactive), the unit's handlers are told. (action, data) → who is told, by the owner
NAGS = [
    ("remind", {"days_left": 1, "due_date": "2030-03-31"}),
    ("overdue", {"due_date": "2030-03-31"}),
    ("urge", {"reason": "请于本周内报送进展", "level": 1}),
    ("stale", {}),
    ("behind", {}),
]
NAGGED = {  # owner → [told of each of NAGS, in order]
    "handler_a": [{"handler_a"}, {"handler_a", "head_a", *OFFICE}, {"handler_a", "head_a"}, {"handler_a"},
                  {"handler_a"}],
    "second_handler_a": [{"second_handler_a"}, {"second_handler_a", "head_a", *OFFICE},
                         {"second_handler_a", "head_a"}, {"second_handler_a"}, {"second_handler_a"}],
    "head_a": [{"head_a"}, {"head_a", *OFFICE}, {"head_a"}, {"head_a"}, {"head_a"}],
    # both handlers: nobody, someone who left the unit, someone inactive
    None: [{"handler_a", "second_handler_a"}, {"handler_a", "second_handler_a", "head_a", *OFFICE},
           {"handler_a", "second_handler_a", "head_a"}, {"handler_a", "second_handler_a"},
           {"handler_a", "second_handler_a"}],
}


@pytest.fixture
def second_handler(org, more):
    user = User.objects.create_user("second_handler_a", display_name="农业经办人二", email="h2@example.gov.cn")
    Membership.objects.create(user=user, unit=org.unit_a, role=Role.HANDLER)
    return user


@pytest.mark.parametrize("owner", ["handler_a", "second_handler_a", "head_a", None, "handler_c", "retired_head_a"])
def test_the_daily_nags_go_to_the_owner_while_they_are_in_the_unit(org, more, second_handler, owner) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)  # handler_a signed
    Task.objects.filter(pk=task.pk).update(owner=User.objects.filter(username=owner).first())
    expected = NAGGED.get(owner, NAGGED[None])
    for (action, data), want in zip(NAGS, expected, strict=True):
        assert told(write_event(task, action, **data)) == want, action


def test_who_signs_owns_the_task_and_is_then_the_one_reminded(org, more, second_handler) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    assert told(write_event(task, "remind", days_left=3, due_date="2030-03-31")) == {"handler_a", "second_handler_a"}
    task = workflow.perform(task, "accept", second_handler, version=task.version)
    assert task.owner == second_handler
    assert told(write_event(task, "remind", days_left=1, due_date="2030-03-31")) == {"second_handler_a"}
    # the scan tells a batch through the same table, the owners read at once
    events = [write_event(task, "stale"), write_event(drive(org, make_task(org), State.IN_PROGRESS), "stale")]
    Notification.objects.filter(event__in=events).delete()
    record_many(events)
    assert [told(e) for e in events] == [{"second_handler_a"}, {"handler_a"}]


def test_an_urge_by_a_supervisor_is_not_told_back_to_them(org, more) -> None:
    task = drive(org, make_task(org), State.ACCEPTED)
    event = write_event(task, "overdue", org.supervisor, due_date="2030-03-31")
    assert told(event) == {"handler_a", "head_a", "colleague"}


def test_nobody_is_told_of_a_task_they_may_not_see(org, more) -> None:
    # a draft is the office's own: a warning on it reaches no unit, though the table names the unit
    draft = make_task(org)
    assert told(write_event(draft, "remind", days_left=3, due_date="2030-03-31")) == set()
    assert told(write_event(draft, "overdue", due_date="2030-03-31")) == OFFICE
    # withdrawn, the task is a draft again: the units that had it are not told (they cannot see it)
    task = drive(org, make_task(org), State.ASSIGNED)
    workflow.perform(task, "withdraw", org.supervisor, version=task.version, reason="交办有误")
    assert not told(last_event(task)) & UNITS


def test_inactive_users_and_strangers_are_never_told(org, more) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    strangers = {"retired_head_a", "admin", "outsider", "other_supervisor", "handler_c"}
    for action, data, _expected in SCHEDULED:
        assert not told(write_event(task, action, **data)) & strangers, action
    everyone = set(Notification.objects.values_list("user__username", flat=True))
    assert not everyone & strangers


# every act of the scan (tasks/scan.py's docstring), written out by hand
SCAN_ACTIONS = ["remind", "overdue", "escalate", "stale", "receipt_overdue", "behind", "on_schedule", "co_remind",
                "co_overdue", "follow_up_due"]


def test_every_act_of_the_scan_is_in_the_table() -> None:
    from luoshi.notify.recipients import kinds

    assert [a for a in SCAN_ACTIONS if a not in kinds()] == []


def test_a_county_task_tells_the_county_office_not_the_provinces(org, more) -> None:
    """A county (an organisation of its own under the province) has its own office; a person's
    supervision is of the organisation their office unit belongs to, and one who also handles a
    county department is told as its handler."""
    from luoshi.org.models import Membership, Role, Unit, User

    county = Unit.objects.create(name="岚县人民政府", kind=Unit.Kind.GOVERNMENT, parent=org.province,
                                 is_organisation=True)
    county_office = Unit.objects.create(name="县政府督查室", kind=Unit.Kind.OFFICE, parent=county)
    water = Unit.objects.create(name="县水利局", parent=county)

    def person(username: str, *held: tuple[Unit, Role]) -> User:
        user = User.objects.create_user(username, display_name=username, email=f"{username}@example.gov.cn")
        for unit, role in held:
            Membership.objects.create(user=user, unit=unit, role=role)
        return user

    county_supervisor = person("county_supervisor", (county_office, Role.SUPERVISOR))
    person("county_head", (water, Role.HEAD))
    person("county_handler", (water, Role.HANDLER))
    # supervises the province's tasks and handles the county's water bureau's
    person("seconded", (org.office, Role.SUPERVISOR), (water, Role.HANDLER))
    task = services.create_task(county_supervisor, organisation=county, title="县域供水保障", description="年底前完成。",
                                lead_unit=water, co_units=[], due_date=None, leader=None, issuer_name="县长",
                                proposers=[])
    assert told(write_event(task, "overdue", due_date="2030-03-31")) == {"county_supervisor"}  # a draft
    task = workflow.perform(task, "assign", county_supervisor, version=task.version)
    assert told(last_event(task)) == {"county_head", "county_handler", "seconded"}
    assert told(write_event(task, "overdue", due_date="2030-03-31")) == {
        "county_head", "county_handler", "seconded", "county_supervisor"}
    assert told(write_event(task, "escalate", level=2, due_date="2030-03-31")) == {"county_supervisor"}


def test_inbox_rows_are_written_as_given_and_once(org) -> None:
    """The scan's way of writing inbox rows (arrays on PostgreSQL, written as literals where they
    can be): keys and kinds come back as given, a kind spelled NULL stays a word, a kind the
    literal would have to escape still goes in, and writing the same rows again adds none."""
    from django.db import transaction

    from luoshi.notify.dispatch import _insert_notifications

    task = make_task(org)
    event = last_event(task)
    rows = [(org.handler_a.pk, event.pk, task.pk, "NULL"), (org.head_a.pk, event.pk, task.pk, "remind"),
            (org.supervisor.pk, event.pk, task.pk, 'say "hi"')]
    with transaction.atomic():
        _insert_notifications(rows)
        _insert_notifications(rows[:2])
    assert sorted(Notification.objects.filter(event=event).values_list("user__username", "task_id", "kind")) == [
        ("handler_a", task.pk, "NULL"), ("head_a", task.pk, "remind"), ("supervisor", task.pk, 'say "hi"')]
