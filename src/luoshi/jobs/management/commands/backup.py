"""`luoshi backup FILE`: the database's rows and the attachments in one .zip (see luoshi.jobs.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from luoshi.jobs.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the attachments into FILE (.zip), portable between SQLite and PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        summary = backup(Path(file))
        self.stdout.write(f"backup {file}: {summary.line()}")
