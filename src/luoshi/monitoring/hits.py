"""Which subjects breach a rule in a period: one SQL query per kind of rule, run by the database.

Each query yields (subject_id, value) rows; `evaluate` never loops over them in Python, it puts
them in set-based statements. The same SQL runs on SQLite and PostgreSQL (plain joins and
EXISTS; the unique index value_once (indicator, period, subject) serves every lookup).

Boundaries, as the offices count them:
- below: a value under the line breaches; a value exactly at the line does not;
- fall: a value more than N % under the last period's breaches; a fall of exactly N % does not.
  Computed as ``value * 100 < last * (100 - N)`` so that whole numbers compare exactly; the last
  period must have a positive value (a fall from nothing is not a fall);
- missing: a subject of the organisation with no value of the indicator in the period;
- combination: a subject with an open breach of every one of the rules combined (evaluated
  first, in the same run and period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from luoshi.monitoring.models import Rule, RuleKind

VALUE = "monitoring_value"
SUBJECT = "monitoring_subject"
NO_VALUE = "CAST(NULL AS DOUBLE PRECISION) AS value"  # typed, or PostgreSQL takes it for text
BREACH = "monitoring_breach"


@dataclass(frozen=True)
class Query:
    sql: str
    params: list


def previous_period(period: dt.date) -> dt.date:
    return (period.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def breaching(rule: Rule, period: dt.date, parts: list[int] | None = None) -> Query | None:
    """The subjects that breach ``rule`` in ``period`` (None: the rule cannot be evaluated)."""
    if rule.kind == RuleKind.BELOW and rule.indicator_id and rule.threshold is not None:
        return Query(f"SELECT v.subject_id, v.value FROM {VALUE} v "
                     "WHERE v.indicator_id = %s AND v.period = %s AND v.value < %s",
                     [rule.indicator_id, period, rule.threshold])
    if rule.kind == RuleKind.FALL and rule.indicator_id and rule.threshold is not None:
        return Query(f"SELECT c.subject_id, c.value FROM {VALUE} c JOIN {VALUE} p "
                     "ON p.indicator_id = c.indicator_id AND p.period = %s AND p.subject_id = c.subject_id "
                     "WHERE c.indicator_id = %s AND c.period = %s AND p.value > 0 "
                     "AND c.value * 100 < p.value * (100 - %s)",
                     [previous_period(period), rule.indicator_id, period, rule.threshold])
    if rule.kind == RuleKind.MISSING and rule.indicator_id:
        return Query(f"SELECT s.id AS subject_id, {NO_VALUE} FROM {SUBJECT} s WHERE s.organisation_id = %s "
                     f"AND NOT EXISTS (SELECT 1 FROM {VALUE} v WHERE v.indicator_id = %s AND v.period = %s "
                     "AND v.subject_id = s.id)",
                     [rule.organisation_id, rule.indicator_id, period])
    if rule.kind == RuleKind.COMBINATION and parts:
        marks = ", ".join(["%s"] * len(parts))
        return Query(f"SELECT b.subject_id, {NO_VALUE} FROM {BREACH} b WHERE b.rule_id IN ({marks}) "
                     f"AND b.is_open = %s GROUP BY b.subject_id HAVING COUNT(*) = %s",
                     [*parts, True, len(parts)])
    return None


def reported(rule: Rule, period: dt.date) -> Query | None:
    """The subjects whose value in ``period`` lets a breach of ``rule`` close when it no longer fires
    (None: any subject not breaching). A value not reported clears nothing: below and fall wait
    for a value; the missing report is another rule's business."""
    if rule.kind in (RuleKind.BELOW, RuleKind.FALL):
        return Query(f"SELECT v.subject_id FROM {VALUE} v WHERE v.indicator_id = %s AND v.period = %s",
                     [rule.indicator_id, period])
    return None
