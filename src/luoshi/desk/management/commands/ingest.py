"""`luoshi ingest FILE...`: keep each document as a source and print what the desk proposes."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi import access
from luoshi.desk import services as desk
from luoshi.desk.intake import take_in
from luoshi.desk.routing import Duplicates, Router
from luoshi.org.models import User
from luoshi.sources.services import IngestError


class Command(BaseCommand):
    help = "Ingest documents as sources of a supervisor's organisation and print the proposed tasks."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--user", default="supervisor",
                            help="the supervisor the sources are ingested as (default: supervisor)")
        parser.add_argument("--script", choices=["t2s", "s2t", "keep"], default="t2s")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"no user {opts['user']!r}")
        organisation = access.organisation_for_ingest(user)
        if organisation is None:
            raise CommandError(f"{user.username} supervises no organisation: only a supervisor ingests sources")
        router, dups = Router(organisation), Duplicates(organisation)
        failed = 0
        for path in opts["files"]:
            p = Path(path)
            try:
                if not p.is_file():
                    raise IngestError("not a file" if p.exists() else "no such file")
                got = take_in(p.read_bytes(), name=p.name, organisation=organisation, actor=user,
                              script=opts["script"], router=router)
            except (IngestError, OSError) as exc:
                self.stderr.write(f"{path}: {exc}")
                failed += 1
                continue
            source, proposals = got.source, got.proposals
            state = "new source" if got.created else "already ingested"
            self.stdout.write(f"== {path}: {state} #{source.pk} “{source.title}” ({source.encoding}), "
                              f"{len(proposals)} proposals")
            for p_ in proposals:
                due = f"  due {p_.due_date} ({p_.due_basis or 'typed'})" if p_.due_date else ""
                self.stdout.write(f"  {p_.ordinal:2d}. [{p_.kind}] {p_.headline}{due}  — {p_.get_status_display()}")
                if p_.task_id:
                    self.stdout.write(f"      task #{p_.task_id}")
                if p_.status != p_.Status.PENDING:
                    continue
                for s in desk.suggestions(p_, router):
                    self.stdout.write(f"      → {s.unit.name}: {'; '.join(s.reasons)}")
                for task, sim in dups.of(p_.text):
                    self.stdout.write(f"      ≈ open task #{task.pk} “{task.title}” ({sim:.0%} alike)")
        if failed:
            raise CommandError(f"{failed} file(s) could not be ingested")
