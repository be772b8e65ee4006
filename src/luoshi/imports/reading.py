"""Reading a ledger: the header and the rows of one sheet of an .xlsx workbook, or of a .csv file.

Offices put a title line above the header (2026年督办事项台账), merge header cells (责任单位 over
牵头单位 and 配合单位) and merge a unit's cell down the rows it leads. The header is the first
row with at least two text cells (and at least half as many as the fullest of the first rows, so
that a 填报单位/填报日期 line above it is not taken for it); a header cell merged across columns
makes the next row a second header row; a merged cell below the header gives its value to every
row it spans, as Excel shows it. Fully empty rows are skipped; every row keeps its number as
Excel shows it.

Nothing here touches the database. Every refusal is a `ReadError` whose message says what to do.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100  # beyond this a "ledger" is something else
HEADER_SEARCH = 20  # the header is among the first rows that have anything in them

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office's old container: .xls, .et, and encrypted .xlsx
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream a password-protected .xlsx keeps its data in
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_TYPES = ("xlsx", "xlsm")
TYPES = (*EXCEL_TYPES, "csv")

Value = str | int | float | dt.date | dt.datetime | dt.time | dt.timedelta | bool | None


class ReadError(Exception):
    """The file cannot be read as a ledger; the message says why and what to do. ``fatal``: no other
    sheet of the file would do better (damaged, too many rows)."""

    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


@dataclass(frozen=True)
class Row:
    number: int  # as Excel shows it
    values: tuple[Value, ...]  # one per column of the header; None where empty


@dataclass
class Sheet:
    sheet_name: str  # "" for a .csv
    sheet_names: list[str]
    header_row: int  # the (last) header row's number
    headers: list[str]  # one per column; "" where a column has no header
    rows: list[Row]

    @staticmethod
    def letter(index: int) -> str:
        """The column letter of the 0-based ``index`` (0 → A)."""
        return get_column_letter(index + 1)


def extension(name: str) -> str:
    base = PurePath(name or "").name
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def read_ledger(data: bytes, name: str, sheet: str = "") -> Sheet:
    """The ledger in ``data`` (a file called ``name``); ``sheet``: which sheet of a workbook (the first if empty)."""
    if not data:
        raise ReadError(_("“%(name)s” is empty.") % {"name": name})
    if len(data) > MAX_BYTES:
        raise ReadError(too_large(name))
    ext = extension(name)
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED in data:
            raise ReadError(_("“%(name)s” is protected by a password. Open it in Excel, remove the password "
                              "(文件 → 信息 → 保护工作簿), save it and upload it again.") % {"name": name})
        raise ReadError(_("“%(name)s” is in the old Excel format (.xls). Open it in Excel or WPS and save it "
                          "as .xlsx (Excel 工作簿), then upload that.") % {"name": name})
    if data.startswith(ZIP_MAGIC) and ext != "csv":
        if ext not in EXCEL_TYPES:
            raise ReadError(not_accepted(name))
        return _read_xlsx(data, name, sheet)
    if ext == "csv":
        return _from_rows(_csv_rows(data, name), name, "", [])
    if ext in EXCEL_TYPES:
        raise ReadError(corrupt(name))
    if ext in ("xls", "et"):  # named so but not Office's container: still not something to read
        raise ReadError(_("“%(name)s” is in the old Excel format (.xls). Open it in Excel or WPS and save it "
                          "as .xlsx (Excel 工作簿), then upload that.") % {"name": name})
    raise ReadError(not_accepted(name))


def too_large(name: str) -> str:
    return _("“%(name)s” is larger than %(limit)s, the most a ledger may be. Split it into several files.") % {
        "name": name, "limit": filesizeformat(MAX_BYTES)}


def not_accepted(name: str) -> str:
    return _("“%(name)s”: only Excel workbooks (.xlsx) and CSV files (.csv) can be imported.") % {"name": name}


def corrupt(name: str) -> str:
    return _("“%(name)s” could not be read as an Excel workbook: it may be damaged or not really an .xlsx file. "
             "Open it in Excel, save it again as .xlsx and upload that.") % {"name": name}


def too_many_rows(name: str) -> str:
    return _("“%(name)s” has more than %(rows)s rows of data; at most %(rows)s go in at a time. "
             "Split it into several files.") % {"name": name, "rows": f"{MAX_ROWS:,}"}


# ---------------------------------------------------------------- .xlsx


def _read_xlsx(data: bytes, name: str, sheet: str) -> Sheet:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # a damaged file fails in many ways inside zipfile, XML and openpyxl
        raise ReadError(corrupt(name)) from err
    try:
        names = list(book.sheetnames)
        # a sheet named is read or refused; else the first that reads as a ledger (a 说明 sheet may come first)
        candidates = [sheet] if sheet in names else names
        first_error: ReadError | None = None
        for chosen in candidates:
            try:
                return _read_sheet(book, chosen, name, names)
            except ReadError as err:
                if sheet in names or err.fatal:
                    raise
                first_error = first_error or err
        raise first_error or ReadError(_("“%(name)s” has no sheet.") % {"name": name})
    finally:
        book.close()


def _read_sheet(book, chosen: str, name: str, names: list[str]) -> Sheet:
    ws = book[chosen]
    if not hasattr(ws, "_get_source"):  # a chart sheet has no cells
        raise ReadError(_("The sheet “%(sheet)s” of “%(name)s” has no rows.") % {"sheet": chosen, "name": name})
    try:
        cells, merges = _cells_and_merges(book, ws, name)
    except ReadError:
        raise
    except Exception as err:
        raise ReadError(corrupt(name), fatal=True) from err
    return _from_rows(cells, name, chosen, names, merges)


Cells = list[tuple[int, dict[int, Value]]]  # the non-empty rows: (number, {column: value})
Merge = tuple[int, int, int, int]  # (first row, first column, last row, last column)


def _cells_and_merges(book, ws, name: str) -> tuple[Cells, list[Merge]]:
    """The non-empty rows as (number, {column: value}) and the merged ranges as (row1, col1, row2, col2).

    openpyxl's read-only sheet gives the values but not the merged cells; its own parser, run over
    the sheet once here as the read-only sheet runs it, has both (the merges come after the rows).
    """
    rows: list[tuple[int, dict[int, Value]]] = []
    limit = MAX_ROWS + HEADER_SEARCH * 2
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            values = {c["column"]: _clean(c["value"]) for c in cells if c["column"] <= MAX_COLUMNS}
            values = {k: v for k, v in values.items() if v is not None}
            if values:
                rows.append((number, values))
                if len(rows) > limit:
                    raise ReadError(too_many_rows(name), fatal=True)
        merges = []
        for rng in (parser.merged_cells.mergeCell if parser.merged_cells else []):
            c1, r1, c2, r2 = range_boundaries(rng.ref)
            merges.append((r1, c1, r2, c2))
    return rows, merges


def _clean(value: Value) -> Value:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# ---------------------------------------------------------------- .csv


def decode_csv(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's Unicode text),
    or GB18030 (what Excel saves as CSV on a Chinese Windows)."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError as err:
        raise ReadError(bad_encoding(name)) from err
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(bad_encoding(name))


def bad_encoding(name: str) -> str:
    return _("“%(name)s” is not text in UTF-8 or GB18030 (GBK), so its characters cannot be read. In Excel choose "
             "另存为 → “CSV UTF-8（逗号分隔）”, or save it as .xlsx, and upload that.") % {"name": name}


def _csv_rows(data: bytes, name: str) -> list[tuple[int, dict[int, Value]]]:
    text = decode_csv(data, name)
    if "\x00" in text:
        raise ReadError(bad_encoding(name))
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    rows: list[tuple[int, dict[int, Value]]] = []
    limit = MAX_ROWS + HEADER_SEARCH * 2
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            values = {col: v for col, raw in enumerate(record[:MAX_COLUMNS], start=1) if (v := _clean(raw)) is not None}
            if values:
                rows.append((number, values))
                if len(rows) > limit:
                    raise ReadError(too_many_rows(name))
    except csv.Error as err:
        raise ReadError(_("“%(name)s” could not be read as CSV (%(why)s). Save it again from Excel as CSV UTF-8, "
                          "or as .xlsx.") % {"name": name, "why": err}) from err
    return rows


# ---------------------------------------------------------------- header and rows


def _text_cells(values: dict[int, Value]) -> int:
    return sum(1 for v in values.values() if isinstance(v, str))


def _from_rows(rows: list[tuple[int, dict[int, Value]]], name: str, sheet: str, names: list[str],
               merges: list[tuple[int, int, int, int]] | None = None) -> Sheet:
    merges = merges or []
    first = rows[:HEADER_SEARCH]
    fullest = max((_text_cells(v) for _n, v in first), default=0)
    at = next((i for i, (_n, v) in enumerate(first) if _text_cells(v) >= max(2, (fullest + 1) // 2)), None)
    if at is None:
        raise ReadError(_("No header row was found in “%(name)s”: the first rows should name the columns "
                          "(任务名称, 牵头单位, 完成时限 …).") % {"name": name})
    header_no, header = rows[at]
    by_number = dict(rows)
    # a header cell merged across columns names them all; the row below then names each (a second header row)
    spans = [(c1, c2) for r1, c1, r2, c2 in merges if r1 == header_no and c2 > c1]
    top = dict(header)
    for c1, c2 in spans:
        for col in range(c1 + 1, c2 + 1):
            if col not in top and c1 in top:
                top[col] = top[c1]
    below = by_number.get(header_no + 1, {})
    sub = {}
    if spans and any(c1 <= col <= c2 and isinstance(v, str) for col, v in below.items() for c1, c2 in spans):
        sub = {col: v for col, v in below.items() if isinstance(v, str)}
    last_header = header_no + 1 if sub else header_no
    width = max([c for c, v in top.items() if isinstance(v, str)] + list(sub), default=0)
    headers = []
    for col in range(1, width + 1):
        upper = str(top.get(col) or "") if isinstance(top.get(col), str) else ""
        lower = sub.get(col, "")
        headers.append(f"{upper}（{lower}）" if upper and lower and upper != lower else upper or lower)

    fill = _merged_values(merges, by_number, last_header, width)
    out: list[Row] = []
    for number, values in rows:
        if number <= last_header:
            continue
        cells = tuple(fill.get((number, col), values.get(col)) for col in range(1, width + 1))
        if all(v is None for v in cells):
            continue
        out.append(Row(number, cells))
        if len(out) > MAX_ROWS:
            raise ReadError(too_many_rows(name), fatal=True)
    return Sheet(sheet_name=sheet, sheet_names=names, header_row=last_header, headers=headers, rows=out)


def _merged_values(merges: list[tuple[int, int, int, int]], rows: dict[int, dict[int, Value]], last_header: int,
                   width: int) -> dict[tuple[int, int], Value]:
    """(row, column) → the value a merged cell below the header shows there (its top-left cell's)."""
    out: dict[tuple[int, int], Value] = {}
    for r1, c1, r2, c2 in merges:
        if r1 <= last_header or c1 > width:
            continue
        value = rows.get(r1, {}).get(c1)
        if value is None:
            continue
        for r in range(r1, min(r2, r1 + MAX_ROWS) + 1):
            for c in range(c1, min(c2, width) + 1):
                out[(r, c)] = value
    return out

