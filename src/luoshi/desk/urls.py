from django.urls import path

from luoshi.desk import views

app_name = "desk"
urlpatterns = [
    path("sources/<int:pk>/desk/", views.desk_page, name="desk"),
    path("sources/<int:pk>/desk/bulk/", views.bulk, name="bulk"),
    path("sources/<int:pk>/desk/save/", views.save_all, name="save"),
    path("sources/<int:pk>/desk/<int:proposal>/<slug:action>/", views.proposal_do, name="do"),
    path("routing/", views.routing, name="routing"),
    path("routing/<int:rule>/", views.routing_edit, name="routing_edit"),
    path("routing/<int:rule>/toggle/", views.routing_toggle, name="routing_toggle"),
]
