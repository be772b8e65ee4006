"""`luoshi restore FILE`: load a backup into an empty, migrated database, then check it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.jobs.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = "Restore a backup (luoshi backup) into an empty, migrated database; checks rows, files and the journal."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            summary = restore(Path(file))
        except RestoreRefused as err:
            raise CommandError(f"restore refused: {err}") from err
        self.stdout.write(f"restored {file}: {summary.line()}; journal verified")
