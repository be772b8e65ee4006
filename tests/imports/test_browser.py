"""The import in a real browser (Debian's Chromium through Playwright, as tests/web/test_browser.py):
upload a ledger, change one column's mapping, see the errors it makes, put it right, import."""

from __future__ import annotations

import re

import pytest
from openpyxl import Workbook

from luoshi.tasks.models import State, Task
from tests.web.test_browser import _stylesheet, browser, page, shot, sign_in  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def _ledger(path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年重点工作台账"])
    ws.append(["序号", "工作事项", "牵头单位", "配合单位", "完成时间", "备注"])
    ws.append([1, "抓好高标准农田建设", "省农业农村厅", "吕梁市人民政府、省水利厅", "2026-12-31", "年度重点"])
    ws.append([2, "推进重大水利项目", "省水利厅", None, "年底前", None])
    ws.append([3, "防返贫动态监测", "吕梁市人民政府", "省农业农村厅", "2026年12月31日", None])
    ws.merge_cells("A1:F1")
    wb.save(path)


def test_supervisor_imports_a_ledger(org, live_server, page, tmp_path) -> None:  # noqa: F811 - the page fixture
    base = live_server.url
    path = tmp_path / "2026年重点工作台账.xlsx"
    _ledger(path)
    sign_in(page, base, "supervisor")
    page.get_by_role("navigation").get_by_role("link", name="导入台账").click()
    page.wait_for_url(f"{base}/imports/")
    page.locator("main").get_by_role("link", name="导入台账").first.click()
    page.wait_for_url(f"{base}/imports/new/")
    page.get_by_label("台账文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并对应各列").click()
    page.wait_for_url(re.compile(rf"{base}/imports/\d+/$"))
    assert page.get_by_label("B · 工作事项").input_value() == "title"
    assert page.get_by_label("E · 完成时间").input_value() == "due_date"
    assert "没有错误" in page.locator("section.import-check").inner_text()
    shot(page, "imports-01-suggested")

    # a wrong choice: the dates read as priorities
    page.get_by_label("E · 完成时间").select_option("priority")
    page.get_by_role("button", name="重新检查").click()
    page.wait_for_load_state()
    check = page.locator("section.import-check").inner_text()
    assert "3 处错误" in check and "“年底前”不是紧急程度，请写一般、重要、紧急。" in check
    assert page.get_by_role("button", name="导入 3 项任务").is_disabled()
    shot(page, "imports-02-errors")

    # put right, checked again, imported
    page.get_by_label("E · 完成时间").select_option("due_date")
    page.get_by_role("button", name="重新检查").click()
    page.wait_for_load_state()
    assert "没有错误" in page.locator("section.import-check").inner_text()
    page.get_by_label("全部直接交办（已交办）").check()
    page.get_by_role("button", name="导入 3 项任务").click()
    page.wait_for_url(re.compile(rf"{base}/imports/\d+/done/$"))
    assert "已创建 3 项任务" in page.locator("main").inner_text()
    shot(page, "imports-03-done")
    assert Task.objects.filter(state=State.ASSIGNED).count() == 3
    page.get_by_role("link", name="推进重大水利项目").click()
    page.wait_for_url(re.compile(rf"{base}/tasks/\d+/$"))
    assert "推进重大水利项目" in page.locator("h1").inner_text()
