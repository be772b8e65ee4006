"""The project ledger and a project's page: who sees them, the filters, keyset pages, the .xlsx
(the same rows as the page), and what the project's unit enters."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from tests.projects.conftest import make_project

from luoshi.projects import check
from luoshi.projects.models import Project, ProjectChange, StageKind

D = dt.date


@pytest.fixture
def projects(org, clock):
    """On 15 March 2024: a slipped one (signing planned 1 March), a short one (Jan-Feb 1000
    planned, 800 invested), one on track, and one of unit A."""
    clock.set(D(2024, 3, 15))
    plan = [(D(2024, 1, 1), Decimal("500")), (D(2024, 2, 1), Decimal("500")), (D(2024, 3, 1), Decimal("600"))]
    slipped = make_project(org, code="LL-001", name="吕梁氢能产业园", planned={StageKind.SIGN: D(2024, 3, 1)})
    short = make_project(org, code="LL-002", name="离石区集中供热", monthly=plan)
    fine = make_project(org, code="LL-003", name="交城光伏电站", monthly=plan,
                        planned={StageKind.PLAN: D(2024, 1, 10), StageKind.SIGN: D(2024, 4, 30)})
    theirs = make_project(org, code="NY-001", name="高标准农田示范区", unit=org.unit_a)
    from luoshi.projects import services

    services.record_investment(short, org.handler_b, D(2024, 1, 1), Decimal("400"))
    services.record_investment(short, org.handler_b, D(2024, 2, 1), Decimal("400"))
    services.record_investment(fine, org.handler_b, D(2024, 1, 1), Decimal("500"))
    services.record_investment(fine, org.handler_b, D(2024, 2, 1), Decimal("520"))
    services.record_stage(fine, org.handler_b, StageKind.PLAN, D(2024, 1, 12))
    check.run()
    return {"slipped": slipped, "short": short, "fine": fine, "theirs": theirs}


def _codes(html: str) -> list[str]:
    return re.findall(r'<td class="k-text">((?:LL|NY)-\d+)</td>', html)


@pytest.mark.parametrize(("who", "status"), [
    ("supervisor", 200), ("leader", 200), ("handler_b", 200), ("head_b", 200),
    ("handler_a", 404),  # another unit
    ("other_supervisor", 404),  # another organisation
    ("outsider", 404), ("deputy", 404),
])
def test_who_sees_a_project(projects, as_user, who, status) -> None:
    assert as_user(who).get(f"/projects/{projects['slipped'].pk}/").status_code == status


def test_the_ledger_shows_each_reader_their_projects(projects, as_user) -> None:
    assert _codes(as_user("supervisor").get("/projects/").content.decode()) == ["LL-001", "LL-002", "LL-003", "NY-001"]
    assert _codes(as_user("leader").get("/projects/").content.decode()) == ["LL-001", "LL-002", "LL-003", "NY-001"]
    assert _codes(as_user("handler_b").get("/projects/").content.decode()) == ["LL-001", "LL-002", "LL-003"]
    assert _codes(as_user("handler_a").get("/projects/").content.decode()) == ["NY-001"]
    # another organisation's office has its own (empty) ledger
    assert _codes(as_user("other_supervisor").get("/projects/").content.decode()) == []
    for who in ("outsider", "deputy"):
        assert as_user(who).get("/projects/").status_code == 404
        assert as_user(who).get("/projects/ledger.xlsx").status_code == 404
    assert "重大项目" in as_user("supervisor").get("/").content.decode()  # the header's link
    assert 'href="/projects/"' not in as_user("deputy").get("/").content.decode()


@pytest.mark.parametrize(("query", "codes"), [
    ("slipped=yes", ["LL-001"]),  # NY-001 has no planned date: nothing to slip
    ("short=yes", ["LL-002"]),
    ("short=no&slipped=no", ["LL-003", "NY-001"]),
    ("stage=1_plan", ["LL-003"]),
    ("stage=none", ["LL-001", "LL-002", "NY-001"]),
])
def test_the_filters(projects, as_user, org, query, codes) -> None:
    assert _codes(as_user("supervisor").get(f"/projects/?{query}").content.decode()) == codes


def test_the_unit_filter(projects, as_user, org) -> None:
    page = as_user("supervisor").get(f"/projects/?unit={org.unit_a.pk}").content.decode()
    assert _codes(page) == ["NY-001"]


def test_the_export_has_the_rows_of_the_page(projects, as_user) -> None:
    client = as_user("supervisor")
    for query in ("", "short=no", "slipped=yes"):
        page = client.get(f"/projects/?{query}").content.decode()
        response = client.get(f"/projects/ledger.xlsx?{query}")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][:3] == ("项目编号", "项目名称", "责任单位") and ws.freeze_panes == "A2"
        assert [r[0] for r in rows[1:]] == _codes(page)
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/projects/ledger.xlsx").streaming_content))).active
    header = [c.value for c in ws[1]]
    short = {h: c.value for h, c in zip(header, ws[3], strict=True)}
    assert short["项目编号"] == "LL-002" and short["总投资（万元）"] == 120000
    assert (short["累计计划投资（万元）"], short["累计完成投资（万元）"]) == (1000, 800)
    assert (short["投资滞后"], short["环节滞后"], short["示例数据"]) == ("是", "否", "否")
    slipped = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert slipped["下一环节"] == "谋划" and slipped["环节滞后"] == "是"
    fine = {h: c.value for h, c in zip(header, ws[4], strict=True)}
    assert fine["计划完成日期"] == dt.datetime(2024, 4, 30)  # a real date
    assert fine["所处阶段"] == "谋划" and fine["下一环节"] == "签约"


def test_keyset_pages(org, clock, as_user) -> None:
    for n in range(53):
        Project.objects.create(organisation=org.province, unit=org.unit_b, code=f"P{n:03d}", name=f"项目{n}",
                               total_investment=Decimal(1))
    client = as_user("supervisor")
    first = client.get("/projects/")
    assert len(_codes_any(first.content.decode())) == 50
    nxt = first.context["next_url"]
    second = client.get("/projects/" + nxt)
    assert _codes_any(second.content.decode()) == ["P050", "P051", "P052"] and second.context["next_url"] is None
    assert client.get("/projects/?after=garbage").status_code == 200


def _codes_any(html: str) -> list[str]:
    return re.findall(r'<td class="k-text">(P\d+)</td>', html)


def test_the_project_page(projects, as_user) -> None:
    page = as_user("supervisor").get(f"/projects/{projects['short'].pk}/")
    html = page.content.decode()
    assert "离石区集中供热" in html and "120000万元" in html
    months = page.context["months"]
    assert [(m.planned_total, m.actual_total, m.counted) for m in months] == [
        (Decimal("500"), Decimal("400"), True), (Decimal("1000"), Decimal("800"), True), (Decimal("1600"), None, False)]
    assert page.context["chart_data"]["investment"]["series"][1]["data"] == [400.0, 800.0, None]
    assert "投资进度滞后" in html  # the task raised, linked
    slipped = as_user("handler_b").get(f"/projects/{projects['slipped'].pk}/")
    assert [s.status for s in slipped.context["stages"]][:2] == ["unplanned", "slipped"]
    assert "环节滞后" in slipped.content.decode()


def test_the_unit_enters_a_stage_and_a_month(projects, as_user, org) -> None:
    project = projects["slipped"]
    url = f"/projects/{project.pk}/"
    assert as_user("supervisor").post(url, {"record": "stage", "stage": StageKind.SIGN,
                                            "actual_date": "2024-03-14"}).status_code == 403
    client = as_user("handler_b")
    assert client.post(url, {"record": "stage", "stage": StageKind.SIGN, "actual_date": "2024-03-14"}).status_code == 302
    project.refresh_from_db()
    assert project.stage == StageKind.SIGN
    change = ProjectChange.objects.get(project=project)
    assert (change.actor, change.what, change.key, change.before, change.after) == (
        org.handler_b, "stage", StageKind.SIGN, "", "2024-03-14")
    # a date to come is refused, and nothing changes
    client.post(url, {"record": "stage", "stage": StageKind.START, "actual_date": "2024-03-20"})
    assert ProjectChange.objects.filter(project=project).count() == 1
    short = projects["short"]
    r = client.post(f"/projects/{short.pk}/", {"record": "investment", "month": "2024-02-01", "actual": "600"})
    assert r.status_code == 302
    assert check.run(D(2024, 3, 15)).line() == "slipped 0, shortfalls 0, tasks opened 0"
    assert client.post(f"/projects/{short.pk}/", {"record": "investment", "month": "2024-05-01",
                                                  "actual": "1"}).status_code == 400
    page = client.get(url).content.decode()
    assert "签约" in page and "2024年3月14日" in page


def test_the_administrators_plan_projects_in_the_admin(projects, client, org) -> None:
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    client.force_login(org.admin)
    assert client.get("/admin/projects/project/").status_code == 200
    page = client.get(f"/admin/projects/project/{projects['short'].pk}/change/")
    assert page.status_code == 200 and "离石区集中供热" in page.content.decode()
    assert client.get("/admin/projects/projectsettings/add/").status_code == 200


def test_in_english_when_asked(projects, as_user) -> None:
    client = as_user("supervisor")
    client.post("/i18n/setlang/", {"language": "en", "next": "/projects/"})
    ledger = client.get("/projects/").content.decode()
    assert "Major projects ledger" in ledger and "Stage slipped" in ledger
    page = client.get(f"/projects/{projects['short'].pk}/").content.decode()
    assert "120000 × 10,000 yuan" in page and "Investment, cumulative by month" in page
    assert "March 2024" in page
