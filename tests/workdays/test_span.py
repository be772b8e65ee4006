"""Limits in calendar or working days: how they are written, read, and applied."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.workdays.calendar import Calendar
from luoshi.workdays.span import MAX_DAYS, Span, SpanError
from luoshi.workdays.statutory import PACKAGE

D = dt.date
CAL = Calendar(base=PACKAGE.up_to(2026))


@pytest.mark.parametrize(("text", "span"), [
    ("3wd", Span(3, True)),
    ("3d", Span(3, False)),
    (" 3 WD ", Span(3, True)),
    ("10 working days", Span(10, True)),
    ("1 day", Span(1, False)),
    ("0d", Span(0, False)),
    ("3个工作日", Span(3, True)),
    ("3工作日", Span(3, True)),
    ("３个工作日", Span(3, True)),  # full-width digits, as an IME types them
    ("3天", Span(3, False)),
    ("3日", Span(3, False)),
    ("7个自然日", Span(7, False)),
    ("三天", Span(3, False)),
    ("两个工作日", Span(2, True)),
    ("十五个工作日", Span(15, True)),
    ("二十天", Span(20, False)),
    ("一百零五天", Span(105, False)),
])
def test_parse(text: str, span: Span) -> None:
    assert Span.parse(text) == span


@pytest.mark.parametrize("text", [
    "", "  ", "3", "wd", "天", "-3wd", "+3wd", "3.5d", "3w", "3wdd", "3 d d", "three days", "三天半",
    "一二天", "十十天", "3周", "3h",
])
def test_bad_strings_are_refused_with_the_forms_that_work(text: str) -> None:
    with pytest.raises(SpanError) as err:
        Span.parse(text)
    assert '"3wd"' in str(err.value) or "not a number" in str(err.value)


def test_too_long_a_limit_is_refused() -> None:
    with pytest.raises(SpanError, match="0 to 9999 days"):
        Span.parse(f"{MAX_DAYS + 1}wd")
    with pytest.raises(SpanError):
        Span(-1, True)
    with pytest.raises(SpanError):
        Span(True, True)  # a bool is not a number of days
    assert Span.parse(f"{MAX_DAYS}d") == Span(MAX_DAYS, False)


def test_written_back() -> None:
    assert str(Span(3, True)) == "3wd" and str(Span(3, False)) == "3d"
    assert Span(3, True).chinese() == "3个工作日" and Span(3, False).chinese() == "3天"
    for span in (Span(0, True), Span(12, False), Span(250, True)):
        assert Span.parse(str(span)) == span and Span.parse(span.chinese()) == span


def test_a_list_as_settings_write_it() -> None:
    assert Span.parse_list("3wd,1wd") == (Span(3, True), Span(1, True))
    assert Span.parse_list(" 3个工作日，1天、 0wd ") == (Span(3, True), Span(1, False), Span(0, True))
    assert Span.parse_list("") == ()
    with pytest.raises(SpanError):
        Span.parse_list("3wd,soon")


def test_apply_from_a_start() -> None:
    assert Span(3, True).apply(CAL, D(2024, 2, 8)) == D(2024, 2, 19)
    assert Span(3, False).apply(CAL, D(2024, 2, 8)) == D(2024, 2, 11)  # a holiday, as it falls
    assert Span(0, True).apply(CAL, D(2024, 2, 17)) == D(2024, 2, 18)
    assert Span(0, False).apply(CAL, D(2024, 2, 17)) == D(2024, 2, 17)
    assert Span(1, True).apply(CAL, D(2025, 9, 30)) == D(2025, 10, 9)


def test_before_a_due_date() -> None:
    assert Span(3, True).before(CAL, D(2024, 2, 19)) == D(2024, 2, 8)
    assert Span(1, True).before(CAL, D(2024, 2, 19)) == D(2024, 2, 18)
    assert Span(3, False).before(CAL, D(2024, 2, 19)) == D(2024, 2, 16)
    assert Span(1, True).before(CAL, D(2025, 10, 9)) == D(2025, 9, 30)
    # "on the day" of a due date that is a holiday: the last working day before it
    assert Span(0, True).before(CAL, D(2024, 2, 17)) == D(2024, 2, 9)
    assert Span(0, True).before(CAL, D(2024, 2, 19)) == D(2024, 2, 19)
