"""/search/?q=…: the header's search box answers here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from luoshi.search.models import Kind
from luoshi.search.query import Cursor, search

SECTIONS = ((Kind.TASK, _("Tasks")), (Kind.SOURCE, _("Sources")), (Kind.ITEM, _("Items in sources")))
FIRST = 8  # each kind's first hits on the overview
PAGE = 30  # a kind's page once asked for alone


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    only = request.GET.get("kind", "")
    only = only if only in Kind.values else ""
    after = Cursor.parse(request.GET.get("after"))
    sections = []
    if query:
        for kind, label in SECTIONS:
            if only and only != kind:
                continue
            page = search(request.user, query, kind, limit=PAGE if only else FIRST, after=after if only else None)
            sections.append({"kind": kind, "label": label, "page": page})
    return render(request, "search/results.html", {
        "nav": "search", "query": query, "only": only, "sections": sections,
        "paged": bool(after), "found": any(s["page"].hits for s in sections),
    })
