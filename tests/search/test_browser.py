"""The header's search box in a real browser (Debian's Chromium through Playwright), on a wide
screen and a phone's, with the fixtures of tests/web/test_browser.py. LUOSHI_SCREENSHOTS=/dir
keeps screenshots."""

from __future__ import annotations

import pytest
from tests.factories import drive, make_task
from tests.web.test_browser import _stylesheet, browser, page, shot, sign_in  # noqa: F401  (fixtures)

from luoshi.tasks.models import State

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.mark.parametrize("width", [1280, 375])
def test_the_box_in_the_header_finds_a_task_by_a_word(org, live_server, page, width) -> None:  # noqa: F811
    base = live_server.url
    drive(org, make_task(org, title="抓好高标准农田建设"), State.ASSIGNED)
    drive(org, make_task(org, title="做好防汛准备"), State.ASSIGNED)
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, base, "handler_a")

    box = page.get_by_role("searchbox", name="搜索事项和来源")
    assert box.is_visible()
    edge = box.bounding_box()
    assert edge["x"] >= 0 and edge["x"] + edge["width"] <= width  # whole on the screen
    button = page.locator("header").get_by_role("button", name="搜索", exact=True)
    assert button.is_visible() and button.bounding_box()["x"] + button.bounding_box()["width"] <= width
    shot(page, f"search-01-box-{width}")

    box.fill("农田")
    box.press("Enter")
    page.wait_for_url(f"{base}/search/?q=%E5%86%9C%E7%94%B0")
    hits = page.locator("section.search-results").first
    hits.wait_for()
    assert hits.get_by_role("heading").inner_text() == "督办事项"
    assert hits.locator("mark").first.inner_text() == "农田"
    assert "防汛" not in page.locator("main").inner_text()
    # no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"search-02-results-{width}")

    hits.get_by_role("link", name="抓好高标准农田建设").click()
    page.wait_for_url(f"{base}/tasks/*/")
    assert "抓好高标准农田建设" in page.get_by_role("heading", level=1).inner_text()
