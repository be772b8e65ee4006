"""The header's link to the dashboard, and a figure with its link (``{% load dashboard %}``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from luoshi import access
from luoshi.dashboard import charts

register = template.Library()


@register.simple_tag
def may_see_dashboard(user) -> bool:
    return access.can_see_dashboard(user)


@register.simple_tag
def figure(fig, css: str = "") -> str:
    """A number linked to the ledger page listing the tasks behind it (a zero links nowhere)."""
    cls = format_html(' class="{}"', css) if css else ""
    if fig.url:
        return format_html('<a href="{}"{}>{}</a>', fig.url, cls, fig.value)
    return format_html("<span{}>{}</span>", cls, fig.value)


@register.filter
def state_label(state: str) -> str:
    return charts.state_name(state)


@register.filter
def light_label(light: str) -> str:
    return charts.light_names().get(light, light)
