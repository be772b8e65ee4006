"""The forms' renderer: Django's templates, but a <select> written in Python.

Django renders every <option> of a select through its own template include; a unit select of
200 options then costs more than the rest of the page (a third of the task list's time at a
province's size). The HTML written here is what Django's select.html, select_option.html and
attrs.html produce, escaped the same way (`luoshi.escape`: through `format_html` the escapes took
half of a select's time); every other widget keeps its template.
"""

from __future__ import annotations

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

from luoshi.escape import esc

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    return "".join(f" {esc(name)}" if value is True else f' {esc(name)}="{escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def _option(option: dict) -> str:
    value, label = escape(str(option["value"])), esc(option["label"])
    return f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n'


def select(widget: dict) -> SafeString:
    parts = [f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{esc(group_name)}">')
        parts.extend(_option(o) for o in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and widget and all(o.get("template_name") == OPTION
                                                     for _g, opts, _i in widget["optgroups"] for o in opts):
            return select(widget)
        return super().render(template_name, context, request)
