"""A job left running by a worker that is gone goes back to the queue (luoshi.jobs.beats), and one
whose worker is alive stays with it. The cases are written by hand, each a claimed probe job; a
real `luoshi worker` then runs the ones handed back, and says it is alive while it runs."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from tests.jobs.test_worker import _database_url

from luoshi.jobs import beats
from luoshi.jobs.jobs import probe
from luoshi.jobs.models import ProbeRun, WorkerBeat

NOW = timezone.now()


def ago(minutes: float) -> dt.datetime:
    return NOW - dt.timedelta(minutes=minutes)


def claimed(key: str, worker: str, started_minutes_ago: float) -> str:
    """A probe job as a worker leaves it once it has claimed it."""
    result = probe.enqueue(key)
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=ago(started_minutes_ago),
                                                     worker_ids=[worker])
    return result.id


def status(pk: str) -> str:
    return DBTaskResult.objects.get(pk=pk).status


@pytest.mark.django_db(transaction=True)
def test_the_jobs_of_workers_gone_go_back_to_the_queue(tmp_path) -> None:
    beats.beat("dead", started_at=ago(120), now=ago(10))  # last seen 10 minutes ago
    beats.beat("alive", started_at=ago(120), now=ago(0.5))
    beats.beat("restarted", started_at=ago(1), now=ago(0.5))  # the same id, a new process
    jobs = {
        "of the dead": claimed("of the dead", "dead", 20),
        "of the living, long": claimed("of the living, long", "alive", 90),
        "taken before the restart": claimed("taken before the restart", "restarted", 20),
        "taken after the restart": claimed("taken after the restart", "restarted", 0.5),
        "never seen, old": claimed("never seen, old", "ghost", 20),
        "never seen, just now": claimed("never seen, just now", "ghost", 1),  # its first beat is to come
    }
    back = {"of the dead", "taken before the restart", "never seen, old"}
    assert sorted(beats.reclaim(now=NOW)) == sorted(str(jobs[k]) for k in back)
    assert {k: status(pk) for k, pk in jobs.items()} == {k: "READY" if k in back else "RUNNING" for k in jobs}
    assert beats.reclaim(now=NOW) == []  # nothing twice

    # a real worker runs what was handed back, and beats while it runs
    env = {**os.environ, "DATABASE_URL": _database_url(), "LUOSHI_WORKER_ID": "w-next",
           "LUOSHI_VAR_DIR": str(tmp_path)}
    worker = subprocess.run([sys.executable, "-m", "luoshi.cli", "worker", "--batch", "--no-schedule",
                             "--interval", "0"], env=env, capture_output=True, timeout=300)
    assert worker.returncode == 0, worker.stderr.decode()[-2000:]
    assert sorted(ProbeRun.objects.values_list("key", flat=True)) == sorted(back)
    assert {k: status(pk) for k, pk in jobs.items()} == {k: "SUCCESSFUL" if k in back else "RUNNING" for k in jobs}
    assert WorkerBeat.objects.filter(worker="w-next").exists()
