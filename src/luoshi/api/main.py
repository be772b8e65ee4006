"""The JSON API: one NinjaAPI, token-authenticated, its schema at /api/openapi.json.

Every operation goes through the same layers as the pages: `access` for what a user may see and
do, `workflow.perform` and the services for every change, the ledgers' query layer for lists.
Refusals share one shape (`Problem`): 401 without a valid token, 403 for a missing scope or a
move the user may not make, 404 for what the user may not see (never its content), 409 for a
move in the wrong state or on a stale version, 400/422 for input that cannot be taken.
"""

from __future__ import annotations

import functools
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from luoshi.api import tokens
from luoshi.api.models import Token
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
    match = request.resolver_match
    allowed = query_parameters().get((match.route if match else "", request.method or ""), set())
    unknown = sorted(k for k in request.GET if k not in allowed)
    if unknown:
        err = WorkflowError(_("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown) or "“”"},
                            "invalid")
        err.fields = {k or "“”": [str(_("not a parameter of this operation"))] for k in unknown}
        raise err


api = NinjaAPI(
    title="Luoshi (落实) API",
    version="1",
    description=("Tasks (督办事项), their progress and moves, meeting reports (sources) and ledgers (台账). "
                 "Authenticate with `Authorization: Bearer <token>`; see docs/api.md."),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # the interactive page loads scripts from a CDN: offline and against the CSP; docs/api.md instead
)


def _problem(request: HttpRequest, status: int, detail: str, code: str = "", fields: dict | None = None,
             headers: dict | None = None) -> HttpResponse:
    response = api.create_response(request, {"detail": detail, "code": code, "fields": fields or {}}, status=status)
    for k, v in (headers or {}).items():
        response[k] = v
    return response


@api.exception_handler(WorkflowError)
def _refused(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
    return _problem(request, exc.http_status, str(exc.message), exc.code, getattr(exc, "fields", None))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _problem(request, 404, _("No such object, or not one you may see."), "not_found")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _problem(request, 401, _("A valid API token is needed: Authorization: Bearer <token>."),
                    "unauthenticated", headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # django-ninja's only one: a body that is not JSON
        return _problem(request, 400, _("The body cannot be read: send JSON in UTF-8 (or a form, where a file "
                                        "goes)."), "invalid")
    return _problem(request, exc.status_code, str(exc), "refused")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for e in exc.errors:
        where = ".".join(str(p) for p in e.get("loc", ())[1:]) or "body"
        fields.setdefault(where, []).append(str(e.get("msg", "")))
    return _problem(request, 422, _("Some inputs cannot be taken: see fields."), "invalid", fields)


@functools.cache
def query_parameters() -> dict[tuple[str, str], set[str]]:
    """Each operation's query parameters, by (route, method), as the schema declares them."""
    out: dict[tuple[str, str], set[str]] = {}
    for path, ops in api.get_openapi_schema()["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/"))
        for method, op in ops.items():
            out[(route, method.upper())] = {p["name"] for p in op.get("parameters", ()) if p["in"] == "query"}
    return out


from luoshi.api import ledgers, me, sources, tasks  # noqa: E402  (the routers register on `api`)

api.add_router("/", me.router)
api.add_router("/tasks", tasks.router)
api.add_router("/sources", sources.router)
api.add_router("/ledgers", ledgers.router)
