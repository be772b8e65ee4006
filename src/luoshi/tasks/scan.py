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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from luoshi.org.models import Unit
from luoshi.tasks import changes
from luoshi.tasks.models import CoOpinion, Reply, ScanMark, State, Task
from luoshi.workdays.calendar import Calendar
from luoshi.workdays.services import calendar_for
from luoshi.workdays.span import Span

OPEN = [s for s in State if s not in (State.DRAFT, State.CLOSED)]
# the unit holds the task (the next step is its own): it is reminded, and escalated when late;
# a submission or a request waiting on the supervision office is not the unit's delay
UNIT_HOLDS = [State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.UNIT_REVIEW,
              State.RETURNED, State.REOPENED]
# the unit works on it: silence counts, and so does the share done against the time gone by
WORKING = [State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.RETURNED, State.REOPENED]


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
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"reminders {self.reminders}, escalations {self.escalations}, overdue {self.overdue}, stale {self.stale}"

    def details(self) -> str:
        return (f"not signed in time {self.receipts}, behind schedule {self.behind}, "
                f"back on schedule {self.caught_up}, co-unit reminders {self.co_reminders}, "
                f"co-unit opinions late {self.co_overdue}, follow-up replies due {self.follow_ups}")


def _setting(name: str, default: str) -> tuple[Span, ...]:
    return Span.parse_list(settings.LUOSHI.get(name, default))


def _mark(task: Task, kind: str, key: str) -> bool:
    """Leave the mark of an act; False if it was left before (by this run or another)."""
    try:
        with transaction.atomic():
            ScanMark.objects.create(task=task, kind=kind, key=key)
    except IntegrityError:
        return False
    return True


def _act(task_id: int, action: str, *, data: dict, fields: dict | None = None, mark: tuple[str, str] | None = None,
         check=None) -> bool:
    """One act of the scan on one task, in its own transaction: re-read and re-checked under the
    row lock (``check`` on the locked task), marked, journaled. False if there was nothing to do."""
    with transaction.atomic():
        task = changes.locked(task_id)
        if task is None or (check is not None and not check(task)):
            return False
        if mark is not None and not _mark(task, *mark):
            return False
        changes.write(task, None, action, fields=fields or {}, data=data)
    return True


def _working_days_before(cal: Calendar, at: dt.date, n: int) -> dt.date:
    """The latest due date ``d`` whose limit of ``n`` working days after it has passed by ``at``."""
    d = cal.add(at, -n) if n else at
    # add(d, n) <= at must hold; step back over days for which it does not (a holiday due date)
    while cal.add(d, n) > at:
        d -= dt.timedelta(days=1)
    while cal.add(d + dt.timedelta(days=1), n) <= at:
        d += dt.timedelta(days=1)
    return d


def _remind(org_tasks, cal: Calendar, at: dt.date, offsets: tuple[Span, ...], s: Summary) -> None:
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
        sent = _act(pk, "remind", mark=("remind", f"{due.isoformat()}:{latest}"),
                    check=lambda t, due=due: t.due_date == due and t.state in UNIT_HOLDS,
                    data={"due_date": due.isoformat(), "offset": str(latest), "days_left": left,
                          "working": latest.working})
        if sent:
            s.reminders += 1
            for older in come:  # missed earlier reminders are not sent late
                if older != latest:
                    ScanMark.objects.get_or_create(task_id=pk, kind="remind", key=f"{due.isoformat()}:{older}")


def _overdue(org_tasks, at: dt.date, s: Summary) -> None:
    late = org_tasks.filter(state__in=OPEN, due_date__lt=at).filter(
        Q(overdue_for__isnull=True) | ~Q(overdue_for=F("due_date")))
    for pk, due in late.values_list("pk", "due_date").iterator(chunk_size=2000):
        if _act(pk, "overdue", fields={"overdue_for": due}, data={"due_date": due.isoformat()},
                check=lambda t, due=due: t.due_date == due and t.overdue_for != due and t.state in OPEN):
            s.overdue += 1


def _escalate(org_tasks, cal: Calendar, at: dt.date, delays: tuple[Span, ...], s: Summary) -> None:
    for level in range(len(delays), 0, -1):
        span = delays[level - 1]
        latest_due = _working_days_before(cal, at, span.days) if span.working else at - dt.timedelta(days=span.days)
        due_by = org_tasks.filter(state__in=UNIT_HOLDS, due_date__lt=at, due_date__lte=latest_due,
                                  escalation_level__lt=level)
        for pk, due in due_by.values_list("pk", "due_date").iterator(chunk_size=2000):
            if _act(pk, "escalate", fields={"escalation_level": level},
                    data={"level": level, "due_date": due.isoformat(), "after": str(span)},
                    check=lambda t, level=level: t.escalation_level < level and t.state in UNIT_HOLDS
                    and t.due_date is not None and t.due_date < at):
                s.escalations += 1


def _stale(org_tasks, at: dt.date, quiet: Span, cal: Calendar, s: Summary) -> None:
    since_day = quiet.before(cal, at)  # as the light counts it
    since = timezone.make_aware(dt.datetime.combine(since_day, dt.time.min))
    silent = org_tasks.filter(state__in=WORKING).filter(
        Q(last_progress_at__lt=since) | Q(last_progress_at__isnull=True, created_at__lt=since))
    for pk, last, created in silent.values_list("pk", "last_progress_at", "created_at").iterator(chunk_size=2000):
        last_day = timezone.localdate(last or created)
        if _act(pk, "stale", mark=("stale", last_day.isoformat()), data={"since": last_day.isoformat()},
                check=lambda t: t.state in WORKING):
            s.stale += 1


def _receipts(org_tasks, org: Unit, cal: Calendar, at: dt.date, s: Summary) -> None:
    waiting = org_tasks.filter(state=State.ASSIGNED, receipt_late=False, assigned_at__isnull=False)
    for pk, assigned_at in waiting.values_list("pk", "assigned_at").iterator(chunk_size=2000):
        limit = cal.add(timezone.localdate(assigned_at), org.receipt_days)
        if at > limit and _act(pk, "receipt_overdue", fields={"receipt_late": True},
                               data={"assigned_at": assigned_at.isoformat(), "within": org.receipt_days},
                               check=lambda t: t.state == State.ASSIGNED and not t.receipt_late):
            s.receipts += 1


def _co_opinions(org_tasks, cal: Calendar, at: dt.date, s: Summary) -> None:
    """A co-unit is reminded the working day before its opinion is due, and told once when it is late."""
    waiting = CoOpinion.objects.filter(task__in=org_tasks.filter(state__in=UNIT_HOLDS), given_at__isnull=True)
    soon = waiting.filter(due_date__gte=at).values_list("task_id", "unit_id", "due_date")
    for task_id, unit_id, due in soon.iterator(chunk_size=2000):
        if Span(1, working=True).before(cal, due) <= at and _act(
                task_id, "co_remind", mark=("co_remind", f"{unit_id}:{due.isoformat()}"),
                data={"unit": unit_id, "due_date": due.isoformat()},
                check=lambda t: t.state in UNIT_HOLDS):
            s.co_reminders += 1
    late = waiting.filter(due_date__lt=at, overdue_marked=False).values_list("pk", "task_id", "unit_id", "due_date")
    for pk, task_id, unit_id, due in late.iterator(chunk_size=2000):
        claimed = CoOpinion.objects.filter(pk=pk, overdue_marked=False, given_at__isnull=True).update(
            overdue_marked=True)
        if claimed and _act(task_id, "co_overdue", data={"unit": unit_id, "due_date": due.isoformat()},
                            check=lambda t: t.state in UNIT_HOLDS):
            s.co_overdue += 1


def _follow_ups(org_tasks, at: dt.date, s: Summary) -> None:
    """A B or C reply promised a follow-up by a date: when the date comes and none was sent, the
    lead unit is told once."""
    promised = Reply.objects.filter(task__in=org_tasks, follow_up=False, status=Reply.Status.PUBLISHED,
                                    follow_up_date__lte=at)
    sent = Reply.objects.filter(task=OuterRef("task"), follow_up=True, status=Reply.Status.PUBLISHED,
                                published_at__gte=OuterRef("published_at"))
    for pk, task_id, due in promised.exclude(Exists(sent)).values_list("pk", "task_id", "follow_up_date"):
        if _act(task_id, "follow_up_due", mark=("follow_up", str(pk)),
                data={"reply": pk, "due_date": due.isoformat()}):
            s.follow_ups += 1


def expected_share(cal: Calendar, assigned: dt.date, due: dt.date, at: dt.date) -> int:
    """The share (0–100) of the working time from assignment to due date gone by at ``at``."""
    total = cal.count(assigned + dt.timedelta(days=1), due)
    if total <= 0:
        return 100
    gone = cal.count(assigned + dt.timedelta(days=1), min(at, due))
    return round(100 * gone / total)


def _schedule(org_tasks, cal: Calendar, at: dt.date, margin: int, s: Summary) -> None:
    working = org_tasks.filter(state__in=WORKING, due_date__isnull=False, assigned_at__isnull=False)
    rows = working.values_list("pk", "assigned_at", "due_date", "progress_percent", "behind_schedule")
    for pk, assigned_at, due, percent, flagged in rows.iterator(chunk_size=5000):
        expected = expected_share(cal, timezone.localdate(assigned_at), due, at)
        reported = percent or 0
        behind = reported + margin < expected
        if behind == flagged:
            continue
        action = "behind" if behind else "on_schedule"
        if _act(pk, action, fields={"behind_schedule": behind},
                data={"expected": expected, "reported": reported, "margin": margin},
                check=lambda t, flagged=flagged: t.behind_schedule == flagged and t.state in WORKING):
            if behind:
                s.behind += 1
            else:
                s.caught_up += 1


def run(at: dt.date | None = None) -> Summary:
    """Scan every organisation's open tasks as of ``at`` (today by default)."""
    at = at or timezone.localdate()
    s = Summary()
    offsets = _setting("REMIND_BEFORE", "3wd,1wd")
    delays = _setting("ESCALATE_AFTER", "1wd,5wd,10wd")
    quiet = Span.parse(settings.LUOSHI.get("STALE_AFTER", "14d"))
    margin = int(settings.LUOSHI.get("BEHIND_MARGIN", 10))
    promised = Reply.objects.filter(follow_up=False, status=Reply.Status.PUBLISHED, follow_up_date__lte=at)
    org_ids = Task.objects.filter(Q(state__in=OPEN) | Q(pk__in=promised.values("task"))).values_list(
        "organisation", flat=True).distinct()
    for org in Unit.objects.filter(pk__in=org_ids).order_by("pk"):
        cal = calendar_for(org)
        if not cal.known(at.year):
            s.warnings.append(f"{at.year}: statutory holidays not known yet; only weekends are counted")
        tasks = Task.objects.filter(organisation=org)
        _overdue(tasks, at, s)
        _escalate(tasks, cal, at, delays, s)
        _remind(tasks, cal, at, offsets, s)
        _receipts(tasks, org, cal, at, s)
        _stale(tasks, at, quiet, cal, s)
        _schedule(tasks, cal, at, margin, s)
        _co_opinions(tasks, cal, at, s)
        _follow_ups(tasks, at, s)
    return s
