"""The assessment pages: the ranking of a period, its .xlsx, publishing it, the tasks behind a
figure, the weights. Thin: who may is asked of `luoshi.access`, the figures and scores come from
`assessment.services`; anyone who may not see an organisation's assessment gets 404.
"""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luoshi import access
from luoshi.assessment import services
from luoshi.assessment.columns import COLUMNS, FIGURE_LABELS, RATE_LABELS
from luoshi.assessment.forms import PeriodForm, WeightsForm
from luoshi.assessment.models import Weights
from luoshi.forms import parse_id
from luoshi.ledgers import xlsx
from luoshi.org.models import Unit
from luoshi.tasks.errors import WorkflowError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisations(request: HttpRequest) -> list[Unit]:
    orgs = access.assessment_organisations(request.user)
    if not orgs:
        raise Http404
    return orgs


def _choice(request: HttpRequest, data) -> tuple[PeriodForm, services.Ranking]:
    form = PeriodForm(data or None, organisations=_organisations(request))
    organisation, kind, start, end = form.choice()
    return form, services.ranking(organisation, kind, start, end)


def _query(ranking: services.Ranking, **more) -> str:
    return urlencode({"organisation": ranking.organisation.pk, "kind": ranking.kind,
                      "day": ranking.start.isoformat(), **more})


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, ranking = _choice(request, request.GET)
    tasks_url = reverse("assessment:tasks") + "?" + _query(ranking)
    return render(request, "assessment/index.html", {
        "form": form, "ranking": ranking, "nav": "assessment",
        "figure_labels": FIGURE_LABELS, "rate_labels": RATE_LABELS, "tasks_url": tasks_url,
        "export_url": reverse("assessment:export") + "?" + _query(ranking),
        "query": _query(ranking),
        "may_publish": access.can_publish_assessment(request.user, ranking.organisation),
        "publishable": ranking.may_publish(),
        "may_weigh": ranking.organisation.pk in {
            o.pk for o in access.assessment_weight_organisations(request.user)},
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The ranking as .xlsx: the page's rows, every figure in its own column."""
    form, ranking = _choice(request, request.GET)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest()
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    title = _("Unit assessment")
    xlsx.write(out, str(title), COLUMNS, [ranking.rows])
    out.seek(0)
    name = f"{title}_{ranking.organisation.name}_{ranking.start:%Y%m%d}-{ranking.end:%Y%m%d}.xlsx"
    response = FileResponse(out, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    form, ranking = _choice(request, request.POST)
    if not access.can_publish_assessment(request.user, ranking.organisation):
        raise Http404
    if not form.is_valid():  # never publish another period than the one asked for
        return HttpResponseBadRequest()
    try:
        services.publish(ranking.organisation, ranking.kind, ranking.start, ranking.end, request.user)
    except WorkflowError as err:
        messages.error(request, str(err.message))
    else:
        messages.success(request, _("Published: these scores no longer change."))
    return redirect(reverse("assessment:index") + "?" + _query(ranking))


@login_required
@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    """The tasks behind one unit's figure, of those the reader may see."""
    _form, ranking = _choice(request, request.GET)
    figure = request.GET.get("figure", "")
    labels = dict(FIGURE_LABELS)
    unit_id = parse_id(request.GET.get("unit"))
    row = next((r for r in ranking.rows if r.unit.pk == unit_id), None)
    if figure not in labels or row is None:
        raise Http404
    behind = services.tasks_behind(ranking, figure, row.unit)
    shown = (access.visible_tasks(request.user).filter(pk__in=behind.values("pk"))
             .select_related("lead_unit").order_by("due_date", "pk"))
    return render(request, "assessment/tasks.html", {
        "ranking": ranking, "row": row, "figure": figure, "label": labels[figure], "tasks": shown,
        "count": getattr(row.figures, figure), "nav": "assessment",
        "back": reverse("assessment:index") + "?" + _query(ranking),
    })


@login_required
def weights(request: HttpRequest) -> HttpResponse:
    orgs = access.assessment_weight_organisations(request.user)
    asked = request.POST.get("organisation") or request.GET.get("organisation")
    if asked is None:
        organisation = orgs[0] if orgs else None
    else:  # one of theirs, or nothing (a malformed or foreign id is not found)
        organisation = next((o for o in orgs if o.pk == parse_id(asked)), None)
    if organisation is None:
        raise Http404
    current = Weights.objects.filter(organisation=organisation).first() or Weights(organisation=organisation)
    form = WeightsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.set_weights(organisation, form.cleaned_data, request.user)
        messages.success(request, _("Weights saved. Published assessments keep the weights they were counted with."))
        return redirect(reverse("assessment:weights") + "?" + urlencode({"organisation": organisation.pk}))
    return render(request, "assessment/weights.html", {
        "form": form, "organisation": organisation, "nav": "assessment", "saved": current.pk is not None,
    }, status=400 if form.is_bound and form.errors else 200)
