"""The projects' daily check as a job of the queue (`settings.LUOSHI["SCHEDULE"]`)."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from luoshi.projects import check as checking

log = logging.getLogger("luoshi.projects")


@task()
def check(slot: str = "") -> str:
    """The check as of the day ``slot`` (ISO; today if empty). A second run opens nothing twice."""
    at = dt.date.fromisoformat(slot[:10]) if slot else None
    summary = checking.run(at)
    for warning in summary.warnings:
        log.warning(warning)
    log.info("projects check %s: %s", slot or "today", summary.line())
    return summary.line()
