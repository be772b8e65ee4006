"""The forms of the notification pages: a user's choices, and a group robot."""

from __future__ import annotations

import urllib.parse

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from luoshi.forms import Form, ModelChoiceField
from luoshi.notify.messages import kind_label
from luoshi.notify.models import Preference, Webhook
from luoshi.notify.recipients import kinds, telling_kinds
from luoshi.org.models import Unit, units_of


class PreferencesForm(Form):
    """Per kind of event: in the inbox, by email; and the language emails are written in."""

    language = forms.ChoiceField(label=_("Language of emails"), choices=settings.LANGUAGES)

    def __init__(self, *args, current: dict[str, tuple[bool, bool]], language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = telling_kinds()
        self.fields["language"].initial = language
        for kind in self.kinds:
            inbox, email = current.get(kind, (Preference.INBOX_DEFAULT, Preference.EMAIL_DEFAULT))
            label = kind_label(kind)
            self.fields[f"{kind}__inbox"] = forms.BooleanField(required=False, initial=inbox, label=label)
            self.fields[f"{kind}__email"] = forms.BooleanField(required=False, initial=email, label=label)

    def rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        """(kind, label, inbox field, email field) per kind, for the table."""
        return [(k, kind_label(k), self[f"{k}__inbox"], self[f"{k}__email"]) for k in self.kinds]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        d = self.cleaned_data
        return {k: (bool(d.get(f"{k}__inbox")), bool(d.get(f"{k}__email"))) for k in self.kinds}


def webhook_units(organisation: Unit) -> list[Unit]:
    """The units whose robots an organisation's people set up: itself, then its units."""
    return [organisation, *units_of(organisation)]


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("robot address"), max_length=500, assume_scheme="https",
                         help_text=_("The robot's webhook address as the group chat's settings show it."))
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of event"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind of event that tells someone."),
    )
    forget_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)

    class Meta:
        model = Webhook
        fields = ["unit", "name", "url", "platform", "msgtype", "secret", "kinds", "active"]
        field_classes = {"unit": ModelChoiceField}
        widgets = {"secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})}
        help_texts = {
            "secret": _("DingTalk only, when the robot's security setting is “signing” (加签). "
                        "Left blank when editing, the secret kept is unchanged."),
            "unit": _("The robot is told of the tasks this unit leads or co-handles; an organisation's "
                      "robot, of all its tasks."),
        }

    def __init__(self, *args, organisation: Unit, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        units = webhook_units(organisation)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")
        self.fields["kinds"].choices = [(k, kind_label(k)) for k in kinds()]
        self.fields["secret"].required = False
        if not self.instance.pk:
            del self.fields["forget_secret"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise forms.ValidationError(_("The address must start with https:// (or http://)."))
        return url

    def clean_secret(self) -> str:
        secret = self.cleaned_data.get("secret", "").strip()
        if not secret and self.instance.pk and not self.data.get(self.add_prefix("forget_secret")):
            return self.instance.secret  # blank on an edit: keep the secret already set
        return secret
