"""A ledger as an .xlsx workbook that Excel, WPS and LibreOffice open cleanly, written row by row.

openpyxl's write-only mode keeps nothing but the row being written (the rest goes to a
temporary file), so memory stays flat whatever the number of rows. The header is frozen and
bold, columns have widths fit for Chinese text, dates are real dates (they sort and filter as
dates), percentages are numbers. A text that begins with = + - @ (or a tab or a return) is
written as text with Excel's quote prefix: it can never become a formula (formula injection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from luoshi.ledgers.definitions import Column

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DCE6F1")
MAX_SHEET_TITLE = 31  # Excel's limit


def _cell(ws, column: Column, value):
    """The value as the sheet takes it: plain values as they are (openpyxl gives dates a date
    format itself), a cell object only where a style or a type must be set."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text, not a formula
        cell.quotePrefix = True  # and stays text if someone edits it in Excel
        return cell
    if column.kind == "percent" and value is not None:
        cell = WriteOnlyCell(ws, value=value / 100)
        cell.number_format = "0%"
        return cell
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value if value != "" else None


def write(out: BinaryIO, title: str, columns: Sequence[Column], chunks: Iterable[Iterable[object]]) -> int:
    """Write the rows of ``chunks`` (iterables of row objects) under ``columns``; returns the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:MAX_SHEET_TITLE])
    ws.freeze_panes = "A2"  # in write-only mode, before the first row
    for n, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = max(6, column.width * 1.6)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.label))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for chunk in chunks:
        for row in chunk:
            ws.append([_cell(ws, c, c.value(row)) for c in columns])
            count += 1
    wb.save(out)
    return count
