"""The scan: what the passing of time does to open tasks, once a day (or by `luoshi scan --at`).

For each organisation, with its working-day calendar:
- reminds the lead unit before a due date, at the configured offsets (3 and 1 working days),
  while the unit holds the task;
- marks a task overdue the day after its due date (due today is not overdue);
- escalates an overdue task the unit holds in levels after the configured delays: 1 the unit
  head, 2 the supervision office, 3 the leader who issued it (a submission waiting on the
  supervision office is not the unit's delay);
- warns when a unit has reported nothing for too long;
- flags a task not signed for within the organisation's working days;
- turns a task yellow when its reported share done falls behind a straight line from its
  assignment to its due date (序时进度), and clears that when it catches up;
- reminds a co-unit the working day before its own opinion (协办意见) is due, and tells it and
  the lead unit once when it is late;
- tells the lead unit once when a follow-up reply a B or C reply promised is due and not sent.

Every act is an event of the task's journal (by "the system"), so the notifications, the
ledgers and the assessment read them like any other. Nothing is done twice for the same
`at`: reminders and stale warnings leave a mark (`ScanMark`), the rest is recorded on the task
(overdue for which due date, the escalation level, the flags), so a second run finds nothing
to do. A day missed (the worker was down) is caught up: the scan acts on what is due by `at`,
not only on what falls exactly on it, but sends only the latest of the reminders missed.

It reads only the tasks whose day has come (`luoshi.tasks.wake`): each task keeps the first day
a rule may act on it, worked out by the scan after it read the task, and set to "at once" by
every change. Co-units' opinions and promised follow-up replies are read every day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from luoshi import pgarrays
from luoshi.org.models import Unit
from luoshi.tasks import changes, journal, tally, wake
from luoshi.tasks.models import CoOpinion, Reply, ScanBasis, ScanMark, State, Task
from luoshi.tasks.wake import OPEN, UNIT_HOLDS, WORKING, LocalDay
from luoshi.workdays.calendar import Calendar
from luoshi.workdays.services import calendar_for
from luoshi.workdays.span import Span

log = logging.getLogger(__name__)

@dataclass
class Summary:
    reminders: int = 0
    escalations: int = 0
    overdue: int = 0
    stale: int = 0
    receipts: int = 0
    behind: int = 0
    caught_up: int = 0
    co_reminders: int = 0
    co_overdue: int = 0
    follow_ups: int = 0
    days: int = 0  # tasks whose next day for the scan moved (`luoshi.tasks.wake`)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"reminders {self.reminders}, escalations {self.escalations}, overdue {self.overdue}, stale {self.stale}"

    def details(self) -> str:
        return (f"not signed in time {self.receipts}, behind schedule {self.behind}, "
                f"back on schedule {self.caught_up}, co-unit reminders {self.co_reminders}, "
                f"co-unit opinions late {self.co_overdue}, follow-up replies due {self.follow_ups}")


def _setting(name: str, default: str) -> tuple[Span, ...]:
    return Span.parse_list(settings.LUOSHI.get(name, default))


@dataclass
class Act:
    """One act of the scan on one task: re-checked under the row lock (``check`` on the locked
    task), marked (``mark``: done once for that key, with ``also``: keys it makes moot), journaled."""

    pk: int
    action: str
    counter: str  # the Summary field it counts in
    data: dict
    fields: dict = field(default_factory=dict)
    mark: tuple[str, str] | None = None
    also: tuple[tuple[str, str], ...] = ()
    check: Callable[[Task], bool] | None = None


class Acts:
    """The scan's acts, done a batch at a time: one transaction locks the batch's rows (in key
    order, so that two scanners wait rather than deadlock), re-checks each, and writes the marks
    and the events in one go (`journal.append_many`). An act whose mark exists is dropped under the
    lock; a second run the same day finds no task whose day has come, and reads nothing."""

    # a batch holds its tasks' row locks and the journal's head until it commits (a third of a
    # second for 1,000 acts at a million tasks), a person's change to one of them waits that long;
    # 500 made a day's run at a million tasks 1–1.5 s slower, 2,000 was not clearly faster
    SIZE = 1000

    def __init__(self, summary: Summary, scope: dict | None = None) -> None:
        self.summary = summary
        self.waiting: list[Act] = []
        self.scope = {} if scope is None else scope  # the run's, for the journal's listeners

    def add(self, act: Act) -> None:
        self.waiting.append(act)
        if len(self.waiting) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        acts, self.waiting = self.waiting, []
        if not acts:
            return
        try:
            self._write(acts)
        except OperationalError:
            # a deadlock with a person's change locking two tasks the other way round (a part and
            # its parent): that batch's acts are done again one at a time, as the person's went first
            log.warning("scan: a batch of %d acts is done again one by one", len(acts), exc_info=True)
            for act in acts:
                self._write([act])

    def _write(self, acts: list[Act]) -> None:
        with transaction.atomic():
            pks = sorted({a.pk for a in acts})
            tasks = {t.pk: t for t in Task.objects.select_for_update().filter(pk__any_of=pks).order_by("pk")}
            marked = _marks(acts)  # under the locks: another scanner may have been quicker
            new_marks, pending, done, moves, updates = [], [], [], [], {}
            for a in acts:
                task = tasks.get(a.pk)
                if task is None or (a.mark is not None and (a.pk, *a.mark) in marked):
                    continue
                if a.check is not None and not a.check(task):
                    continue
                for kind, key in ((a.mark,) if a.mark else ()) + a.also:
                    if (a.pk, kind, key) not in marked:
                        marked.add((a.pk, kind, key))
                        new_marks.append((a.pk, kind, key))
                pending.append(changes.stage(task, None, a.action, fields=a.fields, data=a.data, moves=moves,
                                             updates=updates))
                for name, value in a.fields.items():  # the row as written, for a next act on it
                    setattr(task, Task._meta.get_field(name).attname, value)
                done.append(a)
            changes.write_staged(updates)
            pgarrays.insert(ScanMark, ["task", "kind", "key"], new_marks, stamp="at")
            tally.moved(moves)
            journal.append_many(pending, self.scope)
        for a in done:
            setattr(self.summary, a.counter, getattr(self.summary, a.counter) + 1)


def _marks(acts: list[Act]) -> set[tuple[int, str, str]]:
    """The marks already left on the tasks of ``acts`` of the kinds they leave."""
    kinds = {a.mark[0] for a in acts if a.mark}
    if not kinds:
        return set()
    return set(ScanMark.objects.filter(task_id__any_of={a.pk for a in acts if a.mark}, kind__in=kinds)
               .values_list("task_id", "kind", "key"))


def _working_days_before(cal: Calendar, at: dt.date, n: int) -> dt.date:
    """The latest due date ``d`` whose limit of ``n`` working days after it has passed by ``at``."""
    d = cal.add(at, -n) if n else at
    # add(d, n) <= at must hold; step back over days for which it does not (a holiday due date)
    while cal.add(d, n) > at:
        d -= dt.timedelta(days=1)
    while cal.add(d + dt.timedelta(days=1), n) <= at:
        d += dt.timedelta(days=1)
    return d


def _remind(org_tasks, cal: Calendar, at: dt.date, offsets: tuple[Span, ...], acts: Acts) -> None:
    if not offsets:
        return
    furthest = max(o.apply(cal, at) for o in offsets)
    candidates = org_tasks.filter(state__in=UNIT_HOLDS, due_date__gte=at, due_date__lte=furthest)
    for pk, due in candidates.values_list("pk", "due_date").iterator(chunk_size=2000):
        # the reminders whose day has come; only the latest (nearest the due date) is sent
        come = [o for o in offsets if o.before(cal, due) <= at]
        if not come:
            continue
        latest = max(come, key=lambda o: o.before(cal, due))
        left = cal.count(at + dt.timedelta(days=1), due) if latest.working else (due - at).days
        acts.add(Act(pk, "remind", "reminders", mark=("remind", f"{due.isoformat()}:{latest}"),
                     # missed earlier reminders are not sent late
                     also=tuple(("remind", f"{due.isoformat()}:{o}") for o in come if o != latest),
                     check=lambda t, due=due: t.due_date == due and t.state in UNIT_HOLDS,
                     data={"due_date": due.isoformat(), "offset": str(latest), "days_left": left,
                           "working": latest.working}))


def _overdue(org_tasks, at: dt.date, acts: Acts) -> None:
    late = org_tasks.filter(state__in=OPEN, due_date__lt=at).filter(
        Q(overdue_for__isnull=True) | ~Q(overdue_for=F("due_date")))
    for pk, due in late.values_list("pk", "due_date").iterator(chunk_size=2000):
        acts.add(Act(pk, "overdue", "overdue", fields={"overdue_for": due}, data={"due_date": due.isoformat()},
                     check=lambda t, due=due: t.due_date == due and t.overdue_for != due and t.state in OPEN))


def _escalate(org_tasks, cal: Calendar, at: dt.date, delays: tuple[Span, ...], acts: Acts) -> None:
    """One read for every level: a task due long ago (a day missed, or the first scan) is
    escalated once, to the highest level its lateness has reached, not once a level."""
    if not delays:
        return
    # the latest due date that has reached each level by ``at`` (level 1 first)
    reached = [_working_days_before(cal, at, span.days) if span.working else at - dt.timedelta(days=span.days)
               for span in delays]
    due_by = org_tasks.filter(state__in=UNIT_HOLDS, due_date__lt=at, due_date__lte=max(reached),
                              escalation_level__lt=len(delays))
    for pk, due, current in due_by.values_list("pk", "due_date", "escalation_level").iterator(chunk_size=2000):
        level = max((n for n, latest in enumerate(reached, start=1) if due <= latest), default=0)
        if level <= current:
            continue
        acts.add(Act(pk, "escalate", "escalations", fields={"escalation_level": level},
                     data={"level": level, "due_date": due.isoformat(), "after": str(delays[level - 1])},
                     check=lambda t, level=level: t.escalation_level < level and t.state in UNIT_HOLDS
                     and t.due_date is not None and t.due_date < at))
    acts.flush()


def _stale(org_tasks, at: dt.date, quiet: Span, cal: Calendar, acts: Acts) -> None:
    since_day = quiet.before(cal, at)  # as the light counts it
    since = timezone.make_aware(dt.datetime.combine(since_day, dt.time.min))
    silent = org_tasks.filter(state__in=WORKING).filter(
        Q(last_progress_at__lt=since) | Q(last_progress_at__isnull=True, created_at__lt=since)).annotate(
        # the local day the silence began, as the mark's key: a silence warned of is not read again
        last_day=LocalDay(Coalesce("last_progress_at", "created_at")))
    warned = ScanMark.objects.filter(task=OuterRef("pk"), kind="stale",
                                     key=Cast(OuterRef("last_day"), output_field=CharField()))
    for pk, last_day in silent.exclude(Exists(warned)).values_list("pk", "last_day").iterator(chunk_size=2000):
        acts.add(Act(pk, "stale", "stale", mark=("stale", last_day.isoformat()), data={"since": last_day.isoformat()},
                     check=lambda t: t.state in WORKING))


def _receipts(org_tasks, org: Unit, cal: Calendar, at: dt.date, acts: Acts) -> None:
    waiting = org_tasks.filter(state=State.ASSIGNED, receipt_late=False, assigned_at__isnull=False).annotate(
        assigned_day=LocalDay("assigned_at"))
    for pk, assigned_at, assigned_day in waiting.values_list("pk", "assigned_at", "assigned_day").iterator(
            chunk_size=2000):
        limit = cal.add(assigned_day, org.receipt_days)
        if at > limit:
            acts.add(Act(pk, "receipt_overdue", "receipts", fields={"receipt_late": True},
                         data={"assigned_at": assigned_at.isoformat(), "within": org.receipt_days},
                         check=lambda t: t.state == State.ASSIGNED and not t.receipt_late))


def _claim_late_opinion(pk: int) -> bool:
    """Mark a co-unit's opinion as told late; False if it was (or was given) already."""
    return bool(CoOpinion.objects.filter(pk=pk, overdue_marked=False, given_at__isnull=True)
                .update(overdue_marked=True))


def _co_opinions(org_tasks, cal: Calendar, at: dt.date, acts: Acts) -> None:
    """A co-unit is reminded the working day before its opinion is due, and told once when it is late."""
    waiting = CoOpinion.objects.filter(task__in=org_tasks.filter(state__in=UNIT_HOLDS),
                                       given_at__isnull=True).order_by()
    soon = waiting.filter(due_date__gte=at).values_list("task_id", "unit_id", "due_date")
    for task_id, unit_id, due in soon.iterator(chunk_size=2000):
        if Span(1, working=True).before(cal, due) <= at:
            acts.add(Act(task_id, "co_remind", "co_reminders", mark=("co_remind", f"{unit_id}:{due.isoformat()}"),
                         data={"unit": unit_id, "due_date": due.isoformat()},
                         check=lambda t: t.state in UNIT_HOLDS))
    late = waiting.filter(due_date__lt=at, overdue_marked=False).values_list("pk", "task_id", "unit_id", "due_date")
    for pk, task_id, unit_id, due in late.iterator(chunk_size=2000):
        # claimed under the task's lock, once its state is known to call for it
        acts.add(Act(task_id, "co_overdue", "co_overdue", data={"unit": unit_id, "due_date": due.isoformat()},
                     check=lambda t, pk=pk: t.state in UNIT_HOLDS and _claim_late_opinion(pk)))


def _follow_ups(org_tasks, at: dt.date, acts: Acts) -> None:
    """A B or C reply promised a follow-up by a date: when the date comes and none was sent, the
    lead unit is told once."""
    promised = Reply.objects.filter(task__in=org_tasks, follow_up=False, status=Reply.Status.PUBLISHED,
                                    follow_up_date__lte=at)
    sent = Reply.objects.filter(task=OuterRef("task"), follow_up=True, status=Reply.Status.PUBLISHED,
                                published_at__gte=OuterRef("published_at"))
    for pk, task_id, due in promised.exclude(Exists(sent)).values_list("pk", "task_id", "follow_up_date"):
        acts.add(Act(task_id, "follow_up_due", "follow_ups", mark=("follow_up", str(pk)),
                     data={"reply": pk, "due_date": due.isoformat()}))


def expected_share(cal: Calendar, assigned: dt.date, due: dt.date, at: dt.date) -> int:
    """The share (0–100) of the working time from assignment to due date gone by at ``at``."""
    return wake.share(cal.worked_through(assigned), cal.worked_through(due), cal.worked_through(min(at, due)))


def _schedule(org_tasks, cal: Calendar, at: dt.date, margin: int, acts: Acts) -> None:
    working = org_tasks.filter(state__in=WORKING, due_date__isnull=False, assigned_at__isnull=False).annotate(
        assigned_day=LocalDay("assigned_at"))  # the local day, from the database: a million localtime() calls less
    rows = working.values_list("pk", "assigned_day", "due_date", "progress_percent", "behind_schedule")
    # each day's running count of working days, kept: the rows' few hundred days, not a count a row
    through: dict[dt.date, int] = {}
    now_through = cal.worked_through(at)
    for pk, assigned_day, due, percent, flagged in rows.iterator(chunk_size=5000):
        a = through.get(assigned_day)
        if a is None:
            a = through[assigned_day] = cal.worked_through(assigned_day)
        d = through.get(due)
        if d is None:
            d = through[due] = cal.worked_through(due)
        expected = wake.share(a, d, d if due <= at else now_through)
        reported = percent or 0
        behind = reported + margin < expected
        if behind == flagged:
            continue
        acts.add(Act(pk, "behind" if behind else "on_schedule", "behind" if behind else "caught_up",
                     fields={"behind_schedule": behind},
                     data={"expected": expected, "reported": reported, "margin": margin},
                     check=lambda t, flagged=flagged: t.behind_schedule == flagged and t.state in WORKING))


def run(at: dt.date | None = None) -> Summary:
    """Scan every organisation's open tasks as of ``at`` (today by default)."""
    at = at or timezone.localdate()
    s = Summary()
    offsets = _setting("REMIND_BEFORE", "3wd,1wd")
    delays = _setting("ESCALATE_AFTER", "1wd,5wd,10wd")
    quiet = Span.parse(settings.LUOSHI.get("STALE_AFTER", "14d"))
    margin = int(settings.LUOSHI.get("BEHIND_MARGIN", 10))
    scope: dict = {}  # what the notifications read once for the whole run (the people, their units)
    # the organisations with open tasks (a probe of (organisation, state) a unit, not a DISTINCT
    # over every task: 0.17 s at a million) or a follow-up due (a few replies); asked apart, since
    # PostgreSQL plans the two EXISTS joined by OR as a walk of the tasks for each unit (40 s)
    with_open = Unit.objects.filter(Exists(Task.objects.filter(organisation=OuterRef("pk"), state__in=OPEN)))
    promised = Reply.objects.filter(follow_up=False, status=Reply.Status.PUBLISHED, follow_up_date__lte=at)
    org_ids = {*with_open.values_list("pk", flat=True), *promised.values_list("task__organisation", flat=True)}
    for org in Unit.objects.filter(pk__in=org_ids).order_by("pk"):
        cal = calendar_for(org)
        if not cal.known(at.year):
            s.warnings.append(f"{at.year}: statutory holidays not known yet; only weekends are counted")
        rules = wake.Rules(offsets, delays, quiet, margin, org.receipt_days)
        basis = wake.basis(rules, cal)
        # the days were worked out by other rules (or never): every open task is read this time
        full = not ScanBasis.objects.filter(organisation=org, rules=basis).exists()
        # in no order: the acts do not need one, and the tasks' own (due date) made PostgreSQL walk
        # the due date index over every task of the organisation to feed the scan's cursors
        # (planned for their first tenth of rows): 2.1 s instead of 0.1 for no candidate at a million
        tasks = Task.objects.filter(organisation=org).order_by()
        # the tasks whose day has come (`luoshi.tasks.wake`): at a million, a few tens of thousands
        come = tasks if full else tasks.filter(scan_day__day__lte=at)
        if full:
            wake.add_missing(tasks)
        acts = Acts(s, scope)
        # each step's acts are written before the next step reads (an overdue mark before its escalation)
        _overdue(come, at, acts)
        acts.flush()
        _escalate(come, cal, at, delays, acts)
        _remind(come, cal, at, offsets, acts)
        acts.flush()
        _receipts(come, org, cal, at, acts)
        acts.flush()
        _stale(come, at, quiet, cal, acts)
        acts.flush()
        _schedule(come, cal, at, margin, acts)
        acts.flush()
        # their own rows, few: read every day
        _co_opinions(tasks, cal, at, acts)
        acts.flush()
        _follow_ups(tasks, at, acts)
        acts.flush()
        s.days += wake.rewake(come, rules, cal, at)
        if full:
            ScanBasis.objects.update_or_create(organisation=org, defaults={"rules": basis})
    return s
