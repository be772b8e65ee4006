"""The dashboard's kept counts (luoshi.tasks.tally, kept by the tasks' writes, read only here) against the hand-counted table of
tests/dashboard/conftest.py, then against the same table changed by hand after real moves."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.dashboard.conftest import TODAY, days
from tests.dashboard.test_pages import _chart_figures, _data, _ledger_count, _table_figures
from tests.dashboard.test_queries import SUPERVISOR_CELLS

from luoshi.dashboard.queries import Overview, by_lead_unit_of, overview_of
from luoshi.ledgers.periods import period_bounds
from luoshi.tasks import jobs, scan, services, tally
from luoshi.tasks.models import State, Tally, TallyDay, Task
from luoshi.tasks.workflow import perform

pytestmark = pytest.mark.django_db


def _overview(org, day=TODAY) -> Overview | None:
    if not tally.is_counted([org.province.pk], day):
        return None
    return overview_of(tally.groups([org.province.pk]))


def test_a_recount_gives_the_hand_counted_table(org, tasks) -> None:
    assert not tally.is_counted([org.province.pk], TODAY)  # never counted: not used
    tally.recount(org.province.pk, TODAY)
    o = _overview(org)
    assert o.cells == SUPERVISOR_CELLS
    assert (o.closed_on_time, o.signed, o.signed_on_time) == (1, 6, 5)
    b = by_lead_unit_of(tally.groups([org.province.pk]), top=10)
    assert [(u.unit.name, u.open, u.red, u.yellow, u.green, u.closed) for u in b.top] == [
        ("吕梁市人民政府", 3, 1, 1, 1, 0), ("省农业农村厅", 1, 1, 0, 0, 2), ("省水利厅", 1, 0, 1, 0, 0)]


def test_writes_keep_it_counted(org, tasks, people) -> None:
    tally.recount(org.province.pk, TODAY)
    t = tasks
    perform(t["t4"], "accept", org.handler_b, version=t["t4"].version)  # assigned green -> accepted green, signed
    perform(t["t6"], "start", people["handler_c"], version=t["t6"].version)  # accepted -> in progress, yellow
    t3 = perform(t["t3"], "submit", org.handler_a, version=t["t3"].version, reason="已完成")
    perform(t3, "close", org.supervisor, version=t3.version)  # red -> closed, late
    services.create_task(org.supervisor, organisation=org.province, title="T9 新草稿", lead_unit=org.unit_c,
                         co_units=[], due_date=days(40), leader=org.leader)
    # a report on T7 (due in 3 days) leaves it yellow: nothing moves
    before = Tally.objects.count()
    services.report_progress(t["t7"], org.handler_b, text="过半。", percent=50)
    assert Tally.objects.count() == before

    o = _overview(org)
    assert o.cells == {
        ("closed", "none"): 3,  # T1 T2 T3
        ("in_progress", "yellow"): 2,  # T6 T7
        ("accepted", "green"): 1,  # T4
        ("draft", "none"): 2,  # T5 T9
        ("accepted", "red"): 1,  # T8
    }
    assert (o.closed_on_time, o.signed, o.signed_on_time) == (1, 7, 6)  # T3 closed late; T4 signed on time
    # closings by week: T2 late on last week's Sunday 23:59:30; T1 on time on this Monday 00:00:30, T3 late now
    monday, _sunday = period_bounds("week", TODAY)
    last_monday = monday - dt.timedelta(days=7)
    assert tally.closings([org.province.pk], last_monday - dt.timedelta(days=7), monday) == {
        last_monday: (1, 0), monday: (2, 1)}
    assert o.cells == overview_of(tally.count(Task.objects.filter(organisation=org.province), TODAY)).cells


def _one_row_a_group() -> bool:
    keys = list(Tally.objects.values_list("organisation", "lead_unit", "co_unit", "state", "light", "week"))
    return len(keys) == len(set(keys))


def test_folded_the_rows_are_one_a_group_and_still_the_hand_table(org, tasks, people) -> None:
    tally.recount(org.province.pk, TODAY)
    assert tally.fold(org.province.pk) == 0  # a recount leaves one row a group
    t = tasks
    perform(t["t4"], "accept", org.handler_b, version=t["t4"].version)
    t3 = perform(t["t3"], "submit", org.handler_a, version=t["t3"].version, reason="已完成")
    t3 = perform(t3, "close", org.supervisor, version=t3.version)
    assert not _one_row_a_group()
    by_unit = tally.by_unit([org.province.pk])
    assert tally.fold(org.province.pk) > 0
    assert _one_row_a_group()
    assert not Tally.objects.filter(n=0, closed_on_time=0, signed=0, signed_on_time=0, urged=0,
                                    receipt_late=0).exists()  # a group every task left is gone
    o = _overview(org)
    assert o.cells == {("closed", "none"): 3, ("in_progress", "yellow"): 1, ("accepted", "green"): 1,
                       ("draft", "none"): 1, ("accepted", "red"): 1, ("accepted", "yellow"): 1}
    assert (o.closed_on_time, o.signed, o.signed_on_time) == (1, 7, 6)
    assert tally.by_unit([org.province.pk]) == by_unit
    monday, _sunday = period_bounds("week", TODAY)
    last_monday = monday - dt.timedelta(days=7)
    assert tally.closings([org.province.pk], last_monday, monday) == {last_monday: (1, 0), monday: (2, 1)}
    assert tally.fold(org.province.pk) == 0
    assert jobs.fold.call(slot="2026-12-02T0300") == "0 rows folded away"  # as the schedule calls it
    assert ("tally-fold", "luoshi.tasks.jobs.fold", "every 60 minutes") in settings.LUOSHI["SCHEDULE"]
    # a write after the fold adds its rows to the folded ones
    perform(t["t6"], "start", people["handler_c"], version=t["t6"].version)  # accepted -> in progress, yellow
    o = _overview(org)
    assert ("accepted", "yellow") not in o.cells and o.cells[("in_progress", "yellow")] == 2  # T6 T7


@pytest.mark.parametrize("how", ["command", "job", "hourly"])
def test_the_scan_leaves_its_rows_folded(org, tasks, how) -> None:
    tally.recount(org.province.pk, TODAY)
    rows = Tally.objects.count()
    # ten days on, T4 (assigned today) is flagged as not signed for in time: its group's figures move
    if how == "command":
        call_command("scan", "--at", days(10).isoformat())
    elif how == "job":
        jobs.scan.call(days(10).isoformat())
    else:  # the scan alone, then the hourly job
        scan.run(days(10))
        assert not _one_row_a_group()
        assert jobs.fold.call(slot="2026-12-02T0300") == "2 rows folded away"  # T4's -1 and +1, into its group
    assert Task.objects.get(pk=tasks["t4"].pk).receipt_late
    assert _one_row_a_group()
    assert Tally.objects.count() == rows  # no new group: what the scan added was folded into those
    assert _overview(org).cells == SUPERVISOR_CELLS  # the scan marks and tells: no task changes light


def test_a_report_that_ends_a_silence_turns_the_light_green(org, tasks, people) -> None:
    # T4: accepted, due in 20 days; started and left quiet for 15 days it is yellow, a report makes it green
    t4 = perform(tasks["t4"], "accept", org.handler_b, version=tasks["t4"].version)
    t4 = perform(t4, "start", org.handler_b, version=t4.version)
    quiet = TODAY - dt.timedelta(days=15)
    Task.objects.filter(pk=t4.pk).update(
        created_at=dt.datetime.combine(quiet, dt.time(9), tzinfo=timezone.get_current_timezone()))
    tally.recount(org.province.pk, TODAY)
    o = _overview(org)
    assert (o.cells[("in_progress", "yellow")], o.cells.get(("in_progress", "green"), 0)) == (2, 0)  # T4 T7
    services.report_progress(Task.objects.get(pk=t4.pk), org.handler_b, text="已开工。", percent=10)
    o = _overview(org)
    assert (o.cells[("in_progress", "yellow")], o.cells[("in_progress", "green")]) == (1, 1)  # T7; T4


def test_not_read_on_another_day_nor_under_other_limits(org, tasks) -> None:
    tally.recount(org.province.pk, TODAY)
    assert _overview(org, TODAY + dt.timedelta(days=1)) is None  # lights move at midnight
    with override_settings(LUOSHI={**_settings(), "WARNING": "10d"}):
        assert not tally.is_counted([org.province.pk], TODAY)
    assert _overview(org) is not None


def _settings() -> dict:
    return dict(settings.LUOSHI)


def test_the_daily_job_recounts_and_never_back_to_an_earlier_day(org, tasks) -> None:
    jobs.recount.call(TODAY.isoformat())
    assert TallyDay.objects.get(organisation=org.province).day == TODAY
    assert _overview(org).cells == SUPERVISOR_CELLS
    assert tally.recount_all(TODAY - dt.timedelta(days=1)) == 0  # a late run of yesterday's job
    assert TallyDay.objects.get(organisation=org.province).day == TODAY
    assert ("tally", "luoshi.tasks.jobs.recount", "daily 00:01") in settings.LUOSHI["SCHEDULE"]


def test_the_page_reads_the_tally_not_the_tasks(org, tasks, as_user) -> None:
    tally.recount(org.province.pk, TODAY)
    client = as_user("supervisor")
    with CaptureQueriesContext(connection) as q:
        assert client.get("/dashboard/").status_code == 200
    assert any("tasks_tally" in x["sql"] for x in q.captured_queries)
    # the counting pass groups by the light's CASE; read from the tally, no query does
    assert not any("GROUP BY" in x["sql"] and "CASE WHEN" in x["sql"] for x in q.captured_queries)
    # the selects' choices read plainly, not through a server-side cursor (PostgreSQL's DECLARE)
    assert not any(x["sql"].startswith("DECLARE") for x in q.captured_queries)
    # a row added by hand shows: the figures are the tally's
    Tally.objects.create(organisation=org.province, lead_unit=org.unit_a, state=State.CLOSED, light="none", n=5)
    body = client.get("/dashboard/").content.decode()
    assert '<span class="kpi-n">13</span>' in body  # 8 tasks and 5 more


def test_every_figure_read_from_the_tally_is_the_count_of_its_ledger(org, tasks, people, as_user) -> None:
    tally.recount(org.province.pk, TODAY)
    perform(tasks["t4"], "accept", org.handler_b, version=tasks["t4"].version)  # kept by the write, not recounted
    client = as_user("supervisor")
    r = client.get("/dashboard/")
    figures = _table_figures(r) + _chart_figures(_data(r))
    checked = [(url, n) for url, n in figures if not url.startswith("/ledgers/responsibility/")]
    assert len(checked) > 20
    for url, n in checked:
        assert _ledger_count(client, url) == n, url


ON_POSTGRES = connection.vendor == "postgresql"


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks between two connections: set LUOSHI_TEST_POSTGRES="
                    "postgresql://USER@HOST:PORT/DBNAME (make test then runs it in its PostgreSQL pass)")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("then", ["recount", "fold"])
def test_a_recount_waits_for_a_write_in_flight_and_counts_it_once(then) -> None:
    """A write holds its organisation's TallyDay row (shared) until it commits; a recount (or a
    fold) that starts meanwhile waits for it, then counts the written task once (not also its two
    rows; a fold that did not wait would sum the rows without the write's and then delete them)."""
    from django.db import transaction
    from tests.factories import make_org, make_task

    org = make_org()
    task = make_task(org)
    tally.recount(org.province.pk, TODAY)
    written, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with transaction.atomic():
                perform(task.pk, "assign", org.supervisor, version=task.version)  # draft -> assigned
                written.set()
                release.wait(30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def recount() -> None:
        try:
            if then == "recount":
                tally.recount(org.province.pk, TODAY)
            else:
                tally.fold(org.province.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    assert written.wait(30)
    counter = threading.Thread(target=recount)
    counter.start()
    counter.join(1.0)
    assert counter.is_alive(), "the recount did not wait for the write in flight"
    release.set()
    writer.join(30)
    counter.join(30)
    assert not errors, errors
    o = _overview(org)
    assert o.cells == {("assigned", "green"): 1}  # counted once, by the recount
    assert o.cells == overview_of(tally.count(Task.objects.filter(organisation=org.province), TODAY)).cells
