"""`luoshi verify_journal`: the same as `luoshi journal verify` (kept for the name in older notes)."""

from django.core.management.base import BaseCommand

from luoshi.tasks.management.commands.journal import verify


class Command(BaseCommand):
    help = "Verify the journal: the same as `luoshi journal verify`."

    def add_arguments(self, parser):
        parser.add_argument("--anchor", metavar="HASH")
        parser.add_argument("--no-files", action="store_true")

    def handle(self, *args, **opts):
        verify(self, anchor=opts.get("anchor"), files=not opts.get("no_files"), limit=50)
