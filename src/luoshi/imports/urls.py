from django.urls import path

from luoshi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_new, name="new"),
    path("<int:pk>/", views.batch_page, name="batch"),
    path("<int:pk>/abandon/", views.batch_abandon, name="abandon"),
    path("<int:pk>/done/", views.batch_done, name="done"),
]
