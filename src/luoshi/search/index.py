"""Keeping the index: one task, one source (with its items) at a time, or everything in bulk."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction

from luoshi.search import schema
from luoshi.search.models import Entry, Kind
from luoshi.search.words import index_words

# what a task's words are read from; the journal's "changes" naming one of these re-indexes it
TASK_TITLE = ("title",)
TASK_BODY = ("description", "target", "issuer_name")
TASK_FIELDS = frozenset(TASK_TITLE + TASK_BODY)


def task_entry(pk: int, organisation_id: int, title: str, description: str, target: str,
               issuer_name: str) -> Entry:
    return Entry(kind=Kind.TASK, ref=pk, organisation_id=organisation_id, title=index_words(title),
                 body=index_words("\n".join(t for t in (description, target, issuer_name) if t)))


def source_entry(pk: int, organisation_id: int, title: str, text: str) -> Entry:
    return Entry(kind=Kind.SOURCE, ref=pk, organisation_id=organisation_id, source_id=pk,
                 title=index_words(title), body=index_words(text))


def item_entry(pk: int, organisation_id: int, source_id: int, headline: str, text: str, issuer: str) -> Entry:
    return Entry(kind=Kind.ITEM, ref=pk, organisation_id=organisation_id, source_id=source_id,
                 title=index_words(headline), body=index_words("\n".join(t for t in (text, issuer) if t)))


def _put(entries: list[Entry]) -> None:
    """Replace these entries (delete, then insert: the SQLite triggers keep FTS5 in step)."""
    if not entries:
        return
    with transaction.atomic():
        for kind in {e.kind for e in entries}:
            Entry.objects.filter(kind=kind, ref__in=[e.ref for e in entries if e.kind == kind]).delete()
        Entry.objects.bulk_create(entries)


TASK_COLUMNS = ("pk", "organisation_id", "title", "description", "target", "issuer_name")
SOURCE_COLUMNS = ("pk", "organisation_id", "title", "text")
ITEM_COLUMNS = ("pk", "source__organisation_id", "source_id", "headline", "text", "issuer")


def index_task(pk: int) -> None:
    from luoshi.tasks.models import Task

    row = Task.objects.filter(pk=pk).values_list(*TASK_COLUMNS).first()
    if row is None:
        remove(Kind.TASK, [pk])
    else:
        _put([task_entry(*row)])


def index_source(source_id: int, items: bool = True) -> None:
    """(Re)index a source and, with ``items``, every item read from it."""
    from luoshi.sources.models import Item, Source

    row = Source.objects.filter(pk=source_id).values_list(*SOURCE_COLUMNS).first()
    if row is None:
        remove(Kind.SOURCE, [source_id])
        return
    entries = [source_entry(*row)]
    if items:
        entries += [item_entry(*r) for r in Item.objects.filter(source_id=source_id).values_list(*ITEM_COLUMNS)]
    _put(entries)


def index_items(source_id: int) -> None:
    """(Re)index every item read from a source (they are made in bulk, which no signal sees)."""
    from luoshi.sources.models import Item

    _put([item_entry(*r) for r in Item.objects.filter(source_id=source_id).values_list(*ITEM_COLUMNS)])


def index_item(pk: int) -> None:
    from luoshi.sources.models import Item

    row = Item.objects.filter(pk=pk).values_list(*ITEM_COLUMNS).first()
    if row is None:
        remove(Kind.ITEM, [pk])
    else:
        _put([item_entry(*row)])


def remove(kind: str, refs: Iterable[int]) -> None:
    Entry.objects.filter(kind=kind, ref__in=list(refs)).delete()


# -- in bulk ---------------------------------------------------------------------------------------

def _batches(model, columns: tuple[str, ...], size: int) -> Iterator[list[tuple]]:
    """Every row of ``model`` as ``columns``, by primary key in batches (keyset: no OFFSET)."""
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list(*columns)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


PLAN = {
    Kind.TASK: ("tasks.Task", TASK_COLUMNS, task_entry),
    Kind.SOURCE: ("sources.Source", SOURCE_COLUMNS, source_entry),
    Kind.ITEM: ("sources.Item", ITEM_COLUMNS, item_entry),
}
FIELDS = ("kind", "ref", "organisation_id", "source_id", "title", "body")


def _cut(kind: str, rows: list[tuple]) -> list[tuple]:
    """The entries of ``rows`` as plain tuples (run in a worker process: no database here)."""
    make = PLAN[Kind(kind)][2]
    return [tuple(getattr(e, f) for f in FIELDS) for e in (make(*r) for r in rows)]


def reindex(kinds: Iterable[str] = (Kind.TASK, Kind.SOURCE, Kind.ITEM), batch: int = 2000, jobs: int = 1,
            progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rebuild the index of ``kinds`` from the rows, in bulk, in one transaction.

    Cutting words is the slow part (jieba: about a millisecond per task), so with ``jobs`` > 1
    worker processes cut batches while this one reads the next and writes the last. The
    full-text structure is set aside while the rows go in and built once at the end; the rest
    of the app reads the old index until the transaction commits (PostgreSQL)."""
    from django.apps import apps

    counts: dict[str, int] = {}
    pool = None
    if jobs > 1:
        import multiprocessing

        # forked workers only cut words; they never touch the parent's database connection
        pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        with transaction.atomic():
            schema.set_aside(connection)
            for kind in kinds:
                label, columns, _make = PLAN[Kind(kind)]
                Entry.objects.filter(kind=kind).delete()
                n = 0
                pending: deque = deque()

                def write(rows: list[tuple], kind=kind) -> int:
                    Entry.objects.bulk_create([Entry(**dict(zip(FIELDS, r, strict=True))) for r in rows],
                                              batch_size=batch)
                    return len(rows)

                for rows in _batches(apps.get_model(label), columns, batch):
                    if pool is None:
                        n += write(_cut(kind, rows))
                    else:
                        pending.append(pool.apply_async(_cut, (str(kind), rows)))
                        while len(pending) > jobs:
                            n += write(pending.popleft().get())
                    if progress:
                        progress(kind, n)
                while pending:
                    n += write(pending.popleft().get())
                counts[kind] = n
            started = time.monotonic()
            schema.put_back(connection)
            if progress:
                progress("index", int(time.monotonic() - started))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return counts
