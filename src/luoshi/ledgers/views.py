"""The ledger pages, their .xlsx exports and the choice of their columns. Thin: rows come from
`ledgers.queries`, columns from `ledgers.definitions` through `ledgers.services`."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.ledgers import queries, services, xlsx
from luoshi.ledgers.definitions import LEDGERS, Ledger
from luoshi.ledgers.filters import Filters, LedgerFilterForm
from luoshi.org.models import User
from luoshi.sources.models import Source
from luoshi.tasks import bulk
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.forms import filter_units


def _ledger(name: str) -> Ledger:
    ledger = LEDGERS.get(name)
    if ledger is None:
        raise Http404
    return ledger


def _filter_form(request: HttpRequest) -> LedgerFilterForm:
    """The filters, offering only what the user's own tasks mention (no other unit's name leaks)."""
    visible = access.visible_tasks(request.user)
    units = filter_units(request.user, visible)
    sources = source_choices(request.user, request.GET.get("source"))
    leaders = User.objects.filter(pk__in=visible.values("leader")).order_by("display_name")
    people = User.objects.filter(pk__in=visible.values("owner"))
    return LedgerFilterForm(request.GET or None, units=units, sources=sources, leaders=leaders,
                            people=people)


SOURCES_OFFERED = 100


def source_choices(user, chosen: str | None, limit: int | None = None) -> QuerySet[Source]:
    """The meetings the filter offers: the latest ``limit`` the user may read, and the one chosen
    (a link from an older meeting's page) if the user may read it. A province holds tens of
    thousands of reports: a select of all of them was most of a ledger page's time."""
    visible = access.visible_sources(user)
    wanted = Q(pk__in=visible.order_by("-created_at", "-pk").values("pk")[:limit or SOURCES_OFFERED])
    if chosen and chosen.isdigit() and len(chosen) < 19:
        wanted |= Q(pk__in=visible.filter(pk=int(chosen)).values("pk"))
    return Source.objects.filter(wanted).defer("raw", "text", "extraction").order_by("-created_at", "-pk")


def _filters(form: LedgerFilterForm) -> Filters:
    if form.is_bound:
        form.is_valid()  # a bad value is shown on its field; the valid ones still filter
    return Filters.from_form(form)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "ledgers/index.html", {"ledgers": list(LEDGERS.values()), "nav": "ledgers"})


@login_required
def ledger_page(request: HttpRequest, name: str) -> HttpResponse:
    ledger = _ledger(name)
    form = _filter_form(request)
    f = _filters(form)
    organisation = access.home_organisation(request.user)
    columns = services.columns_for(ledger, organisation)
    context = {"ledger": ledger, "form": form, "columns": columns, "filtered": f.is_set(), "nav": "ledgers",
               "can_configure": organisation is not None and organisation.pk in {
                   o.pk for o in access.ledger_organisations(request.user)},
               "export_url": reverse("ledgers:export", args=[ledger.key]) + _query(request, drop=("after",))}
    if ledger.rows == "units":
        by_person = request.GET.get("by") == "person"
        rows = queries.responsibility_rows(request.user, f, by_person=by_person)
        context.update(rows=rows, total=queries.responsibility_total(rows), by_person=by_person)
    else:
        # only the fields the columns shown read, as the export does
        tasks = queries.only_read(queries.task_rows(ledger, request.user, f), columns)
        rows, cursor = queries.page(tasks, request.GET.get("after"), newest_first=queries.descending(ledger))
        context.update(rows=rows, next_url=_query(request, after=cursor) if cursor else "",
                       first_url=_query(request, drop=("after",)) if request.GET.get("after") else "")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "ledgers/ledger.html", context, status=status)


def _query(request: HttpRequest, drop: tuple[str, ...] = (), **set_) -> str:
    q = request.GET.copy()
    for k in drop:
        q.pop(k, None)
    for k, v in set_.items():
        q[k] = v
    encoded = q.urlencode()
    return f"?{encoded}" if encoded else ""


@login_required
def export(request: HttpRequest, name: str) -> FileResponse:
    """The ledger as .xlsx, with the page's filters and columns, written to a temporary file row
    by row and streamed from it (constant memory whatever the number of rows)."""
    ledger = _ledger(name)
    f = _filters(_filter_form(request))
    columns = services.columns_for(ledger, access.home_organisation(request.user))
    if ledger.rows == "units":
        rows = queries.responsibility_rows(request.user, f, by_person=request.GET.get("by") == "person")
        chunks = [rows, [queries.responsibility_total(rows)]] if rows else []
    else:
        rows = queries.only_read(queries.task_rows(ledger, request.user, f), columns)
        chunks = queries.chunks(rows, newest_first=queries.descending(ledger))
    return _xlsx_response(ledger, columns, chunks)


def _xlsx_response(ledger: Ledger, columns, chunks, suffix: str = "") -> FileResponse:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    xlsx.write(out, str(ledger.label), columns, chunks)
    out.seek(0)
    filename = f"{ledger.label}{suffix}-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(out, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def export_selected(request: HttpRequest) -> HttpResponse:
    """The rows ticked in the task list as the tasks ledger (任务账) exports them: the same columns
    (the organisation's choice), the same file. Rows the user may not see are left out, unsaid."""
    back = bulk.back_to_list(request.POST.get("next") or "", request.get_host())
    rows = bulk.parse(request.POST.getlist("row"))
    try:
        bulk.check_selection(rows)
    except bulk.SelectionRefused as err:
        return render(request, "tasks/bulk_refused.html", {"error": str(err), "back": back, "nav": "list"},
                      status=400)
    ids = bulk.visible_ids(request.user, rows)
    ledger = LEDGERS["tasks"]
    columns = services.columns_for(ledger, access.home_organisation(request.user))
    tasks = queries.task_rows(ledger, request.user, Filters()).filter(pk__in=ids)
    return _xlsx_response(ledger, columns, queries.chunks(queries.only_read(tasks, columns)), suffix=_("-selected"))


@login_required
def columns(request: HttpRequest, name: str) -> HttpResponse:
    ledger = _ledger(name)
    organisation = access.home_organisation(request.user)
    if organisation is None or organisation.pk not in {o.pk for o in access.ledger_organisations(request.user)}:
        raise PermissionDenied
    chosen = [c.key for c in services.columns_for(ledger, organisation)]
    error, status = "", 200
    if request.method == "POST":
        try:
            orders = {c.key: _order(request.POST.get(f"order-{c.key}")) for c in ledger.columns}
            keys = sorted((k for k in request.POST.getlist("column") if ledger.column(k)),
                          key=lambda k: (orders[k] if orders[k] is not None else 999, k))
            services.set_columns(ledger, organisation, keys, request.user)
        except WorkflowError as err:
            error, status = str(err.message), err.http_status
        else:
            messages.success(request, _("Columns saved."))
            return redirect("ledgers:page", name=ledger.key)
    rows = [(c, c.key in chosen, (chosen.index(c.key) + 1) if c.key in chosen else len(chosen) + n + 1)
            for n, c in enumerate(ledger.columns)]
    rows.sort(key=lambda r: r[2])
    return render(request, "ledgers/columns.html", {"ledger": ledger, "rows": rows, "error": error,
                                                    "organisation": organisation, "nav": "ledgers"}, status=status)


def _order(value: str | None) -> int | None:
    """A column's place as typed (1–99), None if left empty; anything else is refused."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 99:
        raise WorkflowError(_("Number the columns from 1 to 99."), "invalid")
    return int(text)


@login_required
@require_POST
def reset_columns(request: HttpRequest, name: str) -> HttpResponse:
    ledger = _ledger(name)
    organisation = access.home_organisation(request.user)
    if organisation is None or organisation.pk not in {o.pk for o in access.ledger_organisations(request.user)}:
        raise PermissionDenied
    services.set_columns(ledger, organisation, ledger.default_keys(), request.user)
    messages.success(request, _("The ledger's own columns are shown again."))
    return redirect("ledgers:page", name=ledger.key)
