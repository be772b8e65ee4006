"""An uploaded ledger (a batch, pending until imported) and the column mappings remembered.

The file's bytes wait in the batch between the steps (a session is too small for them): only
its uploader continues it, and a pending batch left for more than a day is abandoned and its
bytes dropped. An imported batch keeps its bytes: they are what the tasks were made from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportMapping(models.Model):
    """Which field each column of a header row goes to, as a supervisor last chose it, proposed
    again when a file with the same header row comes in for the same organisation."""

    organisation = models.ForeignKey("org.Unit", models.CASCADE, related_name="+", verbose_name=_("organisation"))
    header_signature = models.CharField(_("header signature"), max_length=64)
    mapping = models.JSONField(_("mapping"), default=list)  # [{"column": "B", "header": "督办事项", "field": "title"}]
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "header_signature"],
                                               name="import_mapping_unique")]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending (待导入)")
        IMPORTED = "imported", _("Imported (已导入)")
        ABANDONED = "abandoned", _("Abandoned (已放弃)")

    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    raw = models.BinaryField(_("file"), editable=False)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)  # empty: the first
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    mapping = models.JSONField(_("mapping used"), default=list, blank=True)
    assign_all = models.BooleanField(_("assign every task"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("tasks created"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # the same file goes into an organisation once (checked first; this is the last word on a race)
            models.UniqueConstraint(fields=["organisation", "checksum"], condition=Q(status="imported"),
                                    name="import_batch_once"),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"]), models.Index(fields=["status", "created_at"])]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"
