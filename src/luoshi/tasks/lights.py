"""The light of a task, derived, never stored: one rule, read by Python and by SQL.

red: open past its due date (due today is not yet overdue); yellow: due within the warning
window (`WARNING`, 7 days by default: due in 7 days is yellow, in 8 green) or, while the
unit works on it, no progress for longer than `STALE_AFTER` (14 days by default: the last
report 14 days ago is still green, 15 days ago yellow) or its share done behind the time
gone by (序时进度, set by the scan); green: otherwise. Drafts and closed tasks have no light ("none").

`RULE` is written once, as predicates that can both test a task in memory (`light_of`)
and become a query filter (`light_q`) or a column (`light_case`), so a list filtered by
light in the database and the dot shown beside each row cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from luoshi.tasks.models import State, Task
from luoshi.workdays.services import calendar_for
from luoshi.workdays.span import Span

LIGHTS = ("red", "yellow", "green", "none")
DARK = frozenset({State.DRAFT, State.CLOSED})
WORKING = frozenset({State.IN_PROGRESS, State.EXTENSION_REQUESTED, State.RETURNED, State.REOPENED})


# -- predicates: each is a test of one task's values and the same test as a Q ----------------------


@dataclass(frozen=True)
class Pred:
    test: Callable[[Callable[[str], object]], bool]
    q: Q

    def holds(self, task: Task) -> bool:
        return self.test(lambda name: getattr(task, name))

    def __and__(self, other: Pred) -> Pred:
        return Pred(lambda get: self.test(get) and other.test(get), self.q & other.q)

    def __or__(self, other: Pred) -> Pred:
        return Pred(lambda get: self.test(get) or other.test(get), self.q | other.q)

    def __invert__(self) -> Pred:
        # SQL's NOT over a comparison with NULL is made two-valued by Django (… OR field IS NULL)
        return Pred(lambda get: not self.test(get), ~self.q)


def is_in(name: str, values: frozenset) -> Pred:
    return Pred(lambda get: get(name) in values, Q(**{f"{name}__in": sorted(values)}))


def before(name: str, limit) -> Pred:
    """``name < limit``; a missing value is never before anything."""
    return Pred(lambda get: get(name) is not None and get(name) < limit, Q(**{f"{name}__lt": limit}))


def on_or_before(name: str, limit) -> Pred:
    return Pred(lambda get: get(name) is not None and get(name) <= limit, Q(**{f"{name}__lte": limit}))


def is_true(name: str) -> Pred:
    return Pred(lambda get: get(name) is True, Q(**{name: True}))


def is_null(name: str) -> Pred:
    return Pred(lambda get: get(name) is None, Q(**{f"{name}__isnull": True}))


ALWAYS = Pred(lambda get: True, Q())


# -- the rule -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    today: dt.date
    warn_until: dt.date  # due on or before this day: yellow
    quiet_since: dt.datetime  # working, and nothing reported since before this moment: yellow


def limits(today: dt.date | None = None) -> Limits:
    """The days the rule compares with, counted on the working-day calendar (limits may be
    written in calendar days, "7d", or working days, "5wd")."""
    today = today or timezone.localdate()
    cal = calendar_for(None)
    quiet_day = Span.parse(settings.LUOSHI["STALE_AFTER"]).before(cal, today)
    return Limits(
        today=today,
        warn_until=Span.parse(settings.LUOSHI["WARNING"]).apply(cal, today),
        # a whole day: a report at any hour of the 14th day back still counts
        quiet_since=timezone.make_aware(dt.datetime.combine(quiet_day, dt.time.min)),
    )


def rule(lim: Limits) -> list[tuple[str, Pred]]:
    """The lights in order; a task takes the first whose predicate holds."""
    quiet = before("last_progress_at", lim.quiet_since) | (
        is_null("last_progress_at") & before("created_at", lim.quiet_since))
    return [
        ("none", is_in("state", DARK)),
        ("red", before("due_date", lim.today)),
        ("yellow", on_or_before("due_date", lim.warn_until)
         | (is_in("state", WORKING) & (quiet | is_true("behind_schedule")))),
        ("green", ALWAYS),
    ]


def light_of(task: Task, today: dt.date | None = None) -> str:
    """The light of one task in memory (the annotation `light_case` gives, where present)."""
    annotated = getattr(task, "light_now", None)
    if annotated is not None and today is None:
        return annotated
    return light_under(task, limits(today))


def light_under(task, lim: Limits) -> str:
    """The light of ``task`` (any object with a task's columns as attributes) under ``lim``."""
    return next(name for name, pred in rule(lim) if pred.holds(task))


def light_q(light: str, today: dt.date | None = None) -> Q:
    """A filter that selects the tasks whose light is ``light``."""
    if light not in LIGHTS:
        raise ValueError(f"unknown light {light!r}")
    earlier = ALWAYS
    for name, pred in rule(limits(today)):
        if name == light:
            return (earlier & pred).q
        earlier = earlier & ~pred
    raise AssertionError("unreachable")


def light_case(today: dt.date | None = None) -> Case:
    """The light as a column: ``.annotate(light_now=light_case())``."""
    *whens, (last, _always) = rule(limits(today))
    return Case(*(When(pred.q, then=Value(name)) for name, pred in whens), default=Value(last),
                output_field=CharField())
