"""Answer templates and bulk work in a real browser (Debian's Chromium, see test_browser.py):
the “常用语” select fills the field, and a bulk urge from the list reports every row."""

from __future__ import annotations

import pytest
from tests.factories import drive, make_task
from tests.web.test_browser import _stylesheet, browser, page, shot, sign_in  # noqa: F401 - fixtures

from luoshi.answers.models import AnswerTemplate
from luoshi.tasks.models import Event, State, Task

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_the_common_phrases_select_fills_then_appends(org, live_server, page) -> None:  # noqa: F811
    task = drive(org, make_task(org, title="抓好高标准农田建设"), State.SUBMITTED)
    AnswerTemplate.objects.create(organisation=org.province, title="材料不全", purpose="return",
                                  text="办结材料不全，请补充佐证材料。")
    AnswerTemplate.objects.create(organisation=org.province, title="目标未达成", purpose="return",
                                  text="对照目标尚未达标，请说明差距原因。")
    AnswerTemplate.objects.create(organisation=org.other_org, title="大同的理由", purpose="return", text="别处")
    base = live_server.url
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/tasks/{task.pk}/")
    page.locator("#move-return > summary").click()
    picker = page.locator("#answers-id_return-reason")
    assert picker.is_visible()  # shown once the script runs (hidden without it)
    assert picker.locator("option").all_inner_texts() == ["— 选择常用语 —", "材料不全", "目标未达成"]
    field = page.locator("#id_return-reason")
    picker.select_option(label="材料不全")
    assert field.input_value() == "办结材料不全，请补充佐证材料。"
    field.press("End")
    field.type("另：照片不清晰。")
    picker.select_option(label="目标未达成")  # what was typed is kept, the template comes after it
    assert field.input_value() == "办结材料不全，请补充佐证材料。另：照片不清晰。\n对照目标尚未达标，请说明差距原因。"
    assert picker.input_value() == ""  # ready to be chosen again
    shot(page, "50-answer-picker", full_page=False)
    page.locator("#move-return").get_by_role("button", name="退回").click()
    page.wait_for_url(f"{base}/tasks/{task.pk}/")
    assert Event.objects.get(task=task, action="return").data["reason"].endswith("请说明差距原因。")


def test_bulk_urge_from_the_list(org, live_server, page) -> None:  # noqa: F811
    a = drive(org, make_task(org, title="防返贫动态监测"), State.IN_PROGRESS)
    b = drive(org, make_task(org, title="推进重大项目"), State.ACCEPTED)
    draft = make_task(org, title="抓好高标准农田建设")
    AnswerTemplate.objects.create(organisation=org.province, title="进度滞后", purpose="urge",
                                  text="请加快推进，3个工作日内报送进展。")
    AnswerTemplate.objects.create(organisation=org.province, title="按期办结", purpose="close", text="同意办结。")
    base = live_server.url
    sign_in(page, base, "supervisor")
    page.goto(f"{base}/tasks/")
    page.get_by_label("勾选本页全部任务").check()
    assert page.locator("[data-bulk-count]").inner_text() == "3"
    page.get_by_label(f"勾选 #{draft.pk} 抓好高标准农田建设").uncheck()
    assert page.locator("[data-bulk-count]").inner_text() == "2"
    assert page.evaluate("document.querySelector('[data-select-all]').indeterminate")
    page.get_by_label(f"勾选 #{draft.pk} 抓好高标准农田建设").check()
    page.get_by_label("操作").select_option(label="催办")
    assert not page.get_by_label("办结评价（办结时）").is_visible()  # only the urging's fields show
    # the bar's 常用语 offers the organisation's urging templates while the action is urging
    picker = page.locator("#answers-id_bulk-reason")
    assert picker.locator("option:not([hidden])").all_inner_texts() == ["— 选择常用语 —", "进度滞后"]
    picker.select_option(label="进度滞后")
    assert page.get_by_label("催办理由或办结意见").input_value() == "请加快推进，3个工作日内报送进展。"
    shot(page, "51-list-bulk-ticked")
    page.get_by_role("button", name="对所勾选任务逐项执行").click()
    page.wait_for_url(f"{base}/tasks/bulk/result/")
    assert "成功 2 项" in page.locator(".bulk-summary").inner_text()
    assert page.locator("tr.row-done").count() == 2
    refused = page.locator("tr.row-refused")
    assert refused.count() == 1 and "抓好高标准农田建设" in refused.inner_text()
    shot(page, "52-bulk-result")
    assert [Task.objects.get(pk=t.pk).urge_count for t in (a, b, draft)] == [1, 1, 0]
    assert Event.objects.get(task=a, action="urge").data["reason"] == "请加快推进，3个工作日内报送进展。"
