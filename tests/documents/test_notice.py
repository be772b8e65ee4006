"""The supervision notice (督办通知单): its content read back from the .docx, its numbers per
organisation and year, and what issuing one writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading

import docx
import pytest
from django.db import connection
from docx.oxml.ns import qn
from docx.shared import Cm
from tests.factories import drive, make_org, make_task
from tests.web.helpers import link_to_source

from luoshi.documents.models import IssuedNotice, NoticeNumber
from luoshi.documents.notice import supervision_notice
from luoshi.documents.services import issue_notice
from luoshi.tasks import audit, services, workflow
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Event, Priority, State, Task


def read(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def form(doc) -> dict[str, str]:
    """The notice's form: label → content (paragraphs joined by newlines)."""
    return {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}


def extended_task(org) -> Task:
    """Due 30 June 2026, extended by 90 days to 28 September 2026; urgent, with a target and a source."""
    task = services.create_task(
        org.supervisor, organisation=org.province, title="抓好高标准农田建设",
        description="新建高标准农田50万亩。\n同步推进高效节水灌溉。", lead_unit=org.unit_a,
        co_units=[org.unit_b, org.unit_c], due_date=dt.date(2026, 6, 30), priority=Priority.URGENT,
        target="年底前新建高标准农田50万亩", leader=org.leader, issuer_name="省长")
    link_to_source(org, task)
    task = drive(org, task, State.EXTENSION_REQUESTED)
    return workflow.perform(task, "approve_extension", org.supervisor, version=task.version)


@pytest.mark.django_db
def test_the_notice_says_what_the_task_says(org) -> None:
    task = extended_task(org)
    content = supervision_notice(task, number="〔2026〕12号", issued_on=dt.date(2026, 11, 30),
                                 organisation_name="省政府督查室", contact="督查员")
    doc = read(content)
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "特急"
    assert paragraphs[1] == "省政府督查室督办通知单"
    assert paragraphs[2] == "〔2026〕12号"
    assert form(doc) == {
        "承办单位": "省农业农村厅",
        "协办单位": "吕梁市人民政府、省水利厅",
        "督办事项": "抓好高标准农田建设\n新建高标准农田50万亩。\n同步推进高效节水灌溉。",
        "事项来源": "《省长参加吕梁代表团审议》（省长）",
        "办结时限": "2026年9月28日前（原时限2026年6月30日，经批准延期）",
        "办理要求": form(doc)["办理要求"],
        "联系方式": "联系人：督查员　　　　联系电话：",
    }
    requirements = form(doc)["办理要求"].split("\n")
    assert requirements[1] == "2. 工作目标：年底前新建高标准农田50万亩。"
    assert "2个工作日内签收" in requirements[2]  # the organisation's time to sign for a task
    assert any("协办单位" in r for r in requirements)
    assert paragraphs[-2:] == ["省政府督查室", "2026年11月30日"]


@pytest.mark.django_db
def test_the_notice_is_laid_out_as_an_official_document(org) -> None:
    doc = read(supervision_notice(drive(org, make_task(org), State.ASSIGNED), number="〔2026〕1号",
                                  issued_on=dt.date(2026, 11, 30), organisation_name="省政府督查室"))
    section = doc.sections[0]
    expected = {"page_width": 21, "page_height": 29.7, "top_margin": 3.7, "bottom_margin": 3.5,
                "left_margin": 2.8, "right_margin": 2.6}  # A4, GB/T 9704
    for name, cm in expected.items():
        assert abs(getattr(section, name) - Cm(cm)) < Cm(0.01), name
    title = doc.paragraphs[0]  # a normal priority: no urgency mark above the title
    run = title.runs[0]
    assert title.text == "省政府督查室督办通知单"
    assert str(run.font.color.rgb) == "E60012" and run.font.size.pt == 22
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    number = doc.paragraphs[1]._p.pPr
    assert number.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "E60012"  # the red rule
    body = doc.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and body.font.size.pt == 14  # 四号 in the form
    assert doc.core_properties.author == "省政府督查室"


@pytest.mark.django_db
def test_without_sources_co_units_or_date_the_notice_still_reads(org) -> None:
    task = services.create_task(org.supervisor, organisation=org.province, title="做好防汛准备",
                                lead_unit=org.unit_c)
    task = workflow.perform(task, "assign", org.supervisor, version=task.version)
    doc = read(supervision_notice(task, number="〔2026〕3号", issued_on=dt.date(2026, 1, 5),
                                  organisation_name="省政府督查室"))
    f = form(doc)
    assert (f["协办单位"], f["事项来源"]) == ("无", "省政府督查室交办")
    assert f["办结时限"] == "未定时限，请按办理要求及时报送进展"
    assert not any("协办单位要" in line for line in f["办理要求"].split("\n"))
    assert "2026年1月5日" in [p.text for p in doc.paragraphs]


@pytest.mark.django_db
def test_numbers_run_per_organisation_and_year(org) -> None:
    tasks = [drive(org, make_task(org, title=f"任务{n}"), State.IN_PROGRESS) for n in range(3)]
    numbers = [issue_notice(t, org.supervisor, on=dt.date(2026, 3, n + 1)).number for n, t in enumerate(tasks)]
    assert numbers == ["〔2026〕1号", "〔2026〕2号", "〔2026〕3号"]
    assert issue_notice(tasks[0], org.supervisor, on=dt.date(2027, 1, 4)).number == "〔2027〕1号"
    assert issue_notice(tasks[1], org.supervisor, on=dt.date(2026, 12, 31)).number == "〔2026〕4号"
    # another organisation counts on its own
    theirs = services.create_task(org.other_supervisor, organisation=org.other_org, title="大同的任务",
                                  lead_unit=org.other_org)
    theirs = workflow.perform(theirs, "assign", org.other_supervisor, version=theirs.version)
    assert issue_notice(theirs, org.other_supervisor, on=dt.date(2026, 5, 1)).number == "〔2026〕1号"
    assert dict(NoticeNumber.objects.filter(organisation=org.province).values_list("year", "last")) == {
        2026: 4, 2027: 1}


@pytest.mark.django_db
def test_an_issued_notice_is_kept_and_journaled(org) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    version = task.version
    notice = issue_notice(task, org.supervisor, on=dt.date(2026, 11, 30))
    content = bytes(notice.content)
    assert form(read(content))["承办单位"] == "省农业农村厅"
    assert "省政府督查室督办通知单" in [p.text for p in read(content).paragraphs]  # the supervisor's office
    event = Event.objects.get(task=task, action="notice_issued")
    assert event.data == {"number": "〔2026〕1号", "sha256": hashlib.sha256(content).hexdigest()}
    assert (event.actor, notice.event, notice.issued_by) == (org.supervisor, event, org.supervisor)
    assert Task.objects.get(pk=task.pk).version == version  # nobody's open page goes stale
    assert audit.verify(files=False).ok


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "who", "code"), [
    (State.DRAFT, "supervisor", "forbidden"),
    (State.CLOSED, "supervisor", "forbidden"),
    (State.IN_PROGRESS, "handler_a", "forbidden"),
    (State.IN_PROGRESS, "leader", "forbidden"),
    (State.IN_PROGRESS, "outsider", "not_found"),
    (State.IN_PROGRESS, "other_supervisor", "not_found"),
])
def test_who_may_not_issue_gets_nothing_and_uses_no_number(org, state, who, code) -> None:
    task = drive(org, make_task(org), state)
    with pytest.raises(WorkflowError) as refused:
        issue_notice(task, getattr(org, who))
    assert refused.value.code == code
    assert not IssuedNotice.objects.exists() and not NoticeNumber.objects.exists()
    assert not Event.objects.filter(action="notice_issued").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_different_numbers() -> None:
    """Several supervisors' clicks at the same moment, on one task or on several: each its own number."""
    org = make_org()
    tasks = [drive(org, make_task(org, title=f"任务{n}"), State.ASSIGNED) for n in range(3)]
    clients = 6
    barrier = threading.Barrier(clients)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def issue(n: int) -> None:
        try:
            barrier.wait()
            numbers.append(issue_notice(tasks[n % len(tasks)].pk, org.supervisor, on=dt.date(2026, 6, 1)).number)
        except BaseException as exc:  # reported below, with the numbers
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == sorted(f"〔2026〕{n}号" for n in range(1, clients + 1))
    assert NoticeNumber.objects.get(organisation=org.province, year=2026).last == clients
    assert audit.verify(files=False).ok
