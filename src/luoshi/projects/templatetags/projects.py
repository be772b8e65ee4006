"""Projects on a page: money as offices write it (万元), and whether the header links to them
(``{% load projects %}``)."""

from __future__ import annotations

from decimal import Decimal

from django import template
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
