"""Projects on a page: money as offices write it (万元), and whether the header links to them
(``{% load projects %}``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from luoshi import access

register = template.Library()


def plain(value: Decimal | int | float | None) -> str:
    """1234.50 as 1234.5, 3000.00 as 3000: the figure without the zeros nobody writes."""
    if value is None:
        return "—"
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@register.filter
def amount(value: Decimal | int | float | None) -> str:
    """An amount in 10,000 yuan as offices write it: 1234.5万元."""
    if value is None:
        return "—"
    return _("%(amount)s × 10,000 yuan") % {"amount": plain(value)}


@register.simple_tag
def may_see_projects(user) -> bool:
    return access.can_see_projects(user)


@register.simple_tag
def project_cell(column, row) -> str:
    """One cell of the project ledger: dates as offices write them, amounts without trailing zeros,
    the project's name linking to its page."""
    value = column.value(row)
    if value is None or value == "":
        shown = "—"
    elif isinstance(value, dt.date):
        shown = date_format(value)
    elif column.kind == "percent":
        shown = f"{value}%"
    elif column.kind == "amount":
        shown = plain(value)
    else:
        shown = str(value)
    if column.key == "name":
        return format_html('<td class="k-{}"><a href="{}">{}</a></td>', column.kind,
                           reverse("projects:detail", args=[row.pk]), shown)
    flag = " flag" if column.key in ("slipped", "short") and getattr(row, column.key, False) else ""
    return format_html('<td class="k-{}{}">{}</td>', column.kind, flag, shown)
