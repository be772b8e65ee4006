from django.urls import path

from luoshi.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("", views.index, name="index"),
    path("selected.xlsx", views.export_selected, name="export_selected"),  # before <name>.xlsx
    path("<slug:name>.xlsx", views.export, name="export"),
    path("<slug:name>/", views.ledger_page, name="page"),
    path("<slug:name>/columns/", views.columns, name="columns"),
    path("<slug:name>/columns/reset/", views.reset_columns, name="reset_columns"),
]
