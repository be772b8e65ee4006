"""What the worker keeps besides the queue: which periodic jobs were enqueued for which slot,
and the probes that show a worker is alive."""

from __future__ import annotations

from django.db import models


class Tick(models.Model):
    """A periodic job enqueued for one slot (a day, an hour): at most once, whatever the workers."""

    name = models.CharField(max_length=50)
    slot = models.CharField(max_length=30)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="tick_once_per_slot")]


class ProbeRun(models.Model):
    """A probe job's run: which worker ran it, when. Monitoring enqueues one and waits for it;
    the tests count them to prove that no job runs twice."""

    key = models.CharField(max_length=100, db_index=True)
    worker = models.CharField(max_length=100)
    at = models.DateTimeField(auto_now_add=True)


class WorkerBeat(models.Model):
    """A worker process alive: when it started and when it was last seen (its ticker writes this
    every half minute). A job left running by a worker that is gone (`luoshi.jobs.beats`) is
    handed back to the queue."""

    worker = models.CharField(max_length=100, unique=True)  # its id (`jobs.worker_name`)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
