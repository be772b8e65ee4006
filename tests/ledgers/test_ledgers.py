"""The four ledgers against a hand-counted fixture, and their pages against their .xlsx exports."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from tests.factories import drive, make_task

from luoshi.ledgers.definitions import RESPONSIBILITY
from luoshi.ledgers.filters import Filters
from luoshi.ledgers.queries import responsibility_rows
from luoshi.tasks import services
from luoshi.tasks.models import State, Task
from luoshi.tasks.workflow import perform

TODAY = timezone.localdate()


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def fixture(org):
    """T1 A leads (B co), closed on time; T2 A leads, closed late; T3 A leads, in progress, 3 days
    overdue; T4 B leads (A co), assigned, urged once; T5 C leads, a draft."""
    from luoshi.tasks.services import create_task

    def task(title, lead, co, due, state):
        t = create_task(org.supervisor, organisation=org.province, title=title, lead_unit=lead, co_units=co,
                        due_date=due, leader=org.leader)
        return drive(org, t, state)

    t1 = task("T1 高标准农田", org.unit_a, [org.unit_b], _days(10), State.SUBMITTED)
    t1 = perform(t1, "close", org.supervisor, version=t1.version, evaluation="good", target_met=True)
    t2 = task("T2 水利设施", org.unit_a, [], _days(-5), State.SUBMITTED)
    t2 = perform(t2, "close", org.supervisor, version=t2.version)
    t3 = task("T3 防返贫监测", org.unit_a, [], _days(-3), State.IN_PROGRESS)
    t4 = task("T4 专业镇建设", org.unit_b, [org.unit_a], _days(20), State.ASSIGNED)
    services.urge(t4, org.supervisor, reason="请尽快签收")
    t5 = task("T5 草稿", org.unit_c, [], _days(30), State.DRAFT)
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5}


# unit -> (led, co-handled, open, closed, closed on time, on-time rate, overdue, urged): counted by hand
RESPONSIBILITY_BY_HAND = {
    "省农业农村厅": (3, 1, 1, 2, 1, 50, 1, 0),
    "吕梁市人民政府": (1, 1, 1, 0, 0, None, 0, 1),
}


def _figures(rows) -> dict:
    return {r.unit.name: (r.led, r.co_handled, r.open, r.closed, r.closed_on_time, r.on_time_rate, r.overdue, r.urged)
            for r in rows}


@pytest.mark.parametrize("who", ["supervisor", "handler_a"])
def test_responsibility_counted_by_hand(org, fixture, who) -> None:
    assert _figures(responsibility_rows(getattr(org, who), Filters())) == RESPONSIBILITY_BY_HAND


def test_a_user_counts_only_what_they_may_see(org, fixture) -> None:
    assert responsibility_rows(org.outsider, Filters()) == []
    # unit B's handler sees T1 (B co-handles it) and T4 (B leads it), not T2 or T3
    assert _figures(responsibility_rows(org.handler_b, Filters())) == {
        "省农业农村厅": (1, 1, 0, 1, 1, 100, 0, 0),
        "吕梁市人民政府": (1, 1, 1, 0, 0, None, 0, 1),
    }
    only_b = Filters(unit=org.unit_b)
    assert list(_figures(responsibility_rows(org.handler_b, only_b))) == ["吕梁市人民政府"]


def _ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="k-int"><a href="/tasks/(\d+)/">', html)]


def test_the_tasks_ledger_page_and_its_export_agree(org, fixture, as_user) -> None:
    client = as_user("handler_a")
    page = client.get("/ledgers/tasks/")
    assert page.status_code == 200
    expected = [fixture[k].pk for k in ("t2", "t3", "t1", "t4")]  # soonest due first; no draft
    assert _ids(page.content.decode()) == expected
    export = client.get("/ledgers/tasks.xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["编号", "督办事项", "类别"]
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == expected
    due = header.index("办结时限")
    assert rows[0][due] == dt.datetime.combine(_days(-5), dt.time())  # a real date, not text
    assert ws.cell(row=2, column=due + 1).is_date


def test_every_figure_links_to_the_tasks_behind_it(org, fixture, as_user) -> None:
    client = as_user("supervisor")
    html = client.get("/ledgers/responsibility/").content.decode()
    links = dict(re.findall(r'<a href="(/ledgers/tasks/\?unit=\d+&amp;role=lead&amp;flag=overdue)">(\d+)</a>', html))
    assert list(links.values()) == ["1"]
    behind = client.get(next(iter(links)).replace("&amp;", "&")).content.decode()
    assert _ids(behind) == [fixture["t3"].pk]
    co = re.search(rf'href="(/ledgers/tasks/\?unit={org.unit_b.pk}&amp;role=co)">1</a>', html).group(1)
    assert _ids(client.get(co.replace("&amp;", "&")).content.decode()) == [fixture["t1"].pk]


def test_the_responsibility_export_has_the_page_figures_and_a_total(org, fixture, as_user) -> None:
    export = as_user("supervisor").get("/ledgers/responsibility.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    led = [c.key for c in RESPONSIBILITY.columns].index("led")
    assert [(r[0], r[led]) for r in rows] == [("吕梁市人民政府", 1), ("省农业农村厅", 3), ("合计", 4)]


def test_results_are_the_closed_tasks_with_their_evaluation(org, fixture, as_user) -> None:
    html = as_user("supervisor").get("/ledgers/results/").content.decode()
    assert set(_ids(html)) == {fixture["t1"].pk, fixture["t2"].pk}
    assert "良好" in html


def test_filters_narrow_page_and_export_alike(org, fixture, as_user) -> None:
    client = as_user("supervisor")
    query = f"?unit={org.unit_a.pk}&role=lead&flag=closed"
    page_ids = _ids(client.get("/ledgers/tasks/" + query).content.decode())
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/ledgers/tasks.xlsx" + query).streaming_content))).active
    assert page_ids == [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert set(page_ids) == {fixture["t1"].pk, fixture["t2"].pk}


def test_a_title_that_looks_like_a_formula_stays_text(org, as_user) -> None:
    evil = "=HYPERLINK(\"http://evil.example\",\"点击\")"
    drive(org, make_task(org, title=evil), State.ASSIGNED)
    for title in ("+1+1", "-2+3", "@SUM(A1)"):
        drive(org, make_task(org, title=title), State.ASSIGNED)
    export = as_user("supervisor").get("/ledgers/tasks.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    titles = {c.value: c for c in ws["B"][1:]}
    assert set(titles) == {evil, "+1+1", "-2+3", "@SUM(A1)"}
    assert all(c.data_type == "s" for c in titles.values())  # text, never a formula


def test_pages_go_by_keyset_without_a_row_twice_or_missed(org, as_user) -> None:
    for n in range(120):
        Task.objects.create(organisation=org.province, title=f"任务{n:03d}", lead_unit=org.unit_a,
                            due_date=_days(n % 7) if n % 5 else None, state=State.ASSIGNED)
    client = as_user("supervisor")
    seen, url = [], "/ledgers/tasks/"
    while url:
        html = client.get(url).content.decode()
        seen += _ids(html)
        nxt = re.search(r'<a href="(\?[^"]*after=[^"]+)" rel="next">', html)
        url = "/ledgers/tasks/" + nxt.group(1).replace("&amp;", "&") if nxt else None
    assert len(seen) == 120 and len(set(seen)) == 120
    assert client.get("/ledgers/tasks/?after=not-a-cursor").status_code == 200


def test_an_organisation_chooses_its_columns(org, fixture, as_user) -> None:
    sup = as_user("supervisor")
    r = sup.post("/ledgers/tasks/columns/", {"column": ["title", "due_date"], "order-due_date": "1",
                                             "order-title": "2"})
    assert r.status_code == 302
    html = as_user("handler_a").get("/ledgers/tasks/").content.decode()
    assert re.findall(r'<th scope="col" class="k-\w+">([^<]+)</th>', html) == ["办结时限", "督办事项"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(as_user("handler_a").get("/ledgers/tasks.xlsx")
                                                   .streaming_content))).active
    assert [c.value for c in ws[1]] == ["办结时限", "督办事项"]
    assert as_user("handler_a").get("/ledgers/tasks/columns/").status_code == 403
    assert sup.post("/ledgers/tasks/columns/", {"column": ["nonsense"]}).status_code == 400


def test_unknown_ledgers_and_bad_filters(org, fixture, as_user) -> None:
    client = as_user("supervisor")
    assert client.get("/ledgers/nonsense/").status_code == 404
    assert client.get("/ledgers/nonsense.xlsx").status_code == 404
    assert client.get("/ledgers/tasks/?start=2026-13-01").status_code == 400
    assert client.get("/ledgers/tasks/?start=2026-06-01&end=2026-01-01").status_code == 400


@pytest.mark.parametrize("name", ["tasks", "time", "results"])
def test_an_export_reads_what_its_columns_need_in_a_constant_number_of_queries(
        org, as_user, name, django_assert_max_num_queries, monkeypatch) -> None:
    """Every column, the optional ones too, read from the fields the export loads: more rows cost
    no more queries (a field a column reads but does not declare would cost one query a row)."""
    from luoshi.ledgers.definitions import LEDGERS
    from luoshi.ledgers.services import set_columns

    # the working-day calendar rereads its stamp every few seconds: on a slow machine that read
    # fell into one export and not the other (7 queries, not 6); it is not the export's
    monkeypatch.setattr("luoshi.workdays.services.RECHECK_SECONDS", 10**9)

    set_columns(LEDGERS[name], org.province, [c.key for c in LEDGERS[name].columns], org.supervisor)
    client = as_user("supervisor")

    def export() -> list[tuple]:
        ws = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(f"/ledgers/{name}.xlsx").streaming_content))).active
        return list(ws.iter_rows(min_row=2, values_only=True))

    for n in range(3):
        task = drive(org, make_task(org, title=f"少量{n}"), State.CLOSED)
        task.co_units.add(org.unit_b)
    with django_assert_max_num_queries(40) as few:
        assert len(export()) == 3
    for n in range(30):
        drive(org, make_task(org, title=f"大量{n}"), State.CLOSED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = export()
    assert len(rows) == 33
    assert all(r[0] is not None for r in rows)


def test_the_meeting_filter_offers_the_latest_and_the_one_asked_for(org, as_user, monkeypatch) -> None:
    """A province holds tens of thousands of reports: the filter offers the latest (two here), an
    older one when a link asks for it, and never one the reader may not read."""
    from luoshi.ledgers import views
    from luoshi.sources.models import Source

    monkeypatch.setattr(views, "SOURCES_OFFERED", 2)

    def report(title: str, unit) -> Source:
        return Source.objects.create(organisation=unit, name=f"{title}.txt", title=title, raw=title.encode(),
                                     checksum=str(abs(hash(title))).rjust(64, "0"), size=1, encoding="utf-8",
                                     text=title)

    first, second, third = report("一月会议", org.province), report("二月会议", org.province), \
        report("三月会议", org.province)
    foreign = report("大同会议", org.other_org)
    client = as_user("supervisor")
    body = client.get("/ledgers/tasks/").content.decode()
    assert "三月会议" in body and "二月会议" in body and "一月会议" not in body
    asked = client.get(f"/ledgers/tasks/?source={first.pk}")
    assert asked.status_code == 200 and f'<option value="{first.pk}" selected>' in asked.content.decode()
    refused = client.get(f"/ledgers/tasks/?source={foreign.pk}").content.decode()
    assert "大同会议" not in refused
    assert second.pk and third.pk


def test_responsibility_summed_from_the_kept_counts(org, fixture) -> None:
    """The supervisor's ledger, unfiltered, reads the kept counts (luoshi.tasks.tally) once they
    are counted for the day; after real moves the figures are the hand-counted table changed by hand."""
    from luoshi.tasks import tally
    from luoshi.tasks.models import Tally

    tally.recount(org.province.pk, TODAY)
    assert _figures(responsibility_rows(org.supervisor, Filters())) == RESPONSIBILITY_BY_HAND
    t5 = services.edit_task(fixture["t5"], org.supervisor, version=fixture["t5"].version, co_units=[org.unit_a])
    perform(t5, "assign", org.supervisor, version=t5.version)  # C leads it now, A co-handles it
    services.urge(fixture["t3"], org.supervisor, reason="请加快进度")  # A's task urged
    t4 = fixture["t4"]
    perform(t4, "accept", org.handler_b, version=t4.version)  # still open: no figure moves
    assert _figures(responsibility_rows(org.supervisor, Filters())) == {
        "省农业农村厅": (3, 2, 1, 2, 1, 50, 1, 1),
        "吕梁市人民政府": (1, 1, 1, 0, 0, None, 0, 1),
        "省水利厅": (1, 0, 1, 0, 0, None, 0, 0),
    }
    # the same figures counted over the tasks (any filter counts them: here one that keeps them all)
    since_2000 = Filters(start=dt.date(2000, 1, 1))
    assert _figures(responsibility_rows(org.supervisor, since_2000)) == _figures(
        responsibility_rows(org.supervisor, Filters()))
    # read from the kept rows: one added by hand shows (and a filter counts the tasks instead)
    Tally.objects.create(organisation=org.province, co_unit=org.unit_b, state="", light="", n=5)
    assert _figures(responsibility_rows(org.supervisor, Filters()))["吕梁市人民政府"][1] == 6
    assert _figures(responsibility_rows(org.supervisor, Filters(kind="directive")))["吕梁市人民政府"][1] == 1
