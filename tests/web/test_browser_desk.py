"""The review desk in a real browser (Debian's Chromium through Playwright, against a live server):
open the desk, see a card's words in the text, pick a suggested unit, accept and assign, see the task.

Set LUOSHI_SCREENSHOTS=/some/dir to keep screenshots of the desk at laptop and phone width.
"""

from __future__ import annotations

import re

import pytest
from tests.web.desk_helpers import card, on_desk, rules
from tests.web.test_browser import _stylesheet, browser, page, shot, sign_in  # noqa: F401 - fixtures

from luoshi.desk.models import RoutingRule
from luoshi.tasks.models import State, Task

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_pick_a_suggestion_accept_and_assign_see_the_task(org, live_server, page) -> None:  # noqa: F811
    base = live_server.url
    rules(org)
    source, proposals = on_desk(org)
    # a rule added after the proposals were made: suggested on the desk, not yet chosen
    RoutingRule.objects.create(organisation=org.province, phrase="排涝", unit=org.unit_c)
    drains = card(proposals, "城区排涝")
    assert drains.lead_unit is None

    sign_in(page, base, "supervisor")
    page.get_by_role("navigation").get_by_role("link", name="来源文件").click()
    page.wait_for_url(f"{base}/sources/")
    page.get_by_role("link", name="审核", exact=True).click()
    page.wait_for_url(f"{base}/sources/{source.pk}/desk/")
    shot(page, "desk-01-laptop", full_page=False)
    shot(page, "desk-02-laptop-full")

    cards = page.locator("article.proposal")
    assert cards.count() == 5
    one = page.locator(f"#p-{drains.pk}")
    # a card shows its words in the text
    one.locator(".proposal-head").click()
    current = page.locator(".doc mark.is-current")
    assert current.count() == 1 and current.inner_text().endswith("城区排涝")
    assert "is-current" in one.get_attribute("class")

    # ticking counts in the bulk bar
    page.locator(f"#p-{proposals[1].pk} input[name=selected]").check()
    one.locator("input[name=selected]").check()
    assert page.locator(".bulk-count").inner_text() == "已勾选 2 条："
    one.locator("input[name=selected]").uncheck()
    page.locator(f"#p-{proposals[1].pk} input[name=selected]").uncheck()

    # one click takes the suggestion into the select, without sending the form
    suggestion = one.get_by_role("button", name=re.compile("省水利厅"))
    assert "规则：排涝 → 省水利厅" in suggestion.inner_text()
    suggestion.click()
    assert one.get_by_label("牵头单位", exact=True).input_value() == str(org.unit_c.pk)
    assert suggestion.get_attribute("aria-pressed") == "true"
    assert page.url == f"{base}/sources/{source.pk}/desk/"
    one.get_by_label("任务标题").fill("城区排涝设施改造")
    shot(page, "desk-03-suggestion-picked", full_page=False)

    one.get_by_role("button", name="立项并交办").click()
    page.wait_for_url(f"{base}/sources/{source.pk}/desk/#p-{drains.pk}")
    task = Task.objects.get()
    assert (task.title, task.state, task.lead_unit) == ("城区排涝设施改造", State.ASSIGNED, org.unit_c)
    message = page.locator(".messages").inner_text()
    assert f"#{task.pk} 城区排涝设施改造" in message and "牵头单位省水利厅" in message
    assert "已立项" in page.locator(f"#p-{drains.pk}").inner_text()
    shot(page, "desk-04-accepted", full_page=False)

    page.locator(".messages").get_by_role("link", name=f"#{task.pk} 城区排涝设施改造").click()
    page.wait_for_url(f"{base}/tasks/{task.pk}/")
    assert "已交办" in page.locator(".task-head").inner_text()
    assert "省水利厅" in page.locator(".facts").inner_text()
    assert page.locator("section.source mark").inner_text() == "城区排涝"
    sources = page.locator("ul.task-sources")
    assert sources.get_by_role("link", name="市政府召开防汛工作专题会议").count() == 1
    assert "防汛会议.txt" in sources.inner_text()
    shot(page, "desk-05-task")
    page.locator("section.source figcaption").get_by_role("link", name="市政府召开防汛工作专题会议").click()
    page.wait_for_url(re.compile(rf"{base}/sources/{source.pk}/#item-\d+"))
    assert f"#{task.pk} 城区排涝设施改造" in page.locator("aside").inner_text()


def test_the_desk_on_a_phone(org, live_server, page) -> None:  # noqa: F811
    base = live_server.url
    rules(org)
    source, _proposals = on_desk(org)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/sources/{source.pk}/desk/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing cut off
    text_box = page.locator(".desk-text").bounding_box()
    first_card = page.locator("article.proposal").first.bounding_box()
    assert first_card["y"] >= text_box["y"] + text_box["height"]  # stacked: the text, then the cards
    shot(page, "desk-06-phone", full_page=False)
    shot(page, "desk-07-phone-full")
    page.goto(f"{base}/sources/{source.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "desk-08-source-phone")


def test_the_bulk_action_uses_what_the_cards_show(org, live_server, page) -> None:  # noqa: F811
    """Change two cards without saving, tick one, press the bulk 立项并交办: the task is made with the
    changed unit and date, and the other card's change is saved too, not lost."""
    base = live_server.url
    rules(org)
    source, proposals = on_desk(org)
    flood = card(proposals, "抓紧修复水毁工程，确保6月底前全部完工")
    drains = card(proposals, "城区排涝")
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/sources/{source.pk}/desk/")

    one = page.locator(f"#p-{flood.pk}")
    one.get_by_label("牵头单位", exact=True).select_option(str(org.unit_c.pk))
    one.get_by_label("办结时限", exact=True).fill("2024-07-15")
    other = page.locator(f"#p-{drains.pk}")
    other.get_by_label("任务标题").fill("城区排涝设施改造")
    one.locator("input[name=selected]").check()
    page.locator("#bulk").get_by_role("button", name="立项并交办").click()
    page.wait_for_load_state()

    task = Task.objects.get()
    assert (task.state, task.lead_unit, str(task.due_date)) == (State.ASSIGNED, org.unit_c, "2024-07-15")
    assert task.due_basis == ""  # a typed date no longer comes from the words
    drains.refresh_from_db()
    assert (drains.status, drains.headline) == ("pending", "城区排涝设施改造")
    message = page.locator(".messages").inner_text()
    assert f"#{task.pk}" in message and "城区排涝设施改造" in message
    shot(page, "desk-09-bulk-as-shown", full_page=False)


def test_a_card_changed_by_someone_else_refuses_the_bulk_action_and_keeps_the_typing(
        org, live_server, page) -> None:  # noqa: F811
    from luoshi.desk import services as desk

    base = live_server.url
    rules(org)
    source, proposals = on_desk(org)
    flood = card(proposals, "抓紧修复水毁工程，确保6月底前全部完工")
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/sources/{source.pk}/desk/")
    one = page.locator(f"#p-{flood.pk}")
    one.get_by_label("牵头单位", exact=True).select_option(str(org.unit_c.pk))
    one.locator("input[name=selected]").check()
    # meanwhile a colleague saves the same card with another unit
    desk.edit(flood, org.supervisor, version=flood.version, lead_unit=org.unit_b)
    page.locator("#bulk").get_by_role("button", name="立项并交办").click()
    page.wait_for_load_state()

    assert not Task.objects.exists()
    assert "已被他人更改" in page.get_by_role("alert").inner_text()
    assert "吕梁市人民政府" in page.get_by_role("alert").inner_text()  # what the colleague saved
    # the card still shows what was typed, ready to send again on purpose
    assert page.locator(f"#p-{flood.pk}").get_by_label("牵头单位", exact=True).input_value() == str(org.unit_c.pk)
    assert page.locator(f"#p-{flood.pk} input[name=selected]").is_checked()
    page.locator("#bulk").get_by_role("button", name="立项并交办").click()
    page.wait_for_load_state()
    assert Task.objects.get().lead_unit == org.unit_c
