"""luoshi search reindex [--kind task|source|item ...] [--batch N] [--jobs N]: rebuild the search index in bulk."""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandParser

from luoshi.search.index import reindex
from luoshi.search.models import Kind

NAMES = {"task": Kind.TASK, "source": Kind.SOURCE, "item": Kind.ITEM}


class Command(BaseCommand):
    help = "The search index: 'reindex' rebuilds it from the tasks, sources and items, in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex"])
        parser.add_argument("--kind", action="append", choices=sorted(NAMES),
                            help="only these kinds (repeat); all by default")
        parser.add_argument("--batch", type=int, default=2000, help="rows read and written at a time")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                            help="processes cutting words (default: one per core)")

    def handle(self, *args, action: str, kind: list[str] | None, batch: int, jobs: int, verbosity: int,
               **opts) -> None:
        kinds = [NAMES[k] for k in kind] if kind else list(NAMES.values())
        started = time.monotonic()
        last = [started]

        def progress(what: str, n: int) -> None:
            if verbosity > 1 or (verbosity and time.monotonic() - last[0] > 5):
                last[0] = time.monotonic()
                self.stdout.write(f"  {what}: {n}")

        counts = reindex(kinds, batch=batch, jobs=max(1, jobs), progress=progress)
        took = time.monotonic() - started
        names = {v: k for k, v in NAMES.items()}
        done = ", ".join(f"{counts[k]} {names[k]}s" for k in kinds)
        self.stdout.write(self.style.SUCCESS(f"Indexed {done} in {took:.1f} s."))
