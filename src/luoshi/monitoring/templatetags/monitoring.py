from __future__ import annotations

from django import template

from luoshi.monitoring import display

register = template.Library()

register.filter("figure", display.figure)
register.filter("month", display.month)
