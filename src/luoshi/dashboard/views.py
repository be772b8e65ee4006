"""The leaders' dashboard (领导驾驶舱). Thin: figures from `dashboard.queries`, their tables and
charts from `dashboard.charts`; who may see it and whose tasks it counts from `access`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from luoshi import access
from luoshi.dashboard import charts, queries
from luoshi.dashboard.forms import DashboardForm
from luoshi.dashboard.links import ledger_url, scope_params
from luoshi.documents.bulletin import percent
from luoshi.ledgers.filters import Filters
from luoshi.org.models import User

TOP_UNITS = 10
WEEKS = 12
OVERDUE_SHOWN = 10


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_see_dashboard(user):
        raise PermissionDenied
    today = timezone.localdate()
    supervises = bool(access.supervised_organisations(user))
    visible = access.visible_tasks(user)
    # the leaders and meetings offered are those of tasks the reader may see: no other name leaks
    leaders = User.objects.filter(pk__in=visible.values("leader")).order_by("display_name") if supervises else None
    own = queries.scoped_tasks(user, Filters(leader=access.dashboard_leader(user)))
    form = DashboardForm(request.GET or None, leaders=leaders, sources=queries.meeting_sources(user, own))
    f = Filters(leader=access.dashboard_leader(user, form.value("leader")))
    scope = scope_params(f)
    tasks = queries.scoped_tasks(user, f)

    kept = queries.kept(user, f, today)  # the counts kept as tasks change, where they stand for these
    overview, units = queries.figures(tasks, today, top=TOP_UNITS, groups=kept.groups if kept else None)
    weeks = queries.on_time_by_week(tasks, today, weeks=WEEKS, kept=kept)
    source = form.value("meeting") or form.fields["meeting"].queryset.first()
    meeting = queries.meeting(tasks, source, today) if source is not None else None

    state_rows, light_totals, total = charts.state_table(overview, scope)
    chart_data = {
        "states": charts.state_chart(overview, scope),
        "lights": charts.light_chart(overview, scope),
        "units": charts.unit_chart(units, scope),
        "weeks": charts.week_chart(weeks, scope),
    }
    if meeting is not None and meeting.directives:
        chart_data["meeting"] = charts.meeting_chart(meeting)
    context = {
        "nav": "dashboard", "today": today, "form": form, "leader": f.leader, "supervises": supervises,
        "overview": overview, "on_time_rate": percent(overview.on_time_rate),
        "signed_rate": percent(overview.signed_on_time_rate),
        "light_names": charts.light_names(), "state_rows": state_rows, "light_totals": light_totals, "total": total,
        "unit_rows": charts.unit_table(units, scope), "week_rows": charts.week_table(weeks, scope),
        "overdue": queries.longest_overdue(tasks, today, limit=OVERDUE_SHOWN),
        "meeting": meeting, "chart_data": chart_data,
        "links": {
            "all": ledger_url("tasks", scope), "open": ledger_url("tasks", scope, flag="open"),
            "overdue": ledger_url("tasks", scope, flag="overdue"), "yellow": ledger_url("tasks", scope, light="yellow"),
            "closed": ledger_url("tasks", scope, flag="closed"),
            "on_time": ledger_url("tasks", scope, flag="closed_on_time"),
            "signed_on_time": ledger_url("tasks", scope, flag="signed_on_time"),
            "meeting": ledger_url("tasks", scope, source=source.pk, kind="directive") if source else "",
            "meeting_all": ledger_url("tasks", scope, source=source.pk) if source else "",
        },
    }
    return render(request, "dashboard/dashboard.html", context, status=400 if form.errors else 200)
