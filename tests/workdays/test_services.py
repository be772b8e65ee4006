"""`calendar_for`: the organisation's local days over the ones kept for every organisation over
the statutory calendar, kept in the process and dropped when a local day changes, here at once
and in other processes within seconds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from tests.factories import Org

from luoshi.workdays import services
from luoshi.workdays.models import CalendarStamp, LocalDay
from luoshi.workdays.services import calendar_for

D = dt.date
HOLIDAY, WORKDAY = LocalDay.Kind.HOLIDAY, LocalDay.Kind.WORKDAY
pytestmark = pytest.mark.django_db


def day(org, date: dt.date, kind: str, name: str = "") -> LocalDay:
    return LocalDay.objects.create(organisation=org, date=date, kind=kind, name=name)


def test_without_local_days_the_statutory_calendar(org: Org) -> None:
    for cal in (calendar_for(), calendar_for(org.province), calendar_for(org.province.pk)):
        assert cal.add(D(2024, 2, 8), 3) == D(2024, 2, 19)
        assert cal.count(D(2024, 2, 1), D(2024, 2, 29)) == 18


def test_an_organisations_days_are_its_own(org: Org) -> None:
    day(org.province, D(2024, 2, 9), HOLIDAY, "除夕")
    assert calendar_for(org.province).add(D(2024, 2, 8), 1) == D(2024, 2, 18)
    assert calendar_for(org.other_org).add(D(2024, 2, 8), 1) == D(2024, 2, 9)
    assert calendar_for().add(D(2024, 2, 8), 1) == D(2024, 2, 9)


def test_days_for_every_organisation_and_the_organisations_own_win(org: Org) -> None:
    day(None, D(2024, 2, 9), HOLIDAY, "除夕")
    day(None, D(2024, 2, 24), WORKDAY, "补班")  # a Saturday
    day(org.province, D(2024, 2, 9), WORKDAY, "督查室值守")
    assert not calendar_for().is_workday(D(2024, 2, 9))
    assert not calendar_for(org.other_org).is_workday(D(2024, 2, 9))
    assert calendar_for(org.province).is_workday(D(2024, 2, 9))
    assert all(calendar_for(o).is_workday(D(2024, 2, 24)) for o in (None, org.province, org.other_org))
    assert calendar_for(org.province).count(D(2024, 2, 1), D(2024, 2, 29)) == 19  # 18 and the 24th


def test_a_change_shows_at_once_in_this_process(org: Org) -> None:
    cal = calendar_for(org.province)
    assert calendar_for(org.province) is cal  # kept
    d = day(org.province, D(2024, 2, 9), HOLIDAY)
    assert not calendar_for(org.province).is_workday(D(2024, 2, 9))
    d.kind = WORKDAY
    d.save()
    assert calendar_for(org.province).is_workday(D(2024, 2, 9))
    d.delete()
    assert calendar_for(org.province).add(D(2024, 2, 8), 3) == D(2024, 2, 19)


def test_deleting_the_organisation_deletes_its_days_and_stamps(org: Org) -> None:
    other = org.other_org
    day(other, D(2024, 2, 9), HOLIDAY)
    assert not calendar_for(other.pk).is_workday(D(2024, 2, 9))
    before = CalendarStamp.objects.get().token
    other.memberships.all().delete()
    other.delete()
    assert not LocalDay.objects.exists() and CalendarStamp.objects.get().token != before
    assert calendar_for(other.pk).is_workday(D(2024, 2, 9))


def test_another_process_is_seen_within_the_recheck(org: Org, monkeypatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(services, "_now", lambda: clock[0])
    day(org.province, D(2024, 2, 9), HOLIDAY)
    assert not calendar_for(org.province).is_workday(D(2024, 2, 9))
    # another process changes the day and the stamp; no signal reaches this one
    LocalDay.objects.filter(date=D(2024, 2, 9)).update(kind=WORKDAY)
    CalendarStamp.objects.update(token="another-process")
    clock[0] += services.RECHECK_SECONDS / 2
    assert not calendar_for(org.province).is_workday(D(2024, 2, 9))  # not asked yet: the old answer
    clock[0] += services.RECHECK_SECONDS
    assert calendar_for(org.province).is_workday(D(2024, 2, 9))


def test_a_day_and_its_stamp_commit_together(org: Org) -> None:
    CalendarStamp.objects.all().delete()  # a flushed database: the stamp row is made again
    with pytest.raises(RuntimeError), transaction.atomic():
        day(org.province, D(2024, 2, 9), HOLIDAY)
        assert CalendarStamp.objects.count() == 1
        raise RuntimeError
    assert not CalendarStamp.objects.exists() and not LocalDay.objects.exists()
    services.changed()
    token = CalendarStamp.objects.get().token
    services.changed()
    assert CalendarStamp.objects.get().token != token


def test_a_rolled_back_change_never_outlives_the_recheck(org: Org, monkeypatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(services, "_now", lambda: clock[0])
    with pytest.raises(RuntimeError), transaction.atomic():
        day(org.province, D(2024, 2, 9), HOLIDAY)
        assert not calendar_for(org.province).is_workday(D(2024, 2, 9))  # built inside, kept
        raise RuntimeError
    clock[0] += services.RECHECK_SECONDS
    assert calendar_for(org.province).is_workday(D(2024, 2, 9))
    # and a later change cannot bring back the token of the rolled-back one
    day(org.province, D(2024, 3, 1), HOLIDAY)
    cal = calendar_for(org.province)
    assert cal.is_workday(D(2024, 2, 9)) and not cal.is_workday(D(2024, 3, 1))


def test_one_day_per_organisation_and_one_for_everyone(org: Org) -> None:
    day(org.province, D(2024, 2, 9), HOLIDAY)
    day(None, D(2024, 2, 9), HOLIDAY)
    day(org.other_org, D(2024, 2, 9), HOLIDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        day(org.province, D(2024, 2, 9), WORKDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        day(None, D(2024, 2, 9), WORKDAY)
    assert LocalDay.objects.count() == 3


def test_translated_warnings(org: Org) -> None:
    from django.utils import translation

    cal = calendar_for(org.province)
    if cal.known(2027):
        pytest.skip("the installed chinesecalendar knows 2027")
    with translation.override("zh-hans"):
        [zh] = services.warnings_for(cal, [D(2027, 3, 1), D(2024, 1, 1), None])
    assert zh.startswith("2027年的国家法定节假日尚未收录")
    with translation.override("en"):
        [en] = services.warnings_for(cal, [D(2027, 3, 1)])
    assert en == cal.warnings([D(2027, 3, 1)])[0]
