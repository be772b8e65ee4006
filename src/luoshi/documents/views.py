"""The document pages. Thin: who may do what is asked of `luoshi.access`, the figures of
`luoshi.ledgers.periods`, the documents are built by `notice`/`bulletin` and issued by `services`.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from luoshi import access
from luoshi.documents import reply_letter as letters
from luoshi.documents import services
from luoshi.documents.bulletin import bulletin
from luoshi.documents.forms import BulletinForm
from luoshi.documents.models import IssuedNotice
from luoshi.forms import parse_id
from luoshi.ledgers.periods import total, unit_activity
from luoshi.org.models import Unit
from luoshi.tasks import replies
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Reply

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(content: bytes, file_name: str) -> HttpResponse:
    """A download of ``content`` under its Chinese file name (RFC 5987 ``filename*``)."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "private, no-store"  # official documents stay out of shared caches
    return response


# ---------------------------------------------------------------- reply letters


@login_required
def reply_letter(request: HttpRequest, pk: int, reply: int) -> HttpResponse:
    """The letter of a reply the user may read (a proposer: theirs, once sent)."""
    task = access.get_task_or_404(request.user, pk)
    found = replies.visible_replies(request.user, task).filter(pk=reply, status=Reply.Status.PUBLISHED).first()
    if found is None:
        raise Http404
    content = letters.reply_letter(task, found)
    to = str(found.proposer) if found.proposer else "代表"
    return docx_response(content, f"关于对{to}代表所提建议的答复-{task.pk}.docx")


# ---------------------------------------------------------------- supervision notices


def notice_url(task_id: int, number: str | None = None) -> str:
    url = reverse("documents:notice", args=[task_id])
    return f"{url}?{urlencode({'number': number})}" if number else url


@login_required
@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: issue a new notice (a new number) and download it; GET: download an issued one
    again, by ``?number=`` or the latest, never issuing anything."""
    task = access.get_task_or_404(request.user, pk)
    roles = access.task_roles(request.user, task)
    if request.method == "POST":
        if not access.can(request.user, "issue_notice", task, roles):
            raise PermissionDenied
        try:
            issued = services.issue_notice(task, request.user)
        except WorkflowError as err:  # the task moved on (closed, reassigned) between the page and the click
            raise PermissionDenied from err
        # post/redirect/get: reloading the download never issues a second number
        return redirect(notice_url(task.pk, issued.number))
    if not access.can_read_notices(request.user, task, roles):
        raise PermissionDenied
    notices = IssuedNotice.objects.filter(task=task)
    number = request.GET.get("number")
    found = notices.filter(number=number[:40]).first() if number else notices.first()
    if found is None:
        raise Http404
    return docx_response(bytes(found.content), found.file_name)


# ---------------------------------------------------------------- bulletins


def _organisations(request: HttpRequest) -> list[Unit]:
    orgs = access.bulletin_organisations(request.user)
    if not orgs:
        raise PermissionDenied
    return orgs


def _rows(request: HttpRequest, organisation: Unit, start: dt.date, end: dt.date):
    return unit_activity(access.visible_tasks(request.user).filter(organisation=organisation), start, end)


@login_required
@require_GET
def bulletins(request: HttpRequest) -> HttpResponse:
    """Choose a period, see each unit's figures, download them as the bulletin."""
    orgs = _organisations(request)
    form = BulletinForm(request.GET or None, organisations=orgs)
    organisation, start, end, number = form.choice()
    rows = _rows(request, organisation, start, end)
    query = {"organisation": organisation.pk, **({"number": number} if number else {})}
    download = reverse("documents:bulletin_docx", args=[start, end]) + "?" + urlencode(query)
    return render(request, "documents/bulletins.html", {
        "form": form, "organisation": organisation, "start": start, "end": end, "rows": rows,
        "total": total(rows), "download": download, "nav": "bulletins",
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def bulletin_docx(request: HttpRequest, start: dt.date, end: dt.date) -> HttpResponse:
    orgs = _organisations(request)
    wanted = request.GET.get("organisation")
    organisation = orgs[0] if not wanted else next((o for o in orgs if o.pk == parse_id(wanted)), None)
    if organisation is None or end < start:
        raise Http404
    number = request.GET.get("number", "").strip()[:30]
    content = bulletin(organisation, start, end, _rows(request, organisation, start, end), number=number)
    return docx_response(content, f"督查通报_{start}_{end}.docx")
