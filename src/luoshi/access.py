"""Who may do what: the one place that decides.

The roles a user holds toward a task come from `luoshi.tasks.roles`; which moves of state
those roles may make now is the workflow's answer (`workflow.available`, guards included);
`PERMISSIONS` says which roles may take each action that is not a move of state. Views,
commands, and later the API and the exports, ask `can()`, `allowed_actions()` and
`visible_tasks()` here.

A user who may not see a task gets 404, never its content.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from luoshi.forms import parse_id
from luoshi.org.models import Role, Unit, User
from luoshi.tasks import workflow
from luoshi.tasks.models import State, Task
from luoshi.tasks.roles import TaskRole, is_active, memberships, supervised_organisations, task_roles, unit_ids

__all__ = ["PERMISSIONS", "TaskRole", "allowed_actions", "can", "supervised_organisations", "task_roles",
           "visible_tasks"]

VIEWERS = frozenset(TaskRole)
UNIT_ROLES = frozenset({TaskRole.LEAD_HANDLER, TaskRole.LEAD_HEAD, TaskRole.CO_HANDLER, TaskRole.CO_HEAD})
LEAD_ROLES = frozenset({TaskRole.LEAD_HANDLER, TaskRole.LEAD_HEAD})
WORKING = frozenset({State.IN_PROGRESS, State.EXTENSION_REQUESTED})
SUGGESTIONS = frozenset({Task.Kind.SUGGESTION})
# the unit has the task and the next step is its own: it can be urged (催办)
URGEABLE = frozenset({State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS, State.EXTENSION_REQUESTED,
                      State.UNIT_REVIEW, State.RETURNED, State.REOPENED})


@dataclass(frozen=True)
class Permission:
    roles: frozenset[TaskRole]
    states: frozenset[State] | None = None  # None: in any state
    also: tuple[tuple[frozenset[TaskRole], frozenset[State]], ...] = ()  # more roles, in their own states
    kinds: frozenset[str] | None = None  # None: tasks of any kind

    def allows(self, roles: frozenset[TaskRole], state: str, kind: str = "") -> bool:
        if self.kinds is not None and kind not in self.kinds:
            return False
        if roles & self.roles and (self.states is None or state in self.states):
            return True
        return any(roles & r and state in st for r, st in self.also)


# Actions on a task that do not move its state.
PERMISSIONS: dict[str, Permission] = {
    "view": Permission(VIEWERS),
    "report_progress": Permission(UNIT_ROLES, WORKING),
    "comment": Permission(frozenset({TaskRole.SUPERVISOR, TaskRole.LEADER})),
    "edit": Permission(frozenset({TaskRole.SUPERVISOR}), frozenset({State.DRAFT})),
    "urge": Permission(frozenset({TaskRole.SUPERVISOR, TaskRole.DELEGATOR}), URGEABLE),
    # passing a part down (转办): the lead unit, to one of its own units, while it works on the task;
    # the supervision office may let a task be submitted with parts still open
    "hand_down": Permission(LEAD_ROLES, frozenset({State.ACCEPTED}) | WORKING),
    "allow_open_subtasks": Permission(frozenset({TaskRole.SUPERVISOR}), WORKING),
    # a supervision notice (督办通知单) numbers and sends a task handed out and not yet closed
    "issue_notice": Permission(frozenset({TaskRole.SUPERVISOR}), frozenset(State) - {State.DRAFT, State.CLOSED}),
    # milestones (节点): the office plans them on any open task, the unit on a task it holds,
    # and the unit marks them done while it holds the task
    "add_milestone": Permission(frozenset({TaskRole.SUPERVISOR}), frozenset(State) - {State.CLOSED},
                                also=((LEAD_ROLES, URGEABLE),)),
    "complete_milestone": Permission(LEAD_ROLES, URGEABLE),
    # a co-unit's written opinion (协办意见) to the lead unit, while the lead unit works on it
    "give_opinion": Permission(frozenset({TaskRole.CO_HANDLER, TaskRole.CO_HEAD}), URGEABLE),
    # a suggestion's reply: the lead unit writes it while it works on the task, the co-units sign it
    # off (会签); once the task is closed, the unit writes the follow-up a B or C reply promised and
    # the office sends it on
    "write_reply": Permission(LEAD_ROLES, WORKING, kinds=SUGGESTIONS),
    "countersign_reply": Permission(frozenset({TaskRole.CO_HANDLER, TaskRole.CO_HEAD}), WORKING, kinds=SUGGESTIONS),
    "write_follow_up": Permission(LEAD_ROLES, frozenset({State.CLOSED}), kinds=SUGGESTIONS),
    "publish_follow_up": Permission(frozenset({TaskRole.SUPERVISOR}), frozenset({State.CLOSED}), kinds=SUGGESTIONS),
    "acknowledge": Permission(LEAD_ROLES),  # a leader's 批示 on the unit's task
}


def visible_tasks(user) -> QuerySet[Task]:
    """The tasks ``user`` may see (and only those)."""
    if not is_active(user):
        return Task.objects.none()
    orgs = [o.pk for o in supervised_organisations(user)]
    if orgs and sees_only(user, orgs):
        # the usual supervisor: the organisation's tasks are all they see, and a filter on it alone
        # lets every page and count use the organisation's indexes (no OR to evaluate row by row)
        return Task.objects.filter(organisation__in=orgs)
    units = unit_ids(user, Role.HANDLER, Role.HEAD)
    # the many-to-many links as EXISTS, not joins: one row per task, so no "pk IN (…)" around it,
    # which PostgreSQL could not plan through (6x slower dashboard counts on 100,000 tasks)
    proposed = Exists(Task.proposers.through.objects.filter(task=OuterRef("pk"), user=user))
    q = Q(leader=user) | proposed
    if units:
        co = Exists(Task.co_units.through.objects.filter(task=OuterRef("pk"), unit__in=units))
        passed_down = Q(parent__lead_unit__in=units)  # the parts a unit handed down (转办)
        q |= Q(lead_unit__in=units) | co | passed_down
        q &= ~Q(state=State.DRAFT) | passed_down  # drafts: the office's, or the unit's that passes them down
    else:
        q &= ~Q(state=State.DRAFT)  # (no join on the parent for those who hold no unit)
    if orgs:
        # the organisation first: PostgreSQL evaluates an OR's terms in order and stops at the first
        # true one, so a supervisor's rows never reach the proposers' EXISTS (a count over 1,000,000
        # tasks: 593 -> 184 ms)
        q = Q(organisation__in=orgs) | q
    return Task.objects.filter(q)


def sees_only(user, orgs: list[int]) -> bool:
    """Whether every task ``user`` may see belongs to ``orgs``, which they supervise: no task of
    another organisation reaches them by any of the other ways `visible_tasks` lets one through
    (drafts not set apart: a doubt answers False). One indexed probe per way, each stopping at the
    first row, rather than one OR over every task; asked once per user object (once a request)."""
    key = tuple(sorted(orgs))
    known = getattr(user, "_luoshi_sees_only", None)
    if known is None:
        known = user._luoshi_sees_only = {}
    if key not in known:
        known[key] = _sees_only(user, orgs)
    return known[key]


def _sees_only(user, orgs: list[int]) -> bool:
    elsewhere = Task.objects.exclude(organisation__in=orgs)
    ways = [elsewhere.filter(leader=user),
            elsewhere.filter(Exists(Task.proposers.through.objects.filter(task=OuterRef("pk"), user=user)))]
    units = unit_ids(user, Role.HANDLER, Role.HEAD)
    if units:
        ways += [elsewhere.filter(lead_unit__in=units), elsewhere.filter(parent__lead_unit__in=units),
                 elsewhere.filter(Exists(Task.co_units.through.objects.filter(task=OuterRef("pk"), unit__in=units)))]
    return not any(way.exists() for way in ways)


def sees_through_units_only(user) -> list[int] | None:
    """The units through which ``user`` sees every task they may see, if that is the only way:
    a unit's people (handler or head) who supervise nothing, issued or proposed no task and whose
    units passed no part down (转办). Their tasks are then exactly the handed-out tasks their units
    lead or co-handle, whose units the tally keeps in pairs (`tally.linked`). None otherwise (a
    doubt answers None). One query (an indexed EXISTS per way), asked once per user object."""
    if not is_active(user):
        return None
    known = getattr(user, "_luoshi_through_units", False)
    if known is False:
        units = sorted(unit_ids(user, Role.HANDLER, Role.HEAD))
        known = None
        if units and not supervised_organisations(user):
            other_ways = User.objects.filter(pk=user.pk).annotate(
                issued=Exists(Task.objects.filter(leader=user)),
                proposed=Exists(Task.proposers.through.objects.filter(user=user)),
                # the few parts first, then their parents' lead units
                passed_down=Exists(Task.objects.filter(parent__isnull=False, parent__lead_unit__in=units)),
            ).values_list("issued", "proposed", "passed_down").first()
            known = units if other_ways is not None and not any(other_ways) else None
        user._luoshi_through_units = known
    return known


def get_task_or_404(user, pk: int) -> Task:
    # the co-units and proposers read once with the task: who holds which role toward it is asked
    # by the view, the page's actions and its notices, and each asked for them again (and the page
    # lists them); a change to either through the task's managers drops what was read
    task = (Task.objects.select_related("organisation", "lead_unit", "owner", "leader")
            .prefetch_related("co_units", "proposers").filter(pk=pk).first())
    if task is None or not task_roles(user, task):
        raise Http404
    return task


def can(user, action: str, task: Task, roles: frozenset[TaskRole] | None = None) -> bool:
    """Whether ``user`` may take ``action`` (a permission or a move of state) on ``task`` now."""
    roles = task_roles(user, task) if roles is None else roles
    perm = PERMISSIONS.get(action)
    if perm is not None:
        return perm.allows(roles, task.state, task.kind)
    return workflow.transition_for(action, task, roles, user) is not None


def allowed_actions(user, task: Task, roles: frozenset[TaskRole] | None = None) -> list[str]:
    """Everything ``user`` may do on ``task`` now, moves first (they drive the buttons)."""
    roles = task_roles(user, task) if roles is None else roles
    moves = [t.action for t in workflow.available(task, roles, user)]
    others = [a for a in PERMISSIONS if a != "view" and can(user, a, task, roles)]
    return list(dict.fromkeys(moves)) + others


def can_move_in_bulk(user) -> bool:
    """Whether the task list offers assign, urge and close on ticked rows: to those who oversee
    tasks, the supervision office and a unit that passed parts down (转办). Each row is still
    checked on its own, as on its page; this only decides what the list shows."""
    if supervised_organisations(user):
        return True
    units = unit_ids(user, Role.HANDLER, Role.HEAD) if is_active(user) else []
    # "has a parent" first: PostgreSQL then starts from the few parts (the parent_id index) rather
    # than from every task the unit leads (63 ms -> 0.07 ms for a unit of 10,000 tasks)
    return bool(units) and Task.objects.filter(parent__isnull=False, parent__lead_unit__in=units).exists()


def can_create_tasks(user) -> bool:
    return bool(supervised_organisations(user))


def can_read_notices(user, task: Task, roles: frozenset[TaskRole] | None = None) -> bool:
    """A notice issued for a task is the office's document addressed to the task's units: the
    office and the lead and co-units download it again, in any state (the task may have closed)."""
    return bool((task_roles(user, task) if roles is None else roles) & ({TaskRole.SUPERVISOR} | UNIT_ROLES))


def bulletin_organisations(user) -> list[Unit]:
    """The organisations whose bulletins (通报) ``user`` reads and downloads: those they supervise, each once."""
    return list({o.pk: o for o in supervised_organisations(user)}.values())


# -- sources -------------------------------------------------------------------------------------
# A supervisor sees and reviews every source of their organisation; anyone else sees a source
# only through a task made from it that they may see (and then sees the source, not the desk).


def can_review(user, source) -> bool:
    return source.organisation_id in {o.pk for o in supervised_organisations(user)}


def can_see_source(user, source) -> bool:
    return can_review(user, source) or visible_tasks(user).filter(items__source=source).exists()


def can_read_whole_source(user, source) -> bool:
    """The whole text, the text as found and the original file: the office always; a unit that
    sees the source only where the office opened it to the units it concerns (a shared report
    holds other units' items)."""
    return can_review(user, source) or (source.open_to_units and can_see_source(user, source))


def visible_items(user, source, whole: bool | None = None):
    """The items of ``source`` that ``user`` may read: all of them for a whole reader, else those
    of the tasks they see (``whole``: `can_read_whole_source`, where the caller asked already)."""
    if whole if whole is not None else can_read_whole_source(user, source):
        return source.items.all()
    return source.items.filter(tasks__in=visible_tasks(user)).distinct()


def visible_sources(user):
    from luoshi.sources.models import Source

    orgs = [o.pk for o in supervised_organisations(user)]
    # EXISTS, after the organisation: a supervisor's sources stop at the first term, and a page of
    # the latest walks the sources in order instead of first collecting every visible task's
    # sources (an IN list built over 1,000,000 tasks: 194 ms of a ledger page)
    via_tasks = Exists(visible_tasks(user).filter(items__source=OuterRef("pk")))
    return Source.objects.filter((Q(organisation__in=orgs) | via_tasks) if orgs else via_tasks)


def get_source_or_404(user, pk: int):
    from luoshi.sources.models import Source

    source = Source.objects.select_related("organisation").filter(pk=pk).first()
    if source is None or not can_see_source(user, source):
        raise Http404
    return source


def organisation_for_ingest(user):
    """The organisation a user's uploads belong to (their first supervised one), or None."""
    orgs = supervised_organisations(user)
    return orgs[0] if orgs else None


# -- routing rules -------------------------------------------------------------------------------
# The phrases that suggest a lead unit are configuration: an organisation's administrators keep
# them, and so do its supervisors (who see at the desk what the rules suggest).


def routing_organisations(user) -> list[Unit]:
    """The organisations whose routing rules ``user`` may edit, each once."""
    if not is_active(user):
        return []
    orgs = supervised_organisations(user)
    orgs += [m.unit.organisation() for m in memberships(user) if m.role == Role.ADMIN]
    return list({o.pk: o for o in orgs}.values())


def can_edit_routing(user, organisation) -> bool:
    return organisation.pk in {o.pk for o in routing_organisations(user)}


def home_organisation(user) -> Unit | None:
    """The organisation whose settings (a ledger's columns) a user works under: the one they
    supervise, else the one their first unit belongs to."""
    orgs = supervised_organisations(user)
    if orgs:
        return orgs[0]
    first = next(iter(memberships(user)), None) if is_active(user) else None
    return first.unit.organisation() if first else None


def ledger_organisations(user) -> list[Unit]:
    """The organisations whose ledger columns ``user`` may choose: its administrators and supervisors."""
    return routing_organisations(user)


def workday_organisations(user) -> list[Unit]:
    """The organisations whose local working days ``user`` may keep: those whose routing rules
    they keep (administrators and supervisors), for the same reason: configuration they live by."""
    return routing_organisations(user)


# -- answer templates ----------------------------------------------------------------------------
# Canned texts (常用语) are configuration the office writes by: kept by an organisation's
# supervisors and administrators; offered to anyone writing on one of its tasks.


def answer_organisations(user) -> list[Unit]:
    """The organisations whose answer templates ``user`` may add, change and delete, each once."""
    return routing_organisations(user)


def can_keep_answers(user, organisation) -> bool:
    return organisation.pk in {o.pk for o in answer_organisations(user)}


# -- notifications -------------------------------------------------------------------------------
# A group robot posts an organisation's task news into a chat: set up by those who keep its
# configuration, its supervisors and administrators, for the organisation and its units.


def webhook_organisations(user) -> list[Unit]:
    """The organisations whose group robots (webhooks) ``user`` may add, change and test, each once."""
    return routing_organisations(user)


# -- imports -------------------------------------------------------------------------------------
# Importing an existing ledger creates an organisation's tasks in bulk: the supervision office's
# work, as creating one task is.


def import_organisations(user) -> list[Unit]:
    """The organisations into which ``user`` may import a ledger (the ones they supervise), each once."""
    return list({o.pk: o for o in supervised_organisations(user)}.values())


# -- unit assessment (考核) ------------------------------------------------------------------------
# Scores rank the units of an organisation against each other: its supervision office, which
# keeps them, and its leaders, who judge by them, see them; the units themselves do not. The
# office publishes a period (then frozen); the weights are configuration, kept by those who keep
# the organisation's other configuration (supervisors and administrators).


def assessment_organisations(user) -> list[Unit]:
    """The organisations whose unit assessment ``user`` may see, each once."""
    if not is_active(user):
        return []
    orgs = supervised_organisations(user)
    orgs += [m.unit.organisation() for m in memberships(user) if m.role == Role.LEADER]
    return list({o.pk: o for o in orgs if o is not None}.values())


def can_publish_assessment(user, organisation) -> bool:
    return organisation.pk in {o.pk for o in supervised_organisations(user)}


def assessment_weight_organisations(user) -> list[Unit]:
    """The organisations whose assessment weights ``user`` may change."""
    return routing_organisations(user)


# -- the leaders' dashboard (领导驾驶舱) -----------------------------------------------------------
# A leader reads the figures of the tasks they issued; the supervision office those of its whole
# organisation (and may narrow them to one leader). Nobody else: a unit sees its work in the list.


def can_see_dashboard(user) -> bool:
    """Leaders (of any unit) and supervisors; a unit's handlers and heads, deputies and administrators not."""
    return bool(supervised_organisations(user)) or bool(is_active(user) and unit_ids(user, Role.LEADER))


def dashboard_leader(user, chosen: User | None = None) -> User | None:
    """Whose issued tasks the dashboard counts: a leader who supervises nothing always their own
    (whatever they ask for); the supervision office the leader it chose, or None for all."""
    if supervised_organisations(user):
        return chosen
    return user


# -- major projects (重大项目) ---------------------------------------------------------------------
# The supervision office follows every project of its organisation and its leaders read them all;
# a unit sees the projects it is responsible for, and only that unit enters their actual dates and
# investment. Anyone else gets 404.


def visible_projects(user):
    """The projects ``user`` may see (and only those)."""
    from luoshi.projects.models import Project

    if not is_active(user):
        return Project.objects.none()
    orgs = {o.pk for o in supervised_organisations(user)}
    orgs |= {m.unit.organisation().pk for m in memberships(user) if m.role == Role.LEADER}
    units = unit_ids(user, Role.HANDLER, Role.HEAD)
    if not orgs and not units:
        return Project.objects.none()
    return Project.objects.filter(Q(organisation__in=orgs) | Q(unit__in=units))


def can_see_projects(user) -> bool:
    """Whether the header links to the projects: the office, leaders, and a unit that has some."""
    if not is_active(user):
        return False
    if supervised_organisations(user) or unit_ids(user, Role.LEADER):
        return True
    return visible_projects(user).exists()


def get_project_or_404(user, pk):
    pk = parse_id(pk)
    project = (visible_projects(user).select_related("organisation", "unit").filter(pk=pk).first()
               if pk is not None else None)
    if project is None:
        raise Http404
    return project


def can_record_project(user, project) -> bool:
    """Actual dates and investment are the responsible unit's to enter (its handlers and heads)."""
    return is_active(user) and project.unit_id in unit_ids(user, Role.HANDLER, Role.HEAD)


# -- monitoring (防返贫动态监测) ---------------------------------------------------------------------
# One table: what each role of an organisation may do with its monitored subjects and rules.
# The first set of roles acts on every subject of the organisation; the second, a unit's handlers
# and heads, only on the subjects of their own unit and the units under it (the households their
# county looks after). Personal data (ID and phone numbers) is shown masked to everyone else;
# every unmasked view is journaled (`monitoring.models.Unmasking`).

ORG_WIDE, OWN_UNIT = 0, 1
MONITORING: dict[str, tuple[frozenset[Role], frozenset[Role]]] = {
    "see": (frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN}), frozenset({Role.HANDLER, Role.HEAD})),
    "keep_rules": (frozenset({Role.SUPERVISOR, Role.ADMIN}), frozenset()),
    "import": (frozenset({Role.SUPERVISOR, Role.ADMIN}), frozenset()),
    # those who must call on the household: the supervision office and the unit in charge
    "unmask": (frozenset({Role.SUPERVISOR}), frozenset({Role.HANDLER, Role.HEAD})),
}


def monitoring_organisations(user, action: str = "see") -> list[Unit]:
    """The organisations whose every subject (and rules) ``user`` may ``action``, each once."""
    if not is_active(user):
        return []
    roles = MONITORING[action][ORG_WIDE]
    return list({o.pk: o for o in (m.unit.organisation() for m in memberships(user) if m.role in roles)}.values())


def monitoring_units(user, action: str = "see") -> set[int]:
    """The units (with those under them) whose subjects ``user`` may ``action`` as their unit's own."""
    from luoshi.org.models import descendants

    if not is_active(user):
        return set()
    mine = {m.unit for m in memberships(user) if m.role in MONITORING[action][OWN_UNIT]}
    return {u.pk for u in mine} | {pk for u in mine for pk in descendants(u).values_list("pk", flat=True)}


def can_see_monitoring(user) -> bool:
    return bool(monitoring_organisations(user) or monitoring_units(user))


def visible_subjects(user, action: str = "see"):
    """The monitored subjects ``user`` may ``action`` (and only those)."""
    from luoshi.monitoring.models import Subject

    orgs = [o.pk for o in monitoring_organisations(user, action)]
    units = monitoring_units(user, action)
    if not orgs and not units:
        return Subject.objects.none()
    return Subject.objects.filter(Q(organisation__in=orgs) | Q(unit__in=units))


def can_monitor(user, action: str, subject) -> bool:
    """Whether ``user`` may ``action`` (see, unmask) this subject."""
    if subject.organisation_id in {o.pk for o in monitoring_organisations(user, action)}:
        return True
    return subject.unit_id is not None and subject.unit_id in monitoring_units(user, action)


def get_subject_or_404(user, pk: int):
    from luoshi.monitoring.models import Subject

    subject = Subject.objects.select_related("organisation", "unit").filter(pk=pk).first()
    if subject is None or not can_monitor(user, "see", subject):
        raise Http404
    return subject
