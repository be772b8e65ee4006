"""Who is told of an event: one table from the event's action to the people concerned.

`RECIPIENTS` names, per action, the audiences told; a few actions are told to others
according to the event (`BY_TO_STATE`: a submission goes to the unit head or to the office;
`BY_LEVEL`: an escalation climbs). `recipients()` resolves audiences to active users through
their memberships, never the person who acted, and only those who may see the task
(`tasks.roles.task_roles` non-empty): a unit is not told of a draft, nor an old lead unit of a
task taken from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from luoshi.org.models import Membership, Role, User, organisation_ids
from luoshi.tasks.models import Event, State, Task
from luoshi.tasks.roles import Reach, Standing, roles_toward


class Audience(StrEnum):
    LEAD_HANDLERS = "lead_handlers"  # handlers of the lead unit
    LEAD_HEADS = "lead_heads"  # heads of the lead unit
    CO_HANDLERS = "co_handlers"  # handlers of the co-units
    CO_HEADS = "co_heads"  # heads of the co-units
    SUPERVISORS = "supervisors"  # the supervision office of the task's organisation
    LEADER = "leader"  # the leader who issued the task
    PROPOSERS = "proposers"  # the deputies whose suggestion it was
    NAMED_UNIT = "named_unit"  # handlers and heads of the one co-unit the event is about (data["unit"])
    # who answers for the task (责任人: the person who signed for it, `Task.owner`) while still active
    # in the lead unit; else, as when nobody has signed yet, the lead unit's handlers
    OWNER = "owner"


A = Audience
LEAD = (A.LEAD_HANDLERS, A.LEAD_HEADS)
UNITS = (A.LEAD_HANDLERS, A.LEAD_HEADS, A.CO_HANDLERS, A.CO_HEADS)

RECIPIENTS: dict[str, tuple[Audience, ...]] = {
    "created": (),  # a draft is the office's own work in hand
    "edited": (),
    "assign": UNITS,
    "withdraw": (A.SUPERVISORS,),  # back to a draft: the units no longer see it
    "accept": (A.SUPERVISORS, A.LEAD_HEADS),
    "request_reassignment": (A.SUPERVISORS, A.LEAD_HEADS),
    "approve_reassignment": UNITS,  # the new lead unit, and the co-units learn who leads now
    "reject_reassignment": LEAD,
    "start": (),
    "request_extension": (A.SUPERVISORS, A.LEAD_HEADS),
    "approve_extension": UNITS,  # the due date moved for everyone working on it
    "reject_extension": LEAD,
    "submit": (),  # see BY_TO_STATE
    "approve_submission": (A.SUPERVISORS, A.LEAD_HANDLERS),
    "send_back": (A.LEAD_HANDLERS,),
    "close": (*LEAD, A.PROPOSERS, A.LEADER),  # the proposers rate the reply
    "return": LEAD,
    "resume": (A.SUPERVISORS,),
    "rate": (A.SUPERVISORS, *LEAD),
    "rate_unsatisfied": (A.SUPERVISORS, *LEAD),
    "reopen": (*UNITS, A.PROPOSERS),
    # a monitoring alert's task, moved by the system: the risk is removed (风险消除), or back (风险复发)
    "risk_cleared": (*UNITS, A.SUPERVISORS),
    "risk_renewed": (*UNITS, A.SUPERVISORS),
    "progress": (),  # reports are read on the task; a group robot may still ask for them
    "comment": LEAD,
    "instruction": (*UNITS, A.SUPERVISORS),  # a leader's 批示
    "source_linked": LEAD,  # the same work asked for again (多头交办)
    # reminders and warnings, written by the scheduler
    # the daily nags go to the person who answers for the task, not to every handler of the unit
    # (a busy department's ten people would each be told of its thousands of tasks); its head hears
    # of an overdue task, and again when it is escalated
    "remind": (A.OWNER,),  # data: days_left, due_date
    "overdue": (A.OWNER, A.LEAD_HEADS, A.SUPERVISORS),  # data: due_date
    "escalate": (),  # see BY_LEVEL
    "urge": (A.OWNER, A.LEAD_HEADS),  # 催办 by a supervisor; data: reason, level
    "receipt_overdue": (A.LEAD_HEADS, A.SUPERVISORS),  # not signed for within the limit
    "stale": (A.OWNER,),  # no progress for long
    "behind": (A.OWNER,),  # progress behind schedule
    "on_schedule": (),  # back on schedule: the light says so, nobody need be told
    # a co-unit's own duty: its written opinion (协办意见) to the lead unit
    "co_opinion": LEAD,  # data: unit, text, on_time
    "co_remind": (A.NAMED_UNIT,),  # its opinion is due soon; data: unit, due_date
    "co_overdue": (A.NAMED_UNIT, *LEAD),  # its opinion is late; data: unit, due_date
    "notice_issued": UNITS,
    "follow_up_due": LEAD,  # a B or C reply's promised follow-up is due; data: reply, due_date
    "reply_written": (),  # a draft reply is the lead unit's work in hand
    "reply_countersigned": LEAD,  # a co-unit signed the reply off
    "handed_down": (A.SUPERVISORS,),  # the part itself is assigned (and so told) to the unit below
    "open_parts_allowed": LEAD,  # the office lets the lead unit submit with parts still open
    "reply_sent": (A.CO_HANDLERS, A.CO_HEADS),  # a reply awaits the co-units' sign-off (会签)
    "reply_disputed": LEAD,  # a co-unit did not sign the reply off
    "follow_up_written": (A.SUPERVISORS,),  # a follow-up reply awaits the office's review
    "follow_up_sent": (A.PROPOSERS,),  # a supervision notice (督办通知单) is addressed to the lead and co-units
}

# actions told to others according to the state the event leads to
BY_TO_STATE: dict[tuple[str, str], tuple[Audience, ...]] = {
    ("submit", State.UNIT_REVIEW): (A.LEAD_HEADS,),
    ("submit", State.SUBMITTED): (A.SUPERVISORS,),
}

# escalations climb: the unit's head, then the supervision office, then the leader
BY_LEVEL: dict[tuple[str, int], tuple[Audience, ...]] = {
    ("escalate", 1): (A.LEAD_HEADS,),
    ("escalate", 2): (A.SUPERVISORS,),
    ("escalate", 3): (A.LEADER,),
}


def audiences(action: str, to_state: str = "", data: dict | None = None) -> tuple[Audience, ...]:
    """The audiences told of an event with this action, state reached and data."""
    if (action, to_state) in BY_TO_STATE:
        return BY_TO_STATE[(action, to_state)]
    level = (data or {}).get("level")
    if isinstance(level, str) and level.isdigit():
        level = int(level)
    if isinstance(level, int) and (action, level) in BY_LEVEL:
        return BY_LEVEL[(action, level)]
    return RECIPIENTS.get(action, ())


def kinds() -> list[str]:
    """Every kind of event the table knows, in its order."""
    return list(RECIPIENTS)


def telling_kinds() -> list[str]:
    """The kinds of event that tell someone (what a user may choose to receive)."""
    told = {a for (a, _), who in (BY_TO_STATE | BY_LEVEL).items() if who}
    return [k for k, who in RECIPIENTS.items() if who or k in told]


@dataclass(frozen=True)
class Person:
    """One active user as a notification needs them: whom to write to, and what they may see."""

    pk: int
    email: str
    standing: Standing


class Memo:
    """What the recipients of many events share, read once for all of them (the scan tells of
    thousands of tasks at a time, of a few hundred units and people): plain rows, no model
    objects, since a batch has thousands of recipients."""

    def __init__(self) -> None:
        self.members: dict[tuple[int, Role], set[int]] = {}
        self.units: set[int] = set()  # those whose members are read
        self.supervisors: dict[int, set[int]] = {}
        self.people: dict[int, Person | None] = {}
        self.channels: dict[tuple[int, str], tuple[bool, bool]] = {}  # (user, kind): (inbox, email)
        self._organisations: dict[int, int] | None = None

    def load(self, unit_ids) -> None:
        """Read the memberships of every role of these units in one query."""
        missing = {u for u in unit_ids if u is not None} - self.units
        if not missing:
            return
        self.units |= missing
        self.members.update({(u, role): set() for u in missing for role in Role})
        for unit, role, user in Membership.objects.filter(unit__in=missing).values_list("unit_id", "role", "user_id"):
            self.members[(unit, role)].add(user)

    def holds(self, unit_id: int, user_id: int) -> bool:
        """Whether the user is a handler or the head of the unit."""
        self.load([unit_id])
        return user_id in self.members[(unit_id, Role.HANDLER)] or user_id in self.members[(unit_id, Role.HEAD)]

    def unit_members(self, unit_ids: list[int], role: Role) -> set[int]:
        self.load(unit_ids)
        return set().union(*(self.members[(u, role)] for u in unit_ids)) if unit_ids else set()

    def organisations(self) -> dict[int, int]:
        if self._organisations is None:
            self._organisations = organisation_ids()
        return self._organisations

    def active_people(self, ids: set[int]) -> list[Person]:
        """The active users among ``ids`` with their standing, in id order (two queries for all
        that are not read yet: the users, their memberships)."""
        missing = [i for i in ids if i not in self.people]
        if missing:
            self.people.update(dict.fromkeys(missing))
            emails = dict(User.objects.filter(pk__in=missing, is_active=True).values_list("pk", "email"))
            held: dict[int, list[tuple[int, str]]] = {pk: [] for pk in emails}
            for user, unit, role in Membership.objects.filter(user__in=list(emails)).values_list(
                    "user_id", "unit_id", "role"):
                held[user].append((unit, role))
            orgs = self.organisations()
            for pk, email in emails.items():
                self.people[pk] = Person(pk, email, Standing.held(pk, held[pk], lambda u: orgs.get(u, u)))
        return [self.people[i] for i in sorted(ids) if self.people[i] is not None]


def _supervisors(task: Task | TaskRow, memo: Memo) -> set[int]:
    """Supervisors of the task's organisation: a supervisor role in a unit whose organisation it is."""
    org = task.organisation_id
    if org not in memo.supervisors:
        units = {org} | {u for u, o in memo.organisations().items() if o == org}  # and its units
        memo.supervisors[org] = memo.unit_members(list(units), Role.SUPERVISOR)
    return memo.supervisors[org]


def members(task: Task | TaskRow, audience: Audience, data: dict | None = None, memo: Memo | None = None) -> set[int]:
    """The ids of the users an audience of ``task`` is made of (before anyone is left out)."""
    memo = memo or Memo()
    lead = [task.lead_unit_id] if task.lead_unit_id else []
    if audience == A.NAMED_UNIT:
        unit = (data or {}).get("unit")
        return memo.unit_members([unit], Role.HANDLER) | memo.unit_members([unit], Role.HEAD) if unit else set()
    if audience == A.OWNER:
        owner = task.owner_id
        # whether the owner is active comes with the task (`read_tasks`), else from the memo
        active = getattr(task, "owner_active", None)
        if active is None and owner:
            active = bool(memo.active_people({owner}))
        if owner and active and lead and memo.holds(lead[0], owner):
            return {owner}
        return memo.unit_members(lead, Role.HANDLER)
    if audience == A.LEAD_HANDLERS:
        return memo.unit_members(lead, Role.HANDLER)
    if audience == A.LEAD_HEADS:
        return memo.unit_members(lead, Role.HEAD)
    if audience in (A.CO_HANDLERS, A.CO_HEADS):
        co = list(Reach.of(task).co_units)
        return memo.unit_members(co, Role.HANDLER if audience == A.CO_HANDLERS else Role.HEAD)
    if audience == A.SUPERVISORS:
        return _supervisors(task, memo)
    if audience == A.LEADER:
        return {task.leader_id} if task.leader_id else set()
    if audience == A.PROPOSERS:
        return set(Reach.of(task).proposers)
    raise ValueError(audience)


def recipients(event: Event, task: Task | TaskRow | None = None, memo: Memo | None = None) -> list[User]:
    """The active users told of ``event``: its audiences, never its actor, only those who may see the task.

    ``task``: the task as it is now (read afresh if not given; the event's own task object may be
    the one the change was made on, with its old state and units). ``memo``: shared by the events
    of one batch.
    """
    memo = memo or Memo()
    if task is None:
        task = read_task(event.task_id)
    told = [p.pk for p in allowed(memo.active_people(told_ids(event, task, memo)), task)]
    return list(User.objects.filter(pk__in=told).order_by("pk"))


def allowed(people: list[Person], task: Task | TaskRow) -> list[Person]:
    """Those of ``people`` who may see ``task`` (a unit is not told of a draft, nor an old lead unit)."""
    reach = Reach.of(task)
    return [p for p in people if roles_toward(p.standing, task, reach)]


def told_ids(event: Event, task: Task | TaskRow, memo: Memo) -> set[int]:
    """The ids of the people ``event``'s audiences are made of, its actor left out (not yet
    narrowed to those active and allowed to see the task)."""
    ids: set[int] = set()
    for audience in audiences(event.action, event.to_state, event.data):
        ids |= members(task, audience, event.data, memo)
    ids.discard(event.actor_id)
    return ids


def read_task(pk: int) -> TaskRow:
    """The task as `recipients` asks of it: its units and proposers read once, not once a person."""
    return read_tasks([pk])[pk]


# what of a task the recipients read (`roles.roles_toward`, the audiences, the robots)
COLUMNS = ("id", "organisation_id", "lead_unit_id", "parent_id", "leader_id", "owner_id", "state")


class TaskRow:
    """A task as the recipients read it (`COLUMNS`, and whether its owner is active), named as
    `Task`'s attributes: a plain object, since the scan tells of tens of thousands of tasks a day
    and a model object of each cost a third of reading them."""

    def __init__(self, pk: int, organisation_id: int, lead_unit_id: int | None, parent_id: int | None,
                 leader_id: int | None, owner_id: int | None, state: str, owner_active: bool | None) -> None:
        self.pk = self.id = pk
        self.organisation_id, self.lead_unit_id, self.parent_id = organisation_id, lead_unit_id, parent_id
        self.leader_id, self.owner_id, self.state, self.owner_active = leader_id, owner_id, state, owner_active


def read_tasks(pks) -> dict[int, TaskRow]:
    """The tasks ``pks`` with what the recipients ask of each (its columns, co-units, proposers,
    its parent's lead unit) read for all of them at once, as plain rows: a batch has thousands."""
    tasks = {row[0]: TaskRow(*row) for row in Task.objects.filter(pk__any_of=pks).order_by()
             .values_list(*COLUMNS, "owner__is_active")}
    co: dict[int, set[int]] = {pk: set() for pk in tasks}
    proposers: dict[int, set[int]] = {pk: set() for pk in tasks}
    for task, unit in Task.co_units.through.objects.filter(task__any_of=list(tasks)).values_list("task_id", "unit_id"):
        co[task].add(unit)
    for task, user in Task.proposers.through.objects.filter(task__any_of=list(tasks)).values_list("task_id", "user_id"):
        proposers[task].add(user)
    parents = {t.parent_id for t in tasks.values() if t.parent_id}
    leads = dict(Task.objects.filter(pk__any_of=parents).values_list("pk", "lead_unit_id")) if parents else {}
    for pk, t in tasks.items():
        Reach.known(t, co_units=frozenset(co[pk]), proposers=frozenset(proposers[pk]),
                    parent_lead=leads.get(t.parent_id))
    return tasks
