"""The /sources/ pages (namespace "sources"): those the desk knows about (the list, ingesting, a
source with its tasks) and those of the document as received (raw text, original bytes)."""

from django.urls import path

from luoshi.desk import source_views
from luoshi.sources import views

app_name = "sources"
urlpatterns = [
    path("", source_views.source_list, name="list"),
    path("new/", source_views.source_new, name="new"),
    path("<int:pk>/", source_views.source_detail, name="detail"),
    path("<int:pk>/openness/", source_views.source_openness, name="openness"),
    path("<int:pk>/raw/", views.source_raw, name="raw"),
    path("<int:pk>/items/<int:item>/raw/", views.item_raw, name="item_raw"),
    path("<int:pk>/original/", views.source_original, name="original"),
]
