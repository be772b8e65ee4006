# The index of a scan mark's task alone: scan_mark_once (task, kind, key) answers whatever it did,
# and every mark wrote both. Dropped by name (the same on SQLite and PostgreSQL): AlterField would
# also drop and re-add the foreign key, checking every mark again while the tasks wait.

import django.db.models.deletion
from django.db import migrations, models

INDEX = "tasks_scanmark_task_id_6f156c28"


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0018_title_trigrams"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="scanmark",
                    name="task",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="+", to="tasks.task"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{INDEX}"',
                                  reverse_sql=f'CREATE INDEX "{INDEX}" ON "tasks_scanmark" ("task_id")'),
            ],
        ),
    ]
