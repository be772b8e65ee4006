"""Working days: Monday to Friday, less China's statutory holidays, plus the weekend days worked
in their place (调休), plus an organisation's own local days. Pure Python, no Django.

For the years `chinesecalendar` knows, its tables decide; for the years it does not know yet
(it is updated when the State Council announces a year, each November or December), only
weekends are days off, and `warnings()` says so: a due date in such a year works, it is never
an error.

How it stays fast: a day's status differs from "Monday to Friday" only on a few hundred days
(the *flips*: weekdays off, weekend days worked). The number of working days before any day is
then the number of weekdays before it (arithmetic) plus the flips before it (one bisect in a
sorted list with prefix sums), and the day of a given rank is found the other way round. So
`count` and `add` are O(log f) for f flips, whatever the distance; `is_workday` is one lookup.
The lights of a page of tasks and a scan over a million tasks call these; nothing is looped
day by day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from itertools import accumulate

from luoshi.workdays import statutory

MAX_ORDINAL = dt.date.max.toordinal()
UNKNOWN_YEAR = ("{year}: China's statutory holidays for {year} are not known yet (the calendar knows "
                "{first}–{last}); only weekends and local days are counted as days off.")


def _weekdays_before(ordinal: int) -> int:
    """How many of the days 1 … ordinal−1 fall Monday to Friday (day 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal - 1, 7)
    return 5 * weeks + min(rest, 5)


def _is_weekday(ordinal: int) -> bool:
    return (ordinal - 1) % 7 < 5


class Calendar:
    """Working days of one organisation: the statutory calendar with local days on top.

    ``overrides`` maps a date to whether it is worked (True: a working day, False: a day off),
    whatever the statutory calendar says: local days win. ``base`` is the statutory table
    (`statutory.PACKAGE`, what the installed `chinesecalendar` knows) unless a test says
    otherwise. A Calendar does not change once made; build another for other local days.
    """

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None, *,
                 base: statutory.Table = statutory.PACKAGE) -> None:
        self.base = base
        flips = dict(base.flips)
        for day, worked in (overrides or {}).items():
            o = day.toordinal()
            if bool(worked) == _is_weekday(o):
                flips.pop(o, None)  # what Monday-to-Friday says anyway
            else:
                flips[o] = 1 if worked else -1
        self._flips = flips
        self._keys = sorted(flips)
        self._prefix = [0, *accumulate(flips[k] for k in self._keys)]  # _prefix[i]: flips of _keys[:i]
        # the rank of each flip day (working days before it): increasing, so bisect finds a rank
        self._key_ranks = [_weekdays_before(k) + self._prefix[i] for i, k in enumerate(self._keys)]

    # -- the count every other answer is made of ---------------------------------------------

    def _rank(self, ordinal: int) -> int:
        """How many working days come before day ``ordinal`` (from 0001-01-01)."""
        return _weekdays_before(ordinal) + self._prefix[bisect_left(self._keys, ordinal)]

    def _workday_of_rank(self, rank: int) -> int:
        """The working day (ordinal) with ``rank`` working days before it, in O(log f).

        Between two flips the working days are the weekdays, each ranked by the weekdays before
        it plus the flips before it; so find the stretch by the ranks of the flip days, then the
        weekday in it by arithmetic (or the flip day itself, if it is a weekend day worked).
        """
        if rank < 0:
            raise OverflowError("the working day asked for is before 0001-01-01")
        i = bisect_right(self._key_ranks, rank)  # the flips up to the answer
        if i and self._key_ranks[i - 1] == rank and self._flips[self._keys[i - 1]] > 0:
            return self._keys[i - 1]
        weeks, day = divmod(rank - self._prefix[i], 5)  # the weekday with that many weekdays before it
        ordinal = 7 * weeks + day + 1
        if ordinal > MAX_ORDINAL:
            raise OverflowError("the working day asked for is after 9999-12-31")
        return ordinal

    # -- questions ----------------------------------------------------------------------------

    def is_workday(self, d: dt.date) -> bool:
        """Whether ``d`` is worked."""
        o = d.toordinal()
        return _is_weekday(o) != (o in self._flips)

    def count(self, start: dt.date, end: dt.date) -> int:
        """The working days from ``start`` to ``end``, both included; 0 if ``end`` is before ``start``
        (an empty range, not a negative count)."""
        if end < start:
            return 0
        return self._rank(end.toordinal() + 1) - self._rank(start.toordinal())

    def worked_through(self, d: dt.date) -> int:
        """The working days from 0001-01-01 to ``d`` included: a running count, whose difference
        between two days is the count between them (``count(a + 1 day, b)``), for a caller that
        counts between the same few hundred days a million times and keeps each day's figure."""
        return self._rank(d.toordinal() + 1)

    def add(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d`` (``d`` itself is never counted, worked or not).

        2024-02-08 + 3 is 2024-02-19: the 9th (Friday), the 18th (a Sunday worked for the
        Spring Festival), the 19th. A negative ``n`` counts back: −1 is the last working day
        before ``d``. ``n = 0`` is ``d`` if it is worked, else the next working day (as
        `next_workday`): "within 0 working days" of a holiday is the first day back.
        Raises OverflowError past the dates Python knows (year 1 to 9999).
        """
        o = d.toordinal()
        if n > 0:
            rank = self._rank(o + 1) + n - 1  # the working days up to d, and n−1 more
        elif n == 0:
            rank = self._rank(o)  # the first working day from d itself
        else:
            rank = self._rank(o) + n
        return dt.date.fromordinal(self._workday_of_rank(rank))

    def next_workday(self, d: dt.date) -> dt.date:
        """``d`` if it is worked, else the first working day after it (a due date that falls on a
        holiday is due on the day work resumes)."""
        return self.add(d, 0)

    def previous_workday(self, d: dt.date) -> dt.date:
        """``d`` if it is worked, else the last working day before it."""
        return d if self.is_workday(d) else self.add(d, -1)

    # -- what the calendar knows ----------------------------------------------------------------

    def signature(self) -> str:
        """A digest of every day that differs from Monday to Friday (and of the years known): equal
        for two calendars that count every day alike, for a caller that kept what one counted."""
        body = repr((sorted(self._flips.items()), sorted(self.base.years)))
        return hashlib.sha256(body.encode()).hexdigest()

    def known(self, year: int) -> bool:
        """Whether the statutory holidays of ``year`` are known (else only weekends are off)."""
        return year in self.base.years

    def unknown_years(self, dates: Iterable[dt.date | None]) -> list[int]:
        """The years among ``dates`` (None skipped) whose statutory holidays are not known, sorted."""
        return sorted({d.year for d in dates if d is not None and not self.known(d.year)})

    def warnings(self, dates: Iterable[dt.date | None]) -> list[str]:
        """One sentence (English) per year among ``dates`` counted by weekends only; [] if none."""
        return [UNKNOWN_YEAR.format(year=y, first=self.base.first, last=self.base.last)
                for y in self.unknown_years(dates)]

