"""Create, edit, report progress, comment: guarded like transitions, journaled, all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import drive, make_task

from luoshi.tasks import services
from luoshi.tasks.models import Attachment, Event, ProgressReport, State, Task
from luoshi.tasks.workflow import WorkflowError


def test_only_a_supervisor_of_the_organisation_creates(org) -> None:
    for who in ("handler_a", "leader", "other_supervisor", "admin"):
        with pytest.raises(WorkflowError) as err:
            services.create_task(getattr(org, who), organisation=org.province, title="x")
        assert err.value.code == "forbidden"
    with pytest.raises(WorkflowError):
        services.create_task(org.supervisor, organisation=org.province, title="   ")
    task = make_task(org)
    assert task.state == State.DRAFT and task.version == 1
    assert task.events.get().action == "created"


def test_edit_a_draft_and_refuse_a_stale_edit(org) -> None:
    task = make_task(org)
    seen = task.version
    services.edit_task(task, org.supervisor, version=seen, title="新标题", due_date=dt.date(2031, 1, 1),
                       co_units=[org.unit_c])
    task.refresh_from_db()
    assert (task.title, task.version, list(task.co_units.all())) == ("新标题", seen + 1, [org.unit_c])
    assert task.events.order_by("seq").last().data["changes"]["title"] == ["抓好高标准农田建设", "新标题"]
    with pytest.raises(WorkflowError) as err:  # a second person saw the old version
        services.edit_task(task, org.supervisor, version=seen, title="覆盖")
    assert err.value.code == "stale"
    task.refresh_from_db()
    assert task.title == "新标题"


def test_edit_is_for_drafts_and_supervisors(org) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    with pytest.raises(WorkflowError) as err:
        services.edit_task(task, org.supervisor, version=task.version, title="改")
    assert err.value.code == "forbidden"
    with pytest.raises(WorkflowError) as err:
        services.edit_task(task, org.outsider, version=task.version, title="改")
    assert err.value.code == "not_found"


def _file(name: str, content: bytes = b"report") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def test_progress_with_attachments(org, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = drive(org, make_task(org), State.IN_PROGRESS)
    report = services.report_progress(task, org.handler_b, text="完成初步设计",
                                      files=[_file("设计方案.pdf"), _file("照片.jpg", b"\xff\xd8")])
    assert report.unit == org.unit_b
    assert [a.name for a in report.attachments.order_by("pk")] == ["设计方案.pdf", "照片.jpg"]
    event = report.event
    assert event.action == "progress" and event.data["attachments"][0]["size"] == 6
    task.refresh_from_db()
    assert task.last_progress_at is not None and task.version == report.task.version


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("空.pdf", b"", "empty"), ("脚本.exe", b"MZ", "not accepted"), ("大.pdf", b"x" * 2048, "limit")],
)
def test_bad_attachments_are_refused_and_nothing_is_saved(org, settings, tmp_path, name, content, message) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.LUOSHI = {**settings.LUOSHI, "MAX_ATTACHMENT_BYTES": 1024}
    task = drive(org, make_task(org), State.IN_PROGRESS)
    with pytest.raises(WorkflowError, match=message):
        services.report_progress(task, org.handler_a, text="进展",
                                 files=[_file("好.pdf"), _file(name, content)])
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert Task.objects.get(pk=task.pk).version == task.version
    assert not list(tmp_path.rglob("*.pdf"))


def test_progress_is_for_the_units_while_work_goes_on(org) -> None:
    task = drive(org, make_task(org), State.ACCEPTED)
    with pytest.raises(WorkflowError) as err:
        services.report_progress(task, org.handler_a, text="x")
    assert err.value.code == "forbidden"
    task = drive(org, make_task(org), State.IN_PROGRESS)
    for who, code in (("supervisor", "forbidden"), ("outsider", "not_found")):
        with pytest.raises(WorkflowError) as err:
            services.report_progress(task, getattr(org, who), text="x")
        assert err.value.code == code


def test_leader_instruction_and_supervisor_comment(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    services.comment(task, org.leader, text="要加快进度")
    task.refresh_from_db()
    services.comment(task, org.supervisor, text="请每周报送进展")
    assert list(Event.objects.filter(task=task).order_by("-seq").values_list("action", flat=True)[:2]) == [
        "comment", "instruction"]
    with pytest.raises(WorkflowError):
        services.comment(task, org.handler_a, text="x")
