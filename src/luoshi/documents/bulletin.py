"""The periodic bulletin (督查通报) of an organisation, as a Word document.

Masthead in red (督查通报, the number, the organisation and the date over a red rule), the
title, an overall paragraph written from the figures, a table per unit with a total line, a bar
chart of the same figures, and what units must do. The rows come from
`luoshi.ledgers.periods.unit_activity`, so the document says what the bulletin page shows; the
table is the chart's data, for whoever cannot read a chart.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm

from luoshi.documents.chart import SERIES, activity_chart
from luoshi.documents.layout import (
    BODY_FONT,
    CENTER,
    ERHAO,
    HEADING_FONT,
    LEFT,
    RED,
    SIHAO,
    TEXT_WIDTH,
    TITLE_FONT,
    WUHAO,
    XIAOSI,
    chinese_date,
    fill,
    new_document,
    paragraph_style,
    picture,
    red_rule,
    repeat_as_header,
    signature,
    table,
    to_bytes,
    write,
)
from luoshi.ledgers.periods import UnitActivity, period_bounds, total
from luoshi.org.models import Unit

HEADER = ("单位", "办结（项）", "按时办结率", "逾期（项）", "退回（次）", "催办（次）")
WIDTHS = [Cm(4.0), *[Cm(2.3)] * 5]
CELL_LINE = Cm(0.6)  # a dense table's fixed line, for 小四
MASTHEAD_SIZE = 36  # 小初: the masthead of a bulletin stands out from the title under it
NAMED_OVERDUE = 5  # the units with most overdue tasks named in the requirements

# "全省" for a province, "全市" for a city …: the scope a bulletin's summary speaks of
SCOPES = (("自治区", "全区"), ("省", "全省"), ("市", "全市"), ("州", "全州"), ("盟", "全盟"), ("县", "全县"),
          ("区", "全区"), ("旗", "全旗"))


def percent(rate: float | None) -> str:
    """85.7%, 100%; a dash where there is nothing to divide."""
    if rate is None:
        return "—"
    return f"{rate:.1f}".rstrip("0").rstrip(".") + "%"


def scope(organisation: Unit) -> str:
    name = re.sub(r"(人民政府|政府|委员会)$", "", organisation.name)
    return next((word for suffix, word in SCOPES if name.endswith(suffix)), "各单位")


def period_label(start: dt.date, end: dt.date) -> str:
    """2026年11月, 2026年第四季度, 2026年, or 2026年11月23日至11月29日."""
    quarters = "一二三四"
    if (start, end) == period_bounds("year", start):
        return f"{start.year}年"
    if (start, end) == period_bounds("quarter", start):
        return f"{start.year}年第{quarters[(start.month - 1) // 3]}季度"
    if (start, end) == period_bounds("month", start):
        return f"{start.year}年{start.month}月"
    last = chinese_date(end) if end.year != start.year else f"{end.month}月{end.day}日"
    return f"{chinese_date(start)}至{last}"


def summary(organisation: Unit, end: dt.date, sums: UnitActivity) -> str:
    """The overall paragraph, written from the totals."""
    text = f"{scope(organisation)}共办结督办事项{sums.closed}项"
    if sums.closed:
        text += f"，按时办结率{percent(sums.on_time_rate)}"
    return (text + f"；截至{chinese_date(end)}，逾期未办结{sums.overdue}项；退回重办{sums.returned}次，"
            f"催办{sums.urged}次。")


def _figures(row: UnitActivity, name: str) -> tuple[str, ...]:
    return (name, str(row.closed), percent(row.on_time_rate), str(row.overdue), str(row.returned),
            str(row.urged))


def _table_styles(doc) -> tuple:
    """(head, body, total line) paragraph styles of the document's tables."""
    return (paragraph_style(doc, "表头", font=HEADING_FONT, size=WUHAO, align=CENTER, line=CELL_LINE),
            paragraph_style(doc, "表格", font=BODY_FONT, size=XIAOSI, align=CENTER, line=CELL_LINE),
            paragraph_style(doc, "表格合计", font=BODY_FONT, size=XIAOSI, bold=True, align=CENTER, line=CELL_LINE))


def _activity_table(doc, rows: list[UnitActivity], styles: tuple) -> None:
    lines = [HEADER, *(_figures(r, str(r.unit)) for r in rows), _figures(total(rows), "合计")]
    head, body, foot = styles
    grid = table(doc, len(lines), WIDTHS)
    repeat_as_header(grid.rows[0])
    last = len(lines) - 1
    for n, (row, values) in enumerate(zip(grid.rows, lines, strict=True)):
        style = head if n == 0 else foot if n == last else body
        for col, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            fill(cell, value, style, align=LEFT if col == 0 and 0 < n < last else None)


def _chart(doc, rows: list[UnitActivity], styles: tuple) -> None:
    chart = activity_chart(rows)
    picture(doc, chart.png)
    write(doc, "图1　各单位督办事项办理情况", font=HEADING_FONT, size=SIHAO, align=CENTER)
    if chart.shown_of:
        write(doc, f"图中列出办理活动最多的{len(chart.units)}个单位（共{chart.shown_of}个），各单位数字见表1。",
              size=XIAOSI, align=CENTER)
    if chart.numbered:
        # the machine had no Chinese font for the chart: say which number and which bar is what
        write(doc, "图例：" + "，".join(f"{plain}＝{chinese}" for _, chinese, plain, _ in SERIES) + "。",
              size=XIAOSI, align=LEFT)
        legend = table(doc, len(chart.units) + 1, [Cm(2.0), Cm(8.0)])
        lines = [("图中编号", "单位"), *((str(n), str(r.unit)) for n, r in enumerate(chart.units, 1))]
        for row, values in zip(legend.rows, lines, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                fill(cell, value, styles[1])


def _requirements(rows: list[UnitActivity]) -> list[str]:
    late = sorted((r for r in rows if r.overdue), key=lambda r: (-r.overdue, str(r.unit)))
    out = []
    if late:
        named = "、".join(f"{r.unit}（{r.overdue}项）" for r in late[:NAMED_OVERDUE])
        more = f"等{len(late)}个单位" if len(late) > NAMED_OVERDUE else ""
        out.append(f"逾期未办结事项较多的单位：{named}{more}。请上述单位主要负责同志亲自过问，逐项分析原因，"
                   "制定整改措施，限期办结，并将整改情况报督查室。")
    out.append("各承办单位要对照督办事项清单，逐项对账销号，按时报送办理进展；确需延期的，按程序提出申请。"
               "对退回重办的事项，要认真整改，不得敷衍应付。")
    out.append("督查室将持续跟踪督办，对逾期未办结、多次催办仍未落实的事项，将按规定予以通报。")
    return out


def bulletin(organisation: Unit, start: dt.date, end: dt.date, rows: list[UnitActivity], *, number: str,
             title: str | None = None, issued_on: dt.date | None = None) -> bytes:
    """The 督查通报 of ``organisation`` for ``start``…``end`` from ``rows``, as .docx bytes.
    ``number``: the bulletin's number (e.g. 第12期), printed under the masthead when given."""
    issued_on = issued_on or timezone.localdate()
    label = period_label(start, end)
    title = title or f"关于{label}督办事项办理情况的通报"
    doc = new_document(title=title, author=organisation.name)

    write(doc, "督查通报", font=TITLE_FONT, size=MASTHEAD_SIZE, color=RED, align=CENTER, line=Cm(1.8))
    if number:
        write(doc, number, align=CENTER)
    header = write(doc, f"{organisation.name}\t{chinese_date(issued_on)}")
    header.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    red_rule(header)
    write(doc, "")
    write(doc, title, font=TITLE_FONT, size=ERHAO, align=CENTER, line=Cm(1.2))
    write(doc, "")
    write(doc, "各承办单位：")
    write(doc, f"现将{label}（{chinese_date(start)}至{chinese_date(end)}）督办事项办理情况通报如下。",
          indent=True)

    write(doc, "一、总体情况", font=HEADING_FONT, indent=True)
    write(doc, summary(organisation, end, total(rows)), indent=True)

    write(doc, "二、各单位办理情况", font=HEADING_FONT, indent=True)
    if rows:
        write(doc, "表1　各单位督办事项办理情况", font=HEADING_FONT, size=SIHAO, align=CENTER)
        styles = _table_styles(doc)
        _activity_table(doc, rows, styles)
        write(doc, "")
        _chart(doc, rows, styles)
    else:
        write(doc, "本期各单位无办结、逾期、退回和催办事项。", indent=True)

    write(doc, "三、有关要求", font=HEADING_FONT, indent=True)
    for n, text in enumerate(_requirements(rows), 1):
        write(doc, f"（{'一二三四五'[n - 1]}）{text}", indent=True)

    write(doc, "")
    signature(doc, organisation.name, issued_on)
    return to_bytes(doc)
