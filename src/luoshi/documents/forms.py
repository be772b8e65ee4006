"""The bulletin page's choice of organisation and period."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.forms import DateInput, Form, ModelChoiceField
from luoshi.ledgers.periods import PERIOD_KINDS, period_bounds
from luoshi.org.models import Unit

CUSTOM = "custom"
MAX_DAYS = 366 * 5  # a bulletin covers a week to a few years; longer is a mistyped year


class BulletinForm(Form):
    organisation = ModelChoiceField(queryset=Unit.objects.none(), required=False, empty_label=None,
                                    label=_("Organisation"))
    kind = forms.ChoiceField(label=_("Period"), initial="month", choices=[
        ("week", _("Week")), ("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year")),
        (CUSTOM, _("From … to …")),
    ])
    day = forms.DateField(label=_("Containing the day"), required=False, widget=DateInput,
                          help_text=_("Today if left empty."))
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    number = forms.CharField(label=_("Number (期号)"), required=False, max_length=30,
                             help_text=_("Printed under the masthead, e.g. 第12期."))

    def __init__(self, *args, organisations: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.fields["organisation"].queryset = Unit.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) < 2:
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Give the first and the last day of the period."))
        elif data.get("kind") in PERIOD_KINDS:
            start, end = period_bounds(data["kind"], data.get("day") or timezone.localdate())
        else:
            return data
        if end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        data["start"], data["end"] = start, end
        return data

    def choice(self) -> tuple[Unit, dt.date, dt.date, str]:
        """(organisation, first day, last day, number) chosen, or this month of the first
        organisation where nothing valid was chosen."""
        if self.is_bound and self.is_valid():
            d = self.cleaned_data
            return d.get("organisation") or self.organisations[0], d["start"], d["end"], d.get("number", "")
        return (self.organisations[0], *period_bounds("month", timezone.localdate()), "")
