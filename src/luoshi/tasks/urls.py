from django.urls import path

from luoshi.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
]
