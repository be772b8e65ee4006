"""Array literals and the ``__any_of`` lookup, with answers written by hand; on PostgreSQL the
literals are read back by the server itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from luoshi import pgarrays
from luoshi.tasks.models import State, Task
from tests.factories import make_task

# values → the literal PostgreSQL reads them from
LITERALS = [
    ([1, 22, 333], "{1,22,333}"),
    ([], "{}"),
    ([7, None], "{7,NULL}"),
    (["remind", "overdue"], '{"remind","overdue"}'),
    (["", "NULL", 'say "hi"', "a\\b", "{x,y}", "落实 台账"], '{"","NULL","say \\"hi\\"","a\\\\b","{x,y}","落实 台账"}'),
    (["a", None], '{"a",NULL}'),
    ([dt.date(2024, 2, 19), None], '{"2024-02-19",NULL}'),  # dates in ISO 8601, for a date[] cast
    ([State.IN_PROGRESS, "closed"], '{"in_progress","closed"}'),  # a state: its value
]


@pytest.mark.parametrize(("values", "literal"), LITERALS)
def test_array_literals_written_by_hand(values, literal) -> None:
    assert pgarrays.column(values) == literal


def test_anything_but_integers_and_text_is_refused() -> None:
    with pytest.raises(TypeError):
        pgarrays.column([1, "a"])
    with pytest.raises(TypeError):
        pgarrays.column([True])


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "literal"), LITERALS)
def test_postgresql_reads_the_literals_back_as_the_values(values, literal) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (set LUOSHI_TEST_POSTGRES for `make test`)")
    kind = ("bigint[]" if all(v is None or type(v) is int for v in values)
            else "date[]" if any(isinstance(v, dt.date) for v in values) else "text[]")
    with connection.cursor() as cur:
        cur.execute(f"SELECT %s::{kind}", [pgarrays.column(values)])
        assert cur.fetchone()[0] == [v if v is None or type(v) in (int, dt.date) else str(v) for v in values]


def test_any_of_finds_what_in_finds(org) -> None:
    a, b, c = (make_task(org, title=f"第{i}项") for i in range(3))
    assert set(Task.objects.filter(pk__any_of=[a.pk, c.pk, None, 10**9])) == {a, c}
    assert not Task.objects.filter(pk__any_of=[]).exists()
    assert not Task.objects.filter(pk__any_of=[None]).exists()
    assert Task.objects.filter(lead_unit__any_of={org.unit_a.pk}).count() == 3  # a foreign key, from a set
    assert Task.objects.exclude(pk__any_of=[a.pk]).filter(pk__in=[a.pk, b.pk]).get() == b
    if connection.vendor == "postgresql":  # one parameter however many keys
        sql, params = Task.objects.filter(pk__any_of=range(1, 5001)).query.sql_with_params()
        assert "= ANY(%s::" in sql and len(params) == 1


def test_insert_writes_the_rows_stamped_and_leaves_out_or_refuses_a_duplicate(org) -> None:
    from django.db import IntegrityError, transaction

    from luoshi.tasks.models import ScanMark

    a, b = make_task(org, title="第一项"), make_task(org, title="第二项")
    rows = [(a.pk, "remind", "2030-03-31:3wd"), (b.pk, "stale", "2030-03-01"), (a.pk, "remind", 'say "hi"')]
    pgarrays.insert(ScanMark, ["task", "kind", "key"], rows, stamp="at")
    marks = ScanMark.objects.order_by("pk")
    assert [(m.task_id, m.kind, m.key) for m in marks] == rows
    assert all(m.at is not None for m in marks)
    pgarrays.insert(ScanMark, ["task", "kind", "key"], [(b.pk, "stale", "2030-03-01"), (b.pk, "stale", "2030-03-02")],
                    stamp="at", ignore_conflicts=True)
    assert ScanMark.objects.filter(task=b).count() == 2  # the duplicate left out, the other written
    with pytest.raises(IntegrityError), transaction.atomic():
        pgarrays.insert(ScanMark, ["task", "kind", "key"], [(b.pk, "stale", "2030-03-01")], stamp="at")
    pgarrays.insert(ScanMark, ["task", "kind", "key"], [])  # nothing to write: no statement
    assert ScanMark.objects.count() == 4


def test_update_sets_many_rows_and_leaves_those_changed_since(org) -> None:
    from luoshi.tasks.models import ScanDay

    a, b, c = (make_task(org, title=f"第{i}项") for i in range(3))
    for t, n in ((a, 0), (b, 5), (c, 0)):
        ScanDay.objects.update_or_create(task=t, defaults={"organisation": org.province, "day": None, "n": n})
    rows = [(a.pk, dt.date(2024, 2, 19), 0),  # written
            (b.pk, dt.date(2024, 2, 20), 4),  # changed since (n is 5 now): left alone
            (c.pk, None, 0)]  # written, to NULL
    ScanDay.objects.filter(task=c).update(day=dt.date(2030, 1, 1))
    assert pgarrays.update(ScanDay, ["day"], rows, where=("n",)) == 2
    days = dict(ScanDay.objects.filter(task__in=[a, b, c]).values_list("task_id", "day"))
    assert days == {a.pk: dt.date(2024, 2, 19), b.pk: None, c.pk: None}
    assert pgarrays.update(ScanDay, ["day", "n"], [(b.pk, dt.date(2024, 3, 1), 9)]) == 1  # no guard
    assert ScanDay.objects.values_list("day", "n").get(task=b) == (dt.date(2024, 3, 1), 9)
    assert pgarrays.update(ScanDay, ["day"], []) == 0
