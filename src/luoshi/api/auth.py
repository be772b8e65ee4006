"""Token authentication and scopes: the API's door. What a user may do is still `access`'s answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from luoshi.api import tokens
from luoshi.api.models import Scope, Token
from luoshi.tasks.errors import WorkflowError


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ls_…``. The request then acts as the token's user."""

    openapi_description = "A token made at /api/tokens/ (or `luoshi token create`); its scopes limit what it may do."

    def authenticate(self, request: HttpRequest, token: str) -> Token | None:
        found = tokens.find(token)
        if found is not None:
            request.user = found.user
            request.api_token = found
            _known_parameters_only(request)
        return found


def _known_parameters_only(request: HttpRequest) -> None:
    """Refuse a query parameter the operation does not take: ``?stat=closed`` would otherwise be
    ignored silently and return every task, which a program would take for the answer."""
    from luoshi.api.main import query_parameters  # (main imports this module)

    match = request.resolver_match
    allowed = query_parameters().get((match.route if match else "", request.method or ""), set())
    unknown = sorted(k for k in request.GET if k not in allowed)
    if unknown:
        err = WorkflowError(_("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown) or "“”"},
                            "invalid")
        err.fields = {k or "“”": [str(_("not a parameter of this operation"))] for k in unknown}
        raise err


def need(request: HttpRequest, scope: Scope) -> None:
    """Refuse (403) a request whose token lacks ``scope``."""
    token: Token = request.auth
    if scope.value not in token.scopes:
        raise WorkflowError(_("This token lacks the scope “%(scope)s” (%(what)s).") % {
            "scope": scope.value, "what": scope.label}, "forbidden")
