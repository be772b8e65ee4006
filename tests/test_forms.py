"""The shared form pieces (`luoshi.forms`): a model's choices read as plain rows show what its
objects would (Django's own field, which labels each object by ``str()``, is the oracle)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.forms import ModelChoiceField, ModelMultipleChoiceField
from luoshi.org.models import Unit, User
from luoshi.sources.models import Source


def _source(org, name: str, title: str) -> Source:
    return Source.objects.create(organisation=org.province, name=name, title=title, raw=b"x", checksum=name,
                                 size=1, encoding="utf-8", text="x")


def _plain(choices) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices]


@pytest.mark.django_db
def test_choices_as_rows_show_what_the_objects_would(org) -> None:
    User.objects.filter(pk=org.leader.pk).update(display_name="")  # shown by username instead
    _source(org, "一号.txt", "全省春耕备耕工作会议")
    _source(org, "二号.txt", "")  # no title: its file name
    for model in (Unit, User, Source):
        qs = model.objects.order_by("pk")
        for ours, django in ((ModelChoiceField(qs), forms.ModelChoiceField(qs)),
                             (ModelMultipleChoiceField(qs), forms.ModelMultipleChoiceField(qs))):
            mine = _plain(ours.choices)
            assert mine == _plain(django.choices), model
            assert len(mine) >= 2
    assert any(label == "二号.txt" for _v, label in _plain(ModelChoiceField(Source.objects.all()).choices))
    assert any(label == org.leader.username for _v, label in _plain(ModelChoiceField(User.objects.all()).choices))


@pytest.mark.django_db
def test_rows_are_read_without_the_models_other_columns(org) -> None:
    with CaptureQueriesContext(connection) as ctx:
        [c for c in ModelChoiceField(Source.objects.all()).choices]  # (list() would ask its length: a COUNT)
    assert len(ctx.captured_queries) == 1
    assert '"raw"' not in ctx.captured_queries[0]["sql"] and '"text"' not in ctx.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_a_field_that_labels_its_own_way_keeps_its_way(org) -> None:
    class Short(ModelChoiceField):
        def label_from_instance(self, obj) -> str:
            return f"[{obj.short_name or obj.name}]"

    labels = [label for _v, label in Short(Unit.objects.order_by("name"), empty_label=None).choices]
    assert labels and all(label.startswith("[") for label in labels)
