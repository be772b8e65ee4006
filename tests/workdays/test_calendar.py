"""The calendar against days counted by hand from the State Council's notices.

`CAL` is the calendar as chinesecalendar 1.11 knows it (years up to 2026), so that the answers
for 2027 stay "weekends only" whatever newer package is installed; `test_statutory.py` checks
that the installed package agrees where it matters.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.workdays.calendar import Calendar
from luoshi.workdays.statutory import PACKAGE

D = dt.date
BASE = PACKAGE.up_to(2026)
CAL = Calendar(base=BASE)


# -- 2024 Spring Festival: 10–17 February off; Sunday 4 and Sunday 18 February worked ----------


@pytest.mark.parametrize(("day", "worked"), [
    (D(2024, 2, 3), False),   # an ordinary Saturday
    (D(2024, 2, 4), True),    # Sunday, worked for the festival
    (D(2024, 2, 9), True),    # 除夕, a Friday: worked (the notice only encourages leave)
    (D(2024, 2, 10), False),  # Saturday, first day off
    (D(2024, 2, 12), False),  # Monday off
    (D(2024, 2, 16), False),  # Friday off
    (D(2024, 2, 17), False),  # Saturday, last day off
    (D(2024, 2, 18), True),   # Sunday, worked
    (D(2024, 2, 19), True),   # Monday
])
def test_spring_festival_2024_day_by_day(day, worked) -> None:
    assert CAL.is_workday(day) is worked


def test_three_working_days_after_8_february_2024_is_the_19th() -> None:
    # 9th (Friday), 18th (the Sunday worked), 19th
    assert CAL.add(D(2024, 2, 8), 1) == D(2024, 2, 9)
    assert CAL.add(D(2024, 2, 8), 2) == D(2024, 2, 18)
    assert CAL.add(D(2024, 2, 8), 3) == D(2024, 2, 19)


def test_working_days_in_february_2024_counted_by_hand() -> None:
    # 21 weekdays (Thu 1 and Fri 2, three whole weeks 5–23, Mon 26 to Thu 29: 2+5+5+5+4),
    # less 12–16 February (5 weekdays off), plus Sundays 4 and 18 worked: 18
    assert CAL.count(D(2024, 2, 1), D(2024, 2, 29)) == 18
    assert CAL.count(D(2024, 2, 10), D(2024, 2, 17)) == 0


def test_working_days_in_2024() -> None:
    # 262 weekdays; 19 of them off (元旦 1, 春节 5, 清明 2, 劳动节 3, 端午 1, 中秋 2, 国庆 5);
    # 8 weekend days worked (2/4, 2/18, 4/7, 4/28, 5/11, 9/14, 9/29, 10/12): 251, as announced
    assert CAL.count(D(2024, 1, 1), D(2024, 12, 31)) == 251
    # so the 251st working day after New Year's Day (a holiday) is the year's last day
    assert CAL.add(D(2024, 1, 1), 251) == D(2024, 12, 31)
    assert CAL.add(D(2024, 1, 1), 252) == D(2025, 1, 2)  # 1 January 2025 is off


def test_counting_back_across_the_festival() -> None:
    assert CAL.add(D(2024, 2, 19), -1) == D(2024, 2, 18)
    assert CAL.add(D(2024, 2, 18), -1) == D(2024, 2, 9)
    assert CAL.add(D(2024, 2, 19), -3) == D(2024, 2, 8)
    assert CAL.add(D(2024, 2, 5), -1) == D(2024, 2, 4)  # the Sunday worked
    assert CAL.add(D(2024, 2, 4), -1) == D(2024, 2, 2)  # Saturday the 3rd is off


# -- 2025 National Day with Mid-autumn: 1–8 October off; Sunday 28 September, Saturday 11 October worked


def test_national_day_2025() -> None:
    assert CAL.is_workday(D(2025, 9, 28)) and CAL.is_workday(D(2025, 10, 11))
    assert not any(CAL.is_workday(D(2025, 10, d)) for d in range(1, 9))
    assert CAL.add(D(2025, 9, 26), 1) == D(2025, 9, 28)   # Friday → the Sunday worked
    assert CAL.add(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert CAL.add(D(2025, 10, 10), 1) == D(2025, 10, 11)  # Friday → the Saturday worked
    assert CAL.add(D(2025, 10, 11), 1) == D(2025, 10, 13)
    assert CAL.add(D(2025, 10, 9), -1) == D(2025, 9, 30)
    # 28 Sep, 29, 30; 9, 10, 11 Oct
    assert CAL.count(D(2025, 9, 28), D(2025, 10, 11)) == 6
    # October 2025 begins on a Wednesday: 23 weekdays, 6 of them off (1–3, 6–8), plus the 11th: 18
    assert CAL.count(D(2025, 10, 1), D(2025, 10, 31)) == 18


def test_new_year_across_years() -> None:
    assert CAL.add(D(2024, 12, 31), 1) == D(2025, 1, 2)
    assert CAL.count(D(2024, 12, 30), D(2025, 1, 3)) == 4  # Mon, Tue, (Wed 1 Jan off), Thu, Fri


# -- a year the package does not know: weekends only, a warning, never an error ----------------


def test_2027_counts_weekends_only_with_a_warning() -> None:
    assert not CAL.known(2027) and CAL.known(2026)
    # February 2027 is four whole weeks from Monday the 1st: 20 weekdays (the Spring Festival,
    # from the 6th, is not known yet)
    assert CAL.count(D(2027, 2, 1), D(2027, 2, 28)) == 20
    assert CAL.add(D(2027, 2, 5), 3) == D(2027, 2, 10)  # Fri → Mon 8, Tue 9, Wed 10
    assert CAL.is_workday(D(2027, 1, 1))  # a Friday; New Year's Day is not known either
    assert CAL.add(D(2026, 12, 31), 1) == D(2027, 1, 1)
    # 2027 begins and ends on a Friday: 52 weeks and a day, 261 weekdays
    assert CAL.count(D(2027, 1, 1), D(2027, 12, 31)) == 261
    assert CAL.warnings([D(2027, 6, 30)]) == [
        "2027: China's statutory holidays for 2027 are not known yet (the calendar knows 2004–2026); "
        "only weekends and local days are counted as days off."]


def test_warnings_once_per_unknown_year_in_order() -> None:
    dates = [D(2099, 1, 1), None, D(2027, 3, 1), D(2024, 2, 8), D(2027, 5, 1)]
    assert CAL.unknown_years(dates) == [2027, 2099]
    warnings = CAL.warnings(dates)
    assert len(warnings) == 2 and warnings[0].startswith("2027: ") and warnings[1].startswith("2099: ")
    assert CAL.warnings([D(2024, 2, 8), D(2026, 12, 31)]) == []
    assert CAL.warnings([]) == []


def test_a_year_before_the_package_is_weekends_only_too() -> None:
    assert not CAL.known(2003)
    assert CAL.is_workday(D(2003, 10, 1))  # a Wednesday; National Day 2003 is not in the package
    assert CAL.warnings([D(2003, 10, 1)])[0].startswith("2003: ")


# -- local days win, both ways -------------------------------------------------------------------


def test_a_local_day_off_on_a_working_day() -> None:
    cal = Calendar({D(2024, 2, 9): False}, base=BASE)  # 除夕 given off
    assert not cal.is_workday(D(2024, 2, 9))
    assert cal.add(D(2024, 2, 8), 1) == D(2024, 2, 18)
    assert cal.count(D(2024, 2, 1), D(2024, 2, 29)) == 17


def test_a_statutory_working_day_given_off_and_a_holiday_worked() -> None:
    cal = Calendar({D(2024, 2, 18): False, D(2024, 2, 17): True}, base=BASE)
    assert not cal.is_workday(D(2024, 2, 18)) and cal.is_workday(D(2024, 2, 17))
    assert cal.add(D(2024, 2, 9), 1) == D(2024, 2, 17)
    assert cal.add(D(2024, 2, 17), 1) == D(2024, 2, 19)
    assert cal.count(D(2024, 2, 1), D(2024, 2, 29)) == 18  # one lost, one gained


def test_local_days_in_a_year_not_known() -> None:
    # the 2027 festival entered by hand before the package knows it
    cal = Calendar({D(2027, 2, 8): False, D(2027, 2, 6): True}, base=BASE)
    assert cal.add(D(2027, 2, 5), 1) == D(2027, 2, 6)
    assert cal.add(D(2027, 2, 5), 3) == D(2027, 2, 10)  # Sat 6, (Mon 8 off), Tue 9, Wed 10
    assert cal.count(D(2027, 2, 1), D(2027, 2, 28)) == 20
    assert cal.warnings([D(2027, 2, 5)])  # still says that the statutory days are not known


def test_a_local_day_that_changes_nothing() -> None:
    cal = Calendar({D(2024, 2, 19): True, D(2024, 2, 11): False}, base=BASE)
    assert cal.count(D(2024, 2, 1), D(2024, 2, 29)) == 18
    assert cal.add(D(2024, 2, 8), 3) == D(2024, 2, 19)


# -- the edges -----------------------------------------------------------------------------------


def test_add_zero_is_the_day_itself_or_the_next_working_day() -> None:
    assert CAL.add(D(2024, 2, 8), 0) == D(2024, 2, 8)
    assert CAL.add(D(2024, 2, 10), 0) == D(2024, 2, 18)
    assert CAL.next_workday(D(2024, 2, 12)) == D(2024, 2, 18)
    assert CAL.next_workday(D(2024, 2, 19)) == D(2024, 2, 19)
    assert CAL.previous_workday(D(2024, 2, 17)) == D(2024, 2, 9)
    assert CAL.previous_workday(D(2024, 2, 18)) == D(2024, 2, 18)


def test_starting_on_a_holiday() -> None:
    assert CAL.add(D(2024, 2, 12), 1) == D(2024, 2, 18)
    assert CAL.add(D(2024, 2, 12), 2) == D(2024, 2, 19)
    assert CAL.add(D(2024, 2, 12), -1) == D(2024, 2, 9)
    assert CAL.count(D(2024, 2, 12), D(2024, 2, 19)) == 2


def test_running_counts_differ_by_the_working_days_between() -> None:
    # after 8 February 2024: the 9th (Fri), the 18th (a Sunday worked), the 19th
    assert CAL.worked_through(D(2024, 2, 19)) - CAL.worked_through(D(2024, 2, 8)) == 3
    assert CAL.worked_through(D(2024, 2, 17)) - CAL.worked_through(D(2024, 2, 9)) == 0  # the festival
    assert CAL.worked_through(D(2024, 12, 31)) - CAL.worked_through(D(2023, 12, 31)) == 251  # 2024's, as announced


def test_count_of_one_day_and_of_an_empty_range() -> None:
    assert CAL.count(D(2024, 2, 18), D(2024, 2, 18)) == 1
    assert CAL.count(D(2024, 2, 12), D(2024, 2, 12)) == 0
    assert CAL.count(D(2024, 2, 29), D(2024, 2, 1)) == 0


def test_the_ends_of_the_dates_python_knows() -> None:
    with pytest.raises(OverflowError):
        CAL.add(dt.date.max, 1)
    with pytest.raises(OverflowError):
        CAL.add(dt.date.min, -1)
    assert CAL.add(D(9999, 12, 30), 0) == D(9999, 12, 30)  # a Thursday
    assert CAL.count(dt.date.min, dt.date.max) > 0


def test_a_datetime_counts_as_its_date() -> None:
    assert CAL.add(dt.datetime(2024, 2, 8, 17, 30), 3) == D(2024, 2, 19)
    assert CAL.is_workday(dt.datetime(2024, 2, 18, 9, 0))


def test_the_signature_changes_with_any_day_counted_differently() -> None:
    same = Calendar({D(2024, 2, 19): True, D(2024, 2, 11): False}, base=BASE)  # what the table says anyway
    assert same.signature() == CAL.signature()
    assert Calendar({D(2024, 2, 9): False}, base=BASE).signature() != CAL.signature()  # 除夕 given off
    assert Calendar({D(2024, 2, 9): False}, base=BASE).signature() == Calendar({D(2024, 2, 9): False},
                                                                               base=BASE).signature()
    assert Calendar(base=PACKAGE.up_to(2025)).signature() != CAL.signature()  # a year less known
