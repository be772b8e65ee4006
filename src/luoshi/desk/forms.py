"""Forms of the review desk and of the routing rules. They parse and label; the rules stay in
`desk.services` (a proposal) and `access` (who may edit the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.desk.models import Proposal, RoutingRule
from luoshi.forms import DateInput, ModelChoiceField, ModelMultipleChoiceField, VersionForm
from luoshi.org.models import Unit, units_of
from luoshi.tasks.models import Task
from luoshi.text.segment import Piece, clauses, sentences


def cut_points(text: str) -> list[tuple[int, str, str]]:
    """Where a proposal's text may be split: after each sentence but the last (after each clause
    where it is one sentence). Each as (offset, first part, second part)."""
    pieces = sentences(Piece(text, 0))
    if len(pieces) < 2:
        pieces = clauses(Piece(text, 0))
    out = []
    for piece in pieces[:-1]:
        first, second = text[: piece.end].strip(), text[piece.end :].strip()
        if first and second:
            out.append((piece.end, first, second))
    return out


class ProposalForm(VersionForm):
    """One card of the desk: what the supervisor may change before deciding, and the inputs of
    the decisions (reject: a reason; split: where)."""

    headline = forms.CharField(label=_("Task title"), max_length=255)
    text = forms.CharField(label=_("Full text"), widget=forms.Textarea(attrs={"rows": 2, "lang": "zh-Hans"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Task.Kind.choices)
    issuer_name = forms.CharField(label=_("Issued by"), max_length=50, required=False)
    lead_unit = ModelChoiceField(queryset=Unit.objects.none(), label=_("Lead unit"), required=False,
                                       empty_label=_("— choose the lead unit —"))
    co_units = ModelMultipleChoiceField(queryset=Unit.objects.none(), label=_("Co-units"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    due_basis = forms.CharField(label=_("From the words"), max_length=50, required=False)
    reason = forms.CharField(label=_("Why this is not a task"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    at = forms.TypedChoiceField(label=_("Split after"), required=False, coerce=int, empty_value=None,
                                widget=forms.RadioSelect)

    # what the supervisor may change; each carries, hidden, the value the screen showed, so
    # that a card counts as changed by what was typed into it, not by what others saved since
    EDITABLE = ("headline", "text", "kind", "issuer_name", "lead_unit", "co_units", "due_date", "due_basis")

    def __init__(self, *args, proposal: Proposal, units, **kwargs) -> None:
        kwargs.setdefault("prefix", f"p{proposal.pk}")
        kwargs.setdefault("initial", self.initial_for(proposal))
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        for name in self.EDITABLE:
            self.fields[name].show_hidden_initial = True
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.cuts = cut_points(proposal.text)
        self.fields["at"].choices = [(at, f"{first} ‖ {second}") for at, first, second in self.cuts]

    @staticmethod
    def initial_for(p: Proposal) -> dict:
        return {
            "version": p.version, "headline": p.headline, "text": p.text, "kind": p.kind,
            "issuer_name": p.issuer_name, "lead_unit": p.lead_unit_id,
            "co_units": [u.pk for u in p.co_units.all()], "due_date": p.due_date, "due_basis": p.due_basis,
        }

    def edited(self, check: bool = True) -> bool:
        """Whether the supervisor changed any field of the card (``check``: and it is valid)."""
        changed = bool(set(self.changed_data) & set(self.EDITABLE))
        return changed and (not check or self.is_valid())

    def changes(self) -> tuple[dict, list[Unit] | None]:
        """What differs from the proposal as it is saved: (fields for `desk.edit`, co-units or None)."""
        p, d = self.proposal, self.cleaned_data
        out = {}
        for name in ("headline", "text", "kind", "issuer_name", "due_basis"):
            if d.get(name, "").strip() != getattr(p, name):
                out[name] = d.get(name, "").strip()
        for name in ("lead_unit", "due_date"):
            if d.get(name) != getattr(p, name):
                out[name] = d.get(name)
        # a date typed over the one the words gave is no longer "from the words"
        if "due_date" in out and "due_basis" not in out and p.due_basis:
            out["due_basis"] = ""
        co = [u for u in d.get("co_units") or [] if u != d.get("lead_unit")]
        saved = {u.pk for u in p.co_units.all()}
        return out, (co if {u.pk for u in co} != saved else None)


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["phrase", "unit", "weight", "active"]
        field_classes = {"unit": ModelChoiceField}
        help_texts = {
            "phrase": _("Words that, found in an item, point to the unit (for example 农田 or 水库)."),
            "weight": _("1 is a normal rule; a larger weight outranks other hints."),
        }

    def __init__(self, *args, organisation: Unit, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["unit"].queryset = units_of(organisation)
        self.fields["unit"].empty_label = None
        self.fields["weight"].widget.attrs.update({"min": "0.1", "max": "10", "step": "0.1"})
        self.fields["weight"].validators.append(_weight_range)

    def clean_phrase(self) -> str:
        phrase = self.cleaned_data["phrase"].strip()
        if len(phrase) < 2:
            raise forms.ValidationError(_("Give at least two characters: one alone matches too much."))
        return phrase

    def clean(self) -> dict:
        d = super().clean()
        if d.get("phrase") and d.get("unit"):
            same = RoutingRule.objects.filter(organisation=self.organisation, phrase=d["phrase"], unit=d["unit"])
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                raise forms.ValidationError(_("There is already a rule “%(phrase)s → %(unit)s”; edit that one.")
                                            % {"phrase": d["phrase"], "unit": d["unit"]})
        return d


def _weight_range(value: float) -> None:
    if not 0.1 <= value <= 10:
        raise forms.ValidationError(_("Give a weight between 0.1 and 10."))
