"""The project ledger, its .xlsx, and a project's page. Thin: who sees what from `access`, rows
from `ledger`, figures from `charts`, changes through `services`."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from luoshi import access
from luoshi.ledgers import xlsx
from luoshi.org.models import Unit
from luoshi.projects import charts, ledger, rules, services
from luoshi.projects.forms import InvestmentForm, LedgerForm, StageForm
from luoshi.projects.models import ProjectChange, StageKind
from luoshi.tasks.errors import WorkflowError


def _ledger_form(request: HttpRequest) -> LedgerForm:
    visible = access.visible_projects(request.user)
    units = Unit.objects.filter(pk__in=visible.order_by().values("unit")).order_by("name")
    return LedgerForm(request.GET or None, units=units)


@login_required
def ledger_page(request: HttpRequest) -> HttpResponse:
    if not access.can_see_projects(request.user):
        raise Http404
    today = timezone.localdate()
    form = _ledger_form(request)
    f = form.filters()
    rows, cursor = ledger.page(ledger.rows(request.user, f, today), request.GET.get("after"))
    query = request.GET.copy()
    query.pop("after", None)
    next_url = None
    if cursor:
        query["after"] = cursor
        next_url = "?" + query.urlencode()
        query.pop("after")
    return render(request, "projects/ledger.html", {
        "nav": "projects", "form": form, "filtered": f.any(), "rows": rows, "columns": ledger.COLUMNS,
        "today": today, "next_url": next_url,
        "first_url": ("?" + query.urlencode()) if request.GET.get("after") else None,
        "export_url": "ledger.xlsx" + (("?" + query.urlencode()) if query else ""),
    })


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The ledger as filtered, as .xlsx, written row by row to a temporary file and streamed."""
    if not access.can_see_projects(request.user):
        raise Http404
    today = timezone.localdate()
    f = _ledger_form(request).filters()
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    title = _("Major projects ledger")
    xlsx.write(out, title, ledger.COLUMNS, ledger.chunks(ledger.rows(request.user, f, today)))
    out.seek(0)
    response = FileResponse(out, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{title}-{today:%Y%m%d}.xlsx")
    return response


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_or_404(request.user, pk)
    today = timezone.localdate()
    may_record = access.can_record_project(request.user, project)
    months = [m for m in project.investments.order_by("month").values_list("month", flat=True)
              if m <= rules.month_start(today)]
    # offered first: the next stage to reach, and the last month ended
    next_stage = project.stages.filter(actual_date__isnull=True).order_by("kind").values_list("kind", flat=True).first()
    ended = [m for m in months if m < rules.month_start(today)]
    stage_form = StageForm(initial={"stage": next_stage})
    investment_form = InvestmentForm(months=months, initial={"month": (ended or months or [None])[-1]})
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if request.POST.get("record") == "stage":
            stage_form = StageForm(request.POST)
            if stage_form.is_valid():
                return _saved(request, project, lambda: services.record_stage(
                    project, request.user, stage_form.cleaned_data["stage"], stage_form.cleaned_data["actual_date"]))
        elif request.POST.get("record") == "investment":
            investment_form = InvestmentForm(request.POST, months=months)
            if investment_form.is_valid():
                month = dt.date.fromisoformat(investment_form.cleaned_data["month"])
                return _saved(request, project, lambda: services.record_investment(
                    project, request.user, month, investment_form.cleaned_data["actual"]))
        else:
            return HttpResponseBadRequest()
    stages = charts.stage_rows(project, today)
    months_rows = charts.month_rows(project, today)
    triggers = list(project.triggers.select_related("task", "stage"))
    seen = set(access.visible_tasks(request.user).filter(pk__in=[t.task_id for t in triggers if t.task_id])
               .values_list("pk", flat=True))
    history = list(ProjectChange.objects.filter(project=project).select_related("actor")[:50])
    for change in history:
        _label(change)
    return render(request, "projects/detail.html", {
        "nav": "projects", "project": project, "today": today, "stages": stages, "months": months_rows,
        "triggers": triggers, "visible_tasks": seen, "history": history, "may_record": may_record,
        "stage_form": stage_form, "investment_form": investment_form,
        "chart_data": {"stages": charts.timeline_chart(stages, today), "investment": charts.curve_chart(months_rows)},
    }, status=400 if request.method == "POST" else 200)


def _saved(request: HttpRequest, project, change) -> HttpResponse:
    try:
        change()
    except WorkflowError as err:
        messages.error(request, err.message)
        return redirect("projects:detail", project.pk)
    messages.success(request, _("Saved."))
    return redirect("projects:detail", project.pk)


def _label(change: ProjectChange) -> None:
    """What a history line shows: the stage's name and dates as offices write them, or the month."""
    if change.what == "stage":
        change.label = StageKind(change.key).label
        for side in ("before", "after"):
            value = getattr(change, side)
            setattr(change, side, date_format(dt.date.fromisoformat(value)) if value else "")
    else:
        change.label = date_format(dt.date.fromisoformat(change.key + "-01"), "YEAR_MONTH_FORMAT")
