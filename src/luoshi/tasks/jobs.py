"""The jobs of the closed loop: the daily scan, and the recount and fold of the dashboard's counts."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from luoshi.tasks import scan as scanning
from luoshi.tasks import tally

log = logging.getLogger("luoshi.scan")


@task()
def scan(slot: str = "") -> str:
    """The scan as of the day ``slot`` (ISO; today if empty). Idempotent: a second run of a day
    does nothing more. With `LUOSHI_SCAN_PARTS` above one, the other parts are enqueued as jobs
    of their own (`scan_part`), for the other workers to take while this one does part 0."""
    parts = scanning.parts_setting()
    # the parts scan the same day, whenever each is taken
    slot = slot[:10] if slot else timezone.localdate().isoformat()
    for part in range(1, parts):
        # once this job's transaction (if any) commits, as `luoshi.jobs.queue.on_commit` does (tasks
        # comes before jobs in the apps' order, so it is not imported)
        transaction.on_commit(partial(scan_part.enqueue, slot=slot, part=part, parts=parts))
    return _scan(slot, 0, parts)


@task()
def scan_part(slot: str = "", part: int = 0, parts: int = 1) -> str:
    """One part of the scan of the day ``slot`` (`luoshi.tasks.scan.run`), enqueued by `scan`."""
    return _scan(slot, part, parts)


def _scan(slot: str, part: int, parts: int) -> str:
    at = dt.date.fromisoformat(slot[:10]) if slot else None
    summary = scanning.run(at, part, parts)
    # the acts' rows of the dashboard's counts summed, not left for every visit to sum all day
    tally.fold_all()
    for warning in summary.warnings:
        log.warning(warning)
    share = f" (part {part + 1} of {parts})" if parts > 1 else ""
    log.info("scan %s%s: %s; %s", slot or "today", share, summary.line(), summary.details())
    return summary.line()


@task()
def recount(slot: str = "") -> str:
    """The dashboard's counts recounted as of the day ``slot`` (ISO; today if empty), so that the
    day's lights are read from them (`luoshi.tasks.tally`); until it has run, the dashboard counts."""
    at = dt.date.fromisoformat(slot[:10]) if slot else None
    n = tally.recount_all(at)
    log.info("tally %s: %d organisations recounted", slot or "today", n)
    return f"{n} organisations recounted"


@task()
def fold(slot: str = "") -> str:
    """The dashboard's counts folded to a row a group (`tally.fold_all`): the day's writes add two
    rows a task moved, which every visit of the dashboard sums until they are folded. ``slot``:
    the hour it was scheduled for (the schedule passes it; the fold is of now whatever it says)."""
    n = tally.fold_all()
    return f"{n} rows folded away"
