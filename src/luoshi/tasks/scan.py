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
every change. Each of those tasks is read once, and the rules above look at its row in turn
(`Day`). Co-units' opinions and promised follow-up replies are read every day.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
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

    def add(self, other: Summary) -> None:
        """Count ``other`` (another part's run) in with this one."""
        for f in fields(self):
            if f.name == "warnings":
                self.warnings += [w for w in other.warnings if w not in self.warnings]
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def details(self) -> str:
        return (f"not signed in time {self.receipts}, behind schedule {self.behind}, "
                f"back on schedule {self.caught_up}, co-unit reminders {self.co_reminders}, "
                f"co-unit opinions late {self.co_overdue}, follow-up replies due {self.follow_ups}")


CHUNK = 5000  # rows read, acted on and given their next days at a time
_UNIT_HOLDS, _WORKING = frozenset(UNIT_HOLDS), frozenset(WORKING)


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
    check: Callable[[changes.Locked], bool] | None = None


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
            tasks = changes.lock_rows({a.pk for a in acts})
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
                event, tasks[a.pk] = changes.stage_marks(task, a.action, a.fields, a.data, moves, updates)
                pending.append(event)
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


class Seen(NamedTuple):
    """What the rules read of an open task (a tuple: tens of thousands are read a day)."""

    pk: int
    state: str
    due: dt.date | None
    overdue_for: dt.date | None
    level: int  # escalation level reached
    receipt_late: bool
    assigned_at: dt.datetime | None
    assigned_day: dt.date | None  # its local day
    last_day: dt.date  # local day of the last progress report (or of the task's making)
    percent: int | None
    behind: bool
    n: int  # its day's counter (`ScanDay`): a change since the read moves it
    day: dt.date | None  # its day as read


def _seen(tasks):
    """The open tasks of ``tasks`` as `Seen` rows, read once for every rule and for their next day."""
    return tasks.filter(state__in=OPEN).annotate(
        # local days, from the database: a million localtime() calls less at the first scan
        assigned_day=LocalDay("assigned_at"), last_day=LocalDay(Coalesce("last_progress_at", "created_at")),
    ).values_list("pk", "state", "due_date", "overdue_for", "escalation_level", "receipt_late", "assigned_at",
                  "assigned_day", "last_day", "progress_percent", "behind_schedule", "scan_day__n",
                  "scan_day__day")


class Day:
    """The six rules on a task's row, for one organisation's run as of ``at``: each row is read
    once and given to every rule in turn, so that a task's acts come in the rules' order (marked
    overdue before it is escalated). What a rule works out for a date is kept for the next row:
    a day's tens of thousands of tasks share a few hundred due dates and days of assignment."""

    def __init__(self, org: Unit, cal: Calendar, at: dt.date, rules: wake.Rules, acts: Acts) -> None:
        self.org, self.cal, self.at, self.rules, self.acts = org, cal, at, rules, acts
        # escalation: the latest due date that has reached each level by ``at`` (level 1 first)
        self.reached = [_working_days_before(cal, at, span.days) if span.working
                        else at - dt.timedelta(days=span.days) for span in rules.delays]
        # reminders: the furthest due date any offset reaches from ``at``
        self.furthest = max((o.apply(cal, at) for o in rules.offsets), default=None)
        self.since = rules.quiet.before(cal, at)  # silence: the day it counts from, as the light does
        self.reminders = cache(self._reminders)
        self.through = cache(cal.worked_through)
        self.receipt_limit = cache(lambda day: cal.add(day, org.receipt_days))

    def act(self, rows: list[Seen], marks: dict[int, set[tuple[str, str]]]) -> None:
        """Every rule on each of ``rows``, in order. ``marks``: their marks (`wake.marks_of`), to
        which the acts' own are added; the acts' columns are kept in ``changed``: with them, `after`
        gives each row as the acts leave it."""
        self.marks, self.changed = marks, {}
        for t in rows:
            if t.due is not None:
                self.overdue(t)
                if t.state in _UNIT_HOLDS:
                    self.escalate(t)
                    self.remind(t)
            if t.state == State.ASSIGNED:
                self.receipt(t)
            elif t.state in _WORKING:
                self.stale(t)
                self.schedule(t)

    def add(self, act: Act) -> None:
        """Queue ``act``, keeping what it writes for `after`."""
        if act.fields:
            self.changed.setdefault(act.pk, {}).update(act.fields)
        for mark in ((act.mark,) if act.mark else ()) + act.also:
            self.marks.setdefault(act.pk, set()).add(mark)
        self.acts.add(act)

    def after(self, t: Seen) -> wake.Row:
        """``t`` as the acts leave it, for its next day. An act left undone under the lock was
        done by another scanner, or the task changed since it was read, and then its day is not
        written (`wake.rewake`'s guard)."""
        c = self.changed.get(t.pk, {})
        return wake.Row(t.state, t.due, c.get("overdue_for", t.overdue_for), c.get("escalation_level", t.level),
                        c.get("receipt_late", t.receipt_late), t.assigned_day, t.last_day, t.percent,
                        c.get("behind_schedule", t.behind))

    def overdue(self, t: Seen) -> None:
        """Marks a task overdue the day after its due date (due today is not overdue)."""
        due = t.due
        if due < self.at and t.overdue_for != due:
            self.add(Act(t.pk, "overdue", "overdue", fields={"overdue_for": due}, data={"due_date": due.isoformat()},
                         check=lambda row, due=due: row.due_date == due and row.overdue_for != due
                         and row.state in OPEN))

    def escalate(self, t: Seen) -> None:
        """A task due long ago (a day missed, or the first scan) is escalated once, to the highest
        level its lateness has reached, not once a level."""
        due, at, delays = t.due, self.at, self.rules.delays
        if not delays or due >= at or t.level >= len(delays):
            return
        level = max((n for n, latest in enumerate(self.reached, start=1) if due <= latest), default=0)
        if level <= t.level:
            return
        self.add(Act(t.pk, "escalate", "escalations", fields={"escalation_level": level},
                     data={"level": level, "due_date": due.isoformat(), "after": str(delays[level - 1])},
                     check=lambda row, level=level: row.escalation_level < level and row.state in UNIT_HOLDS
                     and row.due_date is not None and row.due_date < at))

    def _reminders(self, due: dt.date) -> tuple[Span, tuple[Span, ...], int] | None:
        """For a due date: the reminder to send by ``at`` (the latest whose day has come: missed
        earlier ones are not sent late), the others come, and the days it says are left."""
        cal, at = self.cal, self.at
        come = [o for o in self.rules.offsets if o.before(cal, due) <= at]
        if not come:
            return None
        latest = max(come, key=lambda o: o.before(cal, due))
        left = cal.count(at + dt.timedelta(days=1), due) if latest.working else (due - at).days
        return latest, tuple(o for o in come if o != latest), left

    def remind(self, t: Seen) -> None:
        """Reminds the lead unit before a due date, at the configured offsets."""
        due = t.due
        if self.furthest is None or not self.at <= due <= self.furthest:
            return
        found = self.reminders(due)
        if found is None:
            return
        latest, others, left = found
        self.add(Act(t.pk, "remind", "reminders", mark=("remind", f"{due.isoformat()}:{latest}"),
                     also=tuple(("remind", f"{due.isoformat()}:{o}") for o in others),
                     check=lambda row, due=due: row.due_date == due and row.state in UNIT_HOLDS,
                     data={"due_date": due.isoformat(), "offset": str(latest), "days_left": left,
                           "working": latest.working}))

    def receipt(self, t: Seen) -> None:
        """Flags a task not signed for within the organisation's working days."""
        if t.receipt_late or t.assigned_day is None or self.at <= self.receipt_limit(t.assigned_day):
            return
        self.add(Act(t.pk, "receipt_overdue", "receipts", fields={"receipt_late": True},
                     data={"assigned_at": t.assigned_at.isoformat(), "within": self.org.receipt_days},
                     check=lambda row: row.state == State.ASSIGNED and not row.receipt_late))

    def stale(self, t: Seen) -> None:
        """Warns when a unit has reported nothing for too long: once for a silence (the day it
        began is the mark's key)."""
        began = t.last_day.isoformat()
        if t.last_day < self.since and ("stale", began) not in self.marks.get(t.pk, ()):
            self.add(Act(t.pk, "stale", "stale", mark=("stale", began), data={"since": began},
                         check=lambda row: row.state in WORKING))

    def schedule(self, t: Seen) -> None:
        """Turns a task yellow when its share done falls behind the straight line from its
        assignment to its due date (序时进度), and clears that when it catches up."""
        due = t.due
        if due is None or t.assigned_day is None:
            return
        expected = expected_share(self.cal, t.assigned_day, due, self.at, self.through)
        reported = t.percent or 0
        behind = reported + self.rules.margin < expected
        if behind == t.behind:
            return
        self.add(Act(t.pk, "behind" if behind else "on_schedule", "behind" if behind else "caught_up",
                     fields={"behind_schedule": behind},
                     data={"expected": expected, "reported": reported, "margin": self.rules.margin},
                     check=lambda row, flagged=t.behind: row.behind_schedule == flagged and row.state in WORKING))


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


def _chunk(rows: list[Seen], day: Day, ahead: wake.Ahead, at: dt.date) -> int:
    """The rules on ``rows``, their acts written, then their next days: how many days moved."""
    if not rows:
        return 0
    marks = wake.marks_of([t.pk for t in rows])
    day.act(rows, marks)
    day.acts.flush()  # before the days move past them: a day written for an act not done would lose it
    return wake.rewake([(t.pk, t.n, t.day, day.after(t)) for t in rows], marks, ahead, at)


def expected_share(cal: Calendar, assigned: dt.date, due: dt.date, at: dt.date,
                   through: Callable[[dt.date], int] | None = None) -> int:
    """The share (0–100) of the working time from assignment to due date gone by at ``at``.
    ``through``: the calendar's `worked_through`, kept a day at a time by a caller that asks of
    the same few hundred days for tens of thousands of tasks (`Day`)."""
    through = through or cal.worked_through
    return wake.share(through(assigned), through(due), through(min(at, due)))


def run(at: dt.date | None = None, part: int = 0, parts: int = 1) -> Summary:
    """Scan every organisation's open tasks as of ``at`` (today by default).

    ``part`` of ``parts``: the share of the work of one of several scanners run side by side
    (`luoshi scan --parts`, the workers' `scan_part` jobs), the tasks whose key leaves ``part``
    divided by ``parts``. Part 0 also does what is read apart from the tasks' days (co-units'
    opinions, follow-up replies) and a full pass, which reads every open task once the rules
    changed: that pass must be whole before the organisation's `ScanBasis` says it was made, so
    it is not shared, and the other parts leave such an organisation to it."""
    if not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}: a part is counted from 0 to parts - 1")
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
        if full and part:
            continue
        # in no order: the acts do not need one, and the tasks' own (due date) made PostgreSQL walk
        # the due date index over every task of the organisation to feed the scan's cursors
        # (planned for their first tenth of rows): 2.1 s instead of 0.1 for no candidate at a million
        tasks = Task.objects.filter(organisation=org).order_by()
        # the tasks whose day has come (`luoshi.tasks.wake`): at a million, a few tens of thousands
        come = tasks if full else tasks.filter(scan_day__day__lte=at)
        if parts > 1 and not full:
            come = come.alias(part=F("pk") % parts).filter(part=part)
        if full:
            wake.add_missing(tasks)
        acts = Acts(s, scope)
        day, ahead, seen = Day(org, cal, at, rules, acts), wake.Ahead(rules, cal), []
        for row in _seen(come).iterator(chunk_size=CHUNK):
            seen.append(Seen(*row))
            if len(seen) == CHUNK:
                s.days += _chunk(seen, day, ahead, at)
                seen = []
        s.days += _chunk(seen, day, ahead, at)
        if part == 0:  # their own rows, few: read every day
            _co_opinions(tasks, cal, at, acts)
            acts.flush()
            _follow_ups(tasks, at, acts)
            acts.flush()
        if full:
            ScanBasis.objects.update_or_create(organisation=org, defaults={"rules": basis})
    return s


def parts_setting() -> int:
    """How many scanners share a day's scan (`LUOSHI_SCAN_PARTS`): one a worker a province runs."""
    return max(1, int(settings.LUOSHI.get("SCAN_PARTS", 1)))


def _run_part(at: dt.date, part: int, parts: int) -> Summary:
    try:
        return run(at, part, parts)
    finally:
        connections.close_all()


def run_side_by_side(at: dt.date | None = None, parts: int = 1) -> Summary:
    """`run` in ``parts`` processes at once, one part each, forked from this one (`luoshi scan
    --parts`); their summaries added up. The database does the same work whatever the number:
    what overlaps is one part's Python with another's writes (the journal's head is held only
    while a batch is chained and committed)."""
    if parts <= 1:
        return run(at)
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("the parts commit on connections of their own: run them outside a transaction")
    at = at or timezone.localdate()
    connections.close_all()  # a forked child must not share this process's connection
    with multiprocessing.get_context("fork").Pool(parts) as pool:
        summaries = pool.starmap(_run_part, [(at, i, parts) for i in range(parts)])
    total = Summary()
    for one in summaries:
        total.add(one)
    return total
