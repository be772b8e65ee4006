from django.urls import path

from luoshi.sources import views

app_name = "sources"
urlpatterns = [
    path("", views.source_list, name="list"),
    path("new/", views.source_new, name="new"),
    path("<int:pk>/", views.source_detail, name="detail"),
    path("<int:pk>/raw/", views.source_raw, name="raw"),
    path("<int:pk>/items/<int:item>/raw/", views.item_raw, name="item_raw"),
    path("<int:pk>/original/", views.source_original, name="original"),
]
