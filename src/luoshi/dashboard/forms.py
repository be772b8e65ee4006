"""What the reader picks on the dashboard: whose tasks (the supervision office only) and which meeting."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from luoshi.forms import Form, ModelChoiceField
from luoshi.org.models import User
from luoshi.sources.models import Source


class DashboardForm(Form):
    leader = ModelChoiceField(label=_("Leader"), required=False, queryset=User.objects.none(),
                              empty_label=_("Every leader"))
    meeting = ModelChoiceField(label=_("Meeting"), required=False, queryset=Source.objects.none(),
                               empty_label=_("The latest"))

    def __init__(self, *args, leaders: QuerySet[User] | None, sources: QuerySet[Source], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if leaders is None:  # a leader sees the tasks they issued: nothing to choose
            del self.fields["leader"]
        else:
            self.fields["leader"].queryset = leaders
        self.fields["meeting"].queryset = sources

    def value(self, name: str):
        """The valid choice of ``name``, or None (an invalid one is shown on its field, and ignored)."""
        if not self.is_bound or name not in self.fields:
            return None
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name)
