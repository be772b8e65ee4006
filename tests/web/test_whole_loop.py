"""The whole closed loop (闭环) in a real browser, role by role, each in its own browser context signed in
through the real sign-in page: the supervision office ingests a meeting report and accepts its tasks on
the review desk; the lead unit signs for one (签收), reports progress with an attachment and asks for more
time; the office grants it; the unit submits, is sent back once (退回), submits again and the office
closes it; a deputy rates the reply to a suggestion 不满意 and it reopens; the tasks ledger downloads as
.xlsx; the dashboard draws its charts. Then every main page is checked at desktop (1280 px) and phone
(375 px) width: nothing wider than the screen, a screenshot, and axe-core (the accessibility engine, from
npm) finds no serious or critical violation (GB/T 37668 holds government sites to such rules).

Screenshots go to $LUOSHI_SCREENSHOTS, else var/screenshots/ in the checkout ($LUOSHI_VAR_DIR/screenshots
when that is set, as in CI). axe-core is read from $LUOSHI_AXE or var/node/node_modules/axe-core/axe.min.js,
which `make test` installs with npm. Where Chromium or axe-core is missing the test skips, except in CI
(CI=true), where it fails: CI installs both.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.utils import timezone
from tests.factories import PASSWORD
from tests.monitoring.helpers import JUNE, below, income, put, subject
from tests.projects.conftest import make_project
from tests.web.test_browser import ARGS, CHROMIUM, _stylesheet  # noqa: F401 - fixture

from luoshi.desk.models import RoutingRule
from luoshi.monitoring.evaluate import evaluate
from luoshi.projects.models import StageKind
from luoshi.tasks.models import Attachment, Reply, State, Task

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("LUOSHI_AXE") or ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (CI installs it: see .ci/run)")
    pytest.skip(what)


def screenshots() -> Path:
    folder = os.environ.get("LUOSHI_SCREENSHOTS")
    if folder:
        return Path(folder)
    var = os.environ.get("LUOSHI_VAR_DIR")
    return (Path(var) if var else ROOT / "var") / "screenshots"


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        _missing(f"no axe-core at {AXE}: npm install --prefix var/node axe-core@4 (make test does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def chromium(monkeypatch):
    if not CHROMIUM.exists():
        _missing("no /usr/bin/chromium: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("no playwright: pip install -e '.[test]'")
    from django.db import connections

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see tests/web/test_browser.py
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()
    finally:
        connections.close_all()
        pw.stop()


def axe_findings(page, axe: str) -> list[tuple[str, str]]:
    """axe-core's violations on the page as it stands, as (impact, what and where)."""
    # the folds (details) open, so that the forms folded in them are checked as well
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # evaluated over the DevTools protocol, not as an inline <script>: the app's CSP stays in force
        page.evaluate(axe)
    result = page.evaluate("""async () => {
        const r = await window.axe.run(document, {resultTypes: ['violations']});
        return {passes: r.passes.length, violations: r.violations.map(v => [v.impact,
            v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 4).map(n =>
                n.target.join(' ') + ' [' + n.failureSummary.replace(/\\s+/g, ' ') + ']').join(' | ')])};
    }""")
    assert result["passes"] > 0  # axe ran its rules on the page
    return [tuple(v) for v in result["violations"]]


class Person:
    """One role in its own browser context, signed in through the sign-in page."""

    def __init__(self, browser, base: str, username: str | None, axe: str, problems: list[str]) -> None:
        self.base, self.username, self.axe, self.problems = base, username, axe, problems
        self.context = browser.new_context(locale="zh-CN", viewport=DESKTOP, accept_downloads=True)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # a console error is a script failing or something the CSP refused
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(f"{base}/accounts/login/")
        if username is None:  # a visitor, on the sign-in page
            return
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(f"{base}/")

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (self.username, path)

    def task(self, task: Task) -> None:
        self.go(f"/tasks/{task.pk}/")

    def press(self, name: str, then: str | None = None) -> None:
        """Press a button of the page and wait for the answer (a message, when ``then`` says which)."""
        self.page.get_by_role("button", name=name, exact=True).click()
        self.page.wait_for_load_state()
        self.no_error()
        if then:
            assert then in self.page.locator(".messages").inner_text()

    def move(self, label: str, fields: dict[str, str]) -> None:
        """A transition with inputs: open its fold, fill the fields by their labels, press its button."""
        fold = self.page.locator("details.move", has=self.page.locator("summary", has_text=label))
        if fold.get_attribute("open") is None:
            fold.locator("summary").click()
        for field, value in fields.items():
            fold.get_by_label(field, exact=True).fill(value)
        fold.get_by_role("button", name=label).click()
        self.page.wait_for_load_state()
        self.no_error()

    def no_error(self) -> None:
        refused = self.page.locator(".errorlist, .alert.error, .messages .error")
        assert refused.count() == 0, refused.all_inner_texts()

    def state(self) -> str:
        return self.page.locator(".task-head").inner_text()

    def check(self, name: str, width: str) -> None:
        """A main page as it stands: fits the screen, screenshot, axe-core's serious and critical findings."""
        page = self.page
        page.wait_for_load_state()
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > page.viewport_size["width"]:
            self.problems.append(f"{name} @{width}: {wide}px wide on a {page.viewport_size['width']}px screen")
        folder = screenshots()
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"loop-{width}-{name}.png"), full_page=True)
        # evaluated over the DevTools protocol, not as an inline <script>: the app's CSP stays in force
        for impact, text in axe_findings(page, self.axe):
            if impact in ("serious", "critical"):
                self.problems.append(f"{name} @{width}: {text}")
            else:  # minor and moderate findings are shown, not failed on
                print(f"axe {name} @{width}: {text}")

    def close(self) -> None:
        assert self.errors == [], (self.username, self.errors)
        self.context.close()


def test_axe_finds_what_it_should(axe_source, chromium) -> None:
    """The harness itself: a page with an unlabelled field, an image without text, faint text and an
    empty button is reported, with those violations and their impact."""
    page = chromium.new_page()
    page.set_content('<html lang="zh-CN"><head><title>t</title></head><body><main><h1>t</h1><img src="x.png">'
                     '<input type="text"><p style="color:#ccc;background:#fff">办理进展说明</p><button></button>'
                     '<details><summary>更多</summary><input type="text" id="folded"></details></main></body></html>')
    findings = axe_findings(page, axe_source)
    found = {text.split(" ")[0]: impact for impact, text in findings}
    assert found == {"image-alt": "critical", "label": "critical", "color-contrast": "serious",
                     "button-name": "critical"}, found
    assert "#folded" in next(text for _impact, text in findings if text.startswith("label"))  # a fold is opened
    page.close()


def _report(today: dt.date) -> str:
    """A meeting report of the genre: a deputy's suggestion and two directives, the first with a deadline."""
    return (
        "省政府召开高标准农田建设推进会议\n"
        f"{today.year}年{today.month}月{today.day}日上午，省长金湘军主持召开高标准农田建设推进会议，"
        "副省长孙大军出席会议。\n"
        "会上，吴刚代表发言，围绕灌区渠系配套提出意见建议。\n"
        "金湘军强调，一要加快高标准农田建设，确保年底前完成新建任务。二要加强农田灌溉设施管护。\n"
    )


def test_the_whole_loop_across_roles(axe_source, chromium, org, live_server, tmp_path) -> None:
    base = live_server.url
    today = timezone.localdate()
    problems: list[str] = []
    # the deputy as the report names him, and the office's rules that route both items to unit A
    org.deputy.display_name = "吴刚"
    org.deputy.save()
    RoutingRule.objects.create(organisation=org.province, phrase="农田", unit=org.unit_a)
    RoutingRule.objects.create(organisation=org.province, phrase="渠系", unit=org.unit_a)

    office = Person(chromium, base, "supervisor", axe_source, problems)
    unit = Person(chromium, base, "handler_a", axe_source, problems)
    deputy = Person(chromium, base, "deputy", axe_source, problems)

    # -- the office ingests the report and accepts both items on the desk
    report = tmp_path / "农田建设推进会议.txt"
    report.write_text(_report(today), encoding="utf-8")
    office.go("/sources/new/")
    office.check("ingest", "1280")
    office.page.locator("input[type=file]").set_input_files(str(report))
    office.press("导入")
    office.page.get_by_role("link", name="进入审核台").click()
    office.page.wait_for_url(re.compile(r".*/sources/\d+/desk/"))
    desk_url = office.page.url
    cards = office.page.locator("article.proposal")
    assert cards.count() == 3
    office.check("desk-pending", "1280")
    office.page.set_viewport_size(PHONE)
    office.check("desk-pending", "375")
    office.page.set_viewport_size(DESKTOP)
    for i in range(3):
        cards.nth(i).locator("input[name=selected]").check()
    office.page.locator("#bulk").get_by_role("button", name="立项并交办").click()
    office.page.wait_for_load_state()
    made = list(Task.objects.order_by("pk"))
    assert {t.title for t in made} == {"加快高标准农田建设，确保年底前完成新建任务", "加强农田灌溉设施管护", "灌区渠系配套"}
    directive = Task.objects.get(title="加快高标准农田建设，确保年底前完成新建任务")
    suggestion = Task.objects.get(kind=Task.Kind.SUGGESTION)
    assert (directive.state, directive.lead_unit, directive.due_date) == (State.ASSIGNED, org.unit_a,
                                                                          dt.date(today.year, 12, 31))
    assert (suggestion.state, suggestion.lead_unit) == (State.ASSIGNED, org.unit_a)
    assert list(suggestion.proposers.all()) == [org.deputy]

    # -- the unit signs for the directive, starts, reports progress with an attachment, asks for time
    unit.go("/")
    assert directive.title in unit.page.locator("section.todo-to_sign").inner_text()
    unit.task(directive)
    unit.press("签收", then="已完成：签收。")
    unit.press("开始办理")
    assert "办理中" in unit.state()
    proof = tmp_path / "渠系配套进展.pdf"
    proof.write_bytes(b"%PDF-1.4 new farmland: 80,000 mu")
    unit.page.get_by_label("工作进展").fill("已新建高标准农田8万亩。")
    unit.page.get_by_label("附件").set_input_files(str(proof))
    unit.press("提交进展", then="进展已报送。")
    unit.check("task-working", "1280")
    assert Attachment.objects.get().name == "渠系配套进展.pdf"
    later = dt.date(today.year + 1, 3, 31)
    unit.move("申请延期", {"延期理由": "冬季土地冻结，无法施工。", "新时限": later.isoformat()})
    assert "申请延期" in unit.state()

    # -- the office grants the extension
    office.task(directive)
    office.press("同意延期")
    directive.refresh_from_db()
    assert (directive.state, directive.due_date) == (State.IN_PROGRESS, later)

    # -- submitted, sent back once, submitted again, closed
    unit.task(directive)
    unit.move("申请办结", {"办理情况（办结说明）": "新建任务已完成。"})
    assert "申请办结" in unit.state()
    office.task(directive)
    office.check("task-submitted", "1280")
    office.move("退回", {"退回理由": "请补充验收材料。"})
    assert "退回" in office.state()
    unit.task(directive)
    assert "请补充验收材料。" in unit.page.locator(".sent-back").inner_text()
    unit.press("继续办理")
    unit.move("申请办结", {"办理情况（办结说明）": "验收材料已补充。"})
    office.task(directive)
    office.move("办结", {})
    assert "已办结" in office.state()
    directive.refresh_from_db()
    assert directive.state == State.CLOSED

    # -- the suggestion: answered, closed, rated 不满意 by the deputy, reopened
    unit.task(suggestion)
    unit.press("签收")
    unit.press("开始办理")
    unit.page.locator("#move-reply summary").click()
    fold = unit.page.locator("#move-reply")
    fold.get_by_label("类别").select_option("A")
    fold.get_by_label("答复", exact=True).fill("灌区渠系配套已列入今年计划并完成。")
    unit.press("保存答复")
    unit.press("送审核")
    assert Reply.objects.get().status == Reply.Status.REVIEW
    unit.move("申请办结", {"办理情况（办结说明）": "已答复代表。"})
    office.task(suggestion)
    office.move("办结", {})
    deputy.task(suggestion)
    assert "灌区渠系配套已列入今年计划并完成。" in deputy.page.locator("main").inner_text()
    deputy.check("task-to-rate", "1280")
    deputy.move("不满意", {"不满意之处": "渠系配套尚未覆盖下游村庄。"})
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.round) == (State.REOPENED, 2)
    assert "重新办理" in deputy.state()

    # -- the tasks ledger as .xlsx, read back
    office.go("/ledgers/")
    with office.page.expect_download() as download:
        office.page.locator(".ledger-card", has_text="督办").first.get_by_role("link", name="导出 Excel").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    rows = [[str(c) for c in r if c is not None] for r in book.active.iter_rows(values_only=True)]
    book.close()
    mine = {t.title: t for t in made}
    rows = {cells[[c in mine for c in cells].index(True)]: cells for cells in rows if any(c in mine for c in cells)}
    assert set(rows) == set(mine)  # one row a task
    assert "已办结" in rows[directive.title] and "省农业农村厅" in rows[directive.title]
    assert "重新办理" in rows[suggestion.title]

    # -- the dashboard draws its charts
    office.go("/dashboard/")
    office.page.locator("[data-chart] canvas").first.wait_for()
    assert office.page.locator("[data-chart] canvas").count() >= 4

    # -- every main page, at desktop then at phone width. Their markup does not depend on the database:
    # make test's second pass, on PostgreSQL, walks the loop again and leaves the tour to the first.
    if connection.vendor == "sqlite":
        _tour(org, office, unit, deputy, directive, suggestion, desk_url.removeprefix(base))
    for who in (office, unit, deputy):
        who.close()
    assert problems == [], "\n".join(problems)


def _tour(org, office: Person, unit: Person, deputy: Person, directive: Task, suggestion: Task, desk: str) -> None:
    today = timezone.localdate()
    # something on the major projects and monitoring pages too: a project, a household below the line
    make_project(org, planned={StageKind.PLAN: today - dt.timedelta(days=120),
                               StageKind.SIGN: today + dt.timedelta(days=30)})
    household = subject(org, "LL-0001", unit=org.unit_b)
    put(household, income(org), JUNE, 4800)
    below(org)
    evaluate(org.province, JUNE)
    source = directive.items.first().source
    pages = [
        (office, "home", "/"), (unit, "home-unit", "/"), (office, "tasks", "/tasks/"),
        (office, "task", f"/tasks/{directive.pk}/"), (unit, "task-unit", f"/tasks/{suggestion.pk}/"),
        (deputy, "task-deputy", f"/tasks/{suggestion.pk}/"),
        (office, "desk", desk), (office, "source", f"/sources/{source.pk}/"),
        (office, "ledgers", "/ledgers/"), (office, "ledger-tasks", "/ledgers/tasks/"),
        (office, "dashboard", "/dashboard/"), (unit, "inbox", "/inbox/"), (office, "assessment", "/assessment/"),
        (office, "projects", "/projects/"), (office, "monitoring", "/monitoring/"),
    ]
    visitor = Person(office.context.browser, office.base, None, office.axe, office.problems)
    pages.insert(0, (visitor, "login", "/accounts/login/"))
    # the office's other pages, at desktop width
    more = [(office, "new-task", "/tasks/new/"), (office, "routing", "/routing/"), (office, "answers", "/answers/"),
            (office, "workdays", "/workdays/"), (office, "bulletins", "/bulletins/"), (office, "imports", "/imports/"),
            (office, "imports-new", "/imports/new/"), (unit, "notify-settings", "/inbox/settings/"),
            (unit, "api-tokens", "/api/tokens/"), (unit, "search", "/search/?q=农田")]
    for width, viewport, some in (("1280", DESKTOP, pages + more), ("375", PHONE, pages)):
        for who in (office, unit, deputy, visitor):
            who.page.set_viewport_size(viewport)
        for who, name, path in some:
            who.go(path)
            if name == "dashboard":
                who.page.locator("[data-chart] canvas").first.wait_for()
            who.check(name, width)
    visitor.close()
