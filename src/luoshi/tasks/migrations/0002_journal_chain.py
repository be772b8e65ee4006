"""One hash chain for the whole journal (position, version, head), rechaining existing events.

Events written before this migration were chained per task and bumped the task's version
each time, so their version is their number in the task. They are put in one chain in the
order they were written; the hash body is frozen here, as it was at this migration.
"""

import datetime as dt
import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64


def _hash(e, position, version, prev):
    body = json.dumps(
        {"position": position, "task": e.task_id, "seq": e.seq,
         "at": e.at.astimezone(dt.UTC).isoformat(timespec="microseconds"), "actor": e.actor_id,
         "action": e.action, "from": e.from_state, "to": e.to_state, "version": version, "data": e.data,
         "prev": prev},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def rechain(apps, schema_editor):
    Event = apps.get_model("tasks", "Event")
    JournalHead = apps.get_model("tasks", "JournalHead")
    prev, position, last_at = GENESIS, 0, None
    for e in Event.objects.order_by("at", "id"):
        position += 1
        h = _hash(e, position, e.seq, prev)
        # a raw update: Event.save refuses to change a stored event, as it should after this
        Event.objects.filter(pk=e.pk).update(position=position, version=e.seq, prev_hash=prev, hash=h)
        prev, last_at = h, e.at
    JournalHead.objects.update_or_create(pk=1, defaults={"position": position, "hash": prev, "at": last_at})


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [
        migrations.AddField("event", "position",
                            models.BigIntegerField(null=True, verbose_name="position in the journal")),
        migrations.AddField("event", "version", models.PositiveIntegerField(null=True, verbose_name="task version")),
        migrations.CreateModel(
            name="JournalHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
                ("at", models.DateTimeField(null=True)),
            ],
            options={"verbose_name": "journal head"},
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
        migrations.AlterField("event", "position",
                              models.BigIntegerField(unique=True, verbose_name="position in the journal")),
        migrations.AlterField("event", "version", models.PositiveIntegerField(verbose_name="task version")),
    ]
