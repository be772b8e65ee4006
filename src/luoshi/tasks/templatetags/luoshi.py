"""Template helpers for the header and the lights (load with ``{% load luoshi %}``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from luoshi import access
from luoshi.tasks.roles import memberships

register = template.Library()

LIGHT_TEXT = {
    "red": _("Red: overdue"),
    "yellow": _("Yellow: due soon or no recent progress"),
    "green": _("Green: on track"),
    "none": _("No light: draft or closed"),
}


@register.filter
def light_text(light: str) -> str:
    """What a light means, for screen readers and tooltips (the dot alone is only a colour)."""
    return str(LIGHT_TEXT.get(light, light))


@register.simple_tag
def light_dot(light: str) -> str:
    """The light as a coloured dot with its meaning for screen readers (a tag, not an include: the
    task list draws one a row)."""
    text = light_text(light)
    return format_html('<span class="dot dot-{}" title="{}" aria-hidden="true"></span>'
                       '<span class="visually-hidden">{}</span>', light, text, text)


@register.simple_tag
def roles_of(user) -> list[str]:
    """The user's roles as "role · unit", for the header."""
    if not getattr(user, "is_authenticated", False):
        return []
    # the memberships the request has read already for what the user may do
    ms = sorted(memberships(user), key=lambda m: (m.role, m.unit.name))
    return [f"{m.get_role_display()} · {m.unit.label}" for m in ms]


@register.simple_tag
def may_create_tasks(user) -> bool:
    return access.can_create_tasks(user)


@register.simple_tag
def may_edit_routing(user) -> bool:
    return bool(access.routing_organisations(user))


@register.simple_tag
def may_keep_answers(user) -> bool:
    return bool(access.answer_organisations(user))


@register.simple_tag
def may_edit_workdays(user) -> bool:
    return bool(access.workday_organisations(user))


@register.simple_tag
def may_read_bulletins(user) -> bool:
    return bool(access.bulletin_organisations(user))


@register.simple_tag
def may_import(user) -> bool:
    return bool(access.import_organisations(user))


@register.simple_tag
def may_see_assessment(user) -> bool:
    return bool(access.assessment_organisations(user))


@register.simple_tag
def may_see_monitoring(user) -> bool:
    return access.can_see_monitoring(user)


@register.simple_tag
def may_import_monitoring(user) -> bool:
    return bool(access.monitoring_organisations(user, "import"))

