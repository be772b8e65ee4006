"""Units and leaders found by the names ledgers write."""

from __future__ import annotations

import re

import pytest

from luoshi.imports.units import LeaderFinder, UnitFinder

pytestmark = pytest.mark.django_db


def test_units_by_name_short_name_and_without_their_prefix(org, units) -> None:
    find = UnitFinder(org.province).find
    assert find("省农业农村厅") == org.unit_a  # its name
    assert find(" 省农业 农村厅 ") == org.unit_a  # spaces do not count
    assert find("吕梁市") == org.unit_b  # its short name
    assert find("农业农村厅") == org.unit_a  # the only one once 省 is gone
    assert find("水利厅") == org.unit_c
    assert find("省发展改革委") == units.fgw_province  # exact wins over the loose match


def test_ambiguous_and_unknown_units(org, units) -> None:
    find = UnitFinder(org.province).find
    with pytest.raises(ValueError, match=f"^{re.escape('“发展改革委” could be 市发展改革委、省发展改革委: write the full name.')}$"):
        find("发展改革委")
    with pytest.raises(ValueError, match=f"^{re.escape('山西省人民政府 has no unit called “省商务厅”.')}$"):
        find("省商务厅")
    with pytest.raises(ValueError, match="has no unit called “大同市商务局”"):  # a unit of another organisation
        find("大同市商务局")
    with pytest.raises(ValueError, match="has no unit called “山西省人民政府”"):  # the organisation does not lead its tasks
        find("山西省人民政府")


def test_leaders_by_display_name(org) -> None:
    find = LeaderFinder(org.province).find
    assert find("省长") == org.leader
    assert find("leader") == org.leader
    with pytest.raises(ValueError, match="No leader of this organisation is called “督查员”"):
        find("督查员")  # a supervisor, not a leader
