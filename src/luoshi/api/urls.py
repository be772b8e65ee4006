from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from luoshi.api import views
from luoshi.api.main import api
from luoshi.bodylimit import FORM_MARGIN
from luoshi.sources.forms import MAX_UPLOAD_BYTES

patterns, ninja_app, ninja_namespace = api.urls
for p in patterns:
    if p.name == "ingest_file":  # a report file, as large as the desk's upload takes; refused before it is read
        p.callback.max_body = MAX_UPLOAD_BYTES + FORM_MARGIN



def not_found(request, rest: str = "") -> JsonResponse:
    """Any other address under /api/: the API's own 404, in JSON, not the site's page."""
    return JsonResponse({"detail": _("No such address in the API; see /api/openapi.json."), "code": "not_found",
                         "fields": {}}, status=404)


urlpatterns = [
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("", (patterns, ninja_app, ninja_namespace)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
