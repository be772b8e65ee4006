"""`{% answer_picker task field %}`: the “常用语” select beside a text field that has templates.

A template tag, so that the task pages offer templates without the tasks app importing this one
(the apps build on each other in one direction)."""

from __future__ import annotations

from django import template

from luoshi import access
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


@register.inclusion_tag("answers/_picker.html", takes_context=True)
def bulk_answer_picker(context, field, action_field) -> dict:
    """The select beside the bulk bar's reason: the user's organisation's urging and closing
    templates, each shown only while ``action_field`` (the bar's action) chooses its purpose."""
    organisation = access.home_organisation(context["request"].user)
    answers = list(services.offered_in_bulk(organisation, (Purpose.URGE, Purpose.CLOSE)))
    return {"answers": answers, "target": field.auto_id, "follow": action_field.auto_id}
