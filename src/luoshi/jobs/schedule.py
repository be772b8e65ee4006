"""Periodic jobs: each has a slot (a day from a given time, or an interval) and is enqueued once
per slot, however many workers tick. Configured by ``settings.LUOSHI["SCHEDULE"]``:
``(name, dotted path of the job, "daily HH:MM" | "every N minutes")``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from luoshi.jobs.models import Tick

log = logging.getLogger("luoshi.jobs")


@dataclass(frozen=True)
class Periodic:
    name: str
    job: str  # dotted path of a django-tasks Task
    when: str  # "daily 07:00" or "every 15 minutes"

    def slot(self, now: dt.datetime) -> str | None:
        """The slot ``now`` falls in, or None before today's time for a daily job."""
        local = timezone.localtime(now)
        daily = re.fullmatch(r"daily (\d{1,2}):(\d{2})", self.when)
        if daily:
            at = dt.time(int(daily.group(1)), int(daily.group(2)))
            return local.date().isoformat() if local.time() >= at else None
        every = re.fullmatch(r"every (\d+) minutes?", self.when)
        if every:
            n = int(every.group(1))
            minutes = local.hour * 60 + local.minute
            return f"{local.date().isoformat()}T{minutes // n * n:04d}"
        raise ValueError(f"cannot read the schedule {self.when!r} of {self.name}")


def periodic() -> list[Periodic]:
    return [Periodic(*row) for row in settings.LUOSHI["SCHEDULE"]]


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every periodic job whose slot has come and was not enqueued yet; returns their names."""
    now = now or timezone.now()
    done = []
    for p in periodic():
        slot = p.slot(now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                Tick.objects.create(name=p.name, slot=slot)
                job = import_string(p.job)
                transaction.on_commit(lambda job=job, slot=slot: job.enqueue(slot=slot))
        except IntegrityError:
            continue  # another worker enqueued it for this slot
        log.info("enqueued %s for %s", p.name, slot)
        done.append(p.name)
    return done
