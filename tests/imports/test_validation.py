"""Every row checked before anything is written: the problems by row and column, exactly."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.imports.reading import read_ledger
from luoshi.imports.validation import Problem, check
from luoshi.tasks.models import Task
from tests.factories import make_task
from tests.imports.conftest import TODAY
from tests.imports.ledgers import CLEAN_MERGES, CLEAN_ROWS, ERROR_ROWS, SUGGESTED, xlsx

pytestmark = pytest.mark.django_db

LEAD, CO, DUE = "责任单位（牵头单位）", "责任单位（配合单位）", "完成时限"
NOT_A_DATE = ("“尽快” is not a date Luoshi understands: write 2024-03-31, 2024年3月31日 or 3月31日, or words such as "
              "年底前, 一季度, 6月底前.")


def test_errors_and_warnings_by_row_and_column(org, units) -> None:
    existing = make_task(org, title="防返贫动态监测")
    sheet = read_ledger(xlsx(ERROR_ROWS, merges=CLEAN_MERGES), "台账.xlsx")
    plan = check(sheet, SUGGESTED, org.province, today=TODAY)
    assert plan.problems == [
        Problem(6, "B", "督办事项", f"An open task of the organisation has this title (#{existing.pk}).", False),
        Problem(12, "C", LEAD, "山西省人民政府 has no unit called “省商务厅”."),
        Problem(13, "C", LEAD, "“发展改革委” could be 市发展改革委、省发展改革委: write the full name."),
        Problem(14, "B", "督办事项", "The title is missing."),
        Problem(15, "D", CO, "山西省人民政府 has no unit called “省林业局”."),
        Problem(15, "E", DUE, NOT_A_DATE),
        Problem(15, "G", "紧急程度", "“非常重要” is not a priority: write 一般、重要、紧急."),
        Problem(16, "B", "督办事项", "The same title as row 4.", False),
        Problem(16, "D", CO, "山西省人民政府 has no unit called “大同市商务局”."),
        Problem(16, "E", DUE, "The due date 2025-12-31 is already past.", False),
    ]
    assert not plan.ok and len(plan.errors) == 7 and len(plan.warnings) == 3
    assert [p.row for p in plan.planned if p.failed] == [12, 13, 14, 15, 16]
    assert Task.objects.count() == 1  # nothing written by a check


def test_a_clean_ledger_plans_each_row_as_written(org, units) -> None:
    sheet = read_ledger(xlsx(CLEAN_ROWS, merges=CLEAN_MERGES), "台账.xlsx")
    plan = check(sheet, SUGGESTED, org.province, today=TODAY)
    assert plan.problems == [] and plan.ok
    rows = {p.row: p for p in plan.planned}
    assert list(rows) == [4, 5, 6, 8, 9, 10, 11]
    p = rows[5]
    assert (p.title, p.lead_unit, p.co_units, p.due.date, p.priority) == (
        "推进重大水利项目建设", org.unit_c, [org.unit_a, org.unit_b], dt.date(2026, 3, 31), "urgent")
    p = rows[11]  # its lead unit is the merged cell above it
    assert (p.lead_unit, p.co_units, p.due.date, p.due.basis, p.assign) == (
        org.unit_c, [org.unit_b], dt.date(2026, 12, 31), "年底前", False)


def test_assigning_needs_a_lead_unit(org, units) -> None:
    rows = [[1, "甲事项", None, None, None, None, None, None], [2, "乙事项", "省水利厅", None, None, None, None, None]]
    sheet = read_ledger(xlsx(rows), "t.xlsx")
    assert check(sheet, SUGGESTED, org.province, today=TODAY).ok  # drafts need no unit
    plan = check(sheet, SUGGESTED, org.province, today=TODAY, assign_all=True)
    assert plan.problems == [Problem(4, "C", LEAD, "To be assigned (已交办), a task needs a lead unit.")]
    assert [p.assign for p in plan.planned] == [True, True]


def test_the_mapping_itself(org, units) -> None:
    sheet = read_ledger(xlsx(CLEAN_ROWS), "t.xlsx")
    no_title = ["", "description", "lead_unit", "co_units", "due_date", "target", "priority", "description"]
    assert check(sheet, no_title, org.province, today=TODAY).problems == [
        Problem(0, "", "", "Choose the column that holds the tasks' titles (任务名称).")]
    twice = ["", "title", "lead_unit", "lead_unit", "due_date", "target", "priority", "description"]
    assert check(sheet, twice, org.province, today=TODAY).problems == [
        Problem(0, "C、D", "", "“Lead unit” is chosen for columns C、D: choose one.")]


def test_several_description_columns_are_kept_under_their_headers(org, units) -> None:
    sheet = read_ledger(xlsx(CLEAN_ROWS), "t.xlsx")
    fields = ["", "title", "lead_unit", "co_units", "due_date", "description", "priority", "description"]
    planned = check(sheet, fields, org.province, today=TODAY).planned
    assert planned[0].description == "工作目标：新建高标准农田50万亩\n备注：年度重点"
    assert planned[0].target == ""


def test_a_long_title_keeps_its_whole_text_in_the_description(org, units) -> None:
    title = "加快推进" + "农" * 300
    sheet = read_ledger(xlsx([[1, title, None, None, None, None, None, "备注一"]]), "t.xlsx")
    plan = check(sheet, SUGGESTED, org.province, today=TODAY)
    assert plan.problems == [Problem(4, "B", "督办事项", "The title is longer than 255 characters: the task's title "
                                                       "keeps the first 255, its description the whole text.", False)]
    assert plan.planned[0].title == title[:255] and plan.planned[0].description == title + "\n\n备注一"
