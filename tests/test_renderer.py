"""The Python-written form pieces are what Django's own templates write, byte for byte (Django's
template renderer is the oracle): selects (plain, grouped, multiple, model, localized), every
<input> widget, textareas, labels and legends, errors and whole field groups, on a sample form
and on the app's own pages as each role sees them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.utils.safestring import mark_safe
from django.utils.translation import override

from luoshi.forms import DateInput
from luoshi.org.models import Unit
from luoshi.renderer import Renderer
from luoshi.tasks.models import State
from tests.factories import drive, make_task


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


class Everything(forms.Form):
    """One field of each kind the app's forms use, and the odd cases of their labels and attributes."""

    required_css_class = "required"

    title = forms.CharField(max_length=20, help_text="不超过<b>20</b>字", widget=forms.TextInput(
        attrs={"placeholder": '如"春耕"', "autofocus": True, "hidden": False, "data-safe": mark_safe("<ok>")}))
    count = forms.IntegerField(min_value=1, required=False, label="数量？")
    email = forms.EmailField(required=False)
    link = forms.URLField(required=False, label="")
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=DateInput, required=False, label_suffix="：")
    moment = forms.DateTimeField(required=False)
    hour = forms.TimeField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agree = forms.BooleanField(required=False)
    level = forms.ChoiceField(choices=[("1", "一级"), ("2", "二级 & 以上")], widget=forms.RadioSelect, required=False)
    kinds = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.CheckboxSelectMultiple,
                                      required=False)
    paper = forms.FileField(required=False)
    copy = forms.FileField(required=False, widget=forms.ClearableFileInput)
    pick = forms.ChoiceField(choices=[("", "—"), (2026, 2026), ("x", "<x>"), ("d", dt.date(2026, 12, 1))], required=False)

    def clean(self):
        if self.cleaned_data.get("count") == 13:
            raise forms.ValidationError("不吉利的<数>")
        return self.cleaned_data


EVERYTHING_DATA = [
    None,
    {},
    {"title": "这个标题超过了二十个字：<script>alert(1)</script>，还要再长一些才行", "count": "0", "email": "x",
     "day": "2026-02-30", "note": "第一行\n<第二行> & “引号”", "agree": "on", "level": "2", "kinds": ["a", "b"],
     "secret": '"s"', "version": "3", "moment": "2026-12-01 08:00", "hour": "25:00", "pick": "2026"},
    {"title": "春耕", "count": "13", "day": "2026-12-01", "level": "9", "kinds": ["z"], "pick": "x"},
]


@pytest.mark.parametrize("data", EVERYTHING_DATA)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_every_piece_matches_djangos_templates(data, auto_id) -> None:
    for language in ("zh-hans", "en"):
        with override(language):
            ours = Everything(data, auto_id=auto_id, renderer=Renderer())
            theirs = Everything(data, auto_id=auto_id, renderer=DjangoTemplates())
            for name in Everything.base_fields:
                for piece in ("as_field_group", "__str__", "label_tag", "legend_tag"):
                    mine, django = getattr(ours[name], piece)(), getattr(theirs[name], piece)()
                    assert mine == django, (name, piece, data, auto_id, language)
                assert str(ours[name].errors) == str(theirs[name].errors), (name, data)
            assert str(ours.non_field_errors()) == str(theirs.non_field_errors())
            assert str(ours) == str(theirs)  # the whole form through Django's div.html
    if data and data.get("note"):
        assert "&lt;第二行&gt; &amp; “引号”" in str(Everything(data, renderer=Renderer())["note"])


PAGES = {
    None: ["/accounts/login/"],
    "supervisor": ["/tasks/", "/tasks/?state=nope&due_from=2026-02-30&unit=x", "/tasks/new/", "/tasks/{draft}/",
                   "/tasks/{assigned}/", "/tasks/{draft}/edit/", "/ledgers/tasks/", "/ledgers/responsibility/",
                   "/dashboard/", "/sources/new/", "/inbox/settings/", "/workdays/", "/answers/", "/imports/new/",
                   "/monitoring/rules/new/", "/assessment/weights/", "/search/?q=春耕", "/routing/"],
    "handler_a": ["/", "/tasks/", "/tasks/{assigned}/", "/ledgers/time/"],
    "leader": ["/tasks/{assigned}/"],
}


@pytest.mark.django_db
def test_the_apps_pages_match(org, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    keys = {"draft": make_task(org).pk, "assigned": drive(org, make_task(org, title="春耕备耕"), State.ASSIGNED).pk}
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

    def page(who, url, renderer):
        settings.FORM_RENDERER = renderer
        client = Client()
        if who:
            client.force_login(getattr(org, who))
        r = client.get(url.format(**keys))
        return r.status_code, token.sub("", r.content.decode())

    forms_seen = 0
    for who, urls in PAGES.items():
        for url in urls:
            ours = page(who, url, "luoshi.renderer.Renderer")
            assert ours == page(who, url, "django.forms.renderers.DjangoTemplates"), (who, url)
            forms_seen += ours[0] in (200, 400) and "<input" in ours[1] and "<label" in ours[1]
    assert forms_seen >= 20
