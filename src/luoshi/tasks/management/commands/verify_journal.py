"""`luoshi verify_journal`: check every task's hash chain; name the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from luoshi.tasks import journal
from luoshi.tasks.models import Event, Task


class Command(BaseCommand):
    help = "Verify the hash chain of every task's journal and name the first broken event."

    def handle(self, *args, **options):
        broken = journal.verify()
        if broken is None:
            silent = Task.objects.exclude(pk__in=Event.objects.values("task_id")).order_by("pk").first()
            if silent is not None:
                raise CommandError(f"task #{silent.pk} has no journal at all (its events were removed)")
            n = Event.objects.count()
            self.stdout.write(self.style.SUCCESS(f"journal intact: {n} events checked"))
            return
        raise CommandError(
            f"journal broken at task #{broken.task_id}, event {broken.seq} (id {broken.event_id}): {broken.reason}"
        )
