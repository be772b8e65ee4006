"""The jobs of the worker itself."""

from __future__ import annotations

import os
import socket

from django_tasks import task

from luoshi.jobs.models import ProbeRun


def worker_name() -> str:
    return os.environ.get("LUOSHI_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}"


@task()
def probe(key: str) -> str:
    """Record that a worker ran this job (health checks; the no-job-twice test)."""
    ProbeRun.objects.create(key=key, worker=worker_name())
    return key
