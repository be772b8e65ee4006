"""Issued supervision notices and the counters that number them.

A notice's number (发文字号, 〔2026〕12号) runs per organisation and per year, from 1. Each
issued notice keeps the bytes it was issued with: downloading it again gives the same document,
whatever the task became since, and its SHA-256 is in the task's journal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeNumber(models.Model):
    """The last number an organisation gave a notice in a year."""

    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="notice_number_per_year")]
        verbose_name = _("notice counter")
        verbose_name_plural = _("notice counters")


class IssuedNotice(models.Model):
    """A supervision notice (督办通知单) issued for a task, as issued."""

    task = models.ForeignKey("tasks.Task", models.PROTECT, related_name="notices", verbose_name=_("task"))
    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("document number"), max_length=40)
    event = models.OneToOneField("tasks.Event", models.PROTECT, related_name="notice", verbose_name=_("event"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"))
    content = models.BinaryField(_("document"))
    checksum = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "serial"],
                                               name="notice_number_once")]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")

    def __str__(self) -> str:
        return self.number

    @property
    def file_name(self) -> str:
        return f"督办通知单{self.number}.docx"
