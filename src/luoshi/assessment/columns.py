"""The ranking's columns, as the .xlsx export writes them (one figure a column, numbers as numbers)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from luoshi.ledgers.definitions import Column

# (figure, label): the counts behind a score, in the order the page shows them
FIGURE_LABELS: list[tuple[str, str]] = [
    ("signed", _("Tasks signed for")),
    ("signed_on_time", _("Tasks signed for on time")),
    ("closed", _("Tasks closed")),
    ("closed_on_time", _("Tasks closed on time")),
    ("overdue_tasks", _("Overdue tasks")),
    ("overdue_days", _("Overdue working days")),
    ("returned", _("Returns")),
    ("urged", _("Urgings")),
    ("extended", _("Extensions granted")),
    ("opinions_due", _("Co-unit opinions due")),
    ("opinions_on_time", _("Co-unit opinions on time")),
    ("rated", _("Ratings received")),
    ("satisfied", _("Satisfied")),
    ("basically", _("Basically satisfied")),
    ("unsatisfied", _("Unsatisfied")),
]
RATE_LABELS: list[tuple[str, str]] = [
    ("signed_on_time", _("Signed for on time (rate)")),
    ("closed_on_time", _("Closed on time (rate)")),
    ("opinions_on_time", _("Co-unit opinions on time (rate)")),
    ("satisfaction", _("Satisfaction (rate)")),
]


def _number(value: Decimal | int | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


def _figure(name: str):
    return lambda row: getattr(row.figures, name)


def _rate(key: str):
    return lambda row: _number(row.result.rates[key])


COLUMNS: tuple[Column, ...] = (
    Column("rank", _("Rank"), "int", lambda row: row.rank, 6),
    Column("unit", _("Unit"), "text", lambda row: row.unit.name, 22),
    Column("total", _("Score"), "number", lambda row: _number(row.result.total), 8),
    Column("merit", _("Weighted rates"), "number", lambda row: _number(row.result.merit), 10),
    Column("penalty", _("Points off"), "number", lambda row: _number(row.result.penalty), 8),
    *(Column(f"rate_{k}", label, "percent", _rate(k), 12) for k, label in RATE_LABELS),
    *(Column(name, label, "int", _figure(name), 10) for name, label in FIGURE_LABELS),
)
