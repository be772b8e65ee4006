"""An organisation's weights, and the assessments it published: frozen, with every figure behind each score.

A draft is never stored: the page counts it afresh whenever it is viewed. Publishing writes an
`Assessment` with the weights it used and one `Score` per unit, figures, rates and the task ids
behind each figure included, so that a later edit of a task or of the weights changes nothing
published.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.assessment.scoring import Figures, Result, WeightSet

DEFAULTS = WeightSet()
POINTS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _points(label, default: Decimal, help_text=""):
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=default, validators=POINTS,
                               help_text=help_text)


class Weights(models.Model):
    """How an organisation weighs the figures (the defaults of `scoring.WeightSet` until it changes them)."""

    organisation = models.OneToOneField("org.Unit", models.CASCADE, related_name="+", verbose_name=_("organisation"))
    signed_on_time = _points(_("signed for on time (weight)"), DEFAULTS.signed_on_time)
    closed_on_time = _points(_("closed on time (weight)"), DEFAULTS.closed_on_time)
    opinions_on_time = _points(_("co-unit opinions on time (weight)"), DEFAULTS.opinions_on_time)
    satisfaction = _points(_("satisfaction (weight)"), DEFAULTS.satisfaction)
    per_overdue_day = _points(_("points off per overdue working day"), DEFAULTS.per_overdue_day)
    per_return = _points(_("points off per return"), DEFAULTS.per_return)
    per_urging = _points(_("points off per urging"), DEFAULTS.per_urging)
    per_extension = _points(_("points off per extension"), DEFAULTS.per_extension)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assessment weights")
        verbose_name_plural = _("assessment weights")

    def as_set(self) -> WeightSet:
        return WeightSet(**{n: getattr(self, n) for n in (*WeightSet.RATES, *WeightSet.PENALTIES)})


class Assessment(models.Model):
    """A published assessment of one organisation's units over one period."""

    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    kind = models.CharField(_("period"), max_length=10)  # month, quarter or year
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    weights = models.JSONField(_("weights"))  # `WeightSet.as_json()` as they were when published
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                     verbose_name=_("published by"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "start", "end"], name="assessment_once")]
        ordering = ["-start"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def weight_set(self) -> WeightSet:
        return WeightSet.from_json(self.weights)


def _count(label):
    return models.PositiveIntegerField(label, default=0)


def _rate(label):
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True)


class Score(models.Model):
    """One unit's published score, with the figures behind it, as they were when published."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="scores", verbose_name=_("assessment"))
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    rank = models.PositiveIntegerField(_("rank"))
    signed = _count(_("signed for"))
    signed_on_time = _count(_("signed for on time"))
    closed = _count(_("closed"))
    closed_on_time = _count(_("closed on time"))
    overdue_tasks = _count(_("overdue tasks"))
    overdue_days = _count(_("overdue working days"))
    returned = _count(_("returns"))
    urged = _count(_("urgings"))
    extended = _count(_("extensions"))
    opinions_due = _count(_("co-unit opinions due"))
    opinions_on_time = _count(_("co-unit opinions on time"))
    rated = _count(_("ratings"))
    satisfied = _count(_("satisfied"))
    basically = _count(_("basically satisfied"))
    unsatisfied = _count(_("unsatisfied"))
    signed_rate = _rate(_("signed for on time (%)"))
    closed_rate = _rate(_("closed on time (%)"))
    opinions_rate = _rate(_("co-unit opinions on time (%)"))
    satisfaction_rate = _rate(_("satisfaction (%)"))
    merit = models.DecimalField(_("weighted rates"), max_digits=6, decimal_places=2)
    penalty = models.DecimalField(_("points off"), max_digits=8, decimal_places=2)
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    task_ids = models.JSONField(_("tasks behind each figure"), default=dict)  # figure name → task ids

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "unit"], name="score_once")]
        ordering = ["assessment", "rank", "unit__name"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    RATE_FIELDS = {"signed_on_time": "signed_rate", "closed_on_time": "closed_rate",
                   "opinions_on_time": "opinions_rate", "satisfaction": "satisfaction_rate"}

    def figures(self) -> Figures:
        return Figures(**{n: getattr(self, n) for n in Figures.names()})

    def result(self) -> Result:
        return Result(rates={k: getattr(self, f) for k, f in self.RATE_FIELDS.items()},
                      merit=self.merit, penalty=self.penalty, total=self.total)
