"""The index follows the rows, in the same transaction as the change.

Every change of a task is journaled (`tasks.journal` writes an `Event` and says so), so the journal
says when a task's words may have changed: its creation, or a change naming one of its text
fields. Sources are never edited; their items come in bulk with them and are indexed by
`desk.intake.take_in` (and here, for items made one by one).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from luoshi.search import index
from luoshi.search.models import Kind
from luoshi.sources.models import Item, Source
from luoshi.tasks.journal import events_appended
from luoshi.tasks.models import Event, Task


@receiver(events_appended, dispatch_uid="search-task-events")
def _tasks_changed(sender, events: list[Event], **kwargs) -> None:
    for pk in sorted({e.task_id for e in events if e.action == "created"
                      or index.TASK_FIELDS & set((e.data or {}).get("changes") or {})}):
        index.index_task(pk)


@receiver(post_save, sender=Source, dispatch_uid="search-source")
def _source_saved(sender, instance: Source, raw: bool = False, update_fields=None, **kwargs) -> None:
    # opening a source to its units changes who reads it (decided at query time), not its words
    if not raw and (update_fields is None or {"title", "text"} & set(update_fields)):
        index.index_source(instance.pk, items=False)


@receiver(post_save, sender=Item, dispatch_uid="search-item")
def _item_saved(sender, instance: Item, raw: bool = False, **kwargs) -> None:
    if not raw:
        index.index_item(instance.pk)


@receiver(post_delete, sender=Task, dispatch_uid="search-task-gone")
def _task_gone(sender, instance: Task, **kwargs) -> None:
    index.remove(Kind.TASK, [instance.pk])


@receiver(post_delete, sender=Source, dispatch_uid="search-source-gone")
def _source_gone(sender, instance: Source, **kwargs) -> None:
    index.remove(Kind.SOURCE, [instance.pk])


@receiver(post_delete, sender=Item, dispatch_uid="search-item-gone")
def _item_gone(sender, instance: Item, **kwargs) -> None:
    index.remove(Kind.ITEM, [instance.pk])
