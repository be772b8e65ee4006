"""The forms' renderer: Django's templates, but the common pieces written in Python.

Django renders every form field through five or six small templates (the field group, its
label, its errors, the widget and the widget's attributes) and every <option> of a select
through one more include: about 0.15 ms a field and 20 µs an option, so a page's forms cost
more than its rows (the task list's filter form and bulk bar: a fifth of the page; a unit select
of 200 options: a third of it at a province's size). The HTML written here is what Django's own
templates produce (`field.html`, `label.html`, `errors/list/ul.html`, the <input> widgets,
`textarea.html`, `select.html` and `select_option.html`), escaped the same way and stripped as
Django's renderer strips (tests/test_renderer.py holds the two side by side); anything else, and
any widget with a template of its own, keeps its template.
"""

from __future__ import annotations

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime

from luoshi.escape import esc

WIDGETS = "django/forms/widgets/"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
TEXTAREA = WIDGETS + "textarea.html"
# the widgets whose template is only an include of input.html
INPUTS = {WIDGETS + f"{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
    "search", "tel", "color", "checkbox", "file")}
FIELD = "django/forms/field.html"
LABEL = "django/forms/label.html"
ERRORS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


def _var(value) -> str:
    """``{{ value }}`` with autoescaping: a date or number localized, made a string, then escaped
    unless it is safe already (Django's `render_value_in_context`)."""
    if not isinstance(value, str):
        value = str(localize(template_localtime(value)))
    return esc(value)


def _s(value) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe, so it is not escaped."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict | None) -> str:
    """attrs.html: `` name="value"`` for each attribute, `` name`` for True, nothing for False."""
    return "".join(f" {_var(name)}" if value is True else f' {_var(name)}="{_s(value)}"'
                   for name, value in (attrs or {}).items() if value is not False)


def _option(option: dict) -> str:
    # select_option.html ends in a newline, which its include keeps
    return f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>{_var(option["label"])}</option>\n'


def select(widget: dict) -> SafeString:
    parts = [f'<select name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_var(group_name)}">')
        parts.extend(_option(o) for o in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def input_(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_s(value)}"' if value is not None else ""
    return f'<input type="{_var(widget["type"])}" name="{_var(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def textarea(widget: dict) -> str:
    value = widget["value"]
    return (f'<textarea name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{_var(value) if value else ""}</textarea>')


def label(context: dict) -> str:
    text = _var(context["label"])
    if not context["use_tag"]:
        return text
    tag = _var(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{text}</{tag}>"


def errors(context: dict) -> str:
    errs = context["errors"]
    if not errs:
        return ""
    field_id = getattr(errs, "field_id", None)
    id_ = f' id="{_var(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_var(e)}</li>" for e in errs)
    return f'<ul class="{_var(context["error_class"])}"{id_}>{items}</ul>'


def field_group(field) -> str:
    """field.html for the bound field ``field``: its label (or legend), help, errors and widget."""
    if field.use_fieldset:
        described = field.aria_describedby
        parts = ["\n  <fieldset", f' aria-describedby="{_var(described)}"' if described else "", ">\n  ",
                 _var(field.legend_tag()) if field.label else "", "\n"]
    else:
        parts = ["\n  ", _var(field.label_tag()) if field.label else "", "\n"]
    parts.append("\n")
    if field.help_text:
        id_ = f' id="{_var(field.auto_id)}_helptext"' if field.auto_id else ""
        parts.append(f'<div class="helptext"{id_}>{field.help_text}</div>')
    parts += ["\n", _var(field.errors), "\n", _var(field), "</fieldset>" if field.use_fieldset else "", "\n"]
    return "".join(parts)


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in INPUTS and widget:
            html = input_(widget)
        elif template_name == SELECT and widget and all(o.get("template_name") == OPTION
                                                       for _g, opts, _i in widget["optgroups"] for o in opts):
            html = select(widget)
        elif template_name == TEXTAREA and widget:
            html = textarea(widget)
        elif template_name == FIELD and "field" in context:
            html = field_group(context["field"])
        elif template_name == LABEL and "use_tag" in context:
            html = label(context)
        elif template_name in ERRORS and "errors" in context:
            html = errors(context)
        else:
            return super().render(template_name, context, request)
        return html.strip()
