"""Who the token acts as."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from luoshi.api.schemas import Me, Problem
from luoshi.tasks.roles import memberships

router = Router(tags=["me"])


@router.get("/me", response={200: Me, 400: Problem, 401: Problem}, summary="The token's user, units and scopes")
def me(request: HttpRequest):
    user = request.user
    return {
        "id": user.pk, "username": user.get_username(), "display_name": str(user),
        "memberships": [{"unit": {"id": m.unit_id, "name": m.unit.name}, "role": m.role} for m in memberships(user)],
        "scopes": request.auth.scopes,
    }
