"""The filters every ledger shares, read from a query string (the page and its .xlsx take the same)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.forms import DateInput, Form, ModelChoiceField
from luoshi.org.models import Unit, User
from luoshi.sources.models import Source
from luoshi.tasks.forms import LIGHT_CHOICES
from luoshi.tasks.lights import light_q
from luoshi.tasks.models import State, Task

OPEN = [s for s in State if s not in (State.DRAFT, State.CLOSED)]

# what a figure of the responsibility ledger counts, as a filter of the tasks behind it
FLAGS = {
    "open": _("open"),
    "closed": _("closed"),
    "closed_on_time": _("closed on time"),
    "closed_late": _("closed late"),
    "overdue": _("overdue now"),
    "urged": _("urged"),
    "receipt_late": _("not signed for in time"),
    # recorded when the unit signs (签收): within the organisation's working days or not
    "signed_on_time": _("signed for on time"),
    "signed_late": _("signed for late"),
}
ROLES = {"lead": _("as lead unit"), "co": _("as co-unit")}


def flag_q(flag: str, today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return {
        "open": Q(state__in=OPEN),
        "closed": Q(state=State.CLOSED),
        "closed_on_time": Q(state=State.CLOSED, closed_on_time=True),
        "closed_late": Q(state=State.CLOSED, closed_on_time=False),
        "overdue": Q(state__in=OPEN, due_date__lt=today),
        "urged": Q(urge_count__gt=0),
        "receipt_late": Q(receipt_late=True),
        "signed_on_time": Q(signed_on_time=True),
        "signed_late": Q(signed_on_time=False),
    }[flag]


class LedgerFilterForm(Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    unit = ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("Any unit"))
    role = forms.ChoiceField(label=_("As"), required=False, choices=[("", _("lead or co-unit")), *ROLES.items()])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *State.choices])
    light = forms.ChoiceField(label=_("Light"), required=False, choices=[("", _("Any light")), *LIGHT_CHOICES])
    source = ModelChoiceField(label=_("Source meeting"), required=False, queryset=Source.objects.none(),
                              empty_label=_("Any source"))
    leader = ModelChoiceField(label=_("Leader"), required=False, queryset=User.objects.none(),
                              empty_label=_("Any leader"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Task.Kind.choices])
    flag = forms.ChoiceField(label=_("Only"), required=False, choices=[("", _("all")), *FLAGS.items()])
    owner = ModelChoiceField(label=_("Person"), required=False, queryset=User.objects.none(),
                             widget=forms.HiddenInput)

    def __init__(self, *args, units: QuerySet[Unit], sources: QuerySet[Source], leaders: QuerySet[User],
                 people: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["source"].queryset = sources
        self.fields["leader"].queryset = leaders
        self.fields["owner"].queryset = people

    def clean(self) -> dict:
        d = super().clean()
        if d.get("start") and d.get("end") and d["end"] < d["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return d


@dataclass(frozen=True)
class Filters:
    """The filters a ledger applies, whatever asked for them (a page, an export, the API)."""

    start: dt.date | None = None
    end: dt.date | None = None
    unit: Unit | None = None
    role: str = ""
    state: str = ""
    light: str = ""
    source: Source | None = None
    leader: User | None = None
    kind: str = ""
    flag: str = ""
    owner: User | None = None

    @classmethod
    def from_form(cls, form: LedgerFilterForm) -> Filters:
        d = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
        return cls(**{k: d.get(k) or cls.__dataclass_fields__[k].default for k in cls.__dataclass_fields__})

    def is_set(self) -> bool:
        return any(getattr(self, k) for k in self.__dataclass_fields__)


def by_unit(tasks: QuerySet[Task], unit: Unit, role: str = "") -> QuerySet[Task]:
    """Tasks ``unit`` leads (role "lead"), co-handles ("co"), or either."""
    co = Exists(Task.co_units.through.objects.filter(task=OuterRef("pk"), unit=unit))
    if role == "lead":
        return tasks.filter(lead_unit=unit)
    if role == "co":
        return tasks.filter(co)
    return tasks.filter(Q(lead_unit=unit) | co)


def apply(tasks: QuerySet[Task], f: Filters, *, period_on: str = "created_at") -> QuerySet[Task]:
    """``tasks`` narrowed by ``f``. ``period_on``: the date the period applies to (when the task
    was made, for most ledgers; when it was closed, for the results)."""
    if f.start:
        tasks = tasks.filter(**{f"{period_on}__gte": _day_start(f.start)})
    if f.end:
        tasks = tasks.filter(**{f"{period_on}__lt": _day_start(f.end + dt.timedelta(days=1))})
    if f.unit:
        tasks = by_unit(tasks, f.unit, f.role)
    if f.state:
        tasks = tasks.filter(state=f.state)
    if f.light:
        tasks = tasks.filter(light_q(f.light))
    if f.source:
        tasks = tasks.filter(Exists(Task.items.through.objects.filter(task=OuterRef("pk"), item__source=f.source)))
    if f.leader:
        tasks = tasks.filter(leader=f.leader)
    if f.kind:
        tasks = tasks.filter(kind=f.kind)
    if f.flag:
        tasks = tasks.filter(flag_q(f.flag))
    if f.owner:
        tasks = tasks.filter(owner=f.owner)
    return tasks


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
