"""`{% answer_picker task field %}`: the “常用语” select beside a text field that has templates.

A template tag, so that the task pages offer templates without the tasks app importing this one
(the apps build on each other in one direction)."""

from __future__ import annotations

from django import template

from luoshi.answers import services
from luoshi.answers.models import Purpose

register = template.Library()


@register.inclusion_tag("answers/_picker.html")
def answer_picker(task, field) -> dict:
    purpose = services.purpose_of(field.form.prefix, field.name)
    if purpose is None or task is None:
        return {"answers": []}
    form = field.form
    class_target = form["category"].auto_id if purpose == Purpose.REPLY and "category" in form.fields else ""
    return {"answers": list(services.offered(task, purpose)), "target": field.auto_id,
            "class_target": class_target}
