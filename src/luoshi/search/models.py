"""The index: one row per task, source and item, holding its words (not its text)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The full-text structures beside this table are the database's own (migration 0001):
#   SQLite      search_fts: an FTS5 table over title and body (external content, kept by triggers)
#   PostgreSQL  search_entry.document: setweight(to_tsvector('simple', title), 'A') ||
#               setweight(to_tsvector('simple', body), 'B'), stored and GIN-indexed
FTS_TABLE = "search_fts"


class Kind(models.TextChoices):
    TASK = "t", _("Task")
    SOURCE = "s", _("Source")
    ITEM = "i", _("Item")


class Entry(models.Model):
    kind = models.CharField(max_length=1, choices=Kind.choices)
    ref = models.BigIntegerField()  # the task's, source's or item's id (no foreign key: bulk rebuilds)
    organisation_id = models.BigIntegerField()
    source_id = models.BigIntegerField(null=True)  # an item's source (the source's own id for a source)
    title = models.TextField(blank=True)  # words, space-joined
    body = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "ref"], name="search_entry_once")]
        indexes = [models.Index(fields=["kind", "organisation_id", "ref"], name="search_entry_org")]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"{self.kind}{self.ref}"
