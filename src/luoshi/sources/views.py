"""The source pages: the list, ingesting (upload or paste), a source with its highlighted text,
and the words of an item as they were found in the raw document.

Thin, like the task pages: who may see a source is `access`; ingesting is
`sources.services.ingest` then `desk.services.propose`, as `luoshi ingest` does.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from luoshi import access
from luoshi.desk import services as desk
from luoshi.desk.models import Proposal
from luoshi.sources.forms import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, UploadForm, UploadLimits
from luoshi.sources.models import Item, Source
from luoshi.sources.services import IngestError, ingest, refusal

PAGE_SIZE = 50
REPORT_KEY = "luoshi_ingest_report"


# ---------------------------------------------------------------- the text, highlighted


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    css: str
    title: str = ""


def _names(source: Source) -> list[Mark]:
    """Every occurrence of the people the extraction names: leaders, attendees, speakers."""
    roles = (("leaders", "hl-leader", _("Leader")), ("speakers", "hl-speaker", _("Speaker / proposer")),
             ("attendees", "hl-attendee", _("Attended")))
    found: list[Mark] = []
    text = source.text
    for key, css, title in roles:
        for name in (source.extraction or {}).get(key) or []:
            if not name:
                continue
            pos = text.find(name)
            while pos >= 0:
                found.append(Mark(pos, pos + len(name), css, title))
                pos = text.find(name, pos + len(name))
    return found


def _deadline_words(items: list[Item]) -> list[Mark]:
    out = []
    for item in items:
        if item.deadline_basis:
            pos = item.source.text.find(item.deadline_basis, item.span_start, item.span_end)
            if pos >= 0:
                title = _("Deadline words → %(date)s") % {"date": item.deadline.isoformat()} if item.deadline \
                    else _("Deadline words")
                out.append(Mark(pos, pos + len(item.deadline_basis), "hl-deadline", title))
    return out


def _inner(text: str, start: int, end: int, marks: list[Mark], ends: list[int]) -> str:
    """``text[start:end]`` escaped, with the parts of ``marks`` (sorted, not overlapping; ``ends``
    their ends) that fall in it."""
    out, pos = [], start
    for m in marks[bisect_right(ends, start):]:
        if m.start >= end:
            break
        s, e = max(m.start, start), min(m.end, end)
        out.append(escape(text[pos:s]))
        out.append(format_html('<span class="{}" title="{}">{}</span>', m.css, m.title, text[s:e]))
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def item_states(source: Source) -> dict[int, str]:
    """Where each item stands on the desk: pending, done (a task has it) or rejected."""
    states: dict[int, set[str]] = {}
    for item_id, status in Proposal.items.through.objects.filter(proposal__source=source).values_list(
            "item_id", "proposal__status"):
        states.setdefault(item_id, set()).add(status)
    out = {}
    for item_id, st in states.items():
        if Proposal.Status.PENDING in st:
            out[item_id] = "pending"
        elif st & {Proposal.Status.ACCEPTED, Proposal.Status.LINKED}:
            out[item_id] = "done"
        elif Proposal.Status.REJECTED in st:
            out[item_id] = "rejected"
    return out


def highlighted(source: Source, items: list[Item], states: dict[int, str] | None = None,
                numbers: dict[int, str] | None = None) -> SafeString:
    """The normalized text as HTML: each item a <mark> (id item-N, data-items), and inside it the
    names and deadline words. Overlapping items share the stretch they overlap on. ``numbers``:
    the label shown where an item starts (the numbers of its cards on the desk)."""
    text = source.text
    for item in items:
        item.source = source
    inner = sorted(_names(source) + _deadline_words(items), key=lambda m: (m.start, -(m.end - m.start)))
    kept, last = [], -1
    for m in inner:  # the first and longest of overlapping names wins
        if m.start >= last:
            kept.append(m)
            last = m.end
    ends = [m.end for m in kept]
    spans = [i for i in items if i.span_start < i.span_end]
    points = sorted({0, len(text), *(max(0, min(len(text), p)) for i in spans for p in (i.span_start, i.span_end))})
    starts = defaultdict(list)
    for i in spans:
        starts[i.span_start].append(i)
    out, active, anchored = [], [], set()
    for a, b in pairwise(points):
        active = [i for i in active if i.span_end > a] + starts.get(a, [])
        body = _inner(text, a, b, kept, ends)
        if not active:
            out.append(body)
            continue
        new = [i for i in active if i.pk not in anchored]  # where each item starts: its anchor
        anchored.update(i.pk for i in new)
        anchor = format_html(' id="item-{}"', new[0].pk) if new else ""
        if new and (numbers or {}).get(new[0].pk):
            anchor += format_html(' data-n="{}"', numbers[new[0].pk])
        out.extend(format_html('<span id="item-{}"></span>', i.pk) for i in new[1:])
        kinds = " ".join(sorted({f"hl-{i.kind}" for i in active}))
        state = (states or {}).get(active[0].pk, "")
        label = "；".join(f"{i.get_kind_display()} {i.ordinal}" for i in active)
        out.append(format_html('<mark class="hl {}{}"{} data-items="{}" title="{}">', kinds,
                               f" hl-{state}" if state else "", anchor, " ".join(str(i.pk) for i in active),
                               label))
        out.append(body)
        out.append("</mark>")
    return mark_safe("".join(out))  # every piece above is escaped or built by format_html


def legend(source: Source, items: list[Item]) -> list[tuple[str, str]]:
    """The kinds of highlight the text shows, for the key above it."""
    ex = source.extraction or {}
    shown = [(f"hl-{k}", label) for k, label in Item.Kind.choices if any(i.kind == k for i in items)]
    for key, css, label in (("leaders", "hl-leader", _("Leader")), ("speakers", "hl-speaker", _("Speaker / proposer")),
                            ("attendees", "hl-attendee", _("Attended"))):
        if ex.get(key):
            shown.append((css, label))
    if any(i.deadline_basis for i in items):
        shown.append(("hl-deadline", _("Deadline words")))
    return shown


def source_meta(source: Source) -> list[tuple[str, str]]:
    ex = source.extraction or {}
    rows = [
        (_("File name"), source.name),
        (_("Encoding"), source.encoding),
        (_("Size"), filesizeformat(source.size)),
        (_("Ingested"), _("%(when)s by %(who)s") % {
            "when": date_format(timezone.localtime(source.created_at), "DATETIME_FORMAT"),
            "who": source.created_by or _("the system")}),
    ]
    if ex.get("date"):
        rows.insert(0, (_("Meeting date"), ex["date"]))
    return rows


# ---------------------------------------------------------------- list


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    reviewed = {o.pk for o in access.supervised_organisations(user)}
    sources = (access.visible_sources(user).select_related("created_by").defer("raw", "text", "extraction")
               .annotate(n_pending=Count("proposals", filter=Q(proposals__status=Proposal.Status.PENDING)),
                         n_accepted=Count("proposals", filter=Q(proposals__status__in=[
                             Proposal.Status.ACCEPTED, Proposal.Status.LINKED])),
                         n_rejected=Count("proposals", filter=Q(proposals__status=Proposal.Status.REJECTED)))
               .order_by("-created_at", "-pk"))
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(s, s.organisation_id in reviewed) for s in page.object_list]
    return render(request, "sources/list.html", {
        "page": page, "rows": rows, "nav": "sources", "can_ingest": bool(reviewed),
    })


# ---------------------------------------------------------------- ingest


def _render_new(request: HttpRequest, form: UploadForm, *, status: int = 200, error: str = "",
                rows: list[dict] | None = None, files_lost: bool = False) -> HttpResponse:
    return render(request, "sources/new.html", {
        "form": form, "error": error, "rows": rows or [], "files_lost": files_lost, "nav": "sources",
    }, status=status)


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
        source, created = ingest(data, name=name, organisation=organisation, actor=request.user)
    except IngestError as err:
        return {"name": name, "outcome": "refused", "reason": str(err)}
    proposals = desk.propose(source)
    return {"name": name, "outcome": "new" if created else "existing", "source": source.pk,
            "title": source.title, "proposals": len(proposals),
            "pending": sum(1 for p in proposals if p.status == Proposal.Status.PENDING)}


# ---------------------------------------------------------------- one source


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    source = access.get_source_or_404(user, pk)
    reviewer = access.can_review(user, source)
    items = list(source.items.order_by("span_start", "kind", "ordinal"))
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
        "doc": highlighted(source, items, states, {i.pk: str(n) for n, i in enumerate(items, start=1)}),
        "legend": legend(source, items), "items": items,
        "nav": "sources",
    })


@login_required
def item_raw(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """The document as it was found (before repair, conversion and typesetting), the item's span marked."""
    source = access.get_source_or_404(request.user, pk)
    found = source.items.filter(pk=item).first()
    if found is None:
        raise Http404
    raw = source.raw_text
    start, end = max(0, min(found.raw_start, len(raw))), max(0, min(found.raw_end, len(raw)))
    return render(request, "sources/raw.html", {
        "source": source, "item": found, "before": raw[:start], "hit": raw[start:end], "after": raw[end:],
        "nav": "sources",
    })


@login_required
def source_raw(request: HttpRequest, pk: int) -> HttpResponse:
    source = access.get_source_or_404(request.user, pk)
    return render(request, "sources/raw.html", {
        "source": source, "item": None, "before": source.raw_text, "hit": "", "after": "", "nav": "sources",
    })


@login_required
def source_original(request: HttpRequest, pk: int) -> HttpResponse:
    """The bytes exactly as received, as a download (never shown as a page: they may be HTML)."""
    source = access.get_source_or_404(request.user, pk)
    response = HttpResponse(bytes(source.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, source.name)
    return response
