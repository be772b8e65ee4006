"""The calendar of an organisation: the statutory one, the local days kept for every
organisation, and the organisation's own local days on top (its own win).

Calendars are built once and kept in this process. A change of a local day replaces the
stamp in the database (`changed`, called by the model's signals) and drops this process's
calendars at once; every other process (app servers, workers) reads the stamp again at most
every `RECHECK_SECONDS` and drops its calendars when it differs. So a change shows at once
where it was made and within seconds everywhere else, at the cost of one small query per
process every few seconds, and a scan over a million tasks asks the database nothing.

The stamp is a random token, replaced, never counted up: a change rolled back leaves the old
token, which no cache built during that transaction holds, so such a cache is dropped at the
next check (within RECHECK_SECONDS) and no later change can ever bring its token back.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from luoshi.org.models import Unit
from luoshi.workdays.calendar import Calendar
from luoshi.workdays.models import CalendarStamp, LocalDay

RECHECK_SECONDS = 5.0
STAMP_PK = 1


def _now() -> float:
    return time.monotonic()


def _stamp() -> str:
    return CalendarStamp.objects.filter(pk=STAMP_PK).values_list("token", flat=True).first() or ""


class _Cache:
    """The calendars of this process, and the stamp they were built under."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calendars: dict[int | None, Calendar] = {}
        self.token: str | None = None
        self.checked_at = -math.inf
        self.generation = 0  # moves whenever the calendars are dropped

    def drop(self) -> None:
        with self.lock:
            self.calendars = {}
            self.generation += 1
            self.checked_at = -math.inf  # and read the stamp again next time

    def current(self) -> int:
        """Drop the calendars if the stamp changed (read at most every RECHECK_SECONDS); the generation."""
        now = _now()
        if now - self.checked_at >= RECHECK_SECONDS:
            token = _stamp()
            with self.lock:
                if token != self.token:
                    self.calendars = {}
                    self.generation += 1
                    self.token = token
                self.checked_at = now
        return self.generation

    def keep(self, key: int | None, calendar: Calendar, generation: int) -> None:
        # a calendar built while a change was dropping the others would be stale: not kept
        with self.lock:
            if generation == self.generation:
                self.calendars[key] = calendar


_cache = _Cache()


def _build(key: int | None) -> Calendar:
    rows = LocalDay.objects.filter(Q(organisation__isnull=True) | Q(organisation=key)) if key is not None \
        else LocalDay.objects.filter(organisation__isnull=True)
    # the days of every organisation first, the organisation's own after them: its own win
    ordered = sorted(rows.values_list("organisation_id", "date", "kind"), key=lambda r: r[0] is not None)
    return Calendar({day: kind == LocalDay.Kind.WORKDAY for _org, day, kind in ordered})


def calendar_for(organisation: Unit | int | None = None) -> Calendar:
    """The working-day calendar of ``organisation`` (a unit or its id), or, for None, the
    statutory calendar with the local days kept for every organisation."""
    key = organisation.pk if isinstance(organisation, Unit) else organisation
    generation = _cache.current()
    calendar = _cache.calendars.get(key)
    if calendar is None:
        calendar = _build(key)
        _cache.keep(key, calendar, generation)
    return calendar


def changed() -> None:
    """Local days changed: a new stamp for every process, in the current transaction, and this
    process's calendars dropped now and again on commit (other threads may have read the old
    days meanwhile)."""
    token = uuid.uuid4().hex
    if not CalendarStamp.objects.filter(pk=STAMP_PK).update(token=token):
        try:
            with transaction.atomic():
                CalendarStamp.objects.create(pk=STAMP_PK, token=token)
        except IntegrityError:  # another process made the row first
            CalendarStamp.objects.filter(pk=STAMP_PK).update(token=token)
    _cache.drop()
    transaction.on_commit(_cache.drop)


def forget() -> None:
    """Drop this process's calendars (tests: a rolled-back transaction sends no signal)."""
    _cache.drop()


def warnings_for(calendar: Calendar, dates: Iterable[dt.date | None]) -> list[str]:
    """`Calendar.warnings`, in the user's language: one per year among ``dates`` counted by weekends only."""
    return [_("%(year)s: China's statutory holidays for %(year)s are not known yet (the calendar knows "
              "%(first)s–%(last)s); only weekends and local days are counted as days off.")
            % {"year": y, "first": calendar.base.first, "last": calendar.base.last}
            for y in calendar.unknown_years(dates)]
