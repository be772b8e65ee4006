"""The jobs of the closed loop: the daily scan."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from luoshi.tasks import scan as scanning

log = logging.getLogger("luoshi.scan")


@task()
def scan(slot: str = "") -> str:
    """The scan as of the day ``slot`` (ISO; today if empty). Idempotent: a second run of a day
    does nothing more."""
    at = dt.date.fromisoformat(slot[:10]) if slot else None
    summary = scanning.run(at)
    for warning in summary.warnings:
        log.warning(warning)
    log.info("scan %s: %s; %s", slot or "today", summary.line(), summary.details())
    return summary.line()
