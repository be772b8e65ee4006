"""The assessment page's choice of organisation and period, and the weights form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.assessment.models import Weights
from luoshi.assessment.scoring import CENT
from luoshi.forms import DateInput, Form, ModelChoiceField
from luoshi.ledgers.periods import period_bounds
from luoshi.org.models import Unit

KINDS = [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))]


class PeriodForm(Form):
    organisation = ModelChoiceField(queryset=Unit.objects.none(), required=False, empty_label=None,
                                    label=_("Organisation"))
    kind = forms.ChoiceField(label=_("Period"), initial="month", choices=KINDS)
    day = forms.DateField(label=_("Containing the day"), required=False, widget=DateInput,
                          help_text=_("Today if left empty."))

    def __init__(self, *args, organisations: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.fields["organisation"].queryset = Unit.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) < 2:
            self.fields["organisation"].widget = forms.HiddenInput()

    def choice(self) -> tuple[Unit, str, dt.date, dt.date]:
        """(organisation, kind, first day, last day) chosen, or this month of the first organisation."""
        if self.is_bound and self.is_valid():
            d = self.cleaned_data
            kind = d["kind"]
            return (d.get("organisation") or self.organisations[0], kind,
                    *period_bounds(kind, d.get("day") or timezone.localdate()))
        return (self.organisations[0], "month", *period_bounds("month", timezone.localdate()))


class PointsField(forms.DecimalField):
    """Points as typed on an office keyboard: ASCII digits and a point (Python would also read
    other scripts' digits, which nobody means here)."""

    def to_python(self, value):
        if value not in self.empty_values and not str(value).strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class WeightsForm(forms.ModelForm):
    class Meta:
        model = Weights
        fields = ["signed_on_time", "closed_on_time", "opinions_on_time", "satisfaction",
                  "per_overdue_day", "per_return", "per_urging", "per_extension"]
        field_classes = dict.fromkeys(fields, PointsField)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:  # shown as stored: 15.00, 0.10
            self.initial[name] = Decimal(self.initial[name]).quantize(CENT)

    def clean(self) -> dict:
        d = super().clean()
        if all(d.get(n) is not None for n in ("signed_on_time", "closed_on_time", "opinions_on_time",
                                             "satisfaction")) and not any(
                d[n] for n in ("signed_on_time", "closed_on_time", "opinions_on_time", "satisfaction")):
            raise forms.ValidationError(_("Give at least one rate a weight above 0."))
        return d
