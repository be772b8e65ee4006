"""The task page's supervision notices (load with ``{% load documents %}``)."""

from __future__ import annotations

from django import template

from luoshi import access
from luoshi.documents.bulletin import percent as percent_text
from luoshi.documents.models import IssuedNotice
from luoshi.documents.views import notice_url

register = template.Library()


@register.inclusion_tag("documents/_notices.html", takes_context=True)
def task_notices(context, task) -> dict:
    """The notices issued for ``task`` with their links, and the button to issue one: each
    shown only to those who may."""
    user = context["request"].user
    roles = access.task_roles(user, task)
    notices = []
    if access.can_read_notices(user, task, roles):
        notices = [(n, notice_url(task.pk, n.number)) for n in
                   IssuedNotice.objects.filter(task=task).select_related("issued_by").defer("content")]
    return {"task": task, "notices": notices, "may_issue": access.can(user, "issue_notice", task, roles),
            "csrf_token": context.get("csrf_token")}


@register.filter
def percent(rate: float | None) -> str:
    """A share in percent as the bulletin prints it: 85.7%, 100%, — where nothing was closed."""
    return percent_text(rate)
