"""The pairs of units the tally keeps (`tally.linked`, `tasks.TallyLink`), against tables written by
hand: which units share a handed-out task with a unit, after a recount and after real moves; and the
list's unit filter that reads them for a unit's people (and probes for everyone else).

Units: A 省农业农村厅, B 吕梁市人民政府, C 省水利厅 (tests/factories.py).
"""

from __future__ import annotations

import re

import pytest
from django.db.models import Sum
from django.test import Client
from tests.factories import drive, make_task

from luoshi import access
from luoshi.tasks import services, tally
from luoshi.tasks.models import State, TallyLink, Task
from luoshi.tasks.workflow import perform

pytestmark = pytest.mark.django_db

A, B, C = "省农业农村厅", "吕梁市人民政府", "省水利厅"


@pytest.fixture
def tasks(org) -> dict:
    """T1 lead A, co B, assigned; T2 lead A, co C, a draft; T3 lead C, co B, assigned."""
    t1 = drive(org, make_task(org, title="T1"), State.ASSIGNED)
    t2 = services.create_task(org.supervisor, organisation=org.province, title="T2", lead_unit=org.unit_a,
                              co_units=[org.unit_c], due_date=None, leader=org.leader)
    t3 = services.create_task(org.supervisor, organisation=org.province, title="T3", lead_unit=org.unit_c,
                              co_units=[org.unit_b], due_date=None, leader=org.leader)
    t3 = perform(t3, "assign", org.supervisor, version=t3.version)
    return {"t1": t1, "t2": t2, "t3": t3}


def names(org, unit) -> set[str] | None:
    if not tally.links_kept():
        return None
    found = tally.linked([unit.pk])
    by_pk = {u.pk: u.name for u in (org.unit_a, org.unit_b, org.unit_c, org.office, org.province)}
    return {by_pk[pk] for pk in found}


def table(org) -> dict:
    return {"A": names(org, org.unit_a), "B": names(org, org.unit_b), "C": names(org, org.unit_c)}


def test_not_read_before_the_organisation_is_counted(org, tasks) -> None:
    assert table(org) == {"A": None, "B": None, "C": None}
    tally.recount(org.province.pk)
    # T2 is a draft: C is not A's partner yet
    assert table(org) == {"A": {A, B}, "B": {A, B, C}, "C": {B, C}}


def _summed() -> dict[tuple[int, int], int]:
    rows = TallyLink.objects.order_by().values_list("unit", "other").annotate(Sum("n"))
    return {(u, o): n for u, o, n in rows if n}


def _reassign(org, pk: int, handler, unit):
    task = Task.objects.get(pk=pk)
    task = perform(task, "request_reassignment", handler, version=task.version, reason="不属本单位职责", unit=unit)
    return perform(task, "approve_reassignment", org.supervisor, version=task.version, unit=unit)


def test_moves_keep_the_pairs(org, tasks) -> None:
    tally.recount(org.province.pk)
    t = tasks
    perform(t["t3"], "withdraw", org.supervisor, version=t["t3"].version, reason="交办有误")  # a draft again
    assert table(org) == {"A": {A, B}, "B": {A, B}, "C": set()}
    # T1 goes to its co-unit B, which leaves its co-units: B alone is on it
    t1 = _reassign(org, t["t1"].pk, org.handler_a, org.unit_b)
    assert table(org) == {"A": set(), "B": {B}, "C": set()}
    # then on to C: only its lead unit changes
    _reassign(org, t1.pk, org.handler_b, org.unit_c)
    assert table(org) == {"A": set(), "B": set(), "C": {C}}
    # a draft's co-units change: nothing is handed out, nothing pairs
    t2 = services.edit_task(t["t2"], org.supervisor, version=t["t2"].version, co_units=[org.unit_c, org.unit_b])
    assert table(org) == {"A": set(), "B": set(), "C": {C}}
    perform(t2, "assign", org.supervisor, version=t2.version)  # T2: A leads, C and B co-handle
    assert table(org) == {"A": {A, B, C}, "B": {A, B, C}, "C": {A, B, C}}
    # the rows the moves added sum to what a recount counts, pair by pair
    kept = _summed()
    tally.recount(org.province.pk)
    assert _summed() == kept


def _offered(client: Client) -> set[str]:
    page = client.get("/tasks/").content.decode()
    select = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    return set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select))


def test_the_list_offers_a_unit_its_partners(org, tasks) -> None:
    client = Client()
    client.force_login(org.handler_b)
    assert access.sees_through_units_only(org.handler_b) == [org.unit_b.pk]
    assert access.sees_through_units_only(org.supervisor) is None
    assert access.sees_through_units_only(org.leader) is None
    assert _offered(client) == {A, B, C}  # probed: not counted yet
    tally.recount(org.province.pk)
    assert _offered(client) == {A, B, C}  # from the kept pairs
    TallyLink.objects.create(organisation=org.province, unit=org.unit_b, other=org.office, n=1)
    assert _offered(client) == {A, B, C, org.office.name}  # read from the kept pairs, not probed


def test_folded_the_pairs_are_one_row_each_and_still_the_hand_table(org, tasks) -> None:
    tally.recount(org.province.pk)
    t = tasks
    perform(t["t3"], "withdraw", org.supervisor, version=t["t3"].version, reason="交办有误")
    _reassign(org, t["t1"].pk, org.handler_a, org.unit_b)
    rows = TallyLink.objects.count()
    assert tally.fold(org.province.pk) > 0
    assert table(org) == {"A": set(), "B": {B}, "C": set()}
    pairs = list(TallyLink.objects.values_list("unit", "other"))
    assert len(pairs) == len(set(pairs)) < rows  # one row a pair, and the pairs no task holds gone
    assert all(n > 0 for n in TallyLink.objects.values_list("n", flat=True))
    # a move after the fold adds to the folded rows
    t2 = perform(t["t2"], "assign", org.supervisor, version=t["t2"].version)  # A leads, C co-handles
    assert t2.state == State.ASSIGNED
    assert table(org) == {"A": {A, C}, "B": {B}, "C": {A, C}}
