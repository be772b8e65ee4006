from django.db import migrations, models

from luoshi.search import schema


class Migration(migrations.Migration):
    initial = True

    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("t", "Task"), ("s", "Source"), ("i", "Item")], max_length=1)),
                ("ref", models.BigIntegerField()),
                ("organisation_id", models.BigIntegerField()),
                ("source_id", models.BigIntegerField(null=True)),
                ("title", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
            ],
            options={"verbose_name": "search entry", "verbose_name_plural": "search entries"},
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(fields=("kind", "ref"), name="search_entry_once"),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["kind", "organisation_id", "ref"], name="search_entry_org"),
        ),
        migrations.RunPython(schema.create, schema.drop),
    ]
