"""The dashboard's figures as a page shows them: each chart's data (for `static/luoshi/dashboard.js`,
through `json_script`) and the table beside it, with the same numbers and the same links.

Chart specs are plain data, no ECharts options: the script turns them into charts, the template
into tables, so that the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from luoshi.dashboard.links import ledger_url, task_url
from luoshi.dashboard.queries import LIT, ByUnit, Meeting, Overview, Week
from luoshi.documents.bulletin import percent
from luoshi.tasks.models import State

COLOURS = {"red": "#c0392b", "yellow": "#d99a00", "green": "#2e7d4f", "none": "#9aa4b0", "closed": "#1d4f91",
           "rate": "#c0392b"}


def light_names() -> dict[str, str]:
    return {"red": _("Red"), "yellow": _("Yellow"), "green": _("Green"), "none": _("No light")}


def state_name(state: str) -> str:
    return str(State(state).label)


def week_label(start: dt.date, end: dt.date) -> str:
    """A week as offices write it: 11月23日—29日 (11月30日—12月6日 across a month); 23–29 Nov in English."""
    if (get_language() or "").startswith("zh"):
        tail = f"{end.day}日" if end.month == start.month else f"{end.month}月{end.day}日"
        return f"{start.month}月{start.day}日—{tail}"
    tail = f"{end.day}" if end.month == start.month else f"{end:%b} {end.day}"
    return f"{start:%b} {start.day}–{tail}"


@dataclass(frozen=True)
class Figure:
    """One number of a table, and the ledger page listing the tasks behind it ("" when none can)."""

    value: int
    url: str = ""


def _fig(value: int, url: str) -> Figure:
    return Figure(value, url if value else "")


# -- tasks by state and light ---------------------------------------------------------------------


@dataclass(frozen=True)
class StateRow:
    state: str
    label: str
    cells: list[Figure]  # per light, in LIGHTS order
    total: Figure


def state_table(o: Overview, scope: dict[str, str]) -> tuple[list[StateRow], list[Figure], Figure]:
    """Rows per state, a cell per light; the lights' totals; the grand total."""
    lights = (*LIT, "none")
    rows = [StateRow(state=s, label=state_name(s),
                     cells=[_fig(o.cells.get((s, li), 0), ledger_url("tasks", scope, state=s, light=li))
                            for li in lights],
                     total=_fig(o.state_count(s), ledger_url("tasks", scope, state=s)))
            for s in o.states()]
    totals = [_fig(o.light_count(li), ledger_url("tasks", scope, light=li)) for li in lights]
    return rows, totals, _fig(o.total, ledger_url("tasks", scope))


def state_chart(o: Overview, scope: dict[str, str]) -> dict:
    names = light_names()
    states = o.states()
    return {
        "kind": "bar", "stacked": True, "horizontal": True,
        "categories": [state_name(s) for s in states],
        "series": [{"name": names[li], "colour": COLOURS[li],
                    "data": [{"value": o.cells.get((s, li), 0),
                              "url": ledger_url("tasks", scope, state=s, light=li)} for s in states]}
                   for li in (*LIT, "none")],
    }


def light_chart(o: Overview, scope: dict[str, str]) -> dict:
    names = light_names()
    return {
        "kind": "pie",
        "series": [{"name": _("Light"), "data": [
            {"name": names[li], "value": o.light_count(li), "colour": COLOURS[li],
             "url": ledger_url("tasks", scope, light=li)} for li in (*LIT, "none")]}],
    }


# -- by lead unit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    label: str
    open: Figure
    lights: list[Figure]  # red, yellow, green
    closed: Figure
    closed_on_time: Figure
    rate: str
    is_rest: bool = False


def unit_table(b: ByUnit, scope: dict[str, str]) -> list[UnitRow]:
    rows = []
    for u in b.top:
        def url(**p: object) -> str:
            return ledger_url("tasks", scope, unit=u.unit.pk, role="lead", **p)  # noqa: B023 - used at once
        rows.append(UnitRow(
            label=u.unit.label, open=_fig(u.open, url(flag="open")),
            lights=[_fig(getattr(u, li), url(light=li)) for li in LIT],
            closed=_fig(u.closed, url(flag="closed")),
            closed_on_time=_fig(u.closed_on_time, url(flag="closed_on_time")),
            rate=percent(u.on_time_rate)))
    every_unit = ledger_url("responsibility", scope)  # the rest: every unit's row is there
    for u, label in ((b.rest, _("Other units (%(n)s)")), (b.total, _("All units (%(n)s)"))):
        if u is None:
            continue
        rows.append(UnitRow(
            label=label % {"n": u.units}, open=_fig(u.open, every_unit),
            lights=[_fig(getattr(u, li), every_unit) for li in LIT], closed=_fig(u.closed, every_unit),
            closed_on_time=_fig(u.closed_on_time, every_unit), rate=percent(u.on_time_rate), is_rest=True))
    return rows


def unit_chart(b: ByUnit, scope: dict[str, str]) -> dict:
    names = light_names()
    units = list(b.top)
    labels = [u.unit.label for u in units]
    rest_url = ledger_url("responsibility", scope)
    if b.rest is not None:
        labels.append(_("Other units (%(n)s)") % {"n": b.rest.units})
    series = []
    for li in LIT:
        data = [{"value": getattr(u, li), "url": ledger_url("tasks", scope, unit=u.unit.pk, role="lead", light=li)}
                for u in units]
        if b.rest is not None:
            data.append({"value": getattr(b.rest, li), "url": rest_url})
        series.append({"name": _("Open: %(light)s") % {"light": names[li]}, "colour": COLOURS[li], "stack": "open",
                       "data": data})
    closed = [{"value": u.closed, "url": ledger_url("tasks", scope, unit=u.unit.pk, role="lead", flag="closed")}
              for u in units]
    if b.rest is not None:
        closed.append({"value": b.rest.closed, "url": rest_url})
    series.append({"name": _("Closed"), "colour": COLOURS["closed"], "stack": "closed", "data": closed})
    return {"kind": "bar", "stacked": True, "horizontal": True, "categories": labels, "series": series}


# -- on time, week by week ----------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRow:
    label: str
    start: dt.date
    end: dt.date
    closed: Figure
    closed_on_time: Figure
    rate: str


def week_table(weeks: list[Week], scope: dict[str, str]) -> list[WeekRow]:
    # the results ledger dates a task by its closing: the same week, the same tasks
    return [WeekRow(label=week_label(w.start, w.end), start=w.start, end=w.end,
                    closed=_fig(w.closed, ledger_url("results", scope, start=w.start, end=w.end)),
                    closed_on_time=_fig(w.closed_on_time, ledger_url("results", scope, start=w.start, end=w.end,
                                                                     flag="closed_on_time")),
                    rate=percent(w.on_time_rate)) for w in weeks]


def week_chart(weeks: list[Week], scope: dict[str, str]) -> dict:
    def url(w: Week, **p: object) -> str:
        return ledger_url("results", scope, start=w.start, end=w.end, **p)
    return {
        "kind": "weeks", "categories": [week_label(w.start, w.end) for w in weeks],
        "series": [
            {"name": _("Closed"), "colour": COLOURS["closed"], "type": "bar",
             "data": [{"value": w.closed, "url": url(w)} for w in weeks]},
            {"name": _("Closed on time"), "colour": COLOURS["green"], "type": "bar",
             "data": [{"value": w.closed_on_time, "url": url(w, flag="closed_on_time")} for w in weeks]},
            {"name": _("On-time rate"), "colour": COLOURS["rate"], "type": "line", "percent": True,
             "data": [{"value": None if w.on_time_rate is None else round(w.on_time_rate, 1), "url": url(w)}
                      for w in weeks]},
        ],
    }


# -- one meeting --------------------------------------------------------------------------------


def meeting_chart(m: Meeting) -> dict:
    names = light_names()
    rows = list(reversed(m.directives))  # a horizontal chart draws its first category at the bottom
    return {
        "kind": "progress", "categories": [_number(d.ordinal, d.title) for d in rows],
        "series": [{"name": _("Done"), "percent": True, "data": [
            {"value": d.done, "colour": COLOURS["closed" if d.state == State.CLOSED else d.light],
             "url": task_url(d.pk),
             "note": f"{state_name(d.state)} · {names[d.light]}"} for d in rows]}],
    }


def _number(ordinal: int | None, title: str, width: int = 14) -> str:
    short = title if len(title) <= width else title[: width - 1] + "…"
    return f"{ordinal}. {short}" if ordinal is not None else short
