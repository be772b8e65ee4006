"""The arithmetic of a score, by hand (no database)."""

from __future__ import annotations

from decimal import Decimal

from luoshi.assessment.scoring import Figures, WeightSet, ranks, score


def test_every_rate_and_penalty() -> None:
    f = Figures(signed=4, signed_on_time=3, closed=5, closed_on_time=4, overdue_days=7, returned=2, urged=3,
                extended=1, opinions_due=2, opinions_on_time=1, rated=4, satisfied=2, basically=1, unsatisfied=1)
    r = score(f, WeightSet())
    # 100 × (15 × 0.75 + 45 × 0.8 + 15 × 0.5 + 25 × 0.75) / 100 = 11.25 + 36 + 7.5 + 18.75 = 73.5
    # penalty 7 × 0.1 + 2 × 1 + 3 × 0.5 + 1 × 0.5 = 0.7 + 2 + 1.5 + 0.5 = 4.7
    assert (r.merit, r.penalty, r.total) == (Decimal("73.50"), Decimal("4.70"), Decimal("68.80"))
    assert r.rates == {"signed_on_time": Decimal("75.00"), "closed_on_time": Decimal("80.00"),
                       "opinions_on_time": Decimal("50.00"), "satisfaction": Decimal("75.00")}


def test_a_rate_with_nothing_to_count_is_left_out() -> None:
    # only closings: 1 of 3 on time, 100 × 45 × 1/3 / 45 = 33.333… → 33.33
    r = score(Figures(closed=3, closed_on_time=1), WeightSet())
    assert r.total == Decimal("33.33") and r.rates["signed_on_time"] is None


def test_nothing_but_penalties_starts_from_100_and_never_goes_below_0() -> None:
    assert score(Figures(urged=3), WeightSet()).total == Decimal("98.50")
    assert score(Figures(overdue_days=2000), WeightSet()).total == Decimal("0.00")


def test_a_weight_of_zero_leaves_a_rate_out() -> None:
    w = WeightSet(signed_on_time=Decimal(0))
    # signing late does not count; closing all on time: 100
    assert score(Figures(signed=2, closed=1, closed_on_time=1), w).total == Decimal("100.00")


def test_half_up_rounding() -> None:
    # 100 × 15 × 1/8 / 15 = 12.5; less 0.005 per day × 1 = 12.495 → 12.50 (half up, not to even)
    w = WeightSet(per_overdue_day=Decimal("0.005"))
    assert score(Figures(signed=8, signed_on_time=1, overdue_days=1), w).total == Decimal("12.50")


def test_weights_round_trip_through_json() -> None:
    w = WeightSet(per_return=Decimal("1.25"))
    assert WeightSet.from_json(w.as_json()) == w


def test_equal_scores_share_a_rank() -> None:
    assert ranks([Decimal(90), Decimal(80), Decimal(80), Decimal(70)]) == [1, 2, 2, 4]
    assert ranks([]) == []
