"""/assessment/: who sees it, publishing and what publishing freezes, the .xlsx, the tasks behind a figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from tests.assessment.conftest import AFTER

from luoshi.assessment import figures, services
from luoshi.assessment.models import Assessment, Score, Weights
from luoshi.assessment.scoring import score
from luoshi.tasks import services as task_services
from luoshi.tasks.models import Task

FEB = {"kind": "month", "day": "2024-02-10"}


def totals(response) -> list[tuple[int, str, Decimal]]:
    return [(r.rank, r.unit.name, r.result.total) for r in response.context["ranking"].rows]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [
    ("supervisor", 200), ("leader", 200),
    ("handler_a", 404), ("head_b", 404), ("deputy", 404), ("admin", 404), ("outsider", 404),
    ("other_supervisor", 200),  # sees its own organisation's, never the province's (below)
])
def test_who_sees_the_page(february, as_user, who, status) -> None:
    response = as_user(who).get("/assessment/", FEB)
    assert response.status_code == status
    nav = as_user(who).get("/tasks/").content.decode()
    assert ('href="/assessment/"' in nav) == (status == 200)


@pytest.mark.django_db
def test_another_organisations_supervisor_never_sees_the_provinces(february, as_user) -> None:
    client = as_user("other_supervisor")
    response = client.get("/assessment/", {**FEB, "organisation": february.province.pk})
    assert response.status_code == 400  # not a choice they have: their own, this month, instead
    assert response.context["ranking"].organisation == february.other_org
    assert "省农业农村厅" not in response.content.decode()
    assert [u for _, u, _ in totals(client.get("/assessment/", FEB))] == ["大同市农业农村局"]
    assert client.get("/assessment/tasks/", {**FEB, "organisation": february.province.pk,
                                             "unit": february.unit_a.pk, "figure": "closed"}).status_code == 404
    assert client.post("/assessment/publish/", {**FEB, "organisation": february.province.pk}).status_code == 400
    assert not Assessment.objects.filter(organisation=february.province).exists()
    assert client.get("/assessment/weights/", {"organisation": february.province.pk}).status_code == 404


@pytest.mark.django_db
def test_the_leader_sees_the_ranking_but_may_not_publish(february, as_user) -> None:
    client = as_user("leader")
    response = client.get("/assessment/", FEB)
    assert totals(response) == [(1, "吕梁市人民政府", Decimal("90.00")), (2, "省农业农村厅", Decimal("63.15")),
                                (3, "省水利厅", Decimal("25.00"))]
    assert b'action="/assessment/publish/"' not in response.content
    assert client.post("/assessment/publish/", FEB).status_code == 404
    assert not Assessment.objects.exists()
    assert client.get("/assessment/weights/").status_code == 404


@pytest.mark.django_db
def test_a_handler_is_refused_everywhere(february, as_user) -> None:
    client = as_user("handler_a")
    for url in ("/assessment/", "/assessment/assessment.xlsx", "/assessment/weights/"):
        assert client.get(url, FEB).status_code == 404
    assert client.post("/assessment/publish/", FEB).status_code == 404


@pytest.mark.django_db
def test_publishing_freezes_the_scores(february, as_user, clock) -> None:
    client = as_user("supervisor")
    before = client.get("/assessment/", FEB)
    assert b'action="/assessment/publish/"' in before.content
    assert client.post("/assessment/publish/", FEB).status_code == 302
    done = Assessment.objects.get()
    assert (done.start, done.end, done.kind, done.published_by) == (
        dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month", february.supervisor)
    assert Score.objects.get(unit=february.unit_a).task_ids["urged"] == list(
        Task.objects.filter(title="A3").values_list("pk", flat=True))

    # later: the weights change, A3 is urged on a day of February (the clock set back), C2's on-time flag is
    # rewritten behind the application's back: a draft would change, the published scores do not
    Weights.objects.create(organisation=february.province, closed_on_time=Decimal(90))
    a3 = Task.objects.get(title="A3")
    clock.at("2024-02-22")  # a late urging that would count in February if counted again
    task_services.urge(a3, february.supervisor, reason="再次催办")
    Task.objects.filter(title="C2").update(closed_on_time=True)
    clock.at(AFTER.isoformat())
    after = client.get("/assessment/", FEB)
    assert totals(after) == totals(before)
    assert after.context["ranking"].published == done
    assert "已发布" in after.content.decode()
    # the tasks behind a figure are those published, not those counted now
    behind = client.get("/assessment/tasks/", {**FEB, "unit": february.unit_c.pk, "figure": "closed_on_time"})
    # (a row's link ends with the title: a bare "C2" can stand in a random CSRF token)
    assert behind.status_code == 200 and " C2</a>" not in behind.content.decode()

    # and they would have: counted afresh, C2 is on time, A3 urged three times, closing weighs 90
    now = figures.per_unit(figures.Period(february.province.pk, dt.date(2024, 2, 1), dt.date(2024, 2, 29), AFTER))
    weights = services.weights_for(february.province)
    assert now[february.unit_a.pk].urged == 3 and now[february.unit_c.pk].closed_on_time == 1
    assert score(now[february.unit_c.pk], weights).total == Decimal("100.00")  # published: 25.00

    # publishing again is refused, and says so
    again = client.post("/assessment/publish/", FEB, follow=True)
    assert "已经发布" in again.content.decode()
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_a_period_not_over_cannot_be_published(february, as_user, clock) -> None:
    clock.at("2024-02-29", 18)
    client = as_user("supervisor")
    page = client.get("/assessment/", FEB)
    assert b'action="/assessment/publish/"' not in page.content
    assert "期满后方可发布" in page.content.decode()
    client.post("/assessment/publish/", FEB)
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_the_xlsx_has_the_pages_figures(february, as_user) -> None:
    client = as_user("supervisor")
    page = client.get("/assessment/", FEB)
    response = client.get("/assessment/assessment.xlsx", FEB)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("名次", "单位", "得分", "加权得分", "扣分")
    assert ws.freeze_panes == "A2"
    col = {h: n for n, h in enumerate(header)}
    for row, shown in zip(rows[1:], page.context["ranking"].rows, strict=True):
        assert row[col["名次"]] == shown.rank and row[col["单位"]] == shown.unit.name
        assert row[col["得分"]] == float(shown.result.total)
        assert isinstance(row[col["逾期工作日"]], int)
        for name in ("signed", "closed_on_time", "overdue_days", "returned", "urged", "opinions_due", "rated"):
            label = {"signed": "签收数", "closed_on_time": "按时办结数", "overdue_days": "逾期工作日",
                     "returned": "退回次数", "urged": "催办次数", "opinions_due": "应交协办意见数",
                     "rated": "评价数"}[name]
            assert row[col[label]] == getattr(shown.figures, name), (name, shown.unit.name)
    a = next(r for r in rows[1:] if r[1] == "省农业农村厅")
    assert (a[col["得分"]], a[col["逾期工作日"]]) == (63.15, 20)
    assert a[col["按时签收率"]] == pytest.approx(0.6667)


@pytest.mark.django_db
def test_each_figure_links_to_its_tasks(february, as_user) -> None:
    client = as_user("supervisor")
    html = client.get("/assessment/", FEB).content.decode()
    assert f"unit={february.unit_a.pk}&amp;figure=overdue_tasks" in html
    response = client.get("/assessment/tasks/", {**FEB, "unit": february.unit_a.pk, "figure": "overdue_tasks"})
    text = response.content.decode()
    assert response.status_code == 200 and " A2</a>" in text and " A3</a>" in text and " A1</a>" not in text
    assert client.get("/assessment/tasks/", {**FEB, "unit": february.unit_a.pk, "figure": "nonsense"}
                      ).status_code == 404


@pytest.mark.django_db
def test_the_weights_page(february, as_user) -> None:
    client = as_user("supervisor")
    assert client.get("/assessment/weights/").status_code == 200
    data = {"organisation": february.province.pk, "signed_on_time": "0", "closed_on_time": "100",
            "opinions_on_time": "0", "satisfaction": "0", "per_overdue_day": "0", "per_return": "0",
            "per_urging": "0", "per_extension": "0"}
    assert client.post("/assessment/weights/", data).status_code == 302
    # only closing on time counts now: A closed 1 of 2 on time
    page = client.get("/assessment/", FEB)
    assert dict((u, t) for _, u, t in totals(page))["省农业农村厅"] == Decimal("50.00")
    refused = client.post("/assessment/weights/", {**data, "closed_on_time": "0"})
    assert refused.status_code == 400
    assert client.post("/assessment/weights/", {**data, "per_return": "١"}).status_code == 400  # ASCII only
    assert 'value="100.00"' in client.get("/assessment/weights/").content.decode()
    # administrators keep configuration: they may set weights, not see the ranking
    assert as_user("admin").get("/assessment/weights/").status_code == 200
