"""The form that keeps an answer template."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.answers.models import AnswerTemplate, Purpose


class AnswerTemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["title", "purpose", "reply_class", "state", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("What the template is called in the “常用语” list."),
            "reply_class": _("Only for replies to suggestions: the class the reply gives."),
            "state": _("Offer it only while the task is in this state (empty: in any state)."),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", _("— what it is for —")), *Purpose.choices]
        self.fields["reply_class"].choices = [("", _("— any class —")), *self.fields["reply_class"].choices[1:]]
        self.fields["state"].choices = [("", _("— any state —")), *self.fields["state"].choices[1:]]

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the text the template fills in."))
        return text

    def clean(self) -> dict:
        d = super().clean()
        if d.get("reply_class") and d.get("purpose") != Purpose.REPLY:
            self.add_error("reply_class", _("A reply class goes only with a reply to a suggestion."))
        return d
