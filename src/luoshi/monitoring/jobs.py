"""The job of the queue: evaluate every organisation's monitoring rules (the worker's daily tick)."""

from __future__ import annotations

import logging

from django_tasks import task

from luoshi.monitoring.evaluate import evaluate as run

log = logging.getLogger("luoshi.monitoring")


@task()
def evaluate(slot: str = "") -> str:
    """Evaluate as of each organisation's latest month with values; a second run changes nothing."""
    line = run().line()
    log.info("monitoring %s: %s", slot or "now", line)
    return line
