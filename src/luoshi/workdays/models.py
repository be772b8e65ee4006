"""Local days: where an organisation's calendar differs from the statutory one (a local
holiday, a day off the city decided, a Saturday worked), and the statutory days of a year
`chinesecalendar` does not know yet. A row without an organisation counts for every one.

`CalendarStamp` changes whenever a local day does (see `signals`), so that every process can
tell, with one small query, that its cached calendars are out of date (`services.calendar_for`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LocalDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off (放假)")
        WORKDAY = "workday", _("Working day (上班)")

    organisation = models.ForeignKey(
        "org.Unit", models.CASCADE, null=True, blank=True, related_name="local_days",
        limit_choices_to={"is_organisation": True}, verbose_name=_("organisation"),
        help_text=_("Empty: the day counts for every organisation."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            # NULL is never equal to NULL in a unique index: the days of every organisation need their own
            models.UniqueConstraint(fields=["organisation", "date"], condition=Q(organisation__isnull=False),
                                    name="local_day_unique"),
            models.UniqueConstraint(fields=["date"], condition=Q(organisation__isnull=True),
                                    name="local_day_unique_everywhere"),
        ]
        verbose_name = _("local day")
        verbose_name_plural = _("local days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}{' ' + self.name if self.name else ''}"

    @property
    def is_workday(self) -> bool:
        return self.kind == self.Kind.WORKDAY


class CalendarStamp(models.Model):
    """One row whose token is replaced (never incremented) on every change of a local day: a
    rolled-back change can then never leave a cache holding a token that comes back later."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("calendar stamp")
