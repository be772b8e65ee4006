"""Scopes: what a token may do. What its user may do is still `access`'s answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from luoshi.api.models import Scope, Token
from luoshi.tasks.errors import WorkflowError


def need(request: HttpRequest, scope: Scope) -> None:
    """Refuse (403) a request whose token lacks ``scope``."""
    token: Token = request.auth
    if scope.value not in token.scopes:
        raise WorkflowError(_("This token lacks the scope “%(scope)s” (%(what)s).") % {
            "scope": scope.value, "what": scope.label}, "forbidden")
