"""The working-day calendar page: one year of an organisation's calendar, as the statutory
holidays make it and as its administrators and supervisors change it with local days.

Who may: `access.workday_organisations`; anyone else gets 403 for the page and 404 for a day.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.forms import parse_id
from luoshi.org.models import Unit
from luoshi.workdays.forms import LocalDayForm, duplicate_message
from luoshi.workdays.models import LocalDay
from luoshi.workdays.services import calendar_for, warnings_for
from luoshi.workdays.statutory import PACKAGE

YEARS_AHEAD = 3  # the selector offers this many years past the later of today and the last one known


def _organisation(request: HttpRequest) -> tuple[Unit, list[Unit]]:
    """The organisation asked for, if the user keeps its days: 403 if they keep none, 404 if not that one."""
    orgs = access.workday_organisations(request.user)
    if not orgs:
        raise PermissionDenied
    chosen = request.POST.get("organisation") or request.GET.get("org")
    if not chosen:
        return orgs[0], orgs
    found = next((o for o in orgs if str(o.pk) == chosen), None)
    if found is None:
        raise Http404
    return found, orgs


def _year(value: str | None) -> int:
    """The year asked for, this year if none; a year that cannot be one is a page not found."""
    if not value:
        return timezone.localdate().year
    year = parse_id(value)
    if year is None or year > 9999:
        raise Http404
    return year


def _url(organisation: Unit, year: int) -> str:
    return f"{reverse('workdays:page')}?org={organisation.pk}&year={year}"


def _periods(year: int) -> list[dict]:
    chinese = (translation.get_language() or "").startswith("zh")
    return [{"names": "、".join(p.names_zh) if chinese else ", ".join(p.names), "start": p.start, "end": p.end,
             "days": p.days, "makeup": p.makeup} for p in PACKAGE.periods(year)]


def _render(request: HttpRequest, organisation: Unit, orgs: list[Unit], year: int, form: LocalDayForm, *,
            status: int = 200, error: str = "") -> HttpResponse:
    calendar = calendar_for(organisation)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = LocalDay.objects.filter(date__year=year).select_related("updated_by").order_by("date")
    today = timezone.localdate()
    years = sorted({*range(PACKAGE.first or today.year, max(PACKAGE.last or 0, today.year) + YEARS_AHEAD + 1),
                    year})
    return render(request, "workdays/calendar.html", {
        "organisation": organisation, "orgs": orgs, "year": year, "years": years,
        "previous": year - 1 if year > 1 else None, "next": year + 1 if year < 9999 else None,
        "known": calendar.known(year), "warnings": warnings_for(calendar, [first]),
        "periods": _periods(year),
        "local_days": days.filter(organisation=organisation), "everywhere": days.filter(organisation__isnull=True),
        "working_days": calendar.count(first, last), "form": form, "error": error, "nav": "workdays",
    }, status=status)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    organisation, orgs = _organisation(request)
    year = _year(request.GET.get("year"))
    form = LocalDayForm(request.POST or None, organisation=organisation)
    if request.method != "POST":
        return _render(request, organisation, orgs, year, form)
    if form.is_valid():
        day = form.save(commit=False)
        day.organisation, day.updated_by = organisation, request.user
        try:
            with transaction.atomic():
                day.save()
        except IntegrityError:  # the same day, added by someone else a moment ago
            same = LocalDay.objects.filter(organisation=organisation, date=day.date).first()
            form.add_error("date", duplicate_message(same) if same else _("This day could not be saved."))
        else:
            messages.success(request, _("Local day added: %(day)s.") % {"day": _label(day)})
            return redirect(_url(organisation, day.date.year))
    shown = form.cleaned_data.get("date")  # a valid date refused: show its year
    return _render(request, organisation, orgs, shown.year if shown else year, form, status=400,
                   error=_("Please correct the marked fields."))


def _label(day: LocalDay) -> str:
    name = f" “{day.name}”" if day.name else ""
    return f"{date_format(day.date)} {day.get_kind_display()}{name}"


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    day = LocalDay.objects.select_related("organisation").filter(pk=pk).first()
    # the days kept for every organisation are changed in the administration, not here
    if day is None or day.organisation_id not in {o.pk for o in access.workday_organisations(request.user)}:
        raise Http404
    day.delete()
    messages.success(request, _("Local day removed: %(day)s.") % {"day": _label(day)})
    return redirect(_url(day.organisation, day.date.year))
