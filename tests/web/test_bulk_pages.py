"""The task list's bulk bar: ticked rows carry id and version, the result page says what became
of each row, the export of the ticked rows is the tasks ledger's file."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import openpyxl
import pytest
from tests.factories import drive, make_task

from luoshi.tasks import bulk, workflow
from luoshi.tasks.models import State, Task


def _ticks(html: str) -> set[str]:
    return set(re.findall(r'name="row" value="([^"]+)"', html))


def test_each_row_carries_its_id_and_version(org, as_user) -> None:
    a = make_task(org, title="甲")
    b = drive(org, make_task(org, title="乙"), State.ASSIGNED)
    html = as_user("supervisor").get("/tasks/").content.decode()
    assert _ticks(html) == {f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"}
    assert 'name="bulk-action"' in html and "导出所勾选任务" in html and "data-select-all" in html
    # a unit exports what it sees, but is not offered moves it could not make on any row
    unit_html = as_user("handler_a").get("/tasks/").content.decode()
    assert _ticks(unit_html) == {f"{b.pk}:{b.version}"}
    assert 'name="bulk-action"' not in unit_html and "导出所勾选任务" in unit_html


def test_bulk_assign_shows_a_result_per_row(org, as_user) -> None:
    fresh = make_task(org, title="抓好高标准农田建设")
    assigned = drive(org, make_task(org, title="推进重大项目"), State.ASSIGNED)
    stale = make_task(org, title="防返贫动态监测")
    shown = stale.version
    workflow.perform(stale, "assign", org.supervisor, version=shown)
    elsewhere = make_task(org, title="大同的任务")
    Task.objects.filter(pk=elsewhere.pk).update(organisation=org.other_org)
    client = as_user("supervisor")
    r = client.post("/tasks/bulk/", {
        "row": [bulk.row_value(fresh), bulk.row_value(assigned), f"{stale.pk}:{shown}",
                bulk.row_value(elsewhere)],
        "bulk-action": "assign", "next": "/tasks/?state=draft"})
    assert r.status_code == 302 and r["Location"] == "/tasks/bulk/result/"
    page = client.get("/tasks/bulk/result/")
    assert page.status_code == 200
    html = page.content.decode()
    rows = re.findall(r'<tr class="(row-done|row-refused) code-([a-z_]+)">', html)
    assert rows == [("row-done", "done"), ("row-refused", "state"), ("row-refused", "stale"),
                    ("row-refused", "not_found")]
    assert "成功 1 项" in html and "未执行 3 项" in html
    assert "任务处于“已交办”状态，不能进行此操作。" in html
    assert "您打开页面后，此任务已被他人更改。" in html
    assert html.count("没有这项任务。") == 1
    assert "大同的任务" not in html  # not visible: its title never shows
    assert 'href="/tasks/?state=draft"' in html
    assert Task.objects.get(pk=fresh.pk).state == State.ASSIGNED


def test_refused_as_a_whole_nothing_ticked_too_many_tampered_or_no_action(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    client = as_user("supervisor")
    cases = [
        ({"bulk-action": "urge", "bulk-reason": "请加快"}, "请先勾选任务"),
        ({"row": [f"{n}:1" for n in range(1, bulk.MAX_ROWS + 2)], "bulk-action": "urge", "bulk-reason": "请加快"},
         "一次最多处理 200 项"),
        ({"row": [bulk.row_value(task), "<b>1</b>:x"], "bulk-action": "urge", "bulk-reason": "请加快"},
         "有的勾选值不是任务列表中的行，未作任何处理。"),
        ({"row": [bulk.row_value(task)], "bulk-action": "delete"}, "请选择要对所勾选任务执行的操作"),
    ]
    for data, says in cases:
        r = client.post("/tasks/bulk/", data)
        html = r.content.decode()
        assert (r.status_code, says in html) == (400, True), data
        assert "<b>1</b>" not in html
    assert Task.objects.get(pk=task.pk).urge_count == 0


def test_a_unit_posting_moves_gets_refusals_not_changes(org, as_user) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    client = as_user("handler_a")
    # the form offers no move to a unit: the post is refused as a whole, nothing changes
    r = client.post("/tasks/bulk/", {"row": [bulk.row_value(task)], "bulk-action": "close"})
    assert r.status_code == 400 and "请选择要对所勾选任务执行的操作" in r.content.decode()
    assert Task.objects.get(pk=task.pk).state == State.SUBMITTED


def test_export_of_the_ticked_rows_is_the_tasks_ledger(org, as_user) -> None:
    a = drive(org, make_task(org, title="=抓好高标准农田建设"), State.ASSIGNED)
    b = drive(org, make_task(org, title="推进重大项目"), State.IN_PROGRESS)
    make_task(org, title="不导出")
    hidden = make_task(org, title="大同的任务")
    Task.objects.filter(pk=hidden.pk).update(organisation=org.other_org)
    client = as_user("supervisor")
    r = client.post("/ledgers/selected.xlsx", {"row": [bulk.row_value(b), bulk.row_value(a),
                                                       bulk.row_value(hidden)]})
    assert r.status_code == 200
    assert quote("任务账-所选") in r["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    ledger = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/ledgers/tasks.xlsx").streaming_content))).active
    header = next(ledger.iter_rows(values_only=True))
    assert rows[0] == header  # the ledger's own columns
    titles = [row[header.index("督办事项")] for row in rows[1:]]
    assert sorted(titles) == sorted(["=抓好高标准农田建设", "推进重大项目"])  # text stays text
    assert ws.freeze_panes == "A2"


def test_export_refuses_get_nothing_ticked_and_junk(org, as_user) -> None:
    client = as_user("supervisor")
    assert client.get("/ledgers/selected.xlsx").status_code == 405
    r = client.post("/ledgers/selected.xlsx", {"row": []})
    assert r.status_code == 400 and "请先勾选任务" in r.content.decode()
    assert client.post("/ledgers/selected.xlsx", {"row": ["junk"]}).status_code == 400


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/tasks/", "/admin/"])
def test_the_way_back_is_only_ever_the_list(org, as_user, next_url: str) -> None:
    r = as_user("supervisor").post("/tasks/bulk/", {"bulk-action": "assign", "next": next_url})
    html = r.content.decode()
    assert r.status_code == 400 and 'href="/tasks/"' in html and f'href="{next_url}"' not in html
