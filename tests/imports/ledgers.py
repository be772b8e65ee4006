"""Ledgers as offices keep them, written with openpyxl in the tests: a title line above a header
whose 责任单位 cell is merged over 牵头单位 and 配合单位, Excel date cells and dates as text, a
lead unit's cell merged down two rows, an empty row in the middle."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

TITLE = "2026年督办事项台账"
HEADER = ["序号", "督办事项", "责任单位", None, "完成时限", "工作目标", "紧急程度", "备注"]
SUBHEADER = [None, None, "牵头单位", "配合单位", None, None, None, None]


def workbook(rows: list[list], *, merges: tuple[str, ...] = (), sheet: str = "台账") -> Workbook:
    """A ledger sheet: the title line (row 1), the two header rows (2 and 3), then ``rows`` from row 4."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([TITLE])
    ws.append(HEADER)
    ws.append(SUBHEADER)
    for r in rows:
        ws.append(r)
    for rng in ("A1:H1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3", "G2:G3", "H2:H3", *merges):
        ws.merge_cells(rng)
    return wb


def xlsx(rows: list[list], **kwargs) -> bytes:
    out = io.BytesIO()
    workbook(rows, **kwargs).save(out)
    return out.getvalue()


# A ledger with no error: rows 4 to 11, row 7 empty; C10:C11 merged (省水利厅 leads both).
CLEAN_ROWS = [
    [1, "抓好高标准农田建设", "省农业农村厅", "吕梁市人民政府、省水利厅", dt.datetime(2026, 6, 30), "新建高标准农田50万亩",
     "重要", "年度重点"],                                                                       # row 4
    [2, "推进重大水利项目建设", "水利厅", "省农业农村厅，吕梁市", "2026-03-31", None, "紧急", None],  # row 5
    [3, "防返贫动态监测", "省农业农村厅", None, "2026/9/30", "零返贫", "一般", None],                 # row 6
    [None] * 8,                                                                                  # row 7
    [4, "春耕备耕物资储备", "省农业农村厅", "省水利厅\n吕梁市人民政府", "2026年4月15日", None, None, None],  # row 8
    [5, "一季度开门红", "吕梁市人民政府", None, "一季度", None, None, "四全工作法"],                     # row 9
    [6, "水利设施冬修", "省水利厅", None, "11月30日", None, None, None],                              # row 10
    [7, "农村饮水安全巩固", None, "吕梁市人民政府", "年底前", None, None, None],                       # row 11
]
CLEAN_MERGES = ("C10:C11",)

# The clean rows, then rows 12-16 with errors and warnings (see test_validation.py for the list).
ERROR_ROWS = [
    *CLEAN_ROWS,
    [8, "招商引资专项行动", "省商务厅", None, "2026-05-31", None, None, None],                          # row 12
    [9, "重大项目谋划储备", "发展改革委", None, "2026-06-30", None, None, None],                        # row 13
    [10, None, "省水利厅", None, "年底前", "有目标没有标题", None, None],                                # row 14
    [11, "林业生态建设", "省水利厅", "省林业局、吕梁市", "尽快", None, "非常重要", None],                 # row 15
    [12, "抓好高标准农田建设", "省农业农村厅", "大同市商务局", "2025-12-31", None, None, None],           # row 16
]

# The suggested mapping of HEADER/SUBHEADER, one field per column A-H.
SUGGESTED = ["", "title", "lead_unit", "co_units", "due_date", "target", "priority", "description"]
