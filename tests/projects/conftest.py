"""Projects of the test organisation, and a frozen clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.web.conftest import _media, as_user  # noqa: F401 - fixtures

from luoshi.projects import services
from luoshi.projects.models import Project, StageKind


class Clock:
    def __init__(self) -> None:
        self.now = timezone.make_aware(dt.datetime(2024, 2, 9, 10, 0))

    def set(self, day: dt.date) -> None:
        self.now = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def make_project(org, *, code: str = "LL-001", name: str = "吕梁经济技术开发区氢能产业园", unit=None,
                 planned: dict | None = None, monthly=(), organisation=None) -> Project:
    return services.create_project(
        organisation=organisation or org.province, unit=unit or org.unit_b, code=code, name=name,
        place="吕梁市离石区", total_investment=Decimal("120000"), planned=planned, monthly=monthly)


def signing_on(day: dt.date) -> dict:
    """A plan whose signing (签约) falls on ``day``, its planning done before."""
    return {StageKind.PLAN: dt.date(2023, 12, 1), StageKind.SIGN: day, StageKind.APPROVE: dt.date(2024, 6, 28)}
