"""`luoshi worker`: run the background jobs (the database queue) and enqueue the periodic ones.

Any number of workers may run, on one machine or several: each claims a job with SELECT … FOR
UPDATE SKIP LOCKED (PostgreSQL; SQLite's writers take turns), so no job runs twice, and a
periodic job is enqueued once per slot whoever ticks first.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from luoshi.jobs import schedule
from luoshi.jobs.jobs import worker_name

log = logging.getLogger("luoshi.jobs")


def _ticking(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            schedule.tick()
        except Exception:  # a failed tick is logged and tried again; the worker goes on
            log.exception("the periodic jobs could not be enqueued")
        stop.wait(every)


class Command(BaseCommand):
    help = "Run background jobs from the database queue, and enqueue the periodic ones (the daily scan)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then stop")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--no-schedule", action="store_true", help="do not enqueue periodic jobs")
        parser.add_argument("--tick-every", type=float, default=30.0, help=argparse.SUPPRESS)

    def handle(self, *args, **opts):
        stop = threading.Event()
        if not opts["no_schedule"]:
            if opts["batch"]:
                schedule.tick()
            else:
                threading.Thread(target=_ticking, args=(stop, opts["tick_every"]), daemon=True).start()
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
