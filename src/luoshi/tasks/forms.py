"""Forms of the task pages. They parse and label inputs; every rule stays in access/workflow/services.

Which inputs a transition form has is read from its row in `workflow.TRANSITIONS` (`needs`),
so a new row gets its form without a change here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from luoshi.forms import DateInput, Form, ModelChoiceField, ModelMultipleChoiceField, MultipleFileField, VersionForm
from luoshi.org.models import Role, Unit, User, units_of
from luoshi.tasks.models import Evaluation, ReplyClass, Satisfaction, State, Task
from luoshi.tasks.todo import KINDS as TODO_KINDS
from luoshi.tasks.workflow import Transition, requested_unit


def leaders_of(organisation: Unit) -> QuerySet[User]:
    """Users holding a leader membership in ``organisation`` or one of its units."""
    unit_ids = [organisation.pk, *units_of(organisation).values_list("pk", flat=True)]
    ids = User.objects.filter(memberships__role=Role.LEADER, memberships__unit__in=unit_ids).values("pk")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "username")


# What the "reason" of each transition means to the person typing it.
REASON_LABELS = {
    "submit": _("What was done (summary for closing)"),
    "return": _("Why it is returned"),
    "send_back": _("Why it is sent back"),
    "request_extension": _("Why more time is needed"),
    "request_reassignment": _("Why another unit should lead"),
    "reject_reassignment": _("Why the unit stays"),
    "reject_extension": _("Why the extension is refused"),
    "rate_unsatisfied": _("What is still unsatisfactory"),
    "reopen": _("Why the task is reopened"),
    "close": _("Closing opinion (办结意见)"),
}


class TransitionForm(VersionForm):
    """The inputs one transition row needs, nothing more."""

    def __init__(self, *args, row: Transition, units: QuerySet[Unit], requested_unit: Unit | None = None,
                 **kwargs) -> None:
        kwargs.setdefault("prefix", row.action)
        super().__init__(*args, **kwargs)
        self.row = row
        if "reason" in row.needs or "reason" in row.optional:
            self.fields["reason"] = forms.CharField(
                label=REASON_LABELS.get(row.action, _("Reason")), max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}), required="reason" in row.needs,
            )
        if "unit" in row.needs:
            asking = row.action == "request_reassignment"
            self.fields["unit"] = ModelChoiceField(
                queryset=units,
                label=_("Unit that should lead instead") if asking else _("New lead unit"),
                required=not asking,
                empty_label=_("— let the supervision office decide —") if asking else None,
                initial=requested_unit,
            )
        if "due_date" in row.needs:
            self.fields["due_date"] = forms.DateField(label=_("New due date"), widget=DateInput)
        if "comment" in row.optional:
            self.fields["comment"] = forms.CharField(label=_("Your comment on the reply"), required=False,
                                                     max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
        if "went_ahead" in row.optional:
            self.fields["went_ahead"] = forms.CharField(
                label=_("If a co-unit's opinion has not come: why go ahead without it"), required=False,
                max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
        if "evaluation" in row.optional:
            self.fields["evaluation"] = forms.ChoiceField(
                label=_("Evaluation (办结评价)"), required=False,
                choices=[("", _("— not evaluated —")), *Evaluation.choices])
        if "target_met" in row.optional:
            self.fields["target_met"] = forms.NullBooleanField(
                label=_("Target met?"), required=False,
                widget=forms.Select(choices=[("unknown", _("— not said —")), ("true", _("Yes")), ("false", _("No"))]))
        if "satisfaction" in row.needs:
            # "unsatisfied" is its own transition (it reopens the task), so not a choice here
            self.fields["satisfaction"] = forms.ChoiceField(
                label=_("Your rating"), widget=forms.RadioSelect,
                choices=[(s.value, s.label) for s in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)],
            )

    def inputs(self) -> dict:
        """The keyword inputs for `workflow.perform`."""
        names = (*self.row.needs, *self.row.optional)
        return {k: self.cleaned_data[k] for k in names if self.cleaned_data.get(k) not in (None, "")}


def transition_form(task: Task, row: Transition, data=None) -> TransitionForm:
    """The form of ``row`` on ``task`` (the page's and the API's): which units it offers, what it starts with."""
    units = Unit.objects.none()
    if "unit" in row.needs:
        units = units_of(task.organisation)
        units = units.exclude(pk=task.lead_unit_id) if task.lead_unit_id else units
    return TransitionForm(
        data, row=row, units=units,
        requested_unit=requested_unit(task) if row.action == "approve_reassignment" else None,
        initial={"version": task.version},
    )


def attachment_help() -> str:
    limit = filesizeformat(settings.LUOSHI["MAX_ATTACHMENT_BYTES"])
    types = ", ".join(settings.LUOSHI["ATTACHMENT_TYPES"])
    return _("Up to %(limit)s each. Accepted: %(types)s.") % {"limit": limit, "types": types}


MAX_PROGRESS_FILES = 10  # attachments to one progress report


class ProgressForm(Form):
    text = forms.CharField(label=_("What has been done"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label=_("Share of the task done (%)"), required=False, min_value=0,
                                 max_value=100, help_text=_("Compared with the time gone by (序时进度)."))
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "progress")
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = attachment_help()

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_PROGRESS_FILES:
            raise forms.ValidationError(_("At most %(count)d attachments to one report.")
                                        % {"count": MAX_PROGRESS_FILES})
        return files


class CommentForm(Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, instruction: bool = False, **kwargs) -> None:
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
        if instruction:
            self.fields["text"].label = _("Instruction (批示)")


class TaskForm(Form):
    """A draft's fields. ``organisations``: where the user may create (a choice only if several)."""

    organisation = ModelChoiceField(queryset=Unit.objects.none(), label=_("Organisation"))
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Task.Kind.choices, initial=Task.Kind.DIRECTIVE)
    lead_unit = ModelChoiceField(queryset=Unit.objects.none(), label=_("Lead unit"), required=False,
                                       help_text=_("Needed before the task can be assigned."))
    co_units = ModelMultipleChoiceField(queryset=Unit.objects.none(), label=_("Co-units"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    target = forms.CharField(label=_("Target (目标)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("What counts as done: a figure, a result."))
    priority = forms.ChoiceField(label=_("Priority"), choices=Task._meta.get_field("priority").choices,
                                 initial="normal")
    leader = ModelChoiceField(queryset=User.objects.none(), label=_("Leader"), required=False,
                                    empty_label=_("— none —"))
    issuer_name = forms.CharField(label=_("Issued by (name as written)"), max_length=50, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Fields edit_task() does not change: shown, not editable, after creation.
    FIXED_AFTER_CREATION = ("organisation", "leader", "issuer_name")

    def __init__(self, *args, organisation: Unit, organisations: list[Unit] | None = None,
                 task: Task | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        units = units_of(organisation)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["leader"].queryset = leaders_of(organisation)
        if task is None:
            del self.fields["version"]
            orgs = organisations or [organisation]
            if len(orgs) > 1:
                self.fields["organisation"].queryset = Unit.objects.filter(pk__in=[o.pk for o in orgs])
                self.fields["organisation"].initial = organisation
            else:
                del self.fields["organisation"]
        else:
            del self.fields["organisation"]
            self.fields["version"].required = True
            for name in self.FIXED_AFTER_CREATION:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Set when the task was created.")

    @staticmethod
    def initial_for(task: Task) -> dict:
        return {
            "title": task.title, "description": task.description, "kind": task.kind,
            "lead_unit": task.lead_unit_id, "co_units": list(task.co_units.values_list("pk", flat=True)),
            "due_date": task.due_date, "target": task.target, "priority": task.priority, "leader": task.leader_id,
            "issuer_name": task.issuer_name, "version": task.version,
        }

    def edit_changes(self) -> dict:
        """The keyword changes for `services.edit_task`."""
        d = self.cleaned_data
        return {k: d[k] for k in ("title", "description", "kind", "lead_unit", "due_date", "target", "priority")}


class UrgeForm(Form):
    """催办: why, and optionally who should now be told (the escalation level)."""

    reason = forms.CharField(label=_("Why the task is urged"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.TypedChoiceField(
        label=_("Also escalate to"), required=False, coerce=int, empty_value=None,
        choices=[("", _("— no escalation —")), (1, _("1: the unit head")), (2, _("2: the supervision office")),
                 (3, _("3: the leader who issued it"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "urge")
        super().__init__(*args, **kwargs)


class ReplyForm(Form):
    """The lead unit's reply to a suggestion's proposer (or to all of them), with its class."""

    proposer = forms.TypedChoiceField(label=_("To"), coerce=int, empty_value=None, required=False)
    category = forms.ChoiceField(label=_("Class"), choices=[])
    text = forms.CharField(label=_("Reply"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(label=_("Why kept for reference (class D)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_date = forms.DateField(label=_("Follow-up reply by (class B or C)"), required=False, widget=DateInput)

    def __init__(self, *args, proposers: list, **kwargs) -> None:
        kwargs.setdefault("prefix", "reply")
        super().__init__(*args, **kwargs)
        self.fields["proposer"].choices = [("", _("— every proposer —")), *((p.pk, str(p)) for p in proposers)]
        self.fields["category"].choices = ReplyClass.choices
        self.proposers = {p.pk: p for p in proposers}

    def clean_proposer(self):
        pk = self.cleaned_data.get("proposer")
        if pk is not None and pk not in self.proposers:
            raise forms.ValidationError(_("Reply to a proposer of this suggestion."))
        return self.proposers.get(pk)


class CountersignForm(Form):
    agreed = forms.TypedChoiceField(label=_("Your unit"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("agrees (会签同意)")), ("no", _("does not agree"))],
                                    widget=forms.RadioSelect, initial="yes")
    comment = forms.CharField(label=_("What should change (if not agreed)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "countersign")
        super().__init__(*args, **kwargs)


class OpinionForm(Form):
    text = forms.CharField(label=_("Your unit's opinion (协办意见)"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "opinion")
        super().__init__(*args, **kwargs)


class MilestoneForm(Form):
    title = forms.CharField(label=_("Milestone (节点)"), max_length=200)
    due_date = forms.DateField(label=_("Date"), widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "milestone")
        super().__init__(*args, **kwargs)


class HandDownForm(Form):
    """转办: a part of the task, to one of the lead unit's own units (only those are offered)."""

    title = forms.CharField(label=_("The part passed down"), max_length=255)
    lead_unit = ModelChoiceField(label=_("To unit"), queryset=Unit.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DateInput, required=False,
                               help_text=_("Leave empty for the task's own due date."))
    description = forms.CharField(label=_("What it asks"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units: QuerySet[Unit] | None = None, **kwargs) -> None:
        kwargs.setdefault("prefix", "part")
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units if units is not None else Unit.objects.none()


class AllowOpenPartsForm(Form):
    reason = forms.CharField(label=_("Why it may be submitted with parts still open"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "allow")
        super().__init__(*args, **kwargs)


LIGHT_CHOICES = [
    ("red", _("Red: overdue")),
    ("yellow", _("Yellow: due soon or no recent progress")),
    ("green", _("Green: on track")),
    ("none", _("No light: draft or closed")),
]


def units_on(visible: QuerySet[Task]) -> QuerySet[Unit]:
    """The units a filter of ``visible`` tasks offers: only those that lead or co-handle one of
    them (no other unit's name leaks). One probe per unit on the lead-unit and co-unit indexes
    (EXISTS stops at the first visible task) rather than collecting the units of every visible
    task: the visibility rule's ORs keep PostgreSQL from using an index there, so that read the
    whole table (1.1 s of a unit's task list at 100,000 tasks, 0.6 s probed; a supervisor's 0.68 s,
    0.08 s probed: docs/performance.md)."""
    co_links = Task.co_units.through.objects.filter(task__in=visible)
    led = Exists(visible.filter(lead_unit=OuterRef("pk")).order_by())
    co = Exists(co_links.filter(unit=OuterRef("pk")))
    return Unit.objects.filter(led | co).order_by("name")


def filter_units(user, visible: QuerySet[Task]) -> QuerySet[Unit]:
    """The units a filter of ``user``'s ``visible`` tasks offers (`units_on`): for a unit's people
    who see tasks only through their units, those the tally keeps paired with their units (an
    index read), else probed unit by unit."""
    from luoshi import access
    from luoshi.tasks import tally

    # a supervisor is never one of them: nothing asked; anyone else, whether the pairs are kept first
    units = None
    if not access.supervised_organisations(user) and tally.links_kept():
        units = access.sees_through_units_only(user)
    if not units:
        return units_on(visible)
    return Unit.objects.filter(pk__in=tally.linked(units)).order_by("name")


class TaskFilterForm(Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *State.choices])
    unit = ModelChoiceField(label=_("Unit (lead or co-unit)"), required=False,
                                  queryset=Unit.objects.none(), empty_label=_("Any unit"))
    light = forms.ChoiceField(label=_("Light"), required=False, choices=[("", _("Any light")), *LIGHT_CHOICES])
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DateInput)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=DateInput)
    todo = forms.ChoiceField(label=_("Waiting for you"), required=False, widget=forms.HiddenInput,
                             choices=[("", "")] + [(k.key, k.label) for k in TODO_KINDS])

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BulkForm(Form):
    """What one bulk action on the ticked rows of the list needs: one value for every row.
    The rows themselves are read by `tasks.bulk.parse` (``row`` values: id and version)."""

    action = forms.ChoiceField(label=_("Action"), choices=[])
    reason = forms.CharField(label=_("Reason for urging, or closing opinion"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    evaluation = forms.ChoiceField(label=_("Evaluation (when closing)"), required=False,
                                   choices=[("", _("— not evaluated —")), *Evaluation.choices])
    level = forms.TypedChoiceField(label=_("Also escalate to (when urging)"), required=False, coerce=int,
                                   empty_value=None, choices=UrgeForm.base_fields["level"].choices)

    def __init__(self, *args, actions: dict, **kwargs) -> None:
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(actions.items())
