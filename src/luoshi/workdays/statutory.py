"""China's statutory holidays and make-up working days (调休), as `chinesecalendar` knows them.

The package is the one source: its tables are read once, here, and nothing is written by hand.
A year is *known* when the package's holiday table lists any day of it (every year's State
Council notice lists at least New Year's Day); the package itself refuses the years outside
its table, and so Luoshi counts only weekends there (see `calendar.Calendar`).

Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import chinese_calendar

_CHINESE = {h.value: h.chinese for h in chinese_calendar.Holiday}


@dataclass(frozen=True)
class StatutoryDay:
    date: dt.date
    is_workday: bool  # True: a weekend day worked (调休); False: a day off
    name: str  # the festival, in English as the package names it ("Spring Festival")

    @property
    def name_zh(self) -> str:
        return chinese_name(self.name)


@dataclass(frozen=True)
class Period:
    """One stretch of consecutive days off (2025's 国庆节 and 中秋 are one), with its 调休 days."""

    names: tuple[str, ...]  # English, in order of first day
    start: dt.date
    end: dt.date
    makeup: tuple[dt.date, ...]  # weekend days worked for it

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def names_zh(self) -> tuple[str, ...]:
        return tuple(chinese_name(n) for n in self.names)


@dataclass(frozen=True)
class Table:
    """The statutory days off and days worked, and the years they are known for."""

    holidays: Mapping[dt.date, str]  # days off that are statutory (weekend days among them)
    workdays: Mapping[dt.date, str]  # weekend days that are worked (调休)
    years: frozenset[int] = field(default=frozenset())

    @classmethod
    def of(cls, holidays: Mapping[dt.date, str], workdays: Mapping[dt.date, str]) -> Table:
        return cls(dict(holidays), dict(workdays), frozenset(d.year for d in holidays))

    def up_to(self, year: int) -> Table:
        """The table as an older package knew it: only the years up to ``year``."""
        return Table.of({d: n for d, n in self.holidays.items() if d.year <= year},
                        {d: n for d, n in self.workdays.items() if d.year <= year})

    @cached_property
    def flips(self) -> dict[int, int]:
        """Day (ordinal) → +1 (a weekend day worked) or −1 (a weekday off): where the year differs
        from "Monday to Friday"; a statutory holiday that falls on a weekend changes nothing."""
        out = {d.toordinal(): -1 for d in self.holidays if d.weekday() < 5}
        out.update({d.toordinal(): +1 for d in self.workdays if d.weekday() >= 5})
        return out

    @property
    def first(self) -> int | None:
        return min(self.years) if self.years else None

    @property
    def last(self) -> int | None:
        return max(self.years) if self.years else None

    def days_of(self, year: int) -> list[StatutoryDay]:
        """The statutory days of ``year`` in date order (empty for a year not known)."""
        days = [StatutoryDay(d, False, n) for d, n in self.holidays.items() if d.year == year]
        days += [StatutoryDay(d, True, n) for d, n in self.workdays.items() if d.year == year]
        return sorted(days, key=lambda s: s.date)

    def periods(self, year: int) -> list[Period]:
        """The days off of ``year`` as stretches of consecutive days, each with its 调休 days."""
        days = self.days_of(year)
        runs: list[list[StatutoryDay]] = []
        for s in (s for s in days if not s.is_workday):
            if runs and (s.date - runs[-1][-1].date).days == 1:
                runs[-1].append(s)
            else:
                runs.append([s])
        names = [tuple(dict.fromkeys(s.name for s in run)) for run in runs]
        makeup: list[list[dt.date]] = [[] for _ in runs]
        for s in (s for s in days if s.is_workday):
            # the nearest stretch that bears the festival's name (2025's National Day days
            # worked, 28 September and 11 October, belong to 1–8 October)
            near = [i for i, n in enumerate(names) if s.name in n]
            if near:
                best = min(near, key=lambda i: min(abs((s.date - runs[i][0].date).days),
                                                   abs((s.date - runs[i][-1].date).days)))
                makeup[best].append(s.date)
        return [Period(names[i], run[0].date, run[-1].date, tuple(makeup[i])) for i, run in enumerate(runs)]


def chinese_name(english: str) -> str:
    """The festival's Chinese name ("Spring Festival" → 春节); the name itself if not a festival."""
    return _CHINESE.get(english, english)


PACKAGE = Table.of(chinese_calendar.holidays, chinese_calendar.workdays)
