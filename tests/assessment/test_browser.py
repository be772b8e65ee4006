"""/assessment/ in Debian's Chromium against a live server: the ranking of February 2024, the
tasks behind a figure, publishing, the .xlsx download, the leader's read-only view."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from tests.web.test_browser import _stylesheet, browser, page, shot, sign_in  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def show_february(page) -> None:  # noqa: F811
    page.get_by_role("navigation").get_by_role("link", name="考核", exact=True).click()
    page.get_by_label("所含日期").fill("2024-02-10")
    page.get_by_role("button", name="显示").click()
    page.wait_for_load_state()


def test_the_supervisor_ranks_publishes_and_downloads(february, live_server, page, tmp_path) -> None:  # noqa: F811
    base = live_server.url
    sign_in(page, base, "supervisor")
    show_february(page)
    assert "2024年2月1日至2024年2月29日" in page.locator("main h2").first.inner_text()
    rows = page.locator("table.assessment tbody tr")
    assert rows.count() == 3
    ranked = [(rows.nth(i).locator("td.rank").inner_text(), rows.nth(i).locator("th").inner_text(),
               rows.nth(i).locator("td.total").inner_text()) for i in range(3)]
    assert ranked == [("1", "吕梁市人民政府", "90.00"), ("2", "省农业农村厅", "63.15"), ("3", "省水利厅", "25.00")]
    shot(page, "assessment-draft")

    # the figure behind A's overdue tasks: A2 and A3
    rows.nth(1).locator("a.figure-overdue_tasks").click()
    page.wait_for_load_state()
    listed = page.locator("table.ledger tbody tr")
    titles = [listed.nth(i).locator("td").first.inner_text().split(" ", 1)[1] for i in range(listed.count())]
    assert titles == ["A3", "A2"]  # by due date: 31 January, then 9 February
    page.go_back()

    page.get_by_role("button", name="发布本期得分").click()
    page.wait_for_load_state()
    assert "已发布" in page.locator(".messages").inner_text()
    assert page.locator(".badge.published").is_visible()
    assert page.get_by_role("button", name="发布本期得分").count() == 0
    shot(page, "assessment-published")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    path = tmp_path / "assessment.xlsx"
    download.value.save_as(path)
    ws = load_workbook(path).active
    got = [(r[0], r[1], r[2]) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert got == [(1, "吕梁市人民政府", 90.0), (2, "省农业农村厅", 63.15), (3, "省水利厅", 25.0)]


def test_the_leader_reads_the_ranking_and_a_handler_has_no_link(february, live_server, page) -> None:  # noqa: F811
    base = live_server.url
    sign_in(page, base, "leader")
    show_february(page)
    assert page.locator("table.assessment tbody tr").count() == 3
    assert page.get_by_role("button", name="发布本期得分").count() == 0
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state()
    sign_in(page, base, "handler_a")
    assert page.get_by_role("navigation").get_by_role("link", name="考核", exact=True).count() == 0
    response = page.goto(f"{base}/assessment/")
    assert response.status == 404
