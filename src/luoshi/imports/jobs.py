"""The imports' periodic job: uploads left pending for a day are abandoned (their bytes dropped)."""

from __future__ import annotations

from django_tasks import task

from luoshi.imports import importer


@task()
def abandon_stale(slot: str = "") -> int:
    return importer.abandon_stale()
