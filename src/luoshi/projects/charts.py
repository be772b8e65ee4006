"""One project's page: its stages against their plan and its investment month by month, each as
the rows of a table and as the data ECharts draws from (the same figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from luoshi.projects import queries, rules
from luoshi.projects.models import Project
from luoshi.projects.templatetags.projects import plain
from luoshi.workdays.services import calendar_for

COLOURS = {"planned": "#8aa4c8", "actual": "#2f6fbd", "slipped": "#c0392b", "late": "#d68910", "today": "#888"}


@dataclass
class StageRow:
    kind: str
    label: str
    planned: dt.date | None
    actual: dt.date | None
    status: str  # done, late (reached after its plan), slipped, ahead (not due yet), unplanned

    @property
    def status_label(self) -> str:
        return {"done": _("Reached"), "late": _("Reached late"), "slipped": _("Slipped"),
                "ahead": _("Not due yet"), "unplanned": _("No plan")}[self.status]


@dataclass
class MonthRow:
    month: dt.date
    planned: Decimal
    actual: Decimal | None
    planned_total: Decimal
    actual_total: Decimal | None  # None: a month not ended yet
    counted: bool  # ended before the day: counts toward the shortfall

    @property
    def label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")


def stage_rows(project: Project, at: dt.date) -> list[StageRow]:
    cfg = queries.settings_for([project.organisation_id])[project.organisation_id]
    calendar = calendar_for(project.organisation_id)
    out = []
    for s in project.stages.order_by("kind"):
        if s.actual_date is not None:
            status = "late" if s.planned_date and s.actual_date > s.planned_date else "done"
        elif rules.is_slipped(calendar, at, s.planned_date, None, cfg.slip_grace):
            status = "slipped"
        else:
            status = "ahead" if s.planned_date else "unplanned"
        out.append(StageRow(s.kind, s.get_kind_display(), s.planned_date, s.actual_date, status))
    return out


def month_rows(project: Project, at: dt.date) -> list[MonthRow]:
    until = rules.counted_until(at)
    out, planned_total, actual_total = [], Decimal(0), Decimal(0)
    for m in project.investments.order_by("month"):
        planned_total += m.planned
        ended = m.month < until
        if ended or m.actual is not None:
            actual_total += m.actual or 0
        out.append(MonthRow(m.month, m.planned, m.actual, planned_total,
                            actual_total if ended or m.actual is not None else None, ended))
    return out


def timeline_chart(rows: list[StageRow], at: dt.date) -> dict:
    def point(i: int, day: dt.date | None, status: str, name: str) -> dict | None:
        if day is None:
            return None
        colour = COLOURS["slipped"] if status == "slipped" and name == "planned" else \
            COLOURS["late"] if status == "late" and name == "actual" else COLOURS[name]
        return {"value": [day.isoformat(), i], "colour": colour, "note": date_format(day)}

    planned, actual = [], []
    for i, r in enumerate(rows):
        planned.append(point(i, r.planned, r.status, "planned"))
        actual.append(point(i, r.actual, r.status, "actual"))
    return {"kind": "timeline", "categories": [r.label for r in rows], "today": at.isoformat(),
            "today_label": _("Today"),
            "series": [{"name": _("Planned"), "data": [p for p in planned if p], "colour": COLOURS["planned"],
                        "hollow": True},
                       {"name": _("Reached"), "data": [p for p in actual if p], "colour": COLOURS["actual"]}]}


def curve_chart(rows: list[MonthRow]) -> dict:
    return {"kind": "curve", "categories": [r.label for r in rows], "unit": _("10,000 yuan"),
            "series": [{"name": _("Planned, cumulative"), "colour": COLOURS["planned"],
                        "data": [float(r.planned_total) for r in rows],
                        "labels": [plain(r.planned_total) for r in rows]},
                       {"name": _("Invested, cumulative"), "colour": COLOURS["actual"],
                        "data": [float(r.actual_total) if r.actual_total is not None else None for r in rows],
                        "labels": [plain(r.actual_total) for r in rows]}]}
