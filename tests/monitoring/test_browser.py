"""The monitoring pages in Chromium: a supervisor reads the subjects, a subject's series, unmasks
(recorded), the rules and the import page. LUOSHI_SCREENSHOTS=/dir keeps screenshots."""

from __future__ import annotations

import pytest

from luoshi.monitoring.evaluate import evaluate
from luoshi.monitoring.models import Unmasking
from tests.monitoring.helpers import JUNE, MAY, below, income, put, subject
from tests.web.test_browser import _stylesheet, browser, page, shot, sign_in  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_monitoring_pages(org, live_server, page) -> None:  # noqa: F811
    base = live_server.url
    ind = income(org)
    poor = subject(org, "LL-0001", unit=org.unit_b, id_number="142301199001011234", phone="13812345678")
    put(poor, ind, MAY, 7200)
    put(poor, ind, JUNE, 4800)
    put(subject(org, "LL-0002", unit=org.unit_b), ind, JUNE, 9000)
    below(org)
    evaluate(org.province, JUNE)

    sign_in(page, base, "supervisor")
    page.get_by_role("navigation").get_by_role("link", name="动态监测").click()
    page.wait_for_url(f"{base}/monitoring/")
    rows = page.locator("table.subjects tbody tr")
    assert rows.count() == 2
    assert "收入低于标准" in page.locator(f"#subject-{poor.pk}").inner_text()
    assert "4,800" in page.locator(f"#subject-{poor.pk}").inner_text()
    shot(page, "mon-01-subjects")

    page.get_by_role("link", name="LL-0001").click()
    page.wait_for_url(f"{base}/monitoring/subjects/{poor.pk}/")
    assert page.locator("#id-number").inner_text() == "1423**********1234"
    assert "2026年6月" in page.locator("table.values").inner_text()
    assert "已交办" in page.locator("body").inner_text()
    shot(page, "mon-02-subject")
    page.get_by_role("button", name="显示完整信息（将留痕）").click()
    page.wait_for_load_state()
    assert page.locator("#id-number").inner_text() == "142301199001011234"
    assert Unmasking.objects.filter(user=org.supervisor, subject=poor).count() == 1

    page.get_by_role("navigation", name="动态监测").get_by_role("link", name="规则").click()
    page.wait_for_url(f"{base}/monitoring/rules/")
    assert "收入低于标准" in page.locator("table.rules").inner_text()
    shot(page, "mon-03-rules")
    page.goto(f"{base}/monitoring/import/")
    assert page.get_by_label("文件（.csv 或 .xlsx）").count() == 1
    shot(page, "mon-04-import")
