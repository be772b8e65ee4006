"""The pages of a source as it was received: its raw text (with an item's span marked) and its
original bytes. Who may see a source is `access`; the pages that show what the review desk made of
a source (the list, ingesting, the source page) are the desk's (`desk.source_views`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from luoshi import access


@login_required
def item_raw(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """The document as it was found (before repair, conversion and typesetting), the item's span marked."""
    source = access.get_source_or_404(request.user, pk)
    found = access.visible_items(request.user, source).filter(pk=item).first()
    if found is None:
        raise Http404
    raw = source.raw_text
    start, end = max(0, min(found.raw_start, len(raw))), max(0, min(found.raw_end, len(raw)))
    whole = access.can_read_whole_source(request.user, source)  # else the item alone, not its neighbours
    return render(request, "sources/raw.html", {
        "source": source, "item": found, "before": raw[:start] if whole else "", "hit": raw[start:end],
        "after": raw[end:] if whole else "", "nav": "sources",
    })


@login_required
def source_raw(request: HttpRequest, pk: int) -> HttpResponse:
    source = access.get_source_or_404(request.user, pk)
    if not access.can_read_whole_source(request.user, source):
        raise Http404
    return render(request, "sources/raw.html", {
        "source": source, "item": None, "before": source.raw_text, "hit": "", "after": "", "nav": "sources",
    })


@login_required
def source_original(request: HttpRequest, pk: int) -> HttpResponse:
    """The bytes exactly as received, as a download (never shown as a page: they may be HTML)."""
    source = access.get_source_or_404(request.user, pk)
    if not access.can_read_whole_source(request.user, source):
        raise Http404
    response = HttpResponse(bytes(source.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, source.name)
    return response
