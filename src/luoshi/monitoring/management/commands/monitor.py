"""`luoshi monitor evaluate [--period YYYY-MM] [--org ID]` and `luoshi monitor import FILE [--org ID]`.

evaluate prints one line: `breaches N, opened N, closed N, reopened N`; a second run for the
same period changes nothing. import prints what it imported, or every problem by row and
column (and imports nothing).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from luoshi.monitoring.evaluate import evaluate
from luoshi.monitoring.importing import ImportFailed, import_file, period_of
from luoshi.org.models import Unit


def _organisation(pk: int | None, required: bool) -> Unit | None:
    if pk is not None:
        org = Unit.objects.filter(pk=pk, is_organisation=True).first()
        if org is None:
            raise CommandError(f"no organisation with id {pk}")
        return org
    if not required:
        return None
    orgs = list(Unit.objects.filter(is_organisation=True, parent__isnull=True)[:2])
    if len(orgs) != 1:
        raise CommandError("say which organisation with --org ID")
    return orgs[0]


class Command(BaseCommand):
    help = "Evaluate the monitoring rules, or import subjects and values from a .csv or .xlsx file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        ev = sub.add_parser("evaluate", help="evaluate the rules (set-based) and follow the changed breaches")
        ev.add_argument("--period", metavar="YYYY-MM", help="the month to evaluate (default: the latest with values)")
        ev.add_argument("--org", type=int, help="only this organisation (default: every one with rules)")
        im = sub.add_parser("import", help="import subjects and monthly values, all or nothing")
        im.add_argument("file")
        im.add_argument("--org", type=int, help="the organisation (default: the only top-level one)")
        im.add_argument("--sample", action="store_true", help="mark the subjects as sample data")

    def handle(self, *args, **opts):
        if opts["verb"] == "evaluate":
            period = None
            if opts.get("period"):
                try:
                    period = period_of(opts["period"])
                except ValueError as exc:
                    raise CommandError(f"--period takes a month such as 2026-05, not {opts['period']!r}") from exc
            self.stdout.write(evaluate(_organisation(opts.get("org"), False), period).line())
            return
        org = _organisation(opts.get("org"), True)
        try:
            with open(opts["file"], "rb") as stream:
                result = import_file(org, stream, opts["file"], sample=opts["sample"])
        except OSError as exc:
            raise CommandError(f"{opts['file']}: {exc.strerror}") from exc
        except ImportFailed as failed:
            for p in failed.problems:
                self.stderr.write(f"row {p.row}, column {p.column}: {p.message}")
            raise CommandError(f"nothing imported: {len(failed.problems)} problem(s)") from failed
        self.stdout.write(f"rows {result.rows}, subjects {result.subjects}, values {result.values}")
