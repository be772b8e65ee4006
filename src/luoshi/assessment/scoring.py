"""A unit's score from its figures and the organisation's weights: pure arithmetic, no Django.

    merit   = 100 × Σ(weight × rate) / Σ(weight)   over the rates the unit has in the period
    penalty = overdue working days × per day + returns × per return
              + urgings × per urging + extensions × per extension
    total   = merit − penalty, held between 0 and 100, rounded half up to 2 decimals

A rate the unit has nothing for (it closed nothing, so it has no on-time closing rate) is left
out of both sums rather than counted as 0 or 100: a unit is judged on what it had to do. With
no rate at all the merit is 100 and only the penalties count. Decimal arithmetic throughout,
so that a score counted by hand is the score shown. docs/assessment.md says why.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    """What one unit did in a period (counted by `luoshi.assessment.figures`)."""

    signed: int = 0  # tasks signed for (签收) in the period, as lead unit
    signed_on_time: int = 0  # of those, within the working days the organisation allows
    closed: int = 0  # tasks closed (办结) in the period
    closed_on_time: int = 0  # of those, by their due date
    overdue_tasks: int = 0  # tasks past their due date on some day of the period
    overdue_days: int = 0  # working days of the period they were past it, summed
    returned: int = 0  # returns (退回) in the period
    urged: int = 0  # urgings (催办) in the period
    extended: int = 0  # extensions granted (延期) in the period
    opinions_due: int = 0  # co-unit opinions (协办意见) falling due in the period
    opinions_on_time: int = 0  # of those, given by their date
    rated: int = 0  # proposers' ratings in the period of the unit's tasks
    satisfied: int = 0
    basically: int = 0  # basically satisfied (基本满意)
    unsatisfied: int = 0

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def is_empty(self) -> bool:
        return not any(getattr(self, n) for n in self.names())


@dataclass(frozen=True)
class WeightSet:
    """The weight of each rate (points, in any proportion) and each penalty (points per occurrence)."""

    signed_on_time: Decimal = Decimal(15)
    closed_on_time: Decimal = Decimal(45)
    opinions_on_time: Decimal = Decimal(15)
    satisfaction: Decimal = Decimal(25)
    per_overdue_day: Decimal = Decimal("0.1")
    per_return: Decimal = Decimal(1)
    per_urging: Decimal = Decimal("0.5")
    per_extension: Decimal = Decimal("0.5")

    RATES = ("signed_on_time", "closed_on_time", "opinions_on_time", "satisfaction")
    PENALTIES = ("per_overdue_day", "per_return", "per_urging", "per_extension")

    def as_json(self) -> dict[str, str]:
        return {n: str(getattr(self, n)) for n in (*self.RATES, *self.PENALTIES)}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> WeightSet:
        return cls(**{n: Decimal(v) for n, v in data.items() if n in (*cls.RATES, *cls.PENALTIES)})


@dataclass(frozen=True)
class Result:
    rates: dict[str, Decimal | None]  # each rate in percent, None where the unit had nothing to count
    merit: Decimal
    penalty: Decimal
    total: Decimal


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a fraction (0…1), None when ``whole`` is 0."""
    return Decimal(part) / Decimal(whole) if whole else None


def rates(f: Figures) -> dict[str, Decimal | None]:
    """The four rates as fractions, keyed like the weights."""
    return {
        "signed_on_time": rate(f.signed_on_time, f.signed),
        "closed_on_time": rate(f.closed_on_time, f.closed),
        "opinions_on_time": rate(f.opinions_on_time, f.opinions_due),
        # 满意率 as offices count it: satisfied and basically satisfied, of all ratings
        "satisfaction": rate(f.satisfied + f.basically, f.rated),
    }


def score(f: Figures, w: WeightSet) -> Result:
    shares = {k: v for k, v in rates(f).items() if v is not None and getattr(w, k) > 0}
    weight = sum((getattr(w, k) for k in shares), Decimal(0))
    merit = HUNDRED * sum((getattr(w, k) * v for k, v in shares.items()), Decimal(0)) / weight if weight else HUNDRED
    penalty = (f.overdue_days * w.per_overdue_day + f.returned * w.per_return + f.urged * w.per_urging
               + f.extended * w.per_extension)
    total = min(HUNDRED, max(Decimal(0), merit - penalty))
    return Result(
        rates={k: _round(HUNDRED * v) if v is not None else None for k, v in rates(f).items()},
        merit=_round(merit), penalty=_round(penalty), total=_round(total),
    )


def ranks(totals: list[Decimal]) -> list[int]:
    """Competition ranks of ``totals`` in the order given (best first expected): equal totals
    share a rank and the next rank skips (1, 2, 2, 4)."""
    out: list[int] = []
    for n, t in enumerate(totals):
        out.append(out[-1] if n and t == totals[n - 1] else n + 1)
    return out


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
