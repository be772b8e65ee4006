import datetime as dt

from django.urls import path, register_converter

from luoshi.documents import views


class IsoDate:
    """A day in a path, as 2026-11-30; anything that is not a real date does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError: no match

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


register_converter(IsoDate, "isodate")

app_name = "documents"
urlpatterns = [
    path("tasks/<int:pk>/notice.docx", views.notice, name="notice"),
    path("tasks/<int:pk>/replies/<int:reply>.docx", views.reply_letter, name="reply_letter"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<isodate:start>_<isodate:end>.docx", views.bulletin_docx, name="bulletin_docx"),
]
