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
        return found


def need(request: HttpRequest, scope: Scope) -> None:
    """Refuse (403) a request whose token lacks ``scope``."""
    token: Token = request.auth
    if scope.value not in token.scopes:
        raise WorkflowError(_("This token lacks the scope “%(scope)s” (%(what)s).") % {
            "scope": scope.value, "what": scope.label}, "forbidden")
