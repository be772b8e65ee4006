"""Monitored subjects, their indicator values over time, the rules that watch them, and breaches.

A subject (a household, an enterprise, a project, a village) belongs to an organisation and,
optionally, to the unit that looks after it (a county). Its indicators are monthly values, one
row each (`Value`: subject, indicator, period as the month's first day). A rule names the unit
that must act; each (rule, subject) has at most one `Breach`, the loop of that risk: open while
the rule fires, closed when a later value clears it, opened again when it fires again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household (农户)")
    ENTERPRISE = "enterprise", _("Enterprise (企业)")
    PROJECT = "project", _("Project (项目)")
    VILLAGE = "village", _("Village (村)")


class Subject(models.Model):
    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    code = models.CharField(_("code"), max_length=40)  # the office's own number (户编号), unique per organisation
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SubjectKind.choices, default=SubjectKind.HOUSEHOLD)
    unit = models.ForeignKey("org.Unit", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit in charge"))
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)  # personal data: shown masked
    phone = models.CharField(_("phone"), max_length=20, blank=True)  # personal data: shown masked
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="subject_code_per_org")]
        indexes = [models.Index(fields=["organisation", "unit", "id"], name="subject_org_unit_id")]
        verbose_name = _("monitored subject")
        verbose_name_plural = _("monitored subjects")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Indicator(models.Model):
    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    unit_label = models.CharField(_("unit of measure"), max_length=20, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="indicator_code_per_org")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class Value(models.Model):
    # the key is what the rules read: one indicator in one period across all subjects; no
    # surrogate id and no second index, so a load maintains one index only. A subject's series is
    # read through it too, by naming the organisation's indicators and the months (`queries.series`).
    pk = models.CompositePrimaryKey("indicator", "period", "subject")
    # no foreign-key constraint in the database: a million households' values are loaded by one
    # INSERT…SELECT that joins the subjects and the organisation's indicators (so every id exists),
    # and PostgreSQL's deferred per-row checks doubled that load; deletions go through Django,
    # which cascades. Nor an index of its own: the key serves the rules and a subject's series, and
    # an index on subject alone, written in random order, tripled a million households' load (a
    # subject is taken out of monitoring, not deleted; deleting one scans its organisation's values)
    subject = models.ForeignKey(Subject, models.CASCADE, related_name="values", verbose_name=_("subject"),
                                db_constraint=False, db_index=False)
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+", verbose_name=_("indicator"),
                                  db_constraint=False, db_index=False)
    period = models.DateField(_("period"))  # the first day of the month reported
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")


class RuleKind(models.TextChoices):
    BELOW = "below", _("Below a line (低于标准)")
    FALL = "fall", _("Fall of more than N % against the last period (环比下降)")
    MISSING = "missing", _("Missing report (未报送)")
    COMBINATION = "combination", _("Combination: all of its rules (组合)")


class Rule(models.Model):
    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    indicator = models.ForeignKey(Indicator, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("indicator"))
    # below: the line (a value under it breaches; exactly at it does not); fall: the percentage
    # (a fall of more than it breaches; exactly it does not)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    parts = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+",
                                   verbose_name=_("rules combined"))
    acting_unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("unit that acts"))
    within = models.CharField(_("time to act"), max_length=20, default="20wd")
    active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("monitoring rule")
        verbose_name_plural = _("monitoring rules")

    def __str__(self) -> str:
        return self.name


class Breach(models.Model):
    """The loop of one rule on one subject. ``pending`` says what the tasks still have to follow
    (open a task, close it, reopen it): the set-based evaluation writes it, the task step clears
    it, so a run stopped between the two is finished by the next."""

    class Pending(models.TextChoices):
        NONE = "", _("Nothing")
        OPEN = "open", _("Open")
        CLOSE = "close", _("Close")
        REOPEN = "reopen", _("Reopen")

    rule = models.ForeignKey(Rule, models.CASCADE, related_name="breaches", verbose_name=_("rule"))
    subject = models.ForeignKey(Subject, models.CASCADE, related_name="breaches", verbose_name=_("subject"))
    is_open = models.BooleanField(_("open"), default=True)
    period = models.DateField(_("period"))  # the period of the evaluation that last changed it
    value = models.FloatField(_("value"), null=True, blank=True)  # what fired it (none for a missing report)
    pending = models.CharField(_("pending"), max_length=10, choices=Pending.choices, blank=True, default="")
    times_opened = models.PositiveIntegerField(_("times opened"), default=1)
    task = models.ForeignKey("tasks.Task", models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("assistance task"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "subject"], name="breach_once_per_rule")]
        indexes = [
            models.Index(fields=["rule", "is_open", "subject"], name="breach_rule_open"),
            models.Index(fields=["subject", "is_open"], name="breach_subject_open"),
            models.Index(fields=["pending"], name="breach_pending",
                         condition=~models.Q(pending="")),
        ]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")


class Unmasking(models.Model):
    """Someone saw personal data unmasked: who, when, which subject (none: an export), which fields."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    subject = models.ForeignKey(Subject, models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("subject"))
    what = models.CharField(_("what"), max_length=100)  # "page" or "export of N subjects"

    class Meta:
        ordering = ["-at"]
        verbose_name = _("unmasked view")
        verbose_name_plural = _("unmasked views")
