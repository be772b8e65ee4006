"""Figures and months as Chinese offices write them: 4,800 and 4,800.5; 2026年6月."""

from __future__ import annotations

import datetime as dt


def figure(value: float | None) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def month(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月" if day else "—"
