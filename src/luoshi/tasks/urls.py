from django.urls import path

from luoshi.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_new, name="new"),
    path("bulk/", views.task_bulk, name="bulk"),
    path("bulk/result/", views.task_bulk_result, name="bulk_result"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", views.task_do, name="do"),
    path("<int:pk>/progress/", views.task_progress, name="progress"),
    path("<int:pk>/comment/", views.task_comment, name="comment"),
    path("<int:pk>/urge/", views.task_urge, name="urge"),
    path("<int:pk>/opinion/", views.give_opinion, name="opinion"),
    path("<int:pk>/replies/", views.reply_write, name="reply_write"),
    path("<int:pk>/replies/<int:reply>/<slug:step>/", views.reply_step, name="reply_step"),
    path("<int:pk>/parts/", views.hand_down, name="hand_down"),
    path("<int:pk>/parts/allow/", views.allow_open_parts, name="allow_open_parts"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/instructions/<int:instruction>/acknowledge/", views.acknowledge, name="acknowledge"),
]
