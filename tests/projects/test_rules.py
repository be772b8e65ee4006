"""The rules in plain arithmetic, on the statutory calendar (no local days)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.projects import rules
from luoshi.workdays.calendar import Calendar


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return Calendar()  # the statutory calendar of the installed chinesecalendar


D = dt.date


@pytest.mark.parametrize(("planned", "at", "slipped"), [
    (D(2024, 3, 5), D(2024, 3, 5), False),  # planned today: not slipped
    (D(2024, 3, 5), D(2024, 3, 6), True),  # the next working day without it: slipped
    (D(2024, 3, 8), D(2024, 3, 9), False),  # a Friday's stage on the Saturday: nobody works
    (D(2024, 3, 8), D(2024, 3, 10), False),  # nor on the Sunday
    (D(2024, 3, 8), D(2024, 3, 11), True),  # Monday
    # Friday 9 February 2024, then the Spring Festival (10-17): not slipped on any of its days,
    # slipped on Sunday the 18th, the make-up working day (调休)
    (D(2024, 2, 9), D(2024, 2, 12), False),
    (D(2024, 2, 9), D(2024, 2, 17), False),
    (D(2024, 2, 9), D(2024, 2, 18), True),
])
def test_a_stage_slips_on_the_first_working_day_after_its_planned_date(calendar, planned, at, slipped) -> None:
    assert rules.is_slipped(calendar, at, planned, None) is slipped


def test_a_stage_reached_never_slips_and_one_without_a_plan_neither(calendar) -> None:
    assert not rules.is_slipped(calendar, D(2024, 3, 20), D(2024, 3, 5), D(2024, 3, 19))
    assert not rules.is_slipped(calendar, D(2024, 3, 20), None, None)


def test_grace_in_working_days(calendar) -> None:
    # two working days of grace after Friday 8 March: Monday and Tuesday; slipped on Wednesday
    assert rules.slip_cutoff(calendar, D(2024, 3, 12), 2) == D(2024, 3, 8)
    assert not rules.is_slipped(calendar, D(2024, 3, 12), D(2024, 3, 8), None, grace=2)
    assert rules.is_slipped(calendar, D(2024, 3, 13), D(2024, 3, 8), None, grace=2)


@pytest.mark.parametrize(("planned", "actual", "short"), [
    (Decimal("1000"), Decimal("900"), False),  # exactly 10 % behind: at the margin, not beyond
    (Decimal("1000"), Decimal("899.99"), True),  # one hundred yuan more: beyond
    (Decimal("123.40"), Decimal("111.06"), False),  # 12.34 behind of 123.40: exactly 10 %
    (Decimal("123.40"), Decimal("111.05"), True),
    (Decimal("0"), Decimal("0"), False),  # nothing planned yet
    (Decimal("1000"), Decimal("1500"), False),  # ahead
])
def test_shortfall_beyond_the_margin(planned, actual, short) -> None:
    assert rules.is_short(planned, actual, 10) is short


def test_months_counted_and_the_gap() -> None:
    assert rules.counted_until(D(2024, 4, 1)) == D(2024, 4, 1)  # March and before
    assert rules.add_months(D(2024, 1, 1), -1) == D(2023, 12, 1)
    assert rules.add_months(D(2024, 11, 1), 2) == D(2025, 1, 1)
    assert rules.gap_share(Decimal("1000"), Decimal("850")) == Decimal("15.0")
    assert rules.gap_share(Decimal("0"), Decimal("0")) is None
