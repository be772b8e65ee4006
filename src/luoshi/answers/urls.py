from django.urls import path

from luoshi.answers import views

app_name = "answers"
urlpatterns = [
    path("", views.answer_list, name="list"),
    path("<int:pk>/", views.answer_edit, name="edit"),
    path("<int:pk>/delete/", views.answer_delete, name="delete"),
]
