"""The document pages for each role: issuing and downloading notices, the bulletin page and its
download, the links on the task page and in the header."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote
from zoneinfo import ZoneInfo

import docx
import pytest
from django.utils import timezone
from tests.factories import drive, make_task
from tests.web.helpers import ROLES, page_text

from luoshi.documents.models import IssuedNotice, NoticeNumber
from luoshi.tasks import services, workflow
from luoshi.tasks.models import Event, State

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def this_year() -> int:
    return timezone.localdate().year  # the notices of these tests are issued today, a local day


def notice_url(task) -> str:
    return f"/tasks/{task.pk}/notice.docx"


def read(response):
    return docx.Document(io.BytesIO(response.content))


# ---------------------------------------------------------------- notices


# who sees an assigned task (tests/test_access.py) and who of them may issue its notice
SEES = {"supervisor", "handler_a", "head_a", "handler_b", "head_b", "leader", "deputy"}


@pytest.mark.parametrize("who", ROLES)
def test_issuing_a_notice_per_role(org, as_user, who) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    response = as_user(who).post(notice_url(task))
    expected = 302 if who == "supervisor" else 403 if who in SEES else 404
    assert response.status_code == expected
    assert IssuedNotice.objects.count() == (1 if who == "supervisor" else 0)


@pytest.mark.parametrize("who", ROLES)
def test_downloading_an_issued_notice_per_role(org, as_user, who) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    as_user("supervisor").post(notice_url(task))
    response = as_user(who).get(notice_url(task))
    # the office that issued it and the units it is addressed to read it; the leader and the deputy do not
    readers = {"supervisor", "handler_a", "head_a", "handler_b", "head_b"}
    assert response.status_code == (200 if who in readers else 403 if who in SEES else 404)
    if response.status_code != 200:
        assert b"PK" not in response.content[:2]  # no document, not even its first bytes


def test_issue_then_download_by_number_never_issues_again(org, as_user) -> None:
    task = drive(org, make_task(org, title="抓好高标准农田建设"), State.IN_PROGRESS)
    client = as_user("supervisor")
    issued = client.post(notice_url(task))
    number = f"〔{this_year()}〕1号"
    assert issued.status_code == 302 and issued["Location"] == f"{notice_url(task)}?number={quote(number)}"
    first = client.get(issued["Location"])
    assert first.status_code == 200 and first["Content-Type"] == DOCX
    file_name = quote(f"督办通知单{number}.docx")
    assert first["Content-Disposition"] == f"attachment; filename*=utf-8''{file_name}"
    doc = read(first)
    assert doc.paragraphs[1].text == number and doc.tables[0].rows[0].cells[1].text == "省农业农村厅"
    assert doc.tables[0].rows[2].cells[1].text.startswith("抓好高标准农田建设")
    # again, and without a number (the latest): the same bytes, no new number, no new event
    assert client.get(issued["Location"]).content == first.content
    assert client.get(notice_url(task)).content == first.content
    assert IssuedNotice.objects.count() == 1 and NoticeNumber.objects.get().last == 1
    assert Event.objects.filter(task=task, action="notice_issued").count() == 1
    # a second issue is a new number, and the first stays downloadable under its own
    second = client.post(notice_url(task))
    assert second["Location"].endswith(quote(f"〔{this_year()}〕2号"))
    assert client.get(issued["Location"]).content == first.content
    assert read(client.get(notice_url(task))).paragraphs[1].text == f"〔{this_year()}〕2号"


def test_an_unknown_number_or_no_notice_yet_is_not_found(org, as_user) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    client = as_user("supervisor")
    assert client.get(notice_url(task)).status_code == 404
    client.post(notice_url(task))
    assert client.get(notice_url(task) + "?number=" + quote("〔1999〕1号")).status_code == 404
    assert client.get(notice_url(task) + "?number=" + "x" * 5000).status_code == 404


def test_a_draft_or_closed_task_gets_no_new_notice_but_keeps_its_old_ones(org, as_user) -> None:
    client = as_user("supervisor")
    draft = make_task(org, title="草稿")
    assert client.post(notice_url(draft)).status_code == 403
    task = drive(org, make_task(org), State.SUBMITTED)
    client.post(notice_url(task))
    task.refresh_from_db()
    workflow.perform(task, "close", org.supervisor, version=task.version)
    assert client.post(notice_url(task)).status_code == 403
    assert client.get(notice_url(task)).status_code == 200  # the notice issued before closing


def test_the_task_page_offers_the_notice_to_those_who_may(org, as_user) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    supervisor = as_user("supervisor")
    page = supervisor.get(f"/tasks/{task.pk}/")
    html = page.content.decode()
    assert f'action="{notice_url(task)}"' in html and "印发督办通知单" in page_text(page)
    supervisor.post(notice_url(task))
    number = f"〔{this_year()}〕1号"
    html = supervisor.get(f"/tasks/{task.pk}/").content.decode()
    assert f'href="{notice_url(task)}?number={quote(number)}"' in html and number in html
    # the units it is addressed to read it, and may not issue one; others do not see it
    for who in ("handler_a", "head_a", "handler_b"):
        html = as_user(who).get(f"/tasks/{task.pk}/").content.decode()
        assert f'href="{notice_url(task)}?number={quote(number)}"' in html, who
        assert f'action="{notice_url(task)}"' not in html, who
    for who in ("leader", "deputy"):
        html = as_user(who).get(f"/tasks/{task.pk}/").content.decode()
        assert "notice.docx" not in html, who


# ---------------------------------------------------------------- bulletins


@pytest.mark.parametrize("who", ROLES)
def test_the_bulletin_page_is_the_supervisors(org, as_user, who) -> None:
    client = as_user(who)
    page = client.get("/bulletins/")
    download = client.get("/bulletins/2026-11-01_2026-11-30.docx")
    supervises = who in ("supervisor", "other_supervisor")
    assert page.status_code == download.status_code == (200 if supervises else 403)
    header = page_text(client.get("/"))
    assert ("通报" in header) is supervises


def test_anonymous_users_are_sent_to_sign_in(client) -> None:
    assert client.get("/bulletins/").status_code == 302
    assert client.get("/bulletins/2026-11-01_2026-11-30.docx").status_code == 302


SH = ZoneInfo("Asia/Shanghai")


def at(task, action: str, when: dt.datetime, nth: int = 0) -> None:
    """Put the task's ``nth`` event of ``action`` at ``when`` (a raw update: the journal's hash
    no longer matches, which these tests do not check)."""
    pk = Event.objects.filter(task=task, action=action).order_by("seq").values_list("pk", flat=True)[nth]
    Event.objects.filter(pk=pk).update(at=when)


def closed(org, title: str, unit, due: dt.date, handler, when: dt.datetime):
    task = services.create_task(org.supervisor, organisation=org.province, title=title, lead_unit=unit,
                                due_date=due)
    for action, who, inputs in (("assign", org.supervisor, {}), ("accept", handler, {}), ("start", handler, {}),
                                ("submit", handler, {"reason": "已完成"}), ("close", org.supervisor, {})):
        task = workflow.perform(task, action, who, version=task.version, **inputs)
    at(task, "close", when)
    return task


@pytest.fixture
def june(org):
    """June 2025, counted by hand: A closes one task on time and one late, B is urged twice and
    has one task overdue; another organisation has a task overdue in June too."""
    sup = org.supervisor
    closed(org, "A1", org.unit_a, dt.date.today() + dt.timedelta(days=30), org.handler_a,
           dt.datetime(2025, 6, 3, 10, tzinfo=SH))
    closed(org, "A2", org.unit_a, dt.date(2025, 6, 10), org.handler_a, dt.datetime(2025, 6, 28, 10, tzinfo=SH))
    b1 = services.create_task(sup, organisation=org.province, title="B1", lead_unit=org.unit_b,
                              due_date=dt.date(2025, 6, 20))
    b1 = workflow.perform(b1, "assign", sup, version=b1.version)
    for n, day in enumerate((21, 25)):
        services.urge(b1, sup, reason="请加快进度")
        at(b1, "urge", dt.datetime(2025, 6, day, 9, tzinfo=SH), nth=n)
    theirs = services.create_task(org.other_supervisor, organisation=org.other_org, title="D1",
                                  lead_unit=org.other_org, due_date=dt.date(2025, 6, 1))
    workflow.perform(theirs, "assign", org.other_supervisor, version=theirs.version)
    return org


# 省农业农村厅: closed 2, 1 on time (50%); 吕梁市人民政府: overdue 1, urged 2; total: 2, 50%, 1, 0, 2
JUNE_TABLE = [
    ["单位", "办结（项）", "按时办结率", "逾期（项）", "退回（次）", "催办（次）"],
    ["吕梁市人民政府", "0", "—", "1", "0", "2"],
    ["省农业农村厅", "2", "50%", "0", "0", "0"],
    ["合计", "2", "50%", "1", "0", "2"],
]


def test_the_page_and_the_document_show_the_same_figures(june, as_user) -> None:
    client = as_user("supervisor")
    page = client.get("/bulletins/", {"kind": "month", "day": "2025-06-17"})
    assert page.status_code == 200
    html = page.content.decode()
    rows = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]
    assert rows[1:] == JUNE_TABLE[1:]  # after the head: the units, then the total
    download = f"/bulletins/2025-06-01_2025-06-30.docx?organisation={june.province.pk}"
    assert f'href="{download}"' in html
    doc = read(client.get(download))
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == JUNE_TABLE
    assert "关于2025年6月督办事项办理情况的通报" in [p.text for p in doc.paragraphs]
    response = client.get(download + "&number=" + quote("第6期"))
    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''"
                                               + quote("督查通报_2025-06-01_2025-06-30.docx"))
    assert read(response).paragraphs[1].text == "第6期"


def test_a_custom_period_and_bad_choices(june, as_user) -> None:
    client = as_user("supervisor")
    page = client.get("/bulletins/", {"kind": "custom", "start": "2025-06-20", "end": "2025-06-30"})
    assert page.status_code == 200 and "省农业农村厅" in page_text(page)  # A2 closed on 28 June
    for bad in ({"kind": "custom", "start": "2025-06-30", "end": "2025-06-01"},
                {"kind": "custom", "start": "2025-06-30"},
                {"kind": "fortnight"},
                {"kind": "month", "day": "2025-02-30"},
                {"kind": "month", "organisation": str(june.other_org.pk)},  # not theirs
                {"kind": "month", "organisation": "9" * 30}):
        assert client.get("/bulletins/", bad).status_code == 400, bad
    assert client.get("/bulletins/2025-06-30_2025-06-01.docx").status_code == 404
    assert client.get("/bulletins/2025-02-30_2025-03-01.docx").status_code == 404
    assert client.get(f"/bulletins/2025-06-01_2025-06-30.docx?organisation={june.other_org.pk}").status_code == 404


def test_another_organisation_counts_only_its_own(june, as_user) -> None:
    doc = read(as_user("other_supervisor").get("/bulletins/2025-06-01_2025-06-30.docx"))
    # 大同 has one task, assigned, due 1 June 2025: overdue at the end of June, in the unit it leads (itself)
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows][1:] == [
        ["大同市人民政府", "0", "—", "1", "0", "0"], ["合计", "0", "—", "1", "0", "0"]]
