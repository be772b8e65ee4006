from django.urls import path

from luoshi.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.subject_list, name="subjects"),
    path("subjects.csv", views.subject_export, name="export"),
    path("subjects/<int:pk>/", views.subject_page, name="subject"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/evaluate/", views.evaluate_now, name="evaluate"),
    path("import/", views.import_page, name="import"),
]
