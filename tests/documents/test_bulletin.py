"""The bulletin (督查通报) read back from the .docx: figures, table, chart, wording.

The rows are written here by hand, with their totals and rates worked out by hand; the path from
the journal to the rows is tested in tests/ledgers/test_periods.py and on the bulletin page.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from luoshi.documents import bulletin as bulletin_module
from luoshi.documents import chart
from luoshi.documents.bulletin import bulletin, period_label
from luoshi.ledgers.periods import UnitActivity
from luoshi.org.models import Unit

PROVINCE = Unit(name="山西省人民政府", is_organisation=True)
ROWS = [
    UnitActivity(Unit(name="吕梁市人民政府"), closed=0, closed_on_time=0, overdue=2, returned=1, urged=3),
    UnitActivity(Unit(name="省农业农村厅"), closed=4, closed_on_time=2, overdue=1, returned=0, urged=1),
    UnitActivity(Unit(name="省水利厅"), closed=3, closed_on_time=2, overdue=0, returned=2, urged=0),
]
# by hand: closed 7, on time 4 (57.14…% → 57.1%), overdue 3, returned 3, urged 4
TABLE = [
    ["单位", "办结（项）", "按时办结率", "逾期（项）", "退回（次）", "催办（次）"],
    ["吕梁市人民政府", "0", "—", "2", "1", "3"],
    ["省农业农村厅", "4", "50%", "1", "0", "1"],
    ["省水利厅", "3", "66.7%", "0", "2", "0"],
    ["合计", "7", "57.1%", "3", "3", "4"],
]
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def read(content: bytes):
    return docx.Document(io.BytesIO(content))


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def pictures(doc) -> list:
    return [rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.IMAGE]


def test_the_bulletin_reports_the_figures() -> None:
    doc = read(bulletin(PROVINCE, *NOV, ROWS, number="第12期", issued_on=dt.date(2026, 12, 2)))
    text = [p.text for p in doc.paragraphs]
    assert text[:3] == ["督查通报", "第12期", "山西省人民政府\t2026年12月2日"]
    assert "关于2026年11月督办事项办理情况的通报" in text
    assert "现将2026年11月（2026年11月1日至2026年11月30日）督办事项办理情况通报如下。" in text
    assert "全省共办结督办事项7项，按时办结率57.1%；截至2026年11月30日，逾期未办结3项；退回重办3次，催办4次。" in text
    assert cells(doc.tables[0]) == TABLE
    assert any(t.startswith("逾期未办结事项较多的单位：吕梁市人民政府（2项）、省农业农村厅（1项）。") for t in
               (p.removeprefix("（一）") for p in text))
    assert text[-2:] == ["山西省人民政府", "2026年12月2日"]
    masthead = doc.paragraphs[0].runs[0]
    assert str(masthead.font.color.rgb) == "E60012"
    assert masthead._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_the_chart_is_an_inline_png_after_the_table() -> None:
    doc = read(bulletin(PROVINCE, *NOV, ROWS, number=""))
    [image] = pictures(doc)
    assert image.content_type == "image/png"
    assert image.blob[:8] == b"\x89PNG\r\n\x1a\n" and len(image.blob) > 10_000
    assert len(doc.inline_shapes) == 1
    assert "图1　各单位督办事项办理情况" in [p.text for p in doc.paragraphs]
    assert "第12期" not in [p.text for p in doc.paragraphs]  # no number given, none printed


def test_without_a_chinese_font_the_chart_is_numbered_and_explained(monkeypatch) -> None:
    monkeypatch.setattr(chart, "cjk_font", lambda: None)
    doc = read(bulletin(PROVINCE, *NOV, ROWS, number="第12期"))
    assert "图例：Closed＝办结，Overdue＝逾期，Returned＝退回，Urged＝催办。" in [p.text for p in doc.paragraphs]
    # the chart draws the most active unit first: 吕梁 2+1+3=6, 农业 4+1+0+1=6, 水利 3+0+2+0=5 (ties by name)
    assert cells(doc.tables[1]) == [["图中编号", "单位"], ["1", "吕梁市人民政府"], ["2", "省农业农村厅"],
                                    ["3", "省水利厅"]]
    assert len(pictures(doc)) == 1


def test_a_chinese_font_is_found_on_this_machine() -> None:
    # Debian's fonts-noto-cjk or fonts-wqy-microhei (.ci/run installs the latter)
    assert chart.cjk_font() is not None


def test_many_units_the_table_has_them_all_the_chart_the_most_active() -> None:
    rows = [UnitActivity(Unit(name=f"单位{n:03d}"), closed=n % 4, closed_on_time=n % 2, overdue=n % 3)
            for n in range(200)]
    doc = read(bulletin(PROVINCE, *NOV, rows, number="第1期"))
    table = cells(doc.tables[0])
    assert len(table) == 202 and table[1][0] == "单位000" and table[-2][0] == "单位199"
    assert table[-1][:2] == ["合计", str(sum(n % 4 for n in range(200)))]
    assert "图中列出办理活动最多的20个单位（共200个），各单位数字见表1。" in [p.text for p in doc.paragraphs]
    assert doc.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header repeats per page


def test_a_period_with_nothing_says_so_and_draws_nothing() -> None:
    doc = read(bulletin(Unit(name="大同市人民政府"), *NOV, [], number=""))
    text = [p.text for p in doc.paragraphs]
    assert "全市共办结督办事项0项；截至2026年11月30日，逾期未办结0项；退回重办0次，催办0次。" in text
    assert "本期各单位无办结、逾期、退回和催办事项。" in text
    assert doc.tables == [] and pictures(doc) == []


def test_a_title_of_ones_own() -> None:
    doc = read(bulletin(PROVINCE, *NOV, ROWS, number="", title="关于全省防汛督办事项的通报"))
    assert "关于全省防汛督办事项的通报" in [p.text for p in doc.paragraphs]
    assert doc.core_properties.title == "关于全省防汛督办事项的通报"


@pytest.mark.parametrize(("start", "end", "label"), [
    (dt.date(2026, 11, 1), dt.date(2026, 11, 30), "2026年11月"),
    (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026年第四季度"),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026年"),
    (dt.date(2026, 11, 23), dt.date(2026, 11, 29), "2026年11月23日至11月29日"),
    (dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2026年12月28日至2027年1月3日"),
])
def test_period_labels(start, end, label) -> None:
    assert period_label(start, end) == label


@pytest.mark.parametrize(("name", "scope"), [
    ("山西省人民政府", "全省"), ("吕梁市人民政府", "全市"), ("广西壮族自治区人民政府", "全区"),
    ("岚县人民政府", "全县"), ("省政府督查室", "各单位"),
])
def test_the_summary_speaks_of_the_organisations_scope(name, scope) -> None:
    assert bulletin_module.scope(Unit(name=name)) == scope
