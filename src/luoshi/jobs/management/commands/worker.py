"""`luoshi worker`: run the background jobs (the database queue) and enqueue the periodic ones.

Any number of workers may run, on one machine or several: each claims a job with SELECT … FOR
UPDATE SKIP LOCKED (PostgreSQL; SQLite's writers take turns), so no job runs twice, and a
periodic job is enqueued once per slot whoever ticks first. Each says every half minute that it
is alive (`luoshi.jobs.beats`), so that a job it leaves running when killed is run again.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from luoshi.jobs import beats, schedule
from luoshi.jobs.jobs import worker_name

log = logging.getLogger("luoshi.jobs")


def _tick(started_at, enqueue: bool) -> None:
    """Say the worker is alive (`beats`) and, ``enqueue``, enqueue the periodic jobs whose slot came."""
    try:
        close_old_connections()
        beats.beat(worker_name(), started_at)
        if enqueue:
            schedule.tick()
    except Exception:  # a failed tick is logged and tried again; the worker goes on
        log.exception("the worker's beat or the periodic jobs could not be written")


def _ticking(stop: threading.Event, every: float, started_at, enqueue: bool) -> None:
    while not stop.wait(every):
        _tick(started_at, enqueue)


class Command(BaseCommand):
    help = "Run background jobs from the database queue, and enqueue the periodic ones (the daily scan)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then stop")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--no-schedule", action="store_true", help="do not enqueue periodic jobs")
        parser.add_argument("--tick-every", type=float, default=30.0, help=argparse.SUPPRESS)

    def handle(self, *args, **opts):
        stop = threading.Event()
        if opts["batch"] and not opts["no_schedule"]:
            schedule.tick()
        # the beat in every mode (the first before any job is taken): a job of a worker that stops
        # beating is handed to another
        enqueue, started_at = not (opts["batch"] or opts["no_schedule"]), timezone.now()
        _tick(started_at, enqueue)
        threading.Thread(target=_ticking, args=(stop, opts["tick_every"], started_at, enqueue), daemon=True).start()
        worker = Worker(queue_names=["*"], interval=opts["interval"], batch=opts["batch"], backend_name="default",
                        startup_delay=not opts["batch"], max_tasks=None, worker_id=worker_name(),
                        excluded_queue_names=[])
        if not opts["batch"]:
            worker.configure_signals()
        started = time.monotonic()
        try:
            worker.run()
        finally:
            stop.set()
        if opts["batch"]:
            self.stdout.write(f"worker {worker_name()}: queue empty after {time.monotonic() - started:.1f} s")
