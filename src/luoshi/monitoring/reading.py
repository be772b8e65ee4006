"""Reading subjects and values from .csv or .xlsx, row by row, without holding the file in memory.

The first row is the header. A .csv file is UTF-8 (with or without BOM), UTF-16 with BOM, or
GB18030 (what Excel saves on a Chinese Windows), told from its first bytes as the ledger import
does; an .xlsx file is read in openpyxl's streaming mode (first sheet).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

HEAD = 64 * 1024


class ReadError(Exception):
    """The file cannot be read at all; the message says why."""


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_rows(stream: BinaryIO) -> Iterator[tuple[int, list]]:
    head = stream.read(HEAD)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=_encoding(head), newline="")
    try:
        for n, row in enumerate(csv.reader(text), start=1):
            if any(c.strip() for c in row):
                yield n, row
    except UnicodeDecodeError as err:
        raise ReadError(_("The file is neither UTF-8 nor GB18030 text: save it again as CSV UTF-8.")) from err
    finally:
        with contextlib.suppress(ValueError):  # the stream may be closed already when the reader is dropped
            text.detach()


def _xlsx_rows(stream: BinaryIO) -> Iterator[tuple[int, list]]:
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged or foreign file
        raise ReadError(_("The file cannot be opened as an Excel workbook (.xlsx).")) from err
    try:
        for n, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if any(c is not None and str(c).strip() for c in row):
                yield n, list(row)
    finally:
        book.close()


def rows(stream: BinaryIO, name: str) -> Iterator[tuple[int, list]]:
    """(row number as the spreadsheet shows it, cells) for every row with anything in it."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext == "csv":
        return _csv_rows(stream)
    if ext in ("xlsx", "xlsm"):
        return _xlsx_rows(stream)
    raise ReadError(_("Send a .csv or .xlsx file (this is “%(name)s”).") % {"name": name})
