"""The pages that show sources with what the review desk made of them: the list, ingesting by
upload or paste, and a source's page (its text highlighted, its tasks, what was rejected and why).

Thin, like every page: who may see a source is `access`; taking a document in is
`desk.intake.take_in`, the same door `luoshi ingest` uses.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.bodylimit import body_limit
from luoshi.desk.intake import take_in
from luoshi.desk.models import Proposal
from luoshi.desk.services import item_states
from luoshi.sources.display import highlighted, legend, source_meta
from luoshi.sources.forms import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, UploadForm, UploadLimits
from luoshi.sources.services import IngestError, refusal
from luoshi.tasks import keyset

PAGE_SIZE = 50
REPORT_KEY = "luoshi_ingest_report"


# ---------------------------------------------------------------- list


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    reviewed = {o.pk for o in access.supervised_organisations(user)}
    sources = (access.visible_sources(user).select_related("created_by").defer("raw", "text", "extraction")
               .annotate(sort_key=F("created_at")).order_by("-sort_key", "-pk"))
    # keyset pages and no COUNT (as the task list): both would read every source the user sees
    cursor = request.GET.get("after") or None
    page, next_cursor = keyset.page(sources, cursor, PAGE_SIZE, newest_first=True)
    # the desk's figures for the page's sources only, in one query (not a GROUP BY of them all)
    counts: dict[tuple[int, str], int] = {
        (r["source"], r["status"]): r["n"] for r in Proposal.objects.filter(source__in=[s.pk for s in page])
        .values("source", "status").order_by().annotate(n=Count("pk"))}
    for s in page:
        s.n_pending = counts.get((s.pk, Proposal.Status.PENDING), 0)
        s.n_accepted = counts.get((s.pk, Proposal.Status.ACCEPTED), 0) + counts.get((s.pk, Proposal.Status.LINKED), 0)
        s.n_rejected = counts.get((s.pk, Proposal.Status.REJECTED), 0)
    rows = [(s, s.organisation_id in reviewed) for s in page]
    return render(request, "sources/list.html", {
        "rows": rows, "nav": "sources", "can_ingest": bool(reviewed),
        "next_url": _after_query(request, next_cursor) if next_cursor else "",
        "first_url": "?" if cursor else "",
    })


def _after_query(request: HttpRequest, cursor: str) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    q["after"] = cursor
    return f"?{q.urlencode()}"


# ---------------------------------------------------------------- ingest


def _render_new(request: HttpRequest, form: UploadForm, *, status: int = 200, error: str = "",
                rows: list[dict] | None = None, files_lost: bool = False) -> HttpResponse:
    return render(request, "sources/new.html", {
        "form": form, "error": error, "rows": rows or [], "files_lost": files_lost, "nav": "sources",
    }, status=status)


@body_limit(None)  # checks the declared length itself, with its own message
@login_required
@csrf_exempt  # checked by _ingest once the upload handlers are in place (Django's documented pattern)
def source_new(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_for_ingest(request.user)
    if organisation is None:
        raise PermissionDenied
    if request.method != "POST":
        rows = request.session.pop(REPORT_KEY, None)
        return _render_new(request, UploadForm(), rows=rows)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD_BYTES:  # refused before the body is read
        msg = _("This upload is %(size)s; at most %(limit)s go in at a time. Send fewer or smaller files.") % {
            "size": filesizeformat(length), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        return _render_new(request, UploadForm(), status=413, error=msg, files_lost=True)
    limits = UploadLimits(request)
    request.upload_handlers.insert(0, limits)
    try:
        request.POST  # noqa: B018 - reads the body through the handlers, here where a refusal can be explained
        request.FILES  # noqa: B018
    except RequestDataTooBig:
        msg = _("The pasted text is too long for the box. Save it as a .txt file and upload that instead.")
        return _render_new(request, UploadForm(), status=413, error=msg, files_lost=True)
    except (TooManyFilesSent, TooManyFieldsSent):
        msg = _("Too many files in one upload: send at most %(count)d at a time.") % {"count": MAX_UPLOAD_FILES}
        return _render_new(request, UploadForm(), status=413, error=msg, files_lost=True)
    return _ingest(request, organisation, limits)


@csrf_protect
def _ingest(request: HttpRequest, organisation, limits: UploadLimits) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_new(request, form, status=400, error=_("Please correct the marked fields."),
                           files_lost=bool(limits.files))
    uploads = limits.uploads(request)
    text, name = form.cleaned_data["text"], form.cleaned_data["name"].strip()
    if not limits.files and not text.strip():
        return _render_new(request, form, status=400, error=_("Choose one or more files, or paste a text."))

    rows: list[dict] = []
    for n, (file_name, why) in enumerate(limits.files):
        if why is not None or n not in uploads:
            rows.append({"name": file_name, "outcome": "refused", "reason": why or _("The file did not arrive whole.")})
            continue
        rows.append(_ingest_one(request, organisation, file_name, uploads[n]))
    if text.strip():
        name = name or _("Pasted text %(when)s") % {
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
        rows.append(_ingest_one(request, organisation, name, None, text))

    if not any(r["outcome"] != "refused" for r in rows):
        return _render_new(request, form, status=400, rows=rows, files_lost=bool(limits.files),
                           error=_("Nothing was ingested. The reason is given for each file below."))
    request.session[REPORT_KEY] = rows
    return redirect("sources:new")


def _ingest_one(request: HttpRequest, organisation, name: str, upload=None, text: str = "") -> dict:
    if upload is not None:
        head = upload.read(8)
        upload.seek(0)
        why = refusal(name, head)
        if why:
            return {"name": name, "outcome": "refused", "reason": why}
        data = upload.read()
    else:
        data = text.replace("\r\n", "\n").encode("utf-8")
    try:
        got = take_in(data, name=name, organisation=organisation, actor=request.user)
    except IngestError as err:
        return {"name": name, "outcome": "refused", "reason": str(err)}
    return {"name": name, "outcome": "new" if got.created else "existing", "source": got.source.pk,
            "title": got.source.title, "proposals": len(got.proposals), "pending": got.pending}


# ---------------------------------------------------------------- one source


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    source = access.get_source_or_404(user, pk)
    reviewer = access.can_review(user, source)
    whole = access.can_read_whole_source(user, source)
    items = list(access.visible_items(user, source, whole).order_by("span_start", "kind", "ordinal"))
    states = item_states(source) if reviewer else {}
    tasks = (access.visible_tasks(user).filter(pk__in=source.items.values("tasks"))
             .select_related("lead_unit").order_by("pk"))
    rejected = []
    counts = {}
    if reviewer:
        rejected = list(source.proposals.filter(status=Proposal.Status.REJECTED).select_related("decided_by")
                        .order_by("span_start", "ordinal", "pk"))
        counts = {row["status"]: row["n"] for row in source.proposals.values("status").annotate(n=Count("pk"))}
    return render(request, "sources/detail.html", {
        "source": source, "meta": source_meta(source), "reviewer": reviewer, "tasks": tasks,
        "rejected": rejected, "counts": counts, "pending": counts.get(Proposal.Status.PENDING, 0),
        # a unit reads its own items of a shared report, not the whole text, unless it is open
        "whole": whole, "doc": highlighted(source, items, states, {i.pk: str(n) for n, i in enumerate(items, start=1)})
        if whole else None,
        "legend": legend(source, items) if whole else None, "items": items,
        "nav": "sources",
    })


@login_required
@require_POST
def source_openness(request: HttpRequest, pk: int) -> HttpResponse:
    """The office opens a shared report to the units it concerns, or closes it again."""
    source = access.get_source_or_404(request.user, pk)
    if not access.can_review(request.user, source):
        raise PermissionDenied
    choice = request.POST.get("open")
    if choice not in ("yes", "no"):
        return HttpResponseBadRequest(_("Open (yes) or close (no)."))
    source.open_to_units = choice == "yes"
    source.save(update_fields=["open_to_units"])
    messages.success(request, _("The units it concerns may now read the whole source.") if source.open_to_units
                     else _("Each unit now reads only its own items of this source."))
    return redirect("sources:detail", pk=source.pk)
