"""The monitoring pages: subjects (keyset pages), a subject's values over time, rules, the import.
Who may is `access.MONITORING`; a subject or rule out of reach is 404."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.monitoring import queries
from luoshi.monitoring.evaluate import latest_period
from luoshi.monitoring.forms import ImportForm, RuleForm
from luoshi.monitoring.importing import ImportFailed, import_file
from luoshi.monitoring.masking import mask_id, mask_phone
from luoshi.monitoring.models import Breach, Indicator, Rule, Unmasking


def _int(value, default: int = 0) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


def _home_org(request: HttpRequest):
    orgs = access.monitoring_organisations(request.user)
    return orgs[0] if orgs else access.home_organisation(request.user)


@login_required
def subject_list(request: HttpRequest) -> HttpResponse:
    if not access.can_see_monitoring(request.user):
        raise PermissionDenied
    organisation = _home_org(request)
    open_only = request.GET.get("open") == "on"
    subjects = access.visible_subjects(request.user)
    code = request.GET.get("q", "").strip()
    if code:
        subjects = subjects.filter(code=code)
    page, next_after = queries.page_of(subjects, _int(request.GET.get("after")), open_only=open_only)
    period = latest_period(organisation) if organisation else None
    indicators = list(Indicator.objects.filter(organisation=organisation)) if organisation else []
    rows = queries.rows_for(page, indicators, period)
    for row in rows:
        row.cells = [row.values.get(i.pk) for i in indicators]
    return render(request, "monitoring/subjects.html", {
        "rows": rows, "indicators": indicators, "period": period, "next_after": next_after,
        "open_only": open_only, "q": code, "organisation": organisation, "nav": "monitoring",
        "may_keep_rules": bool(access.monitoring_organisations(request.user, "keep_rules")),
        "may_import": bool(access.monitoring_organisations(request.user, "import")),
    })


@login_required
def subject_page(request: HttpRequest, pk: int) -> HttpResponse:
    subject = access.get_subject_or_404(request.user, pk)
    may_unmask = access.can_monitor(request.user, "unmask", subject)
    unmasked = False
    if request.method == "POST":
        if not may_unmask:
            raise PermissionDenied
        Unmasking.objects.create(user=request.user, organisation=subject.organisation, subject=subject, what="page")
        unmasked = True
    indicators, series = queries.series(subject, latest_period(subject.organisation))
    breaches = list(Breach.objects.filter(subject=subject).select_related("rule", "task").order_by("-is_open", "pk"))
    visible = set(access.visible_tasks(request.user).filter(pk__in=[b.task_id for b in breaches if b.task_id])
                  .values_list("pk", flat=True))
    return render(request, "monitoring/subject.html", {
        "subject": subject, "indicators": indicators, "series": series, "breaches": breaches,
        "visible_tasks": visible, "may_unmask": may_unmask, "unmasked": unmasked,
        "id_number": subject.id_number if unmasked else mask_id(subject.id_number),
        "phone": subject.phone if unmasked else mask_phone(subject.phone), "nav": "monitoring",
    })


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def subject_export(request: HttpRequest) -> StreamingHttpResponse:
    """The subjects the user sees as CSV, streamed by keyset; personal data masked unless the user
    may unmask every row of the organisation and asks (?unmasked=1), which is journaled."""
    orgs = access.monitoring_organisations(request.user, "unmask")
    unmasked = request.GET.get("unmasked") == "1"
    if unmasked and not orgs:
        raise PermissionDenied
    subjects = access.visible_subjects(request.user)
    if unmasked:
        subjects = subjects.filter(organisation__in=orgs)
        Unmasking.objects.create(user=request.user, organisation=orgs[0], what="export")
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([_("Code"), _("Name"), _("Unit in charge"), _("ID number"), _("Phone")])
        after = 0
        while True:
            chunk = list(subjects.filter(pk__gt=after).order_by("pk").select_related("unit")[:2000])
            if not chunk:
                return
            for s in chunk:
                yield writer.writerow([s.code, s.name, s.unit.name if s.unit else "",
                                       s.id_number if unmasked else mask_id(s.id_number),
                                       s.phone if unmasked else mask_phone(s.phone)])
            after = chunk[-1].pk

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="subjects.csv"'
    return response


def _rule_org(request: HttpRequest, action: str = "see"):
    orgs = access.monitoring_organisations(request.user, action)
    if not orgs:
        raise PermissionDenied
    return orgs[0]


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    organisation = _rule_org(request)
    rules = Rule.objects.filter(organisation=organisation).select_related("indicator", "acting_unit")
    counts = {r["rule"]: r["n"] for r in Breach.objects.filter(rule__organisation=organisation, is_open=True)
              .values("rule").annotate(n=Count("pk"))}
    for r in rules:
        r.open_breaches = counts.get(r.pk, 0)
    return render(request, "monitoring/rules.html", {
        "rules": rules, "organisation": organisation, "nav": "monitoring",
        "may_keep_rules": organisation in access.monitoring_organisations(request.user, "keep_rules")})


@login_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _rule_org(request, "keep_rules")
    rule = None
    if pk is not None:
        rule = Rule.objects.filter(pk=pk, organisation__in=access.monitoring_organisations(request.user, "keep_rules")
                                   ).first()
        if rule is None:
            raise Http404
        organisation = rule.organisation
    form = RuleForm(request.POST or None, instance=rule, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        form.save_m2m()
        messages.success(request, _("Rule saved: %(name)s.") % {"name": saved.name})
        return redirect(reverse("monitoring:rules"))
    return render(request, "monitoring/rule_edit.html", {"form": form, "rule": rule, "nav": "monitoring"},
                  status=400 if form.errors else 200)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    organisation = _rule_org(request, "import")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, result, status = [], None, 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_file(organisation, upload.file, upload.name, sample=form.cleaned_data["sample"])
        except ImportFailed as failed:
            problems, status = failed.problems, 400
    elif request.method == "POST":
        status = 400
    return render(request, "monitoring/import.html", {
        "form": form, "problems": problems, "result": result, "organisation": organisation, "nav": "monitoring"},
        status=status)


@login_required
@require_POST
def evaluate_now(request: HttpRequest) -> HttpResponse:
    """Enqueue the evaluation job (the worker runs it); the page says so."""
    _rule_org(request, "keep_rules")
    from luoshi.monitoring.jobs import evaluate

    evaluate.enqueue()
    messages.success(request, _("The rules will be evaluated by the worker in a moment."))
    return redirect(reverse("monitoring:rules"))
