"""The working-day calendar page: an organisation's administrators and supervisors see a year's
statutory holidays and keep its local days; nobody else sees it, nor anyone else's days."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.http import HttpResponse
from django.utils import timezone
from tests.factories import Org

from luoshi.workdays.models import LocalDay
from luoshi.workdays.services import calendar_for
from luoshi.workdays.statutory import PACKAGE

D = dt.date
pytestmark = pytest.mark.django_db


def text(response: HttpResponse) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def add(client, org: Org, **data) -> HttpResponse:
    return client.post(f"/workdays/?org={org.province.pk}&year=2024", {"organisation": org.province.pk, **data})


@pytest.mark.parametrize("who", ["admin", "supervisor"])
def test_admin_and_supervisor_see_the_year(org: Org, as_user, who: str) -> None:
    r = as_user(who).get("/workdays/?year=2024")
    assert r.status_code == 200
    page = text(r)
    assert "工作日历" in page and "山西省人民政府" in page
    assert "2024年法定节假日" in page
    assert "春节 2024年2月10日 – 2024年2月17日 8天" in page
    assert "2024年2月4日 星期日" in page and "2024年2月18日 星期日" in page
    assert "本组织2024年共有251个工作日。" in page
    assert "2024年没有本地调整日。" in page
    assert 'href="/workdays/"' in r.content.decode()  # in the header


def test_2025_national_day_with_mid_autumn(org: Org, as_user) -> None:
    page = text(as_user("admin").get("/workdays/?year=2025"))
    assert "国庆节、中秋 2025年10月1日 – 2025年10月8日 8天" in page
    assert "2025年9月28日 星期日" in page and "2025年10月11日 星期六" in page


@pytest.mark.parametrize("who", ["handler_a", "head_a", "leader", "deputy", "outsider"])
def test_others_may_not(org: Org, as_user, who: str) -> None:
    client = as_user(who)
    assert client.get("/workdays/").status_code == 403
    assert add(client, org, date="2024-02-09", kind="holiday").status_code == 403
    assert 'href="/workdays/"' not in client.get("/tasks/").content.decode()
    assert not LocalDay.objects.exists()


def test_signed_out_goes_to_sign_in(client) -> None:
    r = client.get("/workdays/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.skipif(2027 in PACKAGE.years, reason="the installed chinesecalendar knows 2027")
def test_a_year_not_known_says_so_and_counts_weekends(org: Org, as_user) -> None:
    r = as_user("admin").get("/workdays/?year=2027")
    assert r.status_code == 200
    page = text(r)
    assert "2027年的国家法定节假日尚未收录" in page and "暂只将周末和本地调整的休息日计为休息日" in page
    assert "本组织2027年共有261个工作日。" in page  # 52 weeks and a Friday
    assert 'class="tasks statutory"' not in r.content.decode()  # no table of holidays to show


def test_add_a_day_off_and_remove_it(org: Org, as_user) -> None:
    client = as_user("admin")
    r = add(client, org, date="2024-02-09", kind="holiday", name=" 除夕 ")
    assert r.status_code == 302 and r["Location"] == f"/workdays/?org={org.province.pk}&year=2024"
    d = LocalDay.objects.get()
    assert (d.organisation, d.date, d.kind, d.name, d.updated_by) == (
        org.province, D(2024, 2, 9), "holiday", "除夕", org.admin)
    page = text(client.get(r["Location"]))
    assert "已添加本地调整日：2024年2月9日 放假 “除夕”。" in page
    assert "本组织2024年共有250个工作日。" in page
    assert calendar_for(org.province).add(D(2024, 2, 8), 1) == D(2024, 2, 18)
    r = client.post(f"/workdays/{d.pk}/remove/")
    assert r.status_code == 302 and r["Location"] == f"/workdays/?org={org.province.pk}&year=2024"
    assert not LocalDay.objects.exists()
    assert "已删除本地调整日：2024年2月9日 放假 “除夕”。" in text(client.get(r["Location"]))
    assert calendar_for(org.province).add(D(2024, 2, 8), 1) == D(2024, 2, 9)


def test_a_working_day_in_another_year_shows_that_year(org: Org, as_user) -> None:
    client = as_user("supervisor")
    r = add(client, org, date="2027-02-06", kind="workday", name="春节调休")
    assert r.status_code == 302 and r["Location"].endswith("&year=2027")
    page = text(client.get(r["Location"]))
    assert "2027年2月6日 星期六" in page and "上班" in page and "春节调休" in page
    assert calendar_for(org.province).is_workday(D(2027, 2, 6))


def test_a_date_twice_and_bad_dates_are_refused_and_said_why(org: Org, as_user) -> None:
    client = as_user("admin")
    add(client, org, date="2024-02-09", kind="holiday", name="除夕")
    r = add(client, org, date="2024-02-09", kind="workday")
    assert r.status_code == 400
    page = text(r)
    assert "请修改标出的内容。" in page
    assert "2024年2月9日已有本地调整日：除夕。如需修改，请先删除。" in page
    r = add(client, org, date="2024-02-30", kind="holiday", name="不存在的日子")
    assert r.status_code == 400 and "输入一个有效的日期。" in text(r)
    assert 'value="不存在的日子"' in r.content.decode()  # what was typed is kept
    r = add(client, org, date="", kind="")
    assert r.status_code == 400 and text(r).count("这个字段是必填项。") == 2
    r = add(client, org, date="2024-02-10", kind="sometimes")
    assert r.status_code == 400 and "选择一个有效的选项" in text(r)
    assert LocalDay.objects.count() == 1


def test_another_organisations_days_are_not_found(org: Org, as_user) -> None:
    theirs = LocalDay.objects.create(organisation=org.province, date=D(2024, 2, 9), kind="holiday", name="除夕")
    everyone = LocalDay.objects.create(organisation=None, date=D(2024, 5, 6), kind="holiday", name="全省统一")
    other = as_user("other_supervisor")
    page = text(other.get("/workdays/?year=2024"))
    assert "大同市人民政府" in page and "除夕" not in page
    assert "全省统一" in page  # a day for every organisation is shown to every one, read-only
    assert other.get(f"/workdays/?org={org.province.pk}").status_code == 404
    assert other.post(f"/workdays/?org={org.province.pk}", {"organisation": org.province.pk, "date": "2024-03-01",
                                                            "kind": "holiday"}).status_code == 404
    assert other.post(f"/workdays/{theirs.pk}/remove/").status_code == 404
    assert as_user("handler_a").post(f"/workdays/{theirs.pk}/remove/").status_code == 404
    # the days for every organisation are kept in the administration, not on this page
    assert as_user("admin").post(f"/workdays/{everyone.pk}/remove/").status_code == 404
    assert as_user("admin").post("/workdays/999999999/remove/").status_code == 404
    assert as_user("admin").get(f"/workdays/{theirs.pk}/remove/").status_code == 405
    assert LocalDay.objects.count() == 2


def test_odd_years_and_organisations(org: Org, as_user) -> None:
    client = as_user("admin")
    this_year = timezone.localdate().year
    assert f"{this_year}年法定节假日" in text(client.get("/workdays/"))
    assert f"{this_year}年法定节假日" in text(client.get("/workdays/?year="))
    assert "1年法定节假日" in text(client.get("/workdays/?year=1"))
    assert "9999年法定节假日" in text(client.get("/workdays/?year=9999"))
    # a year that cannot be one is refused like an id that cannot be one
    for year in ("abc", "0", "10000", "99999999999999999999999", "-1", "２０２４", "2024.0"):
        assert client.get(f"/workdays/?year={year}").status_code == 404, year
    assert client.get("/workdays/?org=abc").status_code == 404


def test_english_when_asked(org: Org, as_user) -> None:
    client = as_user("admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/workdays/"})
    page = text(client.get("/workdays/?year=2024"))
    assert "Working-day calendar" in page and "Statutory holidays in 2024" in page
    assert "Spring Festival Feb. 10, 2024 – Feb. 17, 2024 8 days" in page
    assert "Feb. 4, 2024 Sun" in page
    assert "Working days in 2024 here: 251." in page
    r = add(client, org, date="2024-02-09", kind="holiday")
    assert "Local day added: Feb. 9, 2024 Day off (放假)." in text(client.get(r["Location"]))
