"""The import pages: past imports, the upload, the mapping with its check and preview, and what
was created. Thin: who may import is `access.import_organisations`; everything else `importer`.

A batch of another organisation is 404; a pending batch someone else uploaded is 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.bodylimit import body_limit
from luoshi.imports import importer
from luoshi.imports.forms import MappingForm, UploadForm, UploadLimit
from luoshi.imports.importer import AlreadyImported, ImportRefused
from luoshi.imports.models import ImportBatch
from luoshi.imports.reading import MAX_BYTES, ReadError, Sheet
from luoshi.imports.validation import Plan
from luoshi.tasks.errors import WorkflowError

PAGE_SIZE = 50
SHOWN_PROBLEMS = 300  # a file with thousands of errors shows the first ones and counts the rest
PREVIEW_ROWS = 10


def _organisations(request: HttpRequest) -> list:
    orgs = access.import_organisations(request.user)
    if not orgs:
        raise PermissionDenied
    return orgs


def _batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    orgs = {o.pk for o in access.import_organisations(request.user)}
    # the file's bytes (up to 10 MB) are read only where a page reads the file
    batch = ImportBatch.objects.select_related("organisation", "created_by").defer("raw").filter(pk=pk).first()
    if batch is None or batch.organisation_id not in orgs:
        raise Http404
    return batch


# ---------------------------------------------------------------- list


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    orgs = _organisations(request)
    importer.abandon_stale()
    batches = (ImportBatch.objects.filter(organisation__in=[o.pk for o in orgs]).defer("raw")
               .select_related("organisation", "created_by").order_by("-created_at", "-pk"))
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/list.html", {"page": page, "nav": "imports", "several": len(orgs) > 1})


# ---------------------------------------------------------------- upload


def _render_new(request: HttpRequest, form: UploadForm, *, status: int = 200, error: str = "",
                first: ImportBatch | None = None, file_lost: bool = False) -> HttpResponse:
    return render(request, "imports/new.html", {"form": form, "error": error, "first": first,
                                                "file_lost": file_lost, "nav": "imports"}, status=status)


@body_limit(None)  # checks the declared length itself, with its own message
@login_required
@csrf_exempt  # checked by _receive once the upload handler is in place (Django's documented pattern)
def batch_new(request: HttpRequest) -> HttpResponse:
    orgs = _organisations(request)
    if request.method != "POST":
        return _render_new(request, UploadForm(organisations=orgs))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BYTES + 1024 * 1024:  # refused before the body is read (the form's own fields are small)
        msg = _("This upload is %(size)s; a ledger may be at most %(limit)s. Split it into several files.") % {
            "size": filesizeformat(length), "limit": filesizeformat(MAX_BYTES)}
        return _render_new(request, UploadForm(organisations=orgs), status=413, error=msg, file_lost=True)
    limit = UploadLimit(request)
    request.upload_handlers.insert(0, limit)
    try:
        request.POST  # noqa: B018 - reads the body through the handlers, here where a refusal can be explained
        request.FILES  # noqa: B018
    except (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent):
        return _render_new(request, UploadForm(organisations=orgs), status=413, file_lost=True,
                           error=_("This upload could not be read: send one ledger file at a time."))
    return _receive(request, orgs, limit)


@csrf_protect
def _receive(request: HttpRequest, orgs: list, limit: UploadLimit) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, organisations=orgs)
    if limit.refused:
        return _render_new(request, form, status=413, error=limit.refused, file_lost=True)
    if not form.is_valid():
        return _render_new(request, form, status=400, error=_("Please correct the marked fields."), file_lost=True)
    upload = form.cleaned_data["file"]
    if not upload:
        return _render_new(request, form, status=400, error=_("Choose the ledger file to import."))
    try:
        batch = importer.receive(request.user, form.chosen_organisation(), name=upload.name, data=upload.read())
    except ReadError as err:
        return _render_new(request, form, status=400, error=str(err), file_lost=True)
    except AlreadyImported as err:
        return _render_new(request, form, status=409, error=str(err.message), first=err.first)
    except WorkflowError as err:
        return _render_new(request, form, status=err.http_status, error=str(err.message), file_lost=True)
    return redirect("imports:batch", batch.pk)


# ---------------------------------------------------------------- mapping, check, import


def _render_batch(request: HttpRequest, batch: ImportBatch, sheet: Sheet, form: MappingForm, plan: Plan, *,
                  origin: str = "", status: int = 200, error: str = "",
                  first: ImportBatch | None = None) -> HttpResponse:
    problems = plan.problems
    return render(request, "imports/batch.html", {
        "batch": batch, "sheet": sheet, "form": form, "plan": plan, "origin": origin,
        "problems": problems[:SHOWN_PROBLEMS], "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        "n_errors": len(plan.errors), "n_warnings": len(plan.warnings),
        "preview": plan.planned[:PREVIEW_ROWS], "error": error, "first": first, "nav": "imports",
    }, status=status)


@login_required
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    if batch.status == ImportBatch.Status.IMPORTED:
        return redirect("imports:done", batch.pk)
    if batch.status == ImportBatch.Status.ABANDONED:
        return render(request, "imports/abandoned.html", {"batch": batch, "nav": "imports"}, status=410)
    try:
        importer.may_continue(batch, request.user)
        sheet = importer.sheet_of(batch)
    except WorkflowError as err:
        raise PermissionDenied(str(err.message)) from err
    except ReadError as err:  # read at the upload; only a newer, stricter reader could refuse it now
        return render(request, "imports/abandoned.html", {"batch": batch, "error": str(err), "nav": "imports"},
                      status=400)
    fields, origin = importer.proposed(batch, sheet)
    if request.method != "POST":
        form = MappingForm(sheet=sheet, fields=fields, assign_all=batch.assign_all)
        plan = importer.check(batch, sheet, fields, assign_all=batch.assign_all)
        return _render_batch(request, batch, sheet, form, plan, origin=origin)

    wanted = request.POST.get("sheet")
    if wanted and wanted != sheet.sheet_name and wanted in sheet.sheet_names:
        # another sheet: its own columns, their mapping proposed afresh
        try:
            other = importer.sheet_of(batch, wanted)
        except ReadError as err:
            form = MappingForm(sheet=sheet, fields=fields, assign_all=batch.assign_all)
            plan = importer.check(batch, sheet, fields, assign_all=batch.assign_all)
            return _render_batch(request, batch, sheet, form, plan, origin=origin, status=400, error=str(err))
        importer.choose(batch, request.user, other, importer.proposed(batch, other)[0],
                        assign_all=bool(request.POST.get("assign_all")))
        return redirect("imports:batch", batch.pk)
    form = MappingForm(request.POST, sheet=sheet, fields=fields, assign_all=batch.assign_all)
    if not form.is_valid():
        plan = importer.check(batch, sheet, fields, assign_all=batch.assign_all)
        return _render_batch(request, batch, sheet, form, plan, origin=origin, status=400,
                             error=_("Please correct the marked fields."))
    chosen, assign_all = form.chosen(), form.cleaned_data["assign_all"]
    if request.POST.get("action") != "import":
        importer.choose(batch, request.user, sheet, chosen, assign_all=assign_all)
        return redirect("imports:batch", batch.pk)
    try:
        importer.run_import(batch, request.user, chosen, assign_all=assign_all)
    except ImportRefused as err:
        importer.choose(batch, request.user, sheet, chosen, assign_all=assign_all)
        return _render_batch(request, batch, sheet, form, err.plan, status=400, error=str(err.message))
    except WorkflowError as err:
        plan = importer.check(batch, sheet, chosen, assign_all=assign_all)
        return _render_batch(request, batch, sheet, form, plan, status=err.http_status, error=str(err.message),
                             first=getattr(err, "first", None))
    messages.success(request, _("Imported: the tasks below were created from “%(name)s”.") % {"name": batch.file_name})
    return redirect("imports:done", batch.pk)


@login_required
@require_POST
def batch_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    try:
        importer.abandon(batch, request.user)
    except WorkflowError as err:
        if err.code == "forbidden":
            raise PermissionDenied(str(err.message)) from err
        messages.error(request, str(err.message))
        return redirect("imports:list")
    messages.success(request, _("The import of “%(name)s” was abandoned; nothing was created.")
                     % {"name": batch.file_name})
    return redirect("imports:list")


# ---------------------------------------------------------------- what was created


@login_required
def batch_done(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    if batch.status != ImportBatch.Status.IMPORTED:
        return redirect("imports:batch", batch.pk)
    created = importer.created_tasks(batch)
    page = Paginator(created, 200).get_page(request.GET.get("page"))
    return render(request, "imports/done.html", {"batch": batch, "page": page, "n_created": len(created),
                                                 "nav": "imports"})
