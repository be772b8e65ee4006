"""The pages in a real browser: Debian's Chromium, driven by Playwright, against a live server.

Set LUOSHI_SCREENSHOTS=/some/dir to keep screenshots of the pages on the way.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connections
from django.utils import timezone
from tests.factories import PASSWORD, drive, make_task
from tests.web.helpers import link_to_source

import luoshi
from luoshi.tasks.models import Attachment, State, Task

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # the live server starts before the per-test STATIC_ROOT exists; it serves static files itself
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture(autouse=True)
def _stylesheet(settings) -> None:
    # Until settings.STATICFILES_DIRS names src/luoshi/static (see test_static.py), point the
    # finders at it here, so that the pages are seen as styled.
    if finders.find("luoshi/app.css") is None:
        settings.STATICFILES_DIRS = [Path(luoshi.__file__).parent / "static"]


@pytest.fixture
def browser(monkeypatch) -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # plain synchronous code, so Django's async guard would refuse them without this.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    pw = sync_api.sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()
    finally:
        # While Playwright's loop runs, Django keeps this thread's connections apart (asgiref's
        # Local follows the loop's context): close the ones the test opened there, before the
        # loop stops, or PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()
        pw.stop()


@pytest.fixture
def page(browser):
    # Chinese browsers send zh-CN; the UI follows it (and the switch)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    p = context.new_page()
    yield p
    context.close()


def shot(page, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("LUOSHI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def sign_in(page, base: str, username: str, screenshot: str = "") -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")  # home: what waits for them


def test_handler_accepts_starts_and_reports_progress(org, live_server, page, tmp_path) -> None:
    base = live_server.url
    today = timezone.localdate()
    drive(org, make_task(org, title="防返贫动态监测：逐户排查", due=today - dt.timedelta(days=5)), State.IN_PROGRESS)
    drive(org, make_task(org, title="四全工作法推进重大项目", due=today + dt.timedelta(days=4)), State.ACCEPTED)
    task = drive(org, make_task(org, title="抓好高标准农田建设", due=dt.date(today.year + 1, 3, 31)),
                 State.ASSIGNED)
    link_to_source(org, task)

    sign_in(page, base, "handler_a", screenshot="00-login")
    # home: what waits for the handler, kind by kind
    to_sign = page.locator("section.todo-to_sign")
    assert "待签收" in to_sign.inner_text() and "抓好高标准农田建设" in to_sign.inner_text()
    assert "防返贫动态监测：逐户排查" in page.locator("section.todo-overdue").inner_text()
    shot(page, "00-home-handler")
    page.get_by_role("navigation").get_by_role("link", name="督办事项", exact=True).click()
    page.wait_for_url(f"{base}/tasks/")
    # the list, with lights that say what they mean
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() == 3
    assert page.locator("tr .dot-red").count() == 1 and page.locator("tr .dot-yellow").count() == 1
    assert "红灯：已逾期" in page.locator("tr.light-red td.c-light").inner_text()
    shot(page, "01-list-handler")

    page.get_by_role("link", name="抓好高标准农田建设").click()
    page.wait_for_url(f"{base}/tasks/{task.pk}/")
    assert page.locator("mark").inner_text() == "抓好高标准农田建设，确保一季度开门红"
    assert "省长参加吕梁代表团审议" in page.locator("section.source").inner_text()
    shot(page, "02-detail-assigned")

    page.get_by_role("button", name="签收").click()
    page.wait_for_load_state()
    assert "已完成：签收。" in page.locator(".messages").inner_text()
    assert "已签收" in page.locator(".task-head").inner_text()

    page.get_by_role("button", name="开始办理").click()
    page.wait_for_load_state()
    assert "办理中" in page.locator(".task-head").inner_text()

    report = tmp_path / "第一周进展.pdf"
    report.write_bytes(b"%PDF-1.4 farmland: 120,000 mu levelled")
    page.get_by_label("工作进展").fill("已完成土地平整12万亩，灌溉工程开工。")
    page.get_by_label("附件").set_input_files(str(report))
    page.get_by_role("button", name="提交进展").click()
    page.wait_for_load_state()
    assert "进展已报送。" in page.locator(".messages").inner_text()
    last = page.locator("ol.events > li").last
    assert "报送进展" in last.inner_text() and "已完成土地平整12万亩" in last.inner_text()
    link = last.get_by_role("link", name="第一周进展.pdf")
    assert link.get_attribute("href") == f"/attachments/{Attachment.objects.get().pk}/"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "第一周进展.pdf"
    shot(page, "03-detail-progress")

    # English and back, staying on the page
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/tasks/{task.pk}/"
    assert page.get_by_role("heading", name="What you can do").is_visible()
    assert "In progress (办理中)" in page.locator(".task-head").inner_text()
    assert f"March 31, {today.year + 1}" in page.locator(".facts").inner_text()
    shot(page, "04-detail-english")
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="可进行的操作").is_visible()
    assert f"{today.year + 1}年3月31日" in page.locator(".facts").inner_text()

    # on a phone: the same page, one column, nothing cut off
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "05-detail-phone")
    page.goto(f"{base}/tasks/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "06-list-phone")

    assert Task.objects.get(pk=task.pk).state == State.IN_PROGRESS

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r".*/accounts/login/"))


def test_supervisor_creates_and_assigns_a_task(org, live_server, page) -> None:
    base = live_server.url
    sign_in(page, base, "supervisor")
    assert "目前没有待您处理的事项。" in page.locator("main").inner_text()
    page.get_by_role("navigation").get_by_role("link", name="新建任务").click()
    page.wait_for_url(f"{base}/tasks/new/")
    page.get_by_label("标题").fill("建立防返贫动态监测机制")
    page.get_by_label("任务内容").fill("对易返贫致贫户实行动态监测，及时帮扶。")
    page.get_by_label("牵头单位").select_option(label="省农业农村厅")
    page.get_by_label("吕梁市人民政府").check()
    page.get_by_label("办结时限").fill("2030-03-31")
    page.get_by_label("紧急程度").select_option(label="重要")
    page.get_by_label("领导", exact=True).select_option(label="省长")
    shot(page, "07-new-task")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(rf"{base}/tasks/\d+/$"))
    assert "待交办" in page.locator(".task-head").inner_text()
    assert "2030年3月31日" in page.locator(".facts").inner_text()

    page.get_by_role("button", name="交办").click()
    page.wait_for_load_state()
    assert "已交办" in page.locator(".task-head").inner_text()
    task = Task.objects.get(title="建立防返贫动态监测机制")
    assert task.state == State.ASSIGNED and task.lead_unit == org.unit_a
    shot(page, "08-assigned")


def test_a_reason_needing_action_opens_keyboard_first(org, live_server, page) -> None:
    """An action that needs a reason opens with the keyboard and is refused, kept, when the task moved."""
    task = drive(org, make_task(org), State.IN_PROGRESS)
    sign_in(page, live_server.url, "handler_a")
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    summary = page.locator("#move-submit > summary")
    summary.focus()
    page.keyboard.press("Enter")
    reason = page.get_by_label("办理情况（办结说明）")
    assert reason.is_visible()
    reason.fill("全部建设任务已按期完成。")
    # meanwhile the unit head asks for more time: the version the page holds is now old
    import datetime as dt

    from luoshi.tasks import workflow

    workflow.perform(task.pk, "request_extension", org.head_a, version=task.version, reason="验收推迟",
                     due_date=(task.due_date or dt.date.today()) + dt.timedelta(days=30))
    page.locator("#move-submit").get_by_role("button", name="申请办结").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "已被他人更改" in alert.inner_text()
    # submitting is no longer offered while the extension is decided: the words wait to be copied
    assert page.locator("#lost-text").input_value().strip() == "全部建设任务已按期完成。"
    shot(page, "09-stale-refused")
    assert Task.objects.get(pk=task.pk).state == State.EXTENSION_REQUESTED
