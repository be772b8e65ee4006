"""`luoshi scan [--at YYYY-MM-DD]`: what the passing of time does to open tasks, as the daily job does.

Prints one line: `reminders N, escalations N, overdue N, stale N` (and the rest with -v 2).
Running it twice for the same day does nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from luoshi.tasks import scan


class Command(BaseCommand):
    help = "Remind, mark overdue, escalate, warn of silence and of falling behind, as of a day (today by default)."

    def add_arguments(self, parser):
        parser.add_argument("--at", metavar="YYYY-MM-DD", help="the day to scan as of (default: today)")

    def handle(self, *args, **opts):
        at = None
        if opts.get("at"):
            try:
                at = dt.date.fromisoformat(opts["at"])
            except ValueError as exc:
                raise CommandError(f"--at takes a date such as 2024-02-19, not {opts['at']!r}") from exc
        summary = scan.run(at)
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(summary.line())
        if opts["verbosity"] >= 2:
            self.stdout.write(summary.details())
