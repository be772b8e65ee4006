"""Fixtures of the import tests: English messages (pages choose their own language), and the
units a ledger names that the shared organisation lacks."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from luoshi.org.models import Unit
from tests.factories import Org

# the day of the upload in the tests that pass it: a date without a year (11月30日, 年底前) is in 2026
TODAY = dt.date(2026, 1, 10)


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def units(org: Org) -> SimpleNamespace:
    """吕梁市 as the short name of 吕梁市人民政府; two 发展改革委 that the short name cannot tell apart."""
    org.unit_b.short_name = "吕梁市"
    org.unit_b.save()
    return SimpleNamespace(
        fgw_province=Unit.objects.create(name="省发展改革委", parent=org.province),
        fgw_city=Unit.objects.create(name="市发展改革委", parent=org.province),
        elsewhere=Unit.objects.create(name="大同市商务局", parent=org.other_org),
    )
