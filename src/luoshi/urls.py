from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from luoshi.tasks import views as task_views

urlpatterns = [
    path("", task_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tasks/", include("luoshi.tasks.urls")),
    path("answers/", include("luoshi.answers.urls")),
    path("ledgers/", include("luoshi.ledgers.urls")),
    path("dashboard/", include("luoshi.dashboard.urls")),
    path("sources/", include("luoshi.desk.source_urls")),
    path("inbox/", include("luoshi.notify.urls")),
    path("search/", include("luoshi.search.urls")),
    path("", include("luoshi.desk.urls")),
    path("workdays/", include("luoshi.workdays.urls")),
    path("", include("luoshi.documents.urls")),  # tasks/<id>/notice.docx and bulletins/
    path("imports/", include("luoshi.imports.urls")),
    path("monitoring/", include("luoshi.monitoring.urls")),
    path("assessment/", include("luoshi.assessment.urls")),
    path("projects/", include("luoshi.projects.urls")),
    path("api/", include("luoshi.api.urls")),
    path("attachments/<int:pk>/", task_views.attachment_download, name="attachment"),
    path("admin/", admin.site.urls),
]
