"""Subjects, values and rules for the monitoring tests, made directly (they are data, not workflow)."""

from __future__ import annotations

import datetime as dt

from luoshi.monitoring.models import Indicator, Rule, RuleKind, Subject, Value
from tests.factories import Org

MAY, JUNE, JULY = dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def income(org: Org) -> Indicator:
    return Indicator.objects.get_or_create(organisation=org.province, code="income",
                                           defaults={"name": "人均纯收入", "unit_label": "元"})[0]


def subject(org: Org, code: str, *, unit=None, id_number: str = "", phone: str = "") -> Subject:
    return Subject.objects.create(organisation=org.province, code=code, name=f"{code}户", unit=unit,
                                  id_number=id_number, phone=phone)


def put(s: Subject, indicator: Indicator, period: dt.date, value: float) -> None:
    Value.objects.update_or_create(subject=s, indicator=indicator, period=period, defaults={"value": value})


def rule(org: Org, kind: str, threshold: float | None = None, *, indicator: Indicator | None = None,
         parts=(), name: str = "") -> Rule:
    r = Rule.objects.create(organisation=org.province, name=name or f"{kind} {threshold}", kind=kind,
                            indicator=indicator, threshold=threshold, acting_unit=org.unit_b)
    r.parts.set(parts)
    return r


def below(org: Org, line: float = 6000) -> Rule:
    return rule(org, RuleKind.BELOW, line, indicator=income(org), name="收入低于标准")
