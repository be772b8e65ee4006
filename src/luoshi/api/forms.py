from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.api.models import Scope
from luoshi.forms import Form


class TokenForm(Form):
    name = forms.CharField(label=_("What will use it"), max_length=80,
                           help_text=_("e.g. the city's office system (OA); shown in the list, never the token."))
    scopes = forms.MultipleChoiceField(label=_("It may"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[Scope.READ])
    days = forms.IntegerField(label=_("Valid for (days)"), required=False, min_value=1, max_value=3650,
                              help_text=_("Empty: until revoked."))
