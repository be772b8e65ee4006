"""`luoshi calendar`: working days from the command line, by the same calendar the app uses.

    luoshi calendar 2024-02-08 --add 3        → 2024-02-19   (the 3rd working day after)
    luoshi calendar 2024-02-01 2024-02-29     → 18           (working days, both ends included)
    … --org ID                                 with that organisation's local days

A year whose statutory holidays are not known is counted by weekends only: the answer is
printed all the same, and a warning goes to stderr.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luoshi.org.models import Unit
from luoshi.workdays.calendar import Calendar
from luoshi.workdays.services import calendar_for


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"not a date: {text!r} (write YYYY-MM-DD, e.g. 2024-02-08)") from None


class Command(BaseCommand):
    help = "Print the date N working days after DATE (--add N), or the working days from START to END."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dates", nargs="+", metavar="DATE", help="DATE --add N, or START END (YYYY-MM-DD)")
        parser.add_argument("--add", type=int, metavar="N",
                            help="working days to add (negative: count back; 0: DATE or the next working day)")
        parser.add_argument("--org", metavar="ID", help="the organisation whose local days count (default: none)")

    def handle(self, *args, dates: list[str], add: int | None, org: str | None, **options) -> None:
        calendar = self._calendar(org)
        days = [_date(d) for d in dates]
        if add is not None and len(days) == 1:
            try:
                answer = calendar.add(days[0], add)
            except OverflowError as exc:
                raise CommandError(str(exc)) from None
            self._warn(calendar, [days[0], answer])
            self.stdout.write(answer.isoformat())
        elif add is None and len(days) == 2:
            start, end = days
            self._warn(calendar, [start, end])
            self.stdout.write(str(calendar.count(start, end)))
            if options["verbosity"] > 1:
                self.stdout.write(f"working days from {start} to {end}, both included "
                                  f"({max((end - start).days + 1, 0)} calendar days)")
        else:
            raise CommandError("give one DATE with --add N, or START and END without --add")

    def _calendar(self, org: str | None) -> Calendar:
        if org is None:
            return calendar_for(None)
        unit = Unit.objects.filter(pk=int(org)).first() if org.isascii() and org.isdigit() and \
            int(org) < 2**63 else None
        if unit is None or not unit.is_organisation:
            raise CommandError(f"no organisation with id {org!r} (an organisation's id, as /admin/ shows it)")
        return calendar_for(unit)

    def _warn(self, calendar: Calendar, dates: list[dt.date]) -> None:
        # a year spanned in the middle counts too: START 2026-12-01 END 2028-01-31 has 2027 in it
        years = range(min(dates).year, max(dates).year + 1)
        for line in calendar.warnings(dt.date(y, 1, 1) for y in years):
            self.stderr.write(f"warning: {line}")
