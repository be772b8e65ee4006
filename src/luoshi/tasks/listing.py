"""The task list's rows: what a row reads, and its HTML written in Python.

Django's templates spent about half a millisecond on a row of the list: each variable, tag,
translation and escape resolved one at a time, fifty rows a page. At a province's size that was a
third of the page, whose query takes a millisecond (docs/performance.md). The HTML here is what
the row template wrote, its words translated once a page. A row reads only the columns it shows,
and its co-units' names come in one query for the page: prefetching the co-units made a model
object, a manager and a queryset for each (8 ms of a page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from luoshi.escape import esc
from luoshi.tasks.models import Task
from luoshi.tasks.templatetags.luoshi import light_dot

# the task's columns a row shows (with its lead unit's name): any other would be read row by row
COLUMNS = ("title", "kind", "state", "version", "urge_count", "due_date", "lead_unit", "lead_unit__name")

# one row: the task, its light, its kind's and its state's labels, its co-units' names (what
# `views.task_list` hands over)
Row = tuple[Task, str, str, str, Sequence[str]]


def co_units_of(tasks: Sequence[Task]) -> dict[int, list[tuple[str, str]]]:
    """Each task's co-units as (short name, name), in the order of their names, in one query for
    a page (the list's rows, a ledger's page or export chunk)."""
    units: dict[int, list[tuple[str, str]]] = {}
    if not tasks:
        return units
    links = (Task.co_units.through.objects.filter(task__in=[t.pk for t in tasks])
             .order_by("unit__name").values_list("task_id", "unit__short_name", "unit__name"))
    for task, short, name in links:
        units.setdefault(task, []).append((short, name))
    return units


def co_unit_names(tasks: Sequence[Task]) -> dict[int, list[str]]:
    """The names of each task's co-units, as a list row shows them (`co_units_of`)."""
    return {pk: [name for _short, name in units] for pk, units in co_units_of(tasks).items()}


# a key no task has, reversed once a page: a detail link is that path with the task's key in its place
_KEY = 987654321987654321


def rows_html(rows: list[Row]) -> SafeString:
    """The ``<tr>`` of each row, every text escaped as `format_html` would (`luoshi.escape`)."""
    l_kind, l_state, l_unit, l_due = (esc(gettext(w)) for w in ("Kind", "State", "Lead unit", "Due date"))
    l_urged = esc(gettext("Times urged (催办)"))
    tick, with_units = gettext("Tick #%(pk)s %(title)s"), gettext("with %(units)s")
    head, tail = (esc(part) for part in reverse("tasks:detail", args=[_KEY]).split(str(_KEY)))
    dots: dict[str, str] = {}
    dates: dict[dt.date, str] = {}
    out = []
    for task, light, kind_label, state_label, co_names in rows:
        pk = task.pk
        if light not in dots:
            dots[light] = light_dot(light)
        urged = ""
        if n := task.urge_count:
            said = esc(ngettext("urged once", "urged %(n)s×", n) % {"n": n})
            urged = f' <span class="badge urged" title="{l_urged}">{said}</span>'
        lead = esc(str(task.lead_unit)) if task.lead_unit_id else "—"
        co = f' <span class="co">{esc(with_units % {"units": "、".join(co_names)})}</span>' if co_names else ""
        due = task.due_date
        if due is None:
            when = "—"
        elif due in dates:
            when = dates[due]
        else:
            when = dates[due] = f'<time datetime="{due.isoformat()}">{esc(formats.date_format(due))}</time>'
        out.append(
            f'<tr class="light-{esc(light)}">'
            f'<td class="c-pick"><input type="checkbox" name="row" value="{pk}:{task.version}" id="pick-{pk}" '
            f'aria-label="{esc(tick % {"pk": pk, "title": task.title})}"></td>'
            f'<td class="c-light">{dots[light]}</td>'
            f'<td class="c-id">#{pk}</td>'
            f'<td class="c-title"><a href="{head}{pk}{tail}">{esc(task.title)}</a>{urged}</td>'
            f'<td class="c-kind" data-label="{l_kind}">{esc(kind_label)}</td>'
            f'<td class="c-state" data-label="{l_state}"><span class="state state-{esc(task.state)}">'
            f"{esc(state_label)}</span></td>"
            f'<td class="c-unit" data-label="{l_unit}">{lead}{co}</td>'
            f'<td class="c-due" data-label="{l_due}">{when}</td>'
            "</tr>\n")
    return mark_safe("".join(out))
