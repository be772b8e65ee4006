"""The task list: lights, filters, pagination, empty states and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import drive, make_task
from tests.web.helpers import page_text

from luoshi.tasks import services
from luoshi.tasks.lights import light_of
from luoshi.tasks.models import State, Task


def _ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<td class="c-id">#(\d+)</td>', response.content.decode())]


@pytest.fixture
def tasks(org) -> dict[str, Task]:
    today = timezone.localdate()
    out = {
        "red": drive(org, make_task(org, title="逾期：防返贫动态监测", due=today - dt.timedelta(days=3)),
                     State.IN_PROGRESS),
        "yellow": drive(org, make_task(org, title="临期：春耕备耕", due=today + dt.timedelta(days=3)),
                        State.ASSIGNED),
        "green": drive(org, make_task(org, title="正常：四全工作法", due=today + dt.timedelta(days=90)),
                       State.ACCEPTED),
        "closed": drive(org, make_task(org, title="已办结：招商引资", due=today + dt.timedelta(days=20)),
                        State.CLOSED),
    }
    other = services.create_task(org.supervisor, organisation=org.province, title="水利：引黄工程",
                                 lead_unit=org.unit_c, co_units=[org.unit_b], due_date=today + dt.timedelta(days=40))
    out["water"] = drive(org, other, State.ASSIGNED)
    return out


def test_list_shows_lights_with_text_and_links(org, as_user, tasks) -> None:
    r = as_user("supervisor").get("/tasks/")
    html = r.content.decode()
    for key, light in (("red", "red"), ("yellow", "yellow"), ("green", "green"), ("closed", "none")):
        task = tasks[key]
        assert light_of(task) == light
        row = re.search(rf'<tr class="light-{light}">.*?#{task.pk}</td>.*?</tr>', html, re.S)
        assert row, key
        assert f'href="/tasks/{task.pk}/"' in row.group(0)
        assert 'class="visually-hidden"' in row.group(0)  # the light in words, for screen readers
    text = page_text(r)
    assert "红灯：已逾期" in text and "绿灯：正常推进" in text and "共 5 项任务" in text
    # soonest due first
    assert _ids(r) == [tasks[k].pk for k in ("red", "yellow", "closed", "water", "green")]


def test_filters(org, as_user, tasks) -> None:
    client = as_user("supervisor")
    today = timezone.localdate()

    def ids(**params) -> set[int]:
        r = client.get("/tasks/", params)
        assert r.status_code == 200
        return set(_ids(r))

    assert ids(state="assigned") == {tasks["yellow"].pk, tasks["water"].pk}
    assert ids(light="red") == {tasks["red"].pk}
    assert ids(light="yellow") == {tasks["yellow"].pk}
    assert ids(light="none") == {tasks["closed"].pk}
    assert ids(light="green") == {tasks["green"].pk, tasks["water"].pk}
    # a unit matches as lead unit or as co-unit
    assert ids(unit=org.unit_c.pk) == {tasks["water"].pk}
    assert ids(unit=org.unit_b.pk) == {t.pk for t in tasks.values()}
    assert ids(unit=org.unit_a.pk) == {t.pk for k, t in tasks.items() if k != "water"}
    assert ids(due_from=today.isoformat(), due_to=(today + dt.timedelta(days=30)).isoformat()) == {
        tasks["yellow"].pk, tasks["closed"].pk}
    assert ids(q="春耕") == {tasks["yellow"].pk}
    assert ids(state="assigned", unit=org.unit_a.pk) == {tasks["yellow"].pk}


def test_unit_filter_offers_only_units_on_the_users_tasks(org, as_user, tasks) -> None:
    html = as_user("handler_a").get("/tasks/").content.decode()
    select = re.search(r'<select name="unit".*?</select>', html, re.S).group(0)
    assert "省农业农村厅" in select and "吕梁市人民政府" in select
    assert "省水利厅" not in select and "省统计局" not in select


def test_bad_filter_values_are_reported_not_fatal(org, as_user, tasks) -> None:
    r = as_user("supervisor").get("/tasks/", {"unit": "abc", "state": "assigned", "due_from": "not-a-date"})
    assert r.status_code == 400  # said so, and the page still shows what the valid filters select
    assert set(_ids(r)) == {tasks["yellow"].pk, tasks["water"].pk}  # the valid filter still applies
    assert 'class="errorlist' in r.content.decode()


def test_no_match_and_empty_states_say_what_to_do(org, as_user, tasks) -> None:
    text = page_text(as_user("supervisor").get("/tasks/", {"q": "不存在的任务"}))
    assert "没有符合筛选条件的任务。" in text and "显示全部任务" in text
    text = page_text(as_user("outsider").get("/tasks/"))
    assert "暂无您的任务。" in text and "督查室向您的单位交办任务" in text
    r = as_user("other_supervisor").get("/tasks/")
    assert "暂无任务。" in page_text(r)
    assert 'href="/tasks/new/"' in r.content.decode()


def test_pagination_keeps_the_filters(org, as_user) -> None:
    for i in range(55):
        services.create_task(org.supervisor, organisation=org.province, title=f"事项{i:02d}",
                             due_date=dt.date(2030, 1, 1) + dt.timedelta(days=i))
    client = as_user("supervisor")
    first = client.get("/tasks/", {"state": "draft"})
    assert len(_ids(first)) == 50
    assert "本页 50 项任务" in page_text(first) and "下一页还有" in page_text(first)  # no count of them all
    html = first.content.decode()
    # the next page starts after the last row shown (its due date and number), the filter kept
    last = Task.objects.get(title="事项49")
    assert re.search(rf'href="\?state=draft&amp;after=2030-02-19_{last.pk}" rel="next"', html)
    second = client.get("/tasks/", {"state": "draft", "after": f"2030-02-19_{last.pk}"})
    assert len(_ids(second)) == 5
    assert set(_ids(first)).isdisjoint(_ids(second))
    assert "下一页还有" not in page_text(second) and 'href="?state=draft"' in second.content.decode()
    assert client.get("/tasks/", {"after": "garbage"}).status_code == 200  # an unreadable cursor: no rows
    assert len(_ids(client.get("/tasks/", {"page": 2}))) == 50  # an old ?page= link: the first page


def test_a_list_that_fits_one_page_says_how_many(org, as_user) -> None:
    for i in range(3):
        services.create_task(org.supervisor, organisation=org.province, title=f"事项{i}")
    assert "共 3 项任务" in page_text(as_user("supervisor").get("/tasks/", {"state": "draft"}))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/tasks/").status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_3_or_30_tasks(org, as_user, django_assert_max_num_queries,
                                                            monkeypatch) -> None:
    # the working-day calendar looks for changes at most every few seconds: not per row, but
    # its one query must not fall into one measurement and not the other
    monkeypatch.setattr("luoshi.workdays.services.RECHECK_SECONDS", 3600.0)
    client = as_user("handler_a")
    for i in range(3):
        drive(org, make_task(org, title=f"任务{i}"), State.ASSIGNED)
    few = _queries(client)
    for i in range(27):
        drive(org, make_task(org, title=f"更多任务{i}"), State.IN_PROGRESS)
    assert _queries(client) == few  # no query per row
    with django_assert_max_num_queries(12):
        client.get("/tasks/")


def test_on_postgresql_the_title_box_reads_the_trigram_index(org, as_user, tasks) -> None:
    """The list's own query for "title contains" can be answered from `task_title_trgm` (tasks/0018):
    its expression must be the one Django writes for the box, or the index is never read. Checked
    on the query the page ran, with sequential scans priced out (a few rows would not choose it)."""
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (set LUOSHI_TEST_POSTGRES for `make test`)")
    with CaptureQueriesContext(connection) as ctx:
        r = as_user("supervisor").get("/tasks/", {"q": "春耕备耕"})
    assert set(_ids(r)) == {tasks["yellow"].pk}
    [listed] = [q["sql"] for q in ctx.captured_queries if "LIKE" in q["sql"] and "春耕备耕" in q["sql"]]
    # the page's own test of the title, asked alone (beside the organisation's filter, a few rows
    # would be read through the organisation's index whatever the title's)
    like = re.search(r"UPPER\(\S+\) LIKE UPPER\('[^']*'\)", listed).group(0)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f'EXPLAIN SELECT "tasks_task"."id" FROM "tasks_task" WHERE {like}')
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "task_title_trgm" in plan, plan


def test_a_row_says_how_often_its_task_was_urged_and_labels_its_cells(org, as_user, tasks) -> None:
    Task.objects.filter(pk=tasks["red"].pk).update(urge_count=2)
    html = as_user("supervisor").get("/tasks/").content.decode()
    row = re.search(rf'<tr class="light-red">.*?#{tasks["red"].pk}.*?</tr>', html, re.S).group(0)
    assert re.search(r'<span class="badge urged" title="催办次数">\s*催办 2 次\s*</span>', row)
    # the cells' labels, which a phone shows beside each value
    assert re.findall(r'data-label="([^"]+)"', row) == ["类别", "状态", "牵头单位", "办结时限"]
    assert html.count('title="催办次数"') == 1
