"""The Python-written <select> is what Django's own templates write, byte for byte (Django's
template renderer is the oracle), for plain, grouped, multiple, model and localized selects."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import override

from luoshi.forms import DateInput
from luoshi.org.models import Unit
from luoshi.renderer import Renderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "— 任意 —"), ("x<y", "甲 & 乙"), ("b", "“引号”")], required=False)
    grouped = forms.ChoiceField(choices=[("", "—"), ("省直", [("1", "省农业农村厅"), ("2", "省水利厅")]),
                                         ("市县", [("3", "吕梁市")])])
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, '"two"')],
                                     widget=forms.SelectMultiple(attrs={"disabled": True, "data-x": 'a"b', "hidden": False}))
    lazy = forms.ChoiceField(choices=[("yes", forms.BooleanField().error_messages["required"])], required=False)
    day = forms.DateField(widget=DateInput, required=False)  # not a select: its template is used


@pytest.mark.parametrize("data", [None, {}, {"plain": "x<y", "grouped": "2", "many": ["1", "2"]}, {"grouped": "9"}])
def test_selects_match_djangos_templates(data) -> None:
    for language in ("zh-hans", "en"):
        with override(language):
            ours, theirs = Sample(data, renderer=Renderer()), Sample(data, renderer=DjangoTemplates())
            for name in Sample.base_fields:
                assert str(ours[name]) == str(theirs[name]), (name, data, language)


@pytest.mark.django_db
def test_a_model_select_matches(org) -> None:
    class Pick(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"), empty_label="— 任意单位 —")

    for data in (None, {"unit": str(org.unit_a.pk)}, {"unit": "x"}):
        assert str(Pick(data, renderer=Renderer())["unit"]) == str(Pick(data, renderer=DjangoTemplates())["unit"])
        assert "省农业农村厅" in str(Pick(data, renderer=Renderer())["unit"])
