"""What the statutory table takes from chinesecalendar, and that the installed package and the
calendar agree: day by day against the package's own `is_workday`, the oracle here."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.workdays.calendar import Calendar
from luoshi.workdays.statutory import PACKAGE

D = dt.date
CAL = Calendar()


def test_known_years_are_the_years_of_the_package_table() -> None:
    assert set(range(2004, 2027)) <= PACKAGE.years
    assert CAL.known(2024) and CAL.known(2026) and not CAL.known(2003)
    # the package refuses exactly the years outside its table; the calendar counts weekends there
    for year in (PACKAGE.first, PACKAGE.last):
        chinese_calendar.is_workday(D(year, 6, 1))
    for year in (PACKAGE.first - 1, PACKAGE.last + 1):
        assert not CAL.known(year)
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(D(year, 6, 1))


def test_the_installed_package_knows_what_the_fixtures_say() -> None:
    assert CAL.add(D(2024, 2, 8), 3) == D(2024, 2, 19)
    assert CAL.count(D(2024, 2, 1), D(2024, 2, 29)) == 18
    assert CAL.count(D(2025, 10, 1), D(2025, 10, 31)) == 18


@pytest.mark.skipif(2027 in PACKAGE.years,
                    reason="the installed chinesecalendar knows 2027: the weekends-only case is tested "
                           "with the 1.11 table in test_calendar.py")
def test_with_the_installed_package_2027_is_weekends_only() -> None:
    assert CAL.add(D(2027, 2, 5), 3) == D(2027, 2, 10)
    assert CAL.warnings([D(2027, 2, 10)])


def test_an_older_package_table_is_an_older_calendar() -> None:
    cal = Calendar(base=PACKAGE.up_to(2023))
    assert not cal.known(2024)
    assert cal.count(D(2024, 2, 1), D(2024, 2, 29)) == 21  # weekdays only
    assert cal.add(D(2024, 2, 8), 3) == D(2024, 2, 13)


def test_periods_join_days_off_and_find_their_days_worked() -> None:
    spring = next(p for p in PACKAGE.periods(2024) if "Spring Festival" in p.names)
    assert (spring.start, spring.end, spring.days) == (D(2024, 2, 10), D(2024, 2, 17), 8)
    assert spring.makeup == (D(2024, 2, 4), D(2024, 2, 18)) and spring.names_zh == ("春节",)
    golden = next(p for p in PACKAGE.periods(2025) if "National Day" in p.names)
    assert (golden.start, golden.end) == (D(2025, 10, 1), D(2025, 10, 8))
    assert golden.names == ("National Day", "Mid-autumn Festival") and golden.names_zh == ("国庆节", "中秋")
    assert golden.makeup == (D(2025, 9, 28), D(2025, 10, 11))
    assert [p.names_zh for p in PACKAGE.periods(2024)] == [
        ("元旦",), ("春节",), ("清明",), ("劳动节",), ("端午",), ("中秋",), ("国庆节",)]
    assert PACKAGE.periods(2099) == [] and PACKAGE.days_of(2099) == []


def _by_the_package(start: dt.date, end: dt.date) -> int:
    return sum(chinese_calendar.is_workday(start + dt.timedelta(days=i)) for i in range((end - start).days + 1))


def _nth_by_the_package(day: dt.date, n: int) -> dt.date:
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while True:
        day += step
        if chinese_calendar.is_workday(day):
            left -= 1
            if left == 0:
                return day


known_days = st.dates(D(PACKAGE.first, 3, 1), D(PACKAGE.last, 9, 30))


@settings(max_examples=300, deadline=None)
@given(known_days, st.integers(0, 80), st.integers(-60, 60).filter(bool))
def test_the_calendar_is_the_package_day_by_day(start: dt.date, length: int, n: int) -> None:
    end = start + dt.timedelta(days=length)
    assert CAL.is_workday(start) == chinese_calendar.is_workday(start)
    assert CAL.count(start, end) == _by_the_package(start, end)
    assert CAL.add(start, n) == _nth_by_the_package(start, n)


@settings(max_examples=200, deadline=None)
@given(st.dates(D(1990, 1, 1), D(2100, 12, 31)), st.integers(-400, 400),
       st.dictionaries(st.dates(D(1990, 1, 1), D(2100, 12, 31)), st.booleans(), max_size=30))
def test_add_and_count_agree(start: dt.date, n: int, local: dict) -> None:
    cal = Calendar(local)
    day = cal.add(start, n)
    assert cal.is_workday(day)
    if n > 0:
        assert cal.count(start + dt.timedelta(days=1), day) == n
    elif n < 0:
        assert cal.count(day, start - dt.timedelta(days=1)) == -n
    else:
        assert cal.count(start, day) == 1 and cal.count(start, day - dt.timedelta(days=1)) == 0
    for d, worked in local.items():
        assert cal.is_workday(d) is worked
