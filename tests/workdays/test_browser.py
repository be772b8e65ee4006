"""The working-day page once in a real browser (Debian's Chromium through Playwright), with the
fixtures of tests/web/test_browser.py. LUOSHI_SCREENSHOTS=/some/dir keeps screenshots."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.test_browser import _stylesheet, browser, page, shot, sign_in  # noqa: F401  (fixtures)

from luoshi.workdays.models import LocalDay
from luoshi.workdays.statutory import PACKAGE

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_an_administrator_keeps_the_local_days(org, live_server, page) -> None:  # noqa: F811
    base = live_server.url
    sign_in(page, base, "admin")
    page.locator("summary", has_text="设置").click()  # the office's settings open as a menu
    page.get_by_role("link", name="工作日", exact=True).click()
    page.wait_for_url(f"{base}/workdays/")
    assert page.get_by_role("heading", name="工作日历").is_visible()

    page.get_by_label("年份").select_option("2024")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url(f"{base}/workdays/?org={org.province.pk}&year=2024")
    spring = page.locator("table.statutory tr", has_text="春节")
    assert "2024年2月10日 – 2024年2月17日" in spring.inner_text()
    assert "2024年2月4日 星期日" in spring.inner_text() and "2024年2月18日 星期日" in spring.inner_text()
    assert "本组织2024年共有251个工作日。" in page.locator("p.count").inner_text()
    shot(page, "workdays-01-2024")

    page.get_by_label("日期").fill("2024-02-09")
    page.get_by_label("放假").check()
    page.get_by_label("名称").fill("除夕")
    page.get_by_role("button", name="添加", exact=True).click()
    page.wait_for_load_state()
    assert "已添加本地调整日：2024年2月9日 放假 “除夕”。" in page.locator(".messages").inner_text()
    assert "本组织2024年共有250个工作日。" in page.locator("p.count").inner_text()
    assert "除夕" in page.locator("table.local-days").inner_text()

    # the same day again: refused beside the field, what was typed kept
    page.get_by_label("日期").fill("2024-02-09")
    page.get_by_label("上班").check()
    page.get_by_role("button", name="添加", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    assert "2024年2月9日已有本地调整日：除夕。如需修改，请先删除。" in page.locator(".has-error").inner_text()
    shot(page, "workdays-02-refused")

    page.get_by_role("button", name="删除2024年2月9日").click()
    page.wait_for_load_state()
    assert "已删除本地调整日" in page.locator(".messages").inner_text()
    assert not LocalDay.objects.exists()

    if 2027 not in PACKAGE.years:
        page.goto(f"{base}/workdays/?year=2026")
        page.get_by_role("link", name="2027 ›").click()
        page.wait_for_url(f"{base}/workdays/?org={org.province.pk}&year=2027")
        assert "2027年的国家法定节假日尚未收录" in page.get_by_role("status").inner_text()
        shot(page, "workdays-03-2027")
    assert dt.date(2024, 2, 9) not in set(LocalDay.objects.values_list("date", flat=True))
