"""The job queue: jobs enqueued on commit, run by real `luoshi worker` processes, never twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from luoshi.jobs import queue
from luoshi.jobs.jobs import probe
from luoshi.jobs.models import ProbeRun


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(name: str, tmp: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "LUOSHI_WORKER_ID": name, "LUOSHI_VAR_DIR": str(tmp)}
    return subprocess.Popen([sys.executable, "-m", "luoshi.cli", "worker", "--batch", "--no-schedule",
                             "--interval", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_one_job_twice(tmp_path) -> None:
    keys = [f"job-{n}" for n in range(80)]
    for key in keys:
        probe.enqueue(key)
    workers = [_worker(f"w{n}", tmp_path) for n in (1, 2)]
    for w in workers:
        _out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err.decode()[-2000:]
    runs = list(ProbeRun.objects.values_list("key", "worker"))
    assert sorted(k for k, _w in runs) == sorted(keys)  # every job ran, and none twice
    assert {w for _k, w in runs} <= {"w1", "w2"}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(keys)


@pytest.mark.django_db(transaction=True)
def test_a_job_is_enqueued_only_when_its_transaction_commits() -> None:
    with transaction.atomic():
        queue.on_commit(probe, "kept")
        assert not DBTaskResult.objects.exists()  # not before the commit
    try:
        with transaction.atomic():
            queue.on_commit(probe, "rolled back")
            raise RuntimeError
    except RuntimeError:
        pass
    assert [r.args_kwargs["args"] for r in DBTaskResult.objects.all()] == [["kept"]]
