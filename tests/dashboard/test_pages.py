"""The dashboard page: who may open it, whose tasks it counts, and every figure on it (tables and
charts) against the ledger page it links to."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.conf import settings
from django.test import Client

from luoshi.sources.models import Source

REFUSED = ("handler_a", "head_a", "handler_b", "head_b", "deputy", "admin", "outsider")


def _data(response) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return json.loads(found.group(1))


def _table_figures(response) -> list[tuple[str, int]]:
    """Every linked number of the tables: (link, number)."""
    body = response.content.decode()
    return [(html.unescape(url), int(n)) for url, n in re.findall(r'<a href="(/ledgers/[^"]+)">(\d+)</a>', body)]


def _chart_figures(data: dict) -> list[tuple[str, int]]:
    out = []
    for spec in data.values():
        for series in spec["series"]:
            if series.get("percent"):
                continue
            out += [(d["url"], d["value"]) for d in series["data"] if d["url"].startswith("/ledgers/")]
    return out


def _ledger_count(client: Client, url: str) -> int:
    """The rows a task ledger lists (its number column links each task once), or a unit ledger's link."""
    body = client.get(url).content.decode()
    return len(re.findall(r'<td class="k-int"><a href="/tasks/(\d+)/">', body))


@pytest.mark.parametrize("who", ["supervisor", "leader"])
def test_every_figure_is_the_count_of_the_ledger_it_links_to(org, tasks, as_user, who) -> None:
    client = as_user(who)
    r = client.get("/dashboard/")
    assert r.status_code == 200
    figures = _table_figures(r) + _chart_figures(_data(r))
    checked = [(url, n) for url, n in figures if not url.startswith("/ledgers/responsibility/")]
    assert len(checked) > 20
    for url, n in checked:
        assert _ledger_count(client, url) == n, url


def test_the_tables_and_the_charts_agree(org, tasks, as_user) -> None:
    r = as_user("supervisor").get("/dashboard/")
    tables = dict(_table_figures(r))
    for url, n in _chart_figures(_data(r)):
        if n and url in tables:
            assert tables[url] == n, url
    assert sum(1 for url, n in _chart_figures(_data(r)) if n and url in tables) >= 10


def test_hand_counted_figures_on_the_page(org, tasks, as_user) -> None:
    r = as_user("supervisor").get("/dashboard/")
    body = r.content.decode()
    kpis = re.findall(r'<span class="kpi-n">([^<]+)</span>', body)
    # tasks, open, overdue, yellow, closed, closed on time, signed for on time
    assert kpis == ["8", "5", "2", "2", "2", "50%", "83.3%"]
    assert '<span class="kpi-of">1/2</span>' in body and '<span class="kpi-of">5/6</span>' in body
    client = as_user("supervisor")
    for flag, n in (("signed_on_time", 5), ("closed_on_time", 1), ("overdue", 2), ("open", 5)):
        href = html.unescape(re.search(rf'<a class="kpi[^"]*" href="([^"]*flag={flag}[^"]*)"', body).group(1))
        assert _ledger_count(client, href) == n, flag
    overdue = re.search(r'<table class="figures" id="table-overdue">(.*?)</table>', body, re.S).group(1)
    assert re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', overdue) == ["T8 逾期十天", "T3 防返贫监测"]
    meeting = re.search(r'<table class="figures" id="table-meeting">(.*?)</table>', body, re.S).group(1)
    assert re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', meeting) == ["T4 专业镇建设", "T3 防返贫监测"]
    assert "40%" in meeting
    weeks = _data(r)["weeks"]
    assert [d["value"] for d in weeks["series"][0]["data"][-2:]] == [1, 1]  # closed: last week, this week
    assert [d["value"] for d in weeks["series"][2]["data"][-2:]] == [0, 100]  # on-time rate


@pytest.mark.parametrize("who", REFUSED)
def test_others_are_refused(org, tasks, as_user, who) -> None:
    client = as_user(who)
    assert client.get("/dashboard/").status_code == 403
    assert 'href="/dashboard/"' not in client.get("/").content.decode()


def test_anonymous_users_are_sent_to_sign_in(org, client) -> None:
    r = client.get("/dashboard/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_the_header_links_to_it_for_those_who_may(org, as_user) -> None:
    for who in ("supervisor", "leader"):
        assert 'href="/dashboard/"' in as_user(who).get("/").content.decode()


def test_a_leader_sees_only_their_tasks_whatever_they_ask(org, tasks, people) -> None:
    client = Client()
    client.force_login(people["other_leader"])
    for query in ("", f"?leader={org.leader.pk}"):
        r = client.get(f"/dashboard/{query}")
        assert r.status_code == 200
        body = r.content.decode()
        assert re.findall(r'<span class="kpi-n">([^<]+)</span>', body)[0] == "1"  # T7 alone
        assert "T3 防返贫监测" not in body and 'name="leader"' not in body


def test_the_office_narrows_to_one_leader(org, tasks, people, as_user) -> None:
    r = as_user("supervisor").get(f"/dashboard/?leader={people['other_leader'].pk}")
    body = r.content.decode()
    assert re.findall(r'<span class="kpi-n">([^<]+)</span>', body)[:2] == ["1", "1"]
    assert f"leader={people['other_leader'].pk}" in body  # the links carry the scope


def test_another_organisation_sees_nothing_of_this_one(org, tasks, as_user) -> None:
    body = as_user("other_supervisor").get("/dashboard/").content.decode()
    assert "T3 防返贫监测" not in body and "省长参加吕梁代表团审议" not in body
    assert re.findall(r'<span class="kpi-n">([^<]+)</span>', body)[0] == "0"


def test_a_meeting_is_chosen_by_a_select(org, tasks, as_user) -> None:
    client = as_user("supervisor")
    meeting = Source.objects.get(name="meeting.txt")
    r = client.get(f"/dashboard/?meeting={meeting.pk}")
    assert r.status_code == 200 and f'<option value="{meeting.pk}" selected>' in r.content.decode()
    other = Source.objects.create(organisation=org.other_org, name="x.txt", title="大同会议", raw=b"x",
                                  checksum="0" * 64, size=1, encoding="utf-8", text="x")
    refused = client.get(f"/dashboard/?meeting={other.pk}")  # not the reader's: not offered, not shown
    assert refused.status_code == 400 and "大同会议" not in refused.content.decode()


def test_english_when_asked(org, tasks, as_user) -> None:
    client = as_user("supervisor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/dashboard/").content.decode()
    assert "Tasks by state and light" in body and "按状态和亮灯统计" not in body
    chinese = as_user("supervisor").get("/dashboard/").content.decode()
    assert "领导驾驶舱" in chinese and "按状态和亮灯统计" in chinese


def test_the_page_makes_as_many_queries_for_many_tasks_as_for_a_few(org, tasks, as_user, monkeypatch) -> None:
    import datetime as dt

    from luoshi.workdays import services as workdays

    # the calendar's cache looks at its stamp every few seconds: not a query of this page's rows
    monkeypatch.setattr(workdays, "RECHECK_SECONDS", 3600.0)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from luoshi.org.models import Unit
    from luoshi.tasks.models import Task

    client = as_user("supervisor")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/dashboard/").status_code == 200
        return len(ctx.captured_queries)

    count()  # the calendar read once
    few = count()
    units = [Unit.objects.create(name=f"省第{i}厅", parent=org.province) for i in range(15)]
    Task.objects.bulk_create(Task(organisation=org.province, title=f"批量{i}", lead_unit=units[i % 15],
                                  state="in_progress", due_date=dt.date(2020, 1, 1 + i % 28), leader=org.leader)
                             for i in range(60))
    assert count() == few
