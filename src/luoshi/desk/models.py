"""The review desk: one proposal per extracted item, and the routing rules that suggest units.

A source and its items never change; what the supervisor decides about them lives here.
A proposal starts as the item said it (kind, headline, text, issuer, deadline) with the
suggested lead unit, and ends accepted (a task was made), linked (an open task already
covers it), merged into another proposal, or rejected with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoutingRule(models.Model):
    """A phrase that, found in a proposal, suggests a lead unit (农田 → 省农业农村厅)."""

    organisation = models.ForeignKey("org.Unit", models.CASCADE, related_name="routing_rules",
                                     verbose_name=_("organisation"))
    phrase = models.CharField(_("phrase"), max_length=50)
    unit = models.ForeignKey("org.Unit", models.CASCADE, related_name="+", verbose_name=_("lead unit"))
    weight = models.FloatField(_("weight"), default=1.0)
    active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["phrase"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "phrase", "unit"], name="routing_rule_unique"),
        ]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.phrase} → {self.unit}"


class Proposal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("To review (待审核)")
        ACCEPTED = "accepted", _("Accepted (已立项)")
        LINKED = "linked", _("Linked to an open task (并入已有事项)")
        MERGED = "merged", _("Merged (已合并)")
        REJECTED = "rejected", _("Rejected (不立项)")

    source = models.ForeignKey("sources.Source", models.CASCADE, related_name="proposals",
                               verbose_name=_("source"))
    items = models.ManyToManyField("sources.Item", related_name="proposals", verbose_name=_("items"))
    ordinal = models.PositiveIntegerField(_("order on the desk"))
    kind = models.CharField(_("kind"), max_length=20)
    headline = models.CharField(_("headline"), max_length=255)
    text = models.TextField(_("text"))
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    issuer_name = models.CharField(_("issued by"), max_length=50, blank=True)
    proposers = models.JSONField(_("proposers"), default=list, blank=True)
    lead_unit = models.ForeignKey("org.Unit", models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("lead unit"))
    co_units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name=_("co-units"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_basis = models.CharField(_("due date words"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    task = models.ForeignKey("tasks.Task", models.SET_NULL, null=True, blank=True, related_name="proposals",
                             verbose_name=_("task"))
    merged_into = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="absorbed",
                                    verbose_name=_("merged into"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["source", "span_start", "ordinal"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.headline
