"""One ledger cell as a page shows it: dates as offices write them, percentages, links to the
tasks behind a figure (``{% load ledgers %}``)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def cell(column, row, nolink: bool = False) -> str:
    value = column.value(row)
    if value is None or value == "":
        shown = "—"
    elif isinstance(value, dt.date):
        shown = date_format(value)
    elif column.kind == "percent":
        shown = f"{value}%"
    else:
        shown = str(value)
    link = column.link(row) if column.link and not nolink and value not in (None, "", 0) else None
    if link:
        return format_html('<td class="k-{}"><a href="{}">{}</a></td>', column.kind, link, shown)
    return format_html('<td class="k-{}">{}</td>', column.kind, shown)


@register.simple_tag(takes_context=True)
def querystring_without(context, *keys: str) -> str:
    q = context["request"].GET.copy()
    for k in keys:
        q.pop(k, None)
    return q.urlencode()
