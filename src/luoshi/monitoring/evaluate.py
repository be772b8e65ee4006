"""Evaluating the rules: set-based statements per rule, then the tasks of the changed breaches.

For each active rule of an organisation (combinations last, on their parts' fresh breaches),
its breaching set (`hits`) is computed once, by one INSERT…SELECT into a temporary table, then
three statements, each one UPDATE…FROM or INSERT…SELECT over that set:
- close the open breaches of subjects no longer breaching (and, for a value rule, reported);
- reopen the closed breaches of subjects breaching again;
- insert a breach for each subject breaching for the first time.
Each marks what the tasks still have to follow (`Breach.pending`); `alerts.follow` then raises,
closes or reopens the task of those breaches only, one transaction each. Evaluating twice for
the same period changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max

from luoshi.monitoring import alerts
from luoshi.monitoring.hits import BREACH, breaching, reported
from luoshi.monitoring.models import Indicator, Rule, RuleKind, Value
from luoshi.org.models import Unit


@dataclass
class Summary:
    breaches: int = 0
    opened: int = 0
    closed: int = 0
    reopened: int = 0

    def line(self) -> str:
        return f"breaches {self.breaches}, opened {self.opened}, closed {self.closed}, reopened {self.reopened}"

    def add(self, other: Summary) -> None:
        for name in ("breaches", "opened", "closed", "reopened"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def latest_period(organisation: Unit) -> dt.date | None:
    """The latest month any indicator of the organisation has values for (one index probe each)."""
    found = [Value.objects.filter(indicator=i).aggregate(p=Max("period"))["p"]
             for i in Indicator.objects.filter(organisation=organisation)]
    return max((p for p in found if p), default=None)


def _rules(organisation: Unit) -> list[Rule]:
    rules = list(Rule.objects.filter(organisation=organisation, active=True).order_by("pk"))
    return sorted(rules, key=lambda r: r.kind == RuleKind.COMBINATION)  # parts first


def _parts(rule: Rule) -> list[int] | None:
    if rule.kind != RuleKind.COMBINATION:
        return None
    parts = list(rule.parts.filter(active=True).exclude(kind=RuleKind.COMBINATION).values_list("pk", flat=True))
    # a combination with a part switched off cannot hold: it fires for nobody
    return parts if parts and len(parts) == rule.parts.count() else []


HITS = "monitoring_hits"


def evaluate_rule(rule: Rule, period: dt.date) -> Summary:
    """The set-based part for one rule: breaches closed, reopened, opened, marked for the tasks.

    The breaching set is computed once into a temporary table (indexed by subject); the three
    statements then read it, each touching only the breaches that change."""
    s = Summary()
    hits = breaching(rule, period, _parts(rule))
    if hits is None:
        return s
    seen = reported(rule, period)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {HITS}")
        cur.execute(f"CREATE TEMPORARY TABLE {HITS} (subject_id INTEGER PRIMARY KEY, value DOUBLE PRECISION)")
        cur.execute(f"INSERT INTO {HITS} (subject_id, value) {hits.sql}", hits.params)
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {HITS}")
        clear = (f"AND EXISTS (SELECT 1 FROM ({seen.sql}) r WHERE r.subject_id = {BREACH}.subject_id) "
                 if seen else "")
        cur.execute(
            f"UPDATE {BREACH} SET is_open = %s, period = %s, "
            "pending = CASE WHEN pending = 'reopen' THEN '' ELSE 'close' END "
            f"WHERE rule_id = %s AND is_open = %s {clear}"
            f"AND NOT EXISTS (SELECT 1 FROM {HITS} h WHERE h.subject_id = {BREACH}.subject_id)",
            [False, period, rule.pk, True, *(seen.params if seen else [])])
        s.closed = cur.rowcount
        cur.execute(
            f"UPDATE {BREACH} SET is_open = %s, period = %s, value = h.value, times_opened = times_opened + 1, "
            "pending = CASE WHEN pending = 'close' THEN '' ELSE 'reopen' END "
            f"FROM {HITS} h WHERE {BREACH}.rule_id = %s AND {BREACH}.is_open = %s "
            f"AND {BREACH}.subject_id = h.subject_id",
            [True, period, rule.pk, False])
        s.reopened = cur.rowcount
        cur.execute(
            f"INSERT INTO {BREACH} (rule_id, subject_id, is_open, period, value, pending, times_opened) "
            f"SELECT %s, h.subject_id, %s, %s, h.value, 'open', 1 FROM {HITS} h "
            f"WHERE NOT EXISTS (SELECT 1 FROM {BREACH} b WHERE b.rule_id = %s AND b.subject_id = h.subject_id)",
            [rule.pk, True, period, rule.pk])
        s.opened = cur.rowcount
        cur.execute(f"DROP TABLE {HITS}")
        cur.execute(f"SELECT COUNT(*) FROM {BREACH} WHERE rule_id = %s AND is_open = %s", [rule.pk, True])
        s.breaches = cur.fetchone()[0]
    return s


def evaluate(organisation: Unit | None = None, period: dt.date | None = None, *, tasks: bool = True) -> Summary:
    """Evaluate every active rule of ``organisation`` (of every organisation with rules if None) as
    of ``period`` (the organisation's latest month with values if None); then, unless ``tasks`` is
    False, follow the changed breaches with their tasks."""
    total = Summary()
    orgs = [organisation] if organisation else list(
        Unit.objects.filter(pk__in=Rule.objects.filter(active=True).values("organisation")))
    for org in orgs:
        at = period or latest_period(org)
        if at is None:
            continue
        at = at.replace(day=1)
        for rule in _rules(org):
            total.add(evaluate_rule(rule, at))
        if tasks:
            alerts.follow(org)
    return total
