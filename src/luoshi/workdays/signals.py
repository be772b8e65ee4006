"""Every change of a local day (save, delete, the admin, a cascade from its organisation)
stamps the calendar anew, in the same transaction, and drops this process's cached calendars
now and again on commit; other processes see the new stamp within `services.RECHECK_SECONDS`.

`bulk_create`, `QuerySet.update` and raw SQL send no signals: call `services.changed()` after them.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from luoshi.workdays import services
from luoshi.workdays.models import LocalDay


@receiver(post_save, sender=LocalDay, dispatch_uid="workdays-saved")
@receiver(post_delete, sender=LocalDay, dispatch_uid="workdays-deleted")
def _local_day_changed(sender, **kwargs) -> None:
    services.changed()
