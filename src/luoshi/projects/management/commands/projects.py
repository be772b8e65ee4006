"""`luoshi projects check [--at YYYY-MM-DD]`: raise a task for every stage slipped and every
investment shortfall not raised before, as the daily job does.

Prints one line: `slipped N, shortfalls N, tasks opened N`. A second run opens nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from luoshi.projects import check


class Command(BaseCommand):
    help = "Major projects: check for slipped stages and investment shortfalls, and raise their tasks."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        c = sub.add_parser("check", help="raise a task for each new slip or shortfall, as of a day")
        c.add_argument("--at", metavar="YYYY-MM-DD", help="the day to check as of (default: today)")

    def handle(self, *args, **opts):
        at = None
        if opts.get("at"):
            try:
                at = dt.date.fromisoformat(opts["at"])
            except ValueError as exc:
                raise CommandError(f"--at takes a date such as 2024-02-19, not {opts['at']!r}") from exc
        summary = check.run(at)
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(summary.line())
