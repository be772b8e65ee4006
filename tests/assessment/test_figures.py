"""The figures and scores of February 2024, against numbers counted by hand (see conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.assessment.conftest import AFTER, FEBRUARY

from luoshi.assessment import figures, services
from luoshi.assessment.scoring import Figures
from luoshi.org.models import Unit

A, B, C = "省农业农村厅", "吕梁市人民政府", "省水利厅"

# counted by hand from the fixture
EXPECTED = {
    # signed A1 (on time), A2 (late), A4 (on time); closed A1 (on time), A2 (late); overdue A2 (Sun 18,
    # Mon 19: 2 working days) and A3 (every working day of February: 18) = 20; A2 returned once; A3 urged
    # twice; A4 extended once; A1 rated satisfied, A2 basically satisfied
    A: Figures(signed=3, signed_on_time=2, closed=2, closed_on_time=1, overdue_tasks=2, overdue_days=20,
               returned=1, urged=2, extended=1, rated=2, satisfied=1, basically=1),
    # B1 signed on Sun 4 Feb (on time) and closed at 23:30 on its due date (on time); B's opinions on A1
    # (on time) and A2 (late)
    B: Figures(signed=1, signed_on_time=1, closed=1, closed_on_time=1, opinions_due=2, opinions_on_time=1),
    # C2 signed on time, closed the day after its due date: late, but on a holiday (0 working days)
    C: Figures(signed=1, signed_on_time=1, closed=1, closed_on_time=0, overdue_tasks=1, overdue_days=0),
}

# scores by hand, default weights (signed 15, closed 45, opinions 15, satisfaction 25; 0.1 a day late,
# 1 a return, 0.5 an urging, 0.5 an extension)
SCORES = {
    # rates: signed 2/3, closed 1/2, opinions none, satisfaction (1+1)/2 = 1
    # merit 100 × (15 × 2/3 + 45 × 1/2 + 25 × 1) / (15 + 45 + 25) = 100 × 57.5 / 85 = 67.647…
    # penalty 20 × 0.1 + 1 × 1 + 2 × 0.5 + 1 × 0.5 = 4.5; total 63.147… → 63.15
    A: (Decimal("67.65"), Decimal("4.50"), Decimal("63.15")),
    # rates: signed 1, closed 1, opinions 1/2, no ratings: 100 × (15 + 45 + 7.5) / 75 = 90
    B: (Decimal("90.00"), Decimal("0.00"), Decimal("90.00")),
    # rates: signed 1, closed 0: 100 × 15 / 60 = 25
    C: (Decimal("25.00"), Decimal("0.00"), Decimal("25.00")),
}


def counted(org, start=FEBRUARY[0], end=FEBRUARY[1], today=AFTER) -> dict[str, Figures]:
    found = figures.per_unit(figures.Period(org.province.pk, start, end, today))
    names = dict(Unit.objects.filter(pk__in=found).values_list("pk", "name"))
    return {names[pk]: f for pk, f in found.items()}


@pytest.mark.django_db
def test_figures_of_february(february) -> None:
    assert counted(february) == EXPECTED


@pytest.mark.django_db
def test_scores_and_ranks_of_february(february) -> None:
    ranking = services.ranking(february.province, "month", *FEBRUARY, today=AFTER)
    got = [(r.rank, r.unit.name, (r.result.merit, r.result.penalty, r.result.total)) for r in ranking.rows]
    assert got == [(1, B, SCORES[B]), (2, A, SCORES[A]), (3, C, SCORES[C])]
    a = ranking.rows[1].result.rates
    assert a == {"signed_on_time": Decimal("66.67"), "closed_on_time": Decimal("50.00"),
                 "opinions_on_time": None, "satisfaction": Decimal("100.00")}
    assert ranking.published is None and ranking.may_publish(AFTER)


@pytest.mark.django_db
def test_while_the_month_runs_overdue_days_count_to_today(february) -> None:
    # on Wed 21 Feb, A3 has been late Thu 1 – Fri 9 (8 working days with Sun 4) and Sun 18 – Wed 21 (4)
    # A2 was closed on Mon 19: 2; the extension of A4 and the later closings do not change that
    f = counted(february, today=dt.date(2024, 2, 21))
    assert (f[A].overdue_tasks, f[A].overdue_days) == (2, 14)
    # B1 is not late on its due date; C2 late since the 10th, closed then
    assert f[B].overdue_tasks == 0 and (f[C].overdue_tasks, f[C].overdue_days) == (1, 0)


@pytest.mark.django_db
def test_months_add_up_to_the_quarter(february) -> None:
    # January: A3 late on Thu 1 Feb? no: due Wed 31 Jan, so not late in January; signed A3 on time
    jan = counted(february, dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    assert jan == {A: Figures(signed=1, signed_on_time=1)}
    # March to the 5th (today): A3 late Fri 1, Mon 4, Tue 5 March = 3 working days
    march = counted(february, dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert march == {A: Figures(overdue_tasks=1, overdue_days=3)}
    quarter = counted(february, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert quarter[A].overdue_days == 20 + 3 and quarter[A].signed == 4


@pytest.mark.django_db
def test_the_tasks_behind_each_figure(february) -> None:
    period = figures.Period(february.province.pk, *FEBRUARY, AFTER)
    titles = {name: sorted(figures.tasks_behind(period, name, february.unit_a.pk).values_list("title", flat=True))
              for name in Figures.names()}
    assert titles["signed"] == ["A1", "A2", "A4"] and titles["signed_on_time"] == ["A1", "A4"]
    assert titles["closed_on_time"] == ["A1"] and titles["overdue_tasks"] == ["A2", "A3"]
    assert titles["returned"] == ["A2"] and titles["urged"] == ["A3"] and titles["extended"] == ["A4"]
    assert titles["satisfied"] == ["A1"] and titles["basically"] == ["A2"] and titles["opinions_due"] == []
    ids = figures.task_ids(period)[february.unit_b.pk]
    assert len(ids["opinions_due"]) == 2 and len(ids["opinions_on_time"]) == 1


@pytest.mark.django_db
def test_a_constant_number_of_queries(february, django_assert_max_num_queries) -> None:
    period = figures.Period(february.province.pk, *FEBRUARY, AFTER)
    figures.per_unit(period)  # the calendar is built once and kept
    with django_assert_max_num_queries(7):
        assert len(figures.per_unit(period)) == 3
