"""The monitoring pages: who reaches them, rules kept on a page, another organisation's rows 404."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from luoshi.monitoring.models import Rule, RuleKind, Subject
from tests.monitoring.helpers import MAY, below, income, put, subject

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)  # sign-in itself is tested in tests/org (throttled, with a request)
    return c


def test_the_rules_page_adds_and_edits_a_rule(org) -> None:
    ind = income(org)
    c = _client(org.supervisor)
    assert c.get("/monitoring/rules/").status_code == 200
    r = c.post("/monitoring/rules/new/", {"name": "收入低于标准", "kind": RuleKind.BELOW, "indicator": ind.pk,
                                          "threshold": "6000", "acting_unit": org.unit_b.pk, "within": "20wd",
                                          "active": "on"})
    assert r.status_code == 302
    rule = Rule.objects.get()
    assert (rule.organisation, rule.threshold, rule.acting_unit) == (org.province, 6000, org.unit_b)
    r = c.post(f"/monitoring/rules/{rule.pk}/", {"name": "收入低于标准", "kind": RuleKind.BELOW, "indicator": ind.pk,
                                                  "threshold": "6500", "acting_unit": org.unit_b.pk, "within": "20wd"})
    assert r.status_code == 302
    rule.refresh_from_db()
    assert (rule.threshold, rule.active) == (6500, False)


def test_a_rule_without_what_it_needs_is_refused(org) -> None:
    c = _client(org.admin)
    r = c.post("/monitoring/rules/new/", {"name": "下降", "kind": RuleKind.FALL, "indicator": income(org).pk,
                                          "threshold": "130", "acting_unit": org.unit_b.pk, "within": "20wd"})
    assert r.status_code == 400
    assert Rule.objects.count() == 0


def test_who_keeps_rules(org) -> None:
    assert _client(org.leader).get("/monitoring/rules/").status_code == 200  # reads them
    assert _client(org.leader).get("/monitoring/rules/new/").status_code == 403
    assert _client(org.handler_b).get("/monitoring/rules/").status_code == 403
    assert _client(org.deputy).get("/monitoring/").status_code == 403


def test_another_organisations_rules_and_subjects_are_404(org) -> None:
    rule = below(org)
    s = subject(org, "LL-200", unit=org.unit_b)
    other = _client(org.other_supervisor)
    assert other.get(f"/monitoring/rules/{rule.pk}/").status_code == 404
    assert other.post(f"/monitoring/rules/{rule.pk}/", {"name": "x"}).status_code == 404
    assert other.get(f"/monitoring/subjects/{s.pk}/").status_code == 404
    assert "LL-200" not in other.get("/monitoring/").content.decode()


def test_the_subjects_page_pages_by_keyset_and_shows_breaches(org) -> None:
    ind = income(org)
    for n in range(60):
        put(subject(org, f"LL-{n:03d}", unit=org.unit_b), ind, MAY, 100 if n == 55 else 9000)
    below(org)
    from luoshi.monitoring.evaluate import evaluate
    evaluate(org.province, MAY)
    c = _client(org.handler_b)
    first = c.get("/monitoring/").content.decode()
    assert "LL-000" in first and "LL-049" in first and "LL-050" not in first
    after = Subject.objects.get(code="LL-049").pk
    assert f"?after={after}" in first
    second = c.get(f"/monitoring/?after={after}").content.decode()
    assert "LL-050" in second and "LL-059" in second and "rel=\"next\"" not in second
    assert "收入低于标准" in second
    only = c.get("/monitoring/?open=on").content.decode()
    assert "LL-055" in only and "LL-000" not in only


def test_the_import_page(org) -> None:
    c = _client(org.supervisor)
    bad = io.BytesIO("编号,名称,期间,人均纯收入\nLL-1,张三,2026-05,abc\n".encode())
    bad.name = "v.csv"
    r = c.post("/monitoring/import/", {"file": bad})
    assert r.status_code == 400 and "不是数字" in r.content.decode()
    good = io.BytesIO("编号,名称,期间,人均纯收入\nLL-1,张三,2026-05,4000\n".encode())
    good.name = "v.csv"
    r = c.post("/monitoring/import/", {"file": good})
    assert r.status_code == 200 and 'id="imported"' in r.content.decode()
    assert Subject.objects.filter(organisation=org.province).count() == 1
    assert _client(org.leader).get("/monitoring/import/").status_code == 403
