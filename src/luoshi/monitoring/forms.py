"""The forms of the monitoring pages: a rule, an import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.monitoring.models import Indicator, Rule, RuleKind
from luoshi.org.models import Unit, units_of
from luoshi.workdays.span import Span


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["name", "kind", "indicator", "threshold", "parts", "acting_unit", "within", "active"]
        help_texts = {
            "threshold": _("Below a line: the line (a value exactly at it is not a breach). A fall: the percentage "
                           "(a fall of exactly it is not a breach)."),
            "parts": _("For a combination: it fires where every one of these rules does."),
            "within": _("How long the unit has to act, in calendar days (30d) or working days (20wd)."),
        }

    def __init__(self, *args, organisation: Unit, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["indicator"].queryset = Indicator.objects.filter(organisation=organisation)
        self.fields["parts"].queryset = Rule.objects.filter(organisation=organisation).exclude(
            kind=RuleKind.COMBINATION).exclude(pk=self.instance.pk)
        self.fields["parts"].widget = forms.CheckboxSelectMultiple(choices=self.fields["parts"].choices)
        self.fields["acting_unit"].queryset = units_of(organisation)

    def clean_within(self) -> str:
        text = self.cleaned_data["within"].strip()
        try:
            Span.parse(text)
        except ValueError as err:
            raise forms.ValidationError(_("Write 30d or 20wd.")) from err
        return text

    def clean(self) -> dict:
        d = super().clean()
        kind = d.get("kind")
        if kind in (RuleKind.BELOW, RuleKind.FALL, RuleKind.MISSING) and not d.get("indicator"):
            self.add_error("indicator", _("Choose the indicator the rule watches."))
        if kind in (RuleKind.BELOW, RuleKind.FALL) and d.get("threshold") is None:
            self.add_error("threshold", _("Give the line or the percentage."))
        if kind == RuleKind.FALL and d.get("threshold") is not None and not 0 < d["threshold"] < 100:
            self.add_error("threshold", _("A percentage between 0 and 100."))
        if kind == RuleKind.COMBINATION and len(d.get("parts") or []) < 2:
            self.add_error("parts", _("Choose at least two rules to combine."))
        return d

    def save(self, commit: bool = True) -> Rule:
        rule = super().save(commit=False)
        rule.organisation = self.organisation
        if commit:
            rule.save()
            self.save_m2m()
        return rule


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    sample = forms.BooleanField(label=_("These are sample data"), required=False)
