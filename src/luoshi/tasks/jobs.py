"""The jobs of the closed loop: the daily scan, and the recount of the dashboard's counts."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from luoshi.tasks import scan as scanning
from luoshi.tasks import tally

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


@task()
def recount(slot: str = "") -> str:
    """The dashboard's counts recounted as of the day ``slot`` (ISO; today if empty), so that the
    day's lights are read from them (`luoshi.tasks.tally`); until it has run, the dashboard counts."""
    at = dt.date.fromisoformat(slot[:10]) if slot else None
    n = tally.recount_all(at)
    log.info("tally %s: %d organisations recounted", slot or "today", n)
    return f"{n} organisations recounted"
