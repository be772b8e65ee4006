"""The demo's 吕梁 projects: sample data, at different stages, one slipped and one short with their
tasks, and a second `luoshi demo` neither fails nor duplicates."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from luoshi.projects.models import Project, Trigger
from luoshi.tasks import audit


def _load() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_projects(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    first = _load()
    assert "projects: 5 new (sample data); check: slipped 1, shortfalls 1, tasks opened 2" in first
    assert Project.objects.count() == Project.objects.filter(is_sample=True).count() == 5
    assert len(set(Project.objects.values_list("stage", flat=True))) >= 4  # at different stages
    slip = Trigger.objects.get(kind="slip")
    short = Trigger.objects.get(kind="shortfall")
    assert (slip.project.code, slip.stage.kind) == ("LL-2026-002", "3_approve")
    assert short.project.code == "LL-2026-003"
    for trigger in (slip, short):
        assert trigger.task.lead_unit == trigger.project.unit and trigger.task.state == "assigned"
    second = _load()
    assert "projects: 0 new (sample data); check: slipped 1, shortfalls 1, tasks opened 0" in second
    assert Project.objects.count() == 5 and Trigger.objects.count() == 2
    assert audit.verify().ok
