"""What a cell says: due dates in every form offices write them, priorities, kinds, states, and
several units in one cell."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from luoshi.imports import cells
from luoshi.imports.cells import CellError, Due
from tests.imports.conftest import TODAY

D = dt.date


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(2026, 6, 30), Due(D(2026, 6, 30))),  # an Excel date cell
    (dt.date(2026, 6, 30), Due(D(2026, 6, 30))),
    (46203, Due(D(2026, 6, 30))),  # a date cell that lost its format: Excel's serial day
    (20260630, Due(D(2026, 6, 30))),
    ("2026-06-30", Due(D(2026, 6, 30))),
    ("2026-6-30", Due(D(2026, 6, 30))),
    ("2026/6/30", Due(D(2026, 6, 30))),
    ("2026.6.30", Due(D(2026, 6, 30))),
    ("2026-06-30 00:00:00", Due(D(2026, 6, 30))),  # a CSV written from a date cell
    ("2026年6月30日", Due(D(2026, 6, 30))),
    ("2026年6月30日前", Due(D(2026, 6, 30))),
    ("２０２６年６月３０日", Due(D(2026, 6, 30))),  # full-width digits
    ("6月30日", Due(D(2026, 6, 30))),  # the year of the upload
    ("11月30日前", Due(D(2026, 11, 30))),
    ("年底前", Due(D(2026, 12, 31), "inferred", "年底前")),
    ("一季度", Due(D(2026, 3, 31), "inferred", "一季度")),
    ("上半年", Due(D(2026, 6, 30), "inferred", "上半年")),
    ("6月底前", Due(D(2026, 6, 30), "inferred", "6月底前")),
    ("2027年底前", Due(D(2027, 12, 31), "inferred", "2027年底前")),
    ("一季度开工，年底前完成", Due(D(2026, 12, 31), "inferred", "年底前")),  # the task is done at the last limit
])
def test_due_dates(value, expected: Due) -> None:
    assert cells.due(value, TODAY) == expected


@pytest.mark.parametrize("value, message", [
    ("尽快", "“尽快” is not a date Luoshi understands"),
    ("长期坚持", "“长期坚持” is not a date Luoshi understands"),
    ("2026-02-30", "“2026-02-30” is not a date in the calendar"),
    ("2月30日", "“2月30日” is not a date in the calendar"),
    (2026, "“2026” is not a date Luoshi understands"),
])
def test_dates_not_understood(value, message: str) -> None:
    with pytest.raises(CellError, match=message):
        cells.due(value, TODAY)


def test_empty_due_date_is_none() -> None:
    assert cells.due(None, TODAY) is None and cells.due("", TODAY) is None


def test_choices_by_their_words() -> None:
    assert [cells.priority(w) for w in ("一般", "重要", "紧急", " 特急 ", None)] == [
        "normal", "high", "urgent", "urgent", None]
    assert [cells.state(w) for w in ("草稿", "待交办", "已交办", "")] == ["draft", "draft", "assigned", None]
    assert [cells.kind(w) for w in ("部署", "意见建议", "批示", "其他")] == [
        "directive", "suggestion", "instruction", "other"]
    with pytest.raises(CellError, match=re.escape("“非常重要” is not a priority: write 一般、重要、紧急.")):
        cells.priority("非常重要")
    with pytest.raises(CellError, match=re.escape("“已办结” is not a state a task can be imported in: write 草稿、已交办.")):
        cells.state("已办结")


def test_several_units_in_one_cell() -> None:
    assert cells.names("省水利厅、省财政厅，吕梁市,省统计局;省林业局；省商务厅/省教育厅\n省民政厅\r\n省水利厅") == [
        "省水利厅", "省财政厅", "吕梁市", "省统计局", "省林业局", "省商务厅", "省教育厅", "省民政厅"]
    assert cells.names(None) == [] and cells.names(" ") == []


def test_text_of_cells() -> None:
    assert [cells.text(v) for v in (None, 3.0, 2.5, 12, " 甲 ", dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 2, 9, 30))] == [
        "", "3", "2.5", "12", "甲", "2026-01-02", "2026-01-02 09:30:00"]
