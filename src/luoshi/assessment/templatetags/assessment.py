"""A figure of the ranking as a link to the tasks behind it (``{% load assessment %}``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from luoshi.documents.bulletin import percent

register = template.Library()


@register.simple_tag
def figure(tasks_url: str, row, name: str) -> str:
    """The count; a link to its tasks where there are any."""
    value = getattr(row.figures, name)
    if not value:
        return mark_safe('<span class="zero">0</span>')
    url = f"{tasks_url}&{urlencode({'unit': row.unit.pk, 'figure': name})}"
    return format_html('<a href="{}" class="figure-{}">{}</a>', url, name, value)


@register.filter
def rate(value) -> str:
    """A rate as the bulletin prints it (66.7%, 100%), a dash where the unit had nothing to count."""
    return percent(float(value) if value is not None else None)


@register.filter
def points(value) -> str:
    """A score with two decimals, as published (59.70)."""
    return "—" if value is None else f"{value:.2f}"
