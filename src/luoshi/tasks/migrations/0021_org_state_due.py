# The index of an organisation's tasks by state gains the due date and id, so that the office's
# to-do list reads the first tasks of each kind from it (models.Task.Meta). The new index is made
# before the old one goes, so the counts by state always have one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0020_scan_day"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["organisation", "state", "due_date", "id"], name="task_org_state_due"),
        ),
        migrations.RemoveIndex(
            model_name="task",
            name="tasks_task_organis_57790a_idx",
        ),
    ]
