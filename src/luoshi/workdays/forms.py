"""The form of the local days page: one day, off or worked, with a name."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.forms import DateInput
from luoshi.org.models import Unit
from luoshi.workdays.models import LocalDay


def duplicate_message(day: LocalDay) -> str:
    return _("There is already a local day on %(date)s: %(day)s. Remove it first to change it.") % {
        "date": date_format(day.date), "day": day.name or day.get_kind_display()}


class LocalDayForm(forms.ModelForm):
    class Meta:
        model = LocalDay
        fields = ["date", "kind", "name"]
        widgets = {"date": DateInput(), "kind": forms.RadioSelect}
        help_texts = {
            "name": gettext_lazy("As people will read it, for example 2027年春节 or 防汛调休."),
        }

    def __init__(self, *args, organisation: Unit, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["kind"].choices = LocalDay.Kind.choices  # no empty "---------" among the radios

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_date(self):
        day = self.cleaned_data["date"]
        same = LocalDay.objects.filter(organisation=self.organisation, date=day).first()
        if same is not None:
            raise forms.ValidationError(duplicate_message(same), code="duplicate")
        return day
