"""Importing: nothing written when a row has an error, everything when none, in one transaction;
the journal says where each task came from; the same file once; the mapping remembered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.imports import importer
from luoshi.imports.importer import AlreadyImported, ImportRefused
from luoshi.imports.models import ImportBatch, ImportMapping
from luoshi.org.models import Role
from luoshi.tasks import audit
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Event, State, Task
from tests.factories import _user
from tests.imports.conftest import TODAY
from tests.imports.ledgers import CLEAN_MERGES, CLEAN_ROWS, ERROR_ROWS, SUGGESTED, xlsx

pytestmark = pytest.mark.django_db

CLEAN = xlsx(CLEAN_ROWS, merges=CLEAN_MERGES)
# a GB18030 CSV, as Excel saves one on a Chinese Windows, with a state column
CSV = ("任务名称,牵头单位,配合单位,完成时限,优先级,状态,交办领导\r\n"
       "抓好春耕生产,省农业农村厅,省水利厅,2026-04-30,紧急,已交办,省长\r\n"
       "水毁工程修复,省水利厅,,6月底前,,草稿,\r\n").encode("gb18030")


def _receive(org, data: bytes = CLEAN, name: str = "2026年督办台账.xlsx", who=None) -> ImportBatch:
    return importer.receive(who or org.supervisor, org.province, name=name, data=data)


def test_nothing_is_written_when_a_row_has_an_error(org, units) -> None:
    batch = _receive(org, xlsx(ERROR_ROWS, merges=CLEAN_MERGES))
    with pytest.raises(ImportRefused) as refused:
        importer.run_import(batch, org.supervisor, SUGGESTED, assign_all=False, today=TODAY)
    assert str(refused.value) == "Nothing was imported: 7 errors in the file. Correct them and check again."
    assert len(refused.value.plan.errors) == 7
    assert Task.objects.count() == 0 and Event.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == "pending" and batch.created_count == 0 and batch.imported_at is None


def test_everything_is_written_when_no_row_has_an_error(org, units) -> None:
    batch = _receive(org)
    assert (batch.status, batch.rows, batch.size, batch.file_name) == ("pending", 7, len(CLEAN), "2026年督办台账.xlsx")
    done = importer.run_import(batch, org.supervisor, SUGGESTED, assign_all=False, today=TODAY)
    assert (done.status, done.rows, done.created_count) == ("imported", 7, 7)
    assert done.mapping[1] == {"column": "B", "header": "督办事项", "field": "title"}
    tasks = {t.title: t for t in Task.objects.all()}
    assert len(tasks) == 7 and {t.state for t in tasks.values()} == {State.DRAFT}
    assert {t.organisation_id for t in tasks.values()} == {org.province.pk}
    assert {t.created_by_id for t in tasks.values()} == {org.supervisor.pk}

    t = tasks["抓好高标准农田建设"]  # row 4
    assert (t.lead_unit, set(t.co_units.all()), t.due_date, t.due_origin, t.target, t.priority, t.description,
            t.kind) == (org.unit_a, {org.unit_b, org.unit_c}, dt.date(2026, 6, 30), "typed", "新建高标准农田50万亩",
                        "high", "年度重点", "directive")
    t = tasks["一季度开门红"]  # row 9
    assert (t.lead_unit, list(t.co_units.all()), t.due_date, t.due_origin, t.due_basis, t.priority,
            t.description) == (org.unit_b, [], dt.date(2026, 3, 31), "inferred", "一季度", "normal", "四全工作法")

    # each task's journal: created by the import, from its row
    created = Event.objects.filter(action="created").order_by("task_id")
    assert sorted((e.data["import"], e.data["row"]) for e in created) == [
        (batch.pk, 4), (batch.pk, 5), (batch.pk, 6), (batch.pk, 8), (batch.pk, 9), (batch.pk, 10), (batch.pk, 11)]
    assert created.get(task=tasks["一季度开门红"]).data["row"] == 9
    assert Event.objects.exclude(action="created").count() == 0
    assert audit.verify(files=False).ok  # the chain and every task's replay hold
    assert [(row, task.title) for row, task in importer.created_tasks(done)][:2] == [
        (4, "抓好高标准农田建设"), (5, "推进重大水利项目建设")]


def test_assign_all_assigns_every_task(org, units) -> None:
    batch = _receive(org)
    importer.run_import(batch, org.supervisor, SUGGESTED, assign_all=True, today=TODAY)
    assert set(Task.objects.values_list("state", flat=True)) == {State.ASSIGNED}
    assert Event.objects.filter(action="assign").count() == 7
    assert audit.verify(files=False).ok


def test_a_gb18030_csv_with_a_state_column(org, units) -> None:
    batch = _receive(org, CSV, "台账.csv")
    sheet = importer.sheet_of(batch)
    fields, origin = importer.proposed(batch, sheet)
    assert (fields, origin) == (["title", "lead_unit", "co_units", "due_date", "priority", "state", "leader"],
                                "suggested")
    importer.run_import(batch, org.supervisor, fields, assign_all=False, today=TODAY)
    spring = Task.objects.get(title="抓好春耕生产")
    assert (spring.state, spring.lead_unit, list(spring.co_units.all()), spring.due_date, spring.priority,
            spring.leader) == (State.ASSIGNED, org.unit_a, [org.unit_c], dt.date(2026, 4, 30), "urgent", org.leader)
    repair = Task.objects.get(title="水毁工程修复")
    assert (repair.state, repair.due_date, repair.due_basis) == (State.DRAFT, dt.date(2026, 6, 30), "6月底前")


def test_a_row_that_fails_when_created_leaves_nothing(org, units, monkeypatch) -> None:
    real = importer.services.create_task

    def failing(actor, **kwargs):
        if kwargs["note"]["row"] == 8:
            raise WorkflowError("The database said no.", "invalid")
        return real(actor, **kwargs)

    monkeypatch.setattr(importer.services, "create_task", failing)
    batch = _receive(org)
    with pytest.raises(WorkflowError, match=r"^Row 8 could not be imported: The database said no. Nothing was imported.$"):
        importer.run_import(batch, org.supervisor, SUGGESTED, assign_all=True, today=TODAY)
    assert Task.objects.count() == 0 and Event.objects.count() == 0  # rows 4-6 were created, then rolled back
    assert ImportBatch.objects.get().status == "pending"


def test_the_same_file_goes_in_once(org, units) -> None:
    first = _receive(org)
    assert _receive(org) == first  # uploaded again while pending: the same batch
    importer.run_import(first, org.supervisor, SUGGESTED, assign_all=False, today=TODAY)
    with pytest.raises(AlreadyImported) as again:
        _receive(org, name="another name.xlsx")
    assert again.value.first == first and again.value.code == "state"
    assert f"(import #{first.pk})" in str(again.value)
    # another organisation may import the same file
    other = importer.receive(org.other_supervisor, org.other_org, name="t.xlsx", data=CLEAN)
    assert other.status == "pending"


def test_a_second_pending_copy_is_refused_once_the_first_is_imported(org, units) -> None:
    colleague = _user("supervisor2", "督查员二", org.office, Role.SUPERVISOR)
    mine, theirs = _receive(org), _receive(org, who=colleague)
    assert mine != theirs
    importer.run_import(theirs, colleague, SUGGESTED, assign_all=False, today=TODAY)
    with pytest.raises(AlreadyImported):
        importer.run_import(mine, org.supervisor, SUGGESTED, assign_all=False, today=TODAY)
    assert Task.objects.count() == 7


def test_only_the_uploader_continues_a_pending_import(org, units) -> None:
    colleague = _user("supervisor2", "督查员二", org.office, Role.SUPERVISOR)
    batch = _receive(org)
    with pytest.raises(WorkflowError) as refused:
        importer.run_import(batch, colleague, SUGGESTED, assign_all=False, today=TODAY)
    assert refused.value.code == "forbidden"
    with pytest.raises(WorkflowError) as refused:
        importer.receive(org.handler_a, org.province, name="t.xlsx", data=CLEAN)
    assert refused.value.code == "forbidden"
    assert Task.objects.count() == 0


def test_the_mapping_is_remembered_for_the_organisation_and_header_row(org, units) -> None:
    batch = _receive(org)
    sheet = importer.sheet_of(batch)
    assert importer.proposed(batch, sheet) == (SUGGESTED, "suggested")
    chosen = ["", "title", "lead_unit", "co_units", "due_date", "description", "priority", ""]
    importer.choose(batch, org.supervisor, sheet, chosen, assign_all=True)
    assert importer.proposed(batch, sheet) == (chosen, "chosen")
    kept = ImportMapping.objects.get()
    assert (kept.organisation, kept.updated_by, kept.mapping[5]) == (
        org.province, org.supervisor, {"column": "F", "header": "工作目标", "field": "description"})

    # another ledger with the same header row, next month: the same mapping is proposed
    later = _receive(org, xlsx([[1, "新事项", "省水利厅", None, "2026-08-31", "目标", None, "备注"]]), "二月台账.xlsx")
    assert importer.proposed(later, importer.sheet_of(later)) == (chosen, "remembered")
    # another organisation's supervisor: only the suggestion
    theirs = importer.receive(org.other_supervisor, org.other_org, name="t.xlsx", data=CLEAN)
    assert importer.proposed(theirs, importer.sheet_of(theirs)) == (SUGGESTED, "suggested")
    # chosen again: one remembered row per organisation and header row
    importer.choose(later, org.supervisor, importer.sheet_of(later), SUGGESTED, assign_all=False)
    assert ImportMapping.objects.count() == 1 and ImportMapping.objects.get().mapping[5]["field"] == "target"


def test_pending_imports_older_than_a_day_are_abandoned(org, units) -> None:
    small = xlsx(CLEAN_ROWS[:2])
    old, fresh = _receive(org), _receive(org, small, "t2.xlsx")
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert importer.abandon_stale() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, bytes(old.raw)) == ("abandoned", b"")
    assert (fresh.status, bytes(fresh.raw)) == ("pending", small)
    with pytest.raises(WorkflowError) as refused:
        importer.run_import(old, org.supervisor, SUGGESTED, assign_all=False, today=TODAY)
    assert refused.value.code == "state"
    importer.abandon(fresh, org.supervisor)
    fresh.refresh_from_db()
    assert fresh.status == "abandoned" and Task.objects.count() == 0
