"""The ledger's filters and what the project's unit enters on the project page."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from luoshi.forms import DateInput, Form, ModelChoiceField
from luoshi.org.models import Unit
from luoshi.projects.ledger import Filters
from luoshi.projects.models import StageKind

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class LedgerForm(Form):
    unit = ModelChoiceField(Unit.objects.none(), required=False, label=_("Responsible unit"), empty_label=_("Any"))
    stage = forms.ChoiceField(required=False, label=_("Stage reached"))
    slipped = forms.ChoiceField(choices=YES_NO, required=False, label=_("Stage slipped"))
    short = forms.ChoiceField(choices=YES_NO, required=False, label=_("Investment behind"))

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["stage"].choices = [("", _("Any")), ("none", _("Not started")), *StageKind.choices]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        d = self.cleaned_data

        def yes_no(v: str) -> bool | None:
            return {"yes": True, "no": False}.get(v)

        return Filters(unit=d.get("unit"), stage=d.get("stage") or None, slipped=yes_no(d.get("slipped")),
                       short=yes_no(d.get("short")))


class StageForm(Form):
    stage = forms.ChoiceField(choices=StageKind.choices, label=_("Stage"))
    actual_date = forms.DateField(label=_("Reached on"), widget=DateInput, required=False,
                                  help_text=_("Empty: not reached."))


class InvestmentForm(Form):
    month = forms.ChoiceField(label=_("Month of the plan"))
    actual = forms.DecimalField(label=_("Invested (10,000 yuan)"), max_digits=14, decimal_places=2,
                                min_value=Decimal(0), required=False, help_text=_("Empty: not reported."))

    def __init__(self, *args, months=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), date_format(m, "YEAR_MONTH_FORMAT")) for m in months]
        if self.initial.get("month") is not None:
            self.initial["month"] = self.initial["month"].isoformat()
