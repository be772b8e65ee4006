"""Enqueueing jobs: after the transaction that asked for them commits, never before.

A job enqueued inside a transaction that then rolls back would act on rows that never existed;
one enqueued before the commit may run before the rows are visible. Jobs take ids (never
objects) and are written to be run twice without harm.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction


def on_commit(job, *args, **kwargs) -> None:
    """Enqueue ``job(*args, **kwargs)`` once the current transaction commits (now, outside one)."""
    transaction.on_commit(partial(job.enqueue, *args, **kwargs))
