"""Progress reports with attachments through the page: saved whole, or refused whole with a clear message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import drive, make_task
from tests.web.helpers import page_text

from luoshi.tasks.models import Attachment, Event, ProgressReport, State, Task


def _pdf(name: str = "进展.pdf", body: bytes = b"%PDF-1.4 weekly report") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _files_on_disk(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_progress_with_several_attachments(org, as_user, settings) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    client = as_user("handler_a")
    r = client.post(f"/tasks/{task.pk}/progress/", {
        "progress-text": "已完成高标准农田12万亩",
        "progress-files": [_pdf("第一周.pdf"), SimpleUploadedFile("台账.xlsx", b"PK\x03\x04 ledger")],
    })
    assert r.status_code == 302
    report = ProgressReport.objects.get(task=task)
    assert sorted(a.name for a in report.attachments.all()) == ["台账.xlsx", "第一周.pdf"]
    assert report.unit == org.unit_a
    page = client.get(f"/tasks/{task.pk}/")
    html = page.content.decode()
    text = page_text(page)
    assert "进展已报送。" in text
    assert "报送进展 农业经办人" in text and "已完成高标准农田12万亩" in text
    for att in report.attachments.all():
        assert f'href="/attachments/{att.pk}/"' in html
        assert client.get(f"/attachments/{att.pk}/").status_code == 200
    assert Task.objects.get(pk=task.pk).last_progress_at is not None


def test_a_co_unit_reports_too(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    r = as_user("head_b").post(f"/tasks/{task.pk}/progress/", {                                                               "progress-text": "吕梁市已完成配套资金拨付"})
    assert r.status_code == 302
    assert ProgressReport.objects.get(task=task).unit == org.unit_b


@pytest.mark.parametrize("case", ["empty", "too_large", "wrong_type", "one_bad_of_two"])
def test_a_bad_attachment_refuses_the_whole_report(org, as_user, settings, case: str) -> None:
    settings.LUOSHI = {**settings.LUOSHI, "MAX_ATTACHMENT_BYTES": 1000}
    files, message = {
        "empty": ([SimpleUploadedFile("空白.pdf", b"")], "“空白.pdf”是空文件。"),
        "too_large": ([_pdf("大文件.pdf", b"x" * 2000)], "“大文件.pdf”大小为 2.0 KB，超过 1000 字节 的上限。"),
        "wrong_type": ([SimpleUploadedFile("setup.exe", b"MZ")], "“setup.exe”：不接受 .exe 类型的文件"),
        "one_bad_of_two": ([_pdf("好的.pdf"), SimpleUploadedFile("宏.docm", b"PK")], "不接受 .docm 类型"),
    }[case]
    task = drive(org, make_task(org), State.IN_PROGRESS)
    events = Event.objects.filter(task=task).count()
    text = "本周推进情况：完成招标"
    r = as_user("handler_a").post(f"/tasks/{task.pk}/progress/", {
        "progress-text": text, "progress-files": files})
    assert r.status_code == 400
    shown = page_text(r)
    assert message in shown
    assert "所选文件未保存，请重新选择。" in shown
    assert text in r.content.decode()  # the typed text is kept
    assert not ProgressReport.objects.filter(task=task).exists()
    assert not Attachment.objects.exists()
    assert Event.objects.filter(task=task).count() == events
    assert _files_on_disk(settings) == []
    assert Task.objects.get(pk=task.pk).version == task.version


def test_progress_needs_text_and_the_right_state(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    client = as_user("handler_a")
    r = client.post(f"/tasks/{task.pk}/progress/", {"progress-text": "  "})
    assert r.status_code == 400
    accepted = drive(org, make_task(org), State.ACCEPTED)
    r = client.post(f"/tasks/{accepted.pk}/progress/", {"progress-version": accepted.version,
                                                         "progress-text": "提前报送"})
    assert r.status_code == 403
    assert "任务办理期间，由承办单位报送进展。" in page_text(r)
    assert as_user("leader").post(f"/tasks/{task.pk}/progress/", {
        "progress-text": "x"}).status_code == 403
    assert as_user("outsider").post(f"/tasks/{task.pk}/progress/", {
        "progress-text": "x"}).status_code == 404


def test_progress_sent_after_others_acted_is_taken(org, as_user) -> None:
    """Appending a report conflicts with nothing: comments and other reports meanwhile do not refuse it."""
    task = drive(org, make_task(org), State.IN_PROGRESS)
    as_user("supervisor").post(f"/tasks/{task.pk}/comment/", {"comment-text": "请加快进度"})
    as_user("handler_b").post(f"/tasks/{task.pk}/progress/", {"progress-text": "吕梁市配合完成选址"})
    r = as_user("handler_a").post(f"/tasks/{task.pk}/progress/", {
        "progress-text": "第二周：完成土地平整", "progress-files": [_pdf()]})
    assert r.status_code == 302
    assert ProgressReport.objects.filter(task=task).count() == 2
    assert Task.objects.get(pk=task.pk).version == task.version


def test_progress_on_a_task_no_longer_in_progress_is_refused_and_kept(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    # the head submits while the handler writes the weekly report
    as_user("head_a").post(f"/tasks/{task.pk}/do/submit/", {"submit-version": task.version,
                                                            "submit-reason": "全部完成",
                                                            "submit-went_ahead": "协办意见已口头沟通"})
    text = "第二周：完成土地平整"
    r = as_user("handler_a").post(f"/tasks/{task.pk}/progress/", {"progress-text": text,
                                                                 "progress-files": [_pdf()]})
    assert r.status_code == 403
    html = r.content.decode()
    assert text in html  # shown to copy, not lost
    assert not ProgressReport.objects.exists()
