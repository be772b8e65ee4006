"""Major projects (重大项目): their stages with planned and actual dates, planned and actual
investment per month, an organisation's margins, the tasks the check raised, and the history
of what the unit entered.

Amounts are in 万元 (ten thousand yuan), as offices write them. A month is stored as its first day.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.models import Task

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class StageKind(models.TextChoices):
    """The full cycle (四全工作法) in its order; the values sort as the stages follow each other."""

    PLAN = "1_plan", _("Planning (谋划)")
    SIGN = "2_sign", _("Signing (签约)")
    APPROVE = "3_approve", _("Approval (审批)")
    START = "4_start", _("Construction start (开工)")
    PRODUCE = "5_produce", _("In production (投产)")
    EFFECT = "6_effect", _("Full effect (达效)")


class Project(models.Model):
    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="projects", verbose_name=_("responsible unit"))
    code = models.CharField(_("project code"), max_length=40)
    name = models.CharField(_("project name"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    total_investment = models.DecimalField(_("total investment (10,000 yuan)"), **AMOUNT,
                                           validators=[MinValueValidator(Decimal(0))])
    # the last stage reached (with an actual date); empty before the first: kept by services.record_stage
    stage = models.CharField(_("stage reached"), max_length=20, choices=StageKind.choices, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False,
                                    help_text=_("Generated for the demonstration, not a real project."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "pk"]
        verbose_name = _("major project")
        verbose_name_plural = _("major projects")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="project_code_unique")]
        # the ledger's order (code, id) under each of its filters
        indexes = [models.Index(fields=["organisation", "code", "id"], name="project_org_code"),
                   models.Index(fields=["unit", "code", "id"], name="project_unit_code"),
                   models.Index(fields=["organisation", "stage", "code", "id"], name="project_org_stage")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Stage(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="stages", verbose_name=_("project"))
    kind = models.CharField(_("stage"), max_length=20, choices=StageKind.choices)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        ordering = ["project", "kind"]
        verbose_name = _("project stage")
        verbose_name_plural = _("project stages")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="stage_unique")]
        # the slip check: stages not reached, by planned date
        indexes = [models.Index(fields=["planned_date"], condition=Q(actual_date__isnull=True),
                                name="stage_open_planned")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()}"


class Investment(models.Model):
    """One month of a project: what was planned to be invested, and what was (None: not reported yet)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="investments", verbose_name=_("project"))
    month = models.DateField(_("month"))  # its first day
    planned = models.DecimalField(_("planned investment (10,000 yuan)"), **AMOUNT, default=Decimal(0),
                                  validators=[MinValueValidator(Decimal(0))])
    actual = models.DecimalField(_("actual investment (10,000 yuan)"), **AMOUNT, null=True, blank=True,
                                 validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("monthly investment")
        verbose_name_plural = _("monthly investments")
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="investment_month_unique")]


class ProjectSettings(models.Model):
    """An organisation's margins for the check (the defaults until it sets its own)."""

    organisation = models.OneToOneField("org.Unit", models.CASCADE, related_name="+", verbose_name=_("organisation"))
    shortfall_margin = models.PositiveSmallIntegerField(
        _("shortfall margin (%)"), default=10, validators=[MaxValueValidator(100)],
        help_text=_("A project is short when its actual investment to date falls behind its plan to date "
                    "by more than this share of the plan (months ended before the day of the check)."))
    slip_grace = models.PositiveSmallIntegerField(
        _("working days of grace for a stage"), default=0, validators=[MaxValueValidator(250)],
        help_text=_("A stage not reached is slipped once more than this many working days have passed "
                    "since its planned date (0: on the first working day after it)."))
    task_due_within = models.PositiveSmallIntegerField(
        _("working days to answer a raised task"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(250)])
    raise_as = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("raise tasks as"),
        help_text=_("The supervisor in whose name the check raises tasks (default: the organisation's first)."))

    class Meta:
        verbose_name = _("project settings")
        verbose_name_plural = _("project settings")


DEFAULT_SETTINGS = ProjectSettings()


class Trigger(models.Model):
    """A slip or a shortfall the check found, and the task it raised: found again, it raises nothing."""

    class Kind(models.TextChoices):
        SLIP = "slip", _("Stage slipped")
        SHORTFALL = "shortfall", _("Investment shortfall")

    project = models.ForeignKey(Project, models.CASCADE, related_name="triggers", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # a slip: the stage and the planned date it slipped from (a new plan that slips again is new)
    stage = models.ForeignKey(Stage, models.CASCADE, null=True, blank=True, related_name="+")
    planned_date = models.DateField(null=True, blank=True)
    # a shortfall: the last month counted
    month = models.DateField(null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)  # what was found: plan and actual to date, margin
    task = models.OneToOneField(Task, models.PROTECT, null=True, blank=True, related_name="project_trigger")
    found_on = models.DateField(_("found on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "planned_date"], condition=Q(kind="slip"),
                                    name="trigger_slip_once"),
            models.UniqueConstraint(fields=["project", "month"], condition=Q(kind="shortfall"),
                                    name="trigger_shortfall_once"),
        ]


class ProjectChange(models.Model):
    """The project's history: who entered what, when (before and after)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="changes", verbose_name=_("project"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=20)  # "stage" or "investment"
    key = models.CharField(max_length=20)  # the stage's kind, or the month (YYYY-MM)
    before = models.CharField(max_length=40, blank=True)
    after = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
