"""Each kind of rule at its boundary, evaluated set-based; expectations written by hand."""

from __future__ import annotations

import pytest

from luoshi.monitoring.evaluate import evaluate, evaluate_rule
from luoshi.monitoring.models import Breach, Indicator, RuleKind
from tests.monitoring.helpers import JUNE, MAY, below, income, put, rule, subject

pytestmark = pytest.mark.django_db


def _open(r) -> set[str]:
    return set(Breach.objects.filter(rule=r, is_open=True).values_list("subject__code", flat=True))


def test_below_the_line_breaches_exactly_at_it_does_not(org) -> None:
    ind = income(org)
    for code, value in (("under", 5999.99), ("at", 6000), ("over", 6000.01)):
        put(subject(org, code), ind, MAY, value)
    r = below(org)
    s = evaluate_rule(r, MAY)
    assert _open(r) == {"under"}
    assert (s.breaches, s.opened, s.closed, s.reopened) == (1, 1, 0, 0)


def test_a_fall_of_more_than_n_percent_breaches_exactly_n_does_not(org) -> None:
    ind = income(org)
    # 30 % of 1000 is 300: 700 is exactly 30 % down, 699 more than that
    for code, before, now in (("fell_more", 1000, 699), ("fell_exactly", 1000, 700), ("fell_less", 1000, 701),
                              ("rose", 1000, 1500), ("no_before", None, 100), ("from_zero", 0, 0)):
        s = subject(org, code)
        if before is not None:
            put(s, ind, MAY, before)
        put(s, ind, JUNE, now)
    r = rule(org, RuleKind.FALL, 30, indicator=ind)
    evaluate_rule(r, JUNE)
    assert _open(r) == {"fell_more"}


def test_a_missing_report_breaches_until_the_value_comes(org) -> None:
    ind = income(org)
    reported, silent = subject(org, "reported"), subject(org, "silent")
    put(reported, ind, JUNE, 5000)
    put(silent, ind, MAY, 5000)  # reported the month before, not this one
    r = rule(org, RuleKind.MISSING, indicator=ind)
    evaluate_rule(r, JUNE)
    assert _open(r) == {"silent"}
    put(silent, ind, JUNE, 0)  # a zero is a report
    s = evaluate_rule(r, JUNE)
    assert _open(r) == set()
    assert (s.closed, s.breaches) == (1, 0)


def test_a_combination_breaches_where_every_part_does(org) -> None:
    ind = income(org)
    other = Indicator.objects.create(organisation=org.province, code="work", name="务工人数")
    for code, money, workers in (("both", 5000, 0), ("money_only", 5000, 2), ("work_only", 7000, 0)):
        s = subject(org, code)
        put(s, ind, MAY, money)
        put(s, other, MAY, workers)
    poor = below(org)
    jobless = rule(org, RuleKind.BELOW, 1, indicator=other)
    both = rule(org, RuleKind.COMBINATION, parts=[poor, jobless])
    summary = evaluate(org.province, MAY, tasks=False)
    assert _open(both) == {"both"}
    assert summary.breaches == 2 + 2 + 1  # below: both, money_only; jobless: both, work_only; combined: both


def test_a_combination_with_a_part_switched_off_fires_for_nobody(org) -> None:
    ind = income(org)
    put(subject(org, "poor"), ind, MAY, 100)
    poor = below(org)
    off = rule(org, RuleKind.BELOW, 200, indicator=ind)
    off.active = False
    off.save()
    both = rule(org, RuleKind.COMBINATION, parts=[poor, off])
    evaluate(org.province, MAY, tasks=False)
    assert _open(both) == set()


def test_a_value_not_reported_clears_nothing(org) -> None:
    ind = income(org)
    put(subject(org, "poor"), ind, MAY, 100)
    r = below(org)
    evaluate_rule(r, MAY)
    s = evaluate_rule(r, JUNE)  # nothing reported for June: the breach stays open
    assert _open(r) == {"poor"}
    assert s.closed == 0


def test_evaluating_twice_changes_nothing(org) -> None:
    ind = income(org)
    put(subject(org, "poor"), ind, MAY, 100)
    put(subject(org, "fine"), ind, MAY, 9000)
    below(org)
    first = evaluate(org.province, MAY)
    second = evaluate(org.province, MAY)
    assert first.line() == "breaches 1, opened 1, closed 0, reopened 0"
    assert second.line() == "breaches 1, opened 0, closed 0, reopened 0"


def test_another_organisations_values_are_not_read(org) -> None:
    ind = income(org)
    put(subject(org, "ours"), ind, MAY, 100)
    r = rule(org, RuleKind.MISSING, indicator=ind)
    from luoshi.monitoring.models import Subject
    Subject.objects.create(organisation=org.other_org, code="theirs", name="外市户")
    evaluate_rule(r, MAY)
    assert _open(r) == set()
