from django.urls import path

from luoshi.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="page"),
    path("<int:pk>/remove/", views.remove, name="remove"),
]
