"""`luoshi workflow`: the transition table as Markdown (docs/workflow.md is this output)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from luoshi.tasks.diagram import markdown


class Command(BaseCommand):
    help = "Print the task workflow (states, transitions, roles) as Markdown, from the transition table."

    def handle(self, *args, **options):
        with translation.override("en"):
            self.stdout.write(markdown(), ending="")
