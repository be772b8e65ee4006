from django.urls import path

from luoshi.api import views
from luoshi.api.main import api
from luoshi.bodylimit import FORM_MARGIN
from luoshi.sources.forms import MAX_UPLOAD_BYTES

patterns, ninja_app, ninja_namespace = api.urls
for p in patterns:
    if p.name == "ingest_file":  # a report file, as large as the desk's upload takes; refused before it is read
        p.callback.max_body = MAX_UPLOAD_BYTES + FORM_MARGIN

urlpatterns = [
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("", (patterns, ninja_app, ninja_namespace)),
]
