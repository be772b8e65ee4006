"""Which columns an organisation's ledgers show, in which order: configuration, not code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerColumns(models.Model):
    organisation = models.ForeignKey("org.Unit", models.CASCADE, related_name="+", verbose_name=_("organisation"))
    ledger = models.CharField(_("ledger"), max_length=20)
    columns = models.JSONField(_("columns"), default=list)  # keys of luoshi.ledgers.definitions columns, in order
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "ledger"], name="ledger_columns_once")]
        verbose_name = _("ledger columns")
        verbose_name_plural = _("ledger columns")
