"""A project's page in a real browser (Debian's Chromium through Playwright): both charts drawn
from the page's data, a table beside each, no script error. LUOSHI_SCREENSHOTS=/dir keeps screenshots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.projects.conftest import make_project
from tests.web.test_browser import _stylesheet, browser, shot, sign_in  # noqa: F401 - fixtures

from luoshi.projects import check, services
from luoshi.projects.models import StageKind
from luoshi.projects.rules import add_months, month_start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_the_project_page_draws_its_charts(org, live_server, browser) -> None:  # noqa: F811 - the fixture
    today = timezone.localdate()
    this_month = month_start(today)
    months = [add_months(this_month, n) for n in range(-4, 4)]
    project = make_project(org, planned={StageKind.PLAN: today - dt.timedelta(days=120),
                                         StageKind.SIGN: today - dt.timedelta(days=30),
                                         StageKind.APPROVE: today + dt.timedelta(days=60)},
                           monthly=[(m, Decimal("1000")) for m in months])
    services.record_stage(project, org.handler_b, StageKind.PLAN, today - dt.timedelta(days=118))
    for m in months[:4]:
        services.record_investment(project, org.handler_b, m, Decimal("700"))
    assert check.run(today).line() == "slipped 1, shortfalls 1, tasks opened 2"

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, "handler_b")
    page.get_by_role("navigation").get_by_role("link", name="重大项目", exact=True).click()
    page.wait_for_url(f"{live_server.url}/projects/")
    assert page.locator("#project-ledger tbody tr").count() == 1
    page.get_by_role("link", name=project.name).click()
    page.locator("[data-chart] canvas").nth(1).wait_for()  # no eval: the CSP forbids it
    for name in ("stages", "investment"):
        box = page.locator(f'[data-chart="{name}"]').bounding_box()
        assert box["width"] > 300 and box["height"] > 200, (name, box)
    assert page.locator("#table-stages tbody tr").count() == 6
    assert page.locator("#table-stages .status-slipped").inner_text() == "滞后"
    assert page.locator("#table-investment tbody tr").count() == 8
    assert page.locator(".alerts li").count() == 2  # the tasks raised, for the unit to open
    page.wait_for_timeout(800)
    shot(page, "project-page")
    assert errors == []
    context.close()
