"""The dashboard in a real browser (Debian's Chromium through Playwright): the charts are drawn, the
script reports no error, and a phone gets one column that fits its screen.

Set LUOSHI_SCREENSHOTS=/some/dir to keep screenshots.
"""

from __future__ import annotations

import pytest
from tests.web.test_browser import _stylesheet, browser, shot, sign_in  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CHARTS = ("lights", "states", "units", "weeks", "meeting")


def _open(browser, base: str, width: int, height: int, who: str = "supervisor"):  # noqa: F811 - the fixture
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, who)
    page.goto(f"{base}/dashboard/")
    page.locator("[data-chart] canvas").nth(4).wait_for()  # no eval: the CSP forbids it
    return context, page, errors


def _check_charts(page) -> None:
    for name in CHARTS:
        chart = page.locator(f'[data-chart="{name}"]')
        assert chart.locator("canvas").count() == 1, name
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 100, (name, box)
    # the table under every chart is there too, with its figures
    for table in ("states", "units", "weeks", "meeting"):
        assert page.locator(f"#table-{table} tbody tr").count() >= 1, table


def test_the_charts_are_drawn_on_a_desktop(org, tasks, live_server, browser) -> None:  # noqa: F811
    context, page, errors = _open(browser, live_server.url, 1280, 900)
    _check_charts(page)
    assert page.locator("h1").inner_text() == "领导驾驶舱"
    assert page.locator(".kpi-n").first.inner_text() == "8"
    # two columns of cards side by side
    first, second = (page.locator(".dash-card").nth(i).bounding_box() for i in (0, 1))
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + 300
    page.wait_for_timeout(1000)  # the charts' opening animation, for the screenshot
    shot(page, "dashboard-desktop")
    assert errors == []
    context.close()


def test_one_column_on_a_phone(org, tasks, live_server, browser) -> None:  # noqa: F811
    context, page, errors = _open(browser, live_server.url, 375, 812)
    _check_charts(page)
    cards = [page.locator(".dash-card").nth(i).bounding_box() for i in range(page.locator(".dash-card").count())]
    assert len({round(c["x"]) for c in cards}) == 1  # one column
    for c in cards:
        assert c["x"] >= 0 and c["x"] + c["width"] <= 375 + 0.5, c  # the cards fit the screen
    for name in CHARTS:
        box = page.locator(f'[data-chart="{name}"]').bounding_box()
        assert box["x"] + box["width"] <= 375 + 0.5, name
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    page.wait_for_timeout(1000)
    shot(page, "dashboard-phone")
    assert errors == []
    context.close()


def test_a_leader_sees_their_meeting(org, tasks, live_server, browser) -> None:  # noqa: F811
    context, page, errors = _open(browser, live_server.url, 1280, 900, who="leader")
    assert page.locator("#table-meeting tbody tr").count() == 2
    assert page.locator(".kpi-n").first.inner_text() == "6"
    # a bar leads to the tasks behind it, as the table's figure does
    href = page.locator("#table-states tfoot a").last.get_attribute("href")
    page.goto(live_server.url + href)
    assert page.locator("table.ledger tbody tr").count() == 6
    assert errors == []
    context.close()


def test_the_demo_shows_the_seed_meetings_six_directives_on_one_screen(db, live_server, browser) -> None:  # noqa: F811
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", stdout=StringIO())
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill("luoshi-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/dashboard/")
    page.locator("[data-chart] canvas").nth(4).wait_for()  # no eval: the CSP forbids it
    rows = page.locator("#table-meeting tbody tr")
    assert rows.count() == 6
    assert "金湘军在参加吕梁代表团审议时强调" in page.locator("#meeting").inner_text()
    meeting = page.locator("#meeting")
    meeting.scroll_into_view_if_needed()
    assert meeting.bounding_box()["height"] <= 900  # chart and table together, one screen
    page.wait_for_timeout(1000)
    shot(page, "dashboard-demo-leader")
    assert errors == []
    context.close()
