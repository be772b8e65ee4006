"""One hash chain for the whole journal (position, version, head), rechaining existing events.

Events written before this migration were chained per task and bumped the task's version
each time, so their version is their number in the task. They are put in one chain in the
order they were written; the hash body is frozen here, as it was at this migration. Those
events did not record the fields they changed, so each existing task gets one more event,
"accounted", stating its fields as they stand: from there on its journal accounts for them.
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


FIELDS = ("organisation", "kind", "title", "description", "lead_unit", "leader", "issuer_name", "due_date",
          "due_origin", "due_basis", "original_due_date", "priority", "satisfaction")
SETS = ("co_units", "proposers", "items")


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def rechain(apps, schema_editor):
    Event = apps.get_model("tasks", "Event")
    Task = apps.get_model("tasks", "Task")
    JournalHead = apps.get_model("tasks", "JournalHead")
    prev, position, last_at = GENESIS, 0, None
    for e in Event.objects.order_by("at", "id"):
        position += 1
        h = _hash(e, position, e.seq, prev)
        # a raw update: Event.save refuses to change a stored event, as it should after this
        Event.objects.filter(pk=e.pk).update(position=position, version=e.seq, prev_hash=prev, hash=h)
        prev, last_at = h, e.at
    now = dt.datetime.now(dt.UTC)
    for task in Task.objects.order_by("pk"):
        last = Event.objects.filter(task=task).order_by("-seq").first()
        fields = {f: _plain(getattr(task, Task._meta.get_field(f).attname)) for f in FIELDS}
        fields.update({s: sorted(getattr(task, s).values_list("pk", flat=True)) for s in SETS})
        data = {"changes": {k: [None, v] for k, v in fields.items() if v not in (None, "", [])},
                "note": "fields as they stood when the journal began to account for them"}
        position += 1
        e = Event(task_id=task.pk, seq=(last.seq if last else 0) + 1, at=now, actor_id=None, action="accounted",
                  from_state=task.state, to_state=task.state, data=data)
        h = _hash(e, position, task.version, prev)
        Event.objects.create(task_id=task.pk, seq=e.seq, position=position, at=now, actor_id=None,
                             action="accounted", from_state=task.state, to_state=task.state, version=task.version,
                             data=data, prev_hash=prev, hash=h)
        prev, last_at = h, now
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
