from django.urls import path

from luoshi.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.ledger_page, name="ledger"),
    path("ledger.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
]
