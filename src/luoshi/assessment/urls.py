from django.urls import path

from luoshi.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("assessment.xlsx", views.export, name="export"),
    path("publish/", views.publish, name="publish"),
    path("tasks/", views.tasks, name="tasks"),
    path("weights/", views.weights, name="weights"),
]
