"""Simplified Chinese unless the user asked for English with the language switch.

Django would otherwise follow the browser's Accept-Language header, and an office PC with
an English browser would show an English UI nobody chose. The switch sets a cookie, which
LocaleMiddleware still honours.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChineseUnlessAsked:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
