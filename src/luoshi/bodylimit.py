"""Request bodies refused by their declared size before anything reads them.

Django reads a multipart body to its end to parse it (the CSRF check does so first), so a
200 MB post to a page that takes a few attachments would be received in full before a form
refused it. This middleware, ahead of everything that reads the body, answers 413 from the
Content-Length header alone. A view says how much it takes with ``@body_limit(bytes)`` (or
``@body_limit(None)`` where it checks the length itself, with its own message); every other
view takes no more than Django's limit for form data. A body without a length (chunked) is
never read by Django's WSGI handler, so it cannot slip past.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

FORM_MARGIN = 64 * 1024  # multipart boundaries and field names around the data Django limits


def body_limit(limit: int | Callable[[], int] | None):
    """Declare the largest body ``view`` takes (bytes, or a function read per request)."""

    def mark(view):
        view.max_body = limit
        return view

    return mark


def limit_for(request: HttpRequest) -> int | None:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + FORM_MARGIN
    limit = getattr(view, "max_body", settings.DATA_UPLOAD_MAX_MEMORY_SIZE + FORM_MARGIN)
    return limit() if callable(limit) else limit


class BodyLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            limit = limit_for(request)
            if limit is not None and length > limit:
                message = _("This request is %(size)s; this page takes at most %(limit)s. Nothing was saved: "
                            "send fewer or smaller files.") % {"size": filesizeformat(length),
                                                               "limit": filesizeformat(limit)}
                if request.path_info.startswith("/api/"):  # a program reads the answer: the API's own shape
                    return JsonResponse({"detail": message, "code": "too_large", "fields": {}}, status=413)
                return HttpResponse(render_to_string("413.html", {"message": message}), status=413)
        return self.get_response(request)
