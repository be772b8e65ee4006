"""`luoshi scan [--at YYYY-MM-DD] [--parts N]`: what the passing of time does to open tasks, as the
daily job does (in N processes side by side with --parts).

Prints one line: `reminders N, escalations N, overdue N, stale N` (and the rest with -v 2).
Running it twice for the same day does nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from luoshi.tasks import scan, tally


class Command(BaseCommand):
    help = "Remind, mark overdue, escalate, warn of silence and of falling behind, as of a day (today by default)."

    def add_arguments(self, parser):
        parser.add_argument("--at", metavar="YYYY-MM-DD", help="the day to scan as of (default: today)")
        parser.add_argument("--parts", type=int, default=1, metavar="N",
                            help="scan in N processes side by side, a share of the tasks each (default: 1)")

    def handle(self, *args, **opts):
        at = None
        if opts.get("at"):
            try:
                at = dt.date.fromisoformat(opts["at"])
            except ValueError as exc:
                raise CommandError(f"--at takes a date such as 2024-02-19, not {opts['at']!r}") from exc
        if opts["parts"] < 1:
            raise CommandError(f"--parts takes a number of processes, 1 or more, not {opts['parts']}")
        summary = scan.run_side_by_side(at, opts["parts"])
        tally.fold_all()  # as the daily job does: the acts' rows of the dashboard's counts summed
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(summary.line())
        if opts["verbosity"] >= 2:
            self.stdout.write(summary.details())
