"""`luoshi journal anchor` and `luoshi journal verify [--anchor HASH] [--no-files]`.

An anchor is the hash of the journal's last event, with how many events it closes and when.
Printed and kept outside the database (on paper, in a letter, in another system), it lets a
later `verify --anchor` prove that nothing written up to it was changed since, even by
someone who could rewrite the database and recompute every hash in it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luoshi.tasks import audit, journal


class Command(BaseCommand):
    help = "Print an anchor of the journal, or verify the journal (against an anchor)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("anchor", help="print the hash of the last event, the number of events and the time")
        v = sub.add_parser("verify", help="check the chain, every task against its journal, reports and files")
        v.add_argument("--anchor", metavar="HASH", help="an anchor printed earlier: prove history up to it")
        v.add_argument("--no-files", action="store_true", help="do not read the attachments' files")
        v.add_argument("--limit", type=int, default=50, help="report at most this many problems")

    def handle(self, *args, **opts):
        if opts["verb"] == "anchor":
            count, hash_, at = journal.head()
            when = timezone.localtime(at).isoformat(timespec="seconds") if at else "-"
            self.stdout.write(f"anchor {hash_}  events {count}  at {when}")
            return
        verify(self, anchor=opts.get("anchor"), files=not opts.get("no_files"), limit=opts.get("limit") or 50)


def verify(command: BaseCommand, *, anchor: str | None, files: bool, limit: int) -> None:
    report = audit.verify(anchor=anchor, files=files, limit=limit)
    for finding in report.findings:
        command.stderr.write(f"  {finding}")
    if report.anchor and report.anchor_position is None:
        command.stderr.write("  the anchor: no event of an intact chain carries its hash — history up to it has "
                             "changed, or it is the anchor of another database")
    if not report.ok:
        first = report.findings[0] if report.findings else "the anchor does not match"
        raise CommandError(f"journal broken: {first}")
    summary = (f"journal intact: {report.events} events, {report.tasks} tasks, {report.reports} progress reports, "
               f"{report.attachments} attachments checked")
    if report.anchor_position is not None:
        summary += f"; history up to the anchor (event {report.anchor_position}) is unchanged"
    command.stdout.write(command.style.SUCCESS(summary))
