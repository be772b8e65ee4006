"""Which workers are alive, and what to do with the jobs of those that are not.

django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again: a worker
killed in the middle (an out-of-memory kill, a machine lost, a second SIGTERM) leaves it RUNNING for
good. Each worker therefore writes a beat (`WorkerBeat`) every half minute from its ticker, and a
periodic job (`reclaim`, every 5 minutes) hands a RUNNING job back to the queue when the worker that
took it is gone: not seen for `DEAD_AFTER`, or started again since it took the job (a worker's id
survives a restart when `LUOSHI_WORKER_ID` names it), or never seen at all and the job older than
`DEAD_AFTER`. Jobs take ids and may run twice (`luoshi.jobs.queue`), so running one again is safe.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from luoshi.jobs.models import WorkerBeat

DEAD_AFTER = dt.timedelta(minutes=3)  # six beats missed


def beat(worker: str, started_at: dt.datetime, now: dt.datetime | None = None) -> None:
    """Record that ``worker`` (the process started at ``started_at``) is alive now."""
    WorkerBeat.objects.update_or_create(worker=worker, defaults={"started_at": started_at,
                                                                  "seen_at": now or timezone.now()})


def reclaim(now: dt.datetime | None = None) -> list[str]:
    """Hand back to the queue every RUNNING job whose worker is gone; returns their ids."""
    now = now or timezone.now()
    beats = {w: (started, seen) for w, started, seen in
             WorkerBeat.objects.values_list("worker", "started_at", "seen_at")}
    taken = []
    for pk, workers, started in (DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
                                 .values_list("pk", "worker_ids", "started_at")):
        worker = workers[-1] if workers else None
        if started is None or not _gone(beats.get(worker), started, now):
            continue
        # unless it finished, or was taken again, meanwhile
        if DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING, started_at=started).update(
                status=TaskResultStatus.READY, started_at=None):
            taken.append(str(pk))
    return taken


def _gone(seen: tuple[dt.datetime, dt.datetime] | None, job_started: dt.datetime, now: dt.datetime) -> bool:
    if seen is None:
        return job_started < now - DEAD_AFTER
    process_started, last_seen = seen
    return last_seen < now - DEAD_AFTER or job_started < process_started


@task()
def reclaim_jobs(slot: str = "") -> int:
    """The periodic job: `reclaim` (scheduled every 5 minutes as "reclaim")."""
    return len(reclaim())
