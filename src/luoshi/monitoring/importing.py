"""Bulk import of subjects and their monthly values: all or nothing, errors by row and column.

One row is a subject in a month: 编号 (code), 名称 (name), optionally 类型 (kind), 所属单位 (the
unit in charge), 身份证号, 联系电话, 属性:X (an attribute X), then 期间 (the month) and one
column per indicator (by its name or code; a new header makes a new indicator). An empty
indicator cell is a value not reported. A subject's details are taken from its last row.

Every row is checked in Python as it is read (one pass, nothing held in memory) and written to
a temporary staging table: by COPY on PostgreSQL, by batched inserts on SQLite. Then a few
set-based statements find duplicates and upsert the subjects and values from the staging
table. Any error and the transaction is rolled back: nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from luoshi.monitoring.models import Indicator, SubjectKind
from luoshi.monitoring.reading import ReadError, rows
from luoshi.org.models import Unit, units_of

MAX_ERRORS = 200
BATCH = 5000
STAGE = "monitoring_stage"

HEADERS = {
    "code": ("编号", "户编号", "代码", "code"),
    "name": ("名称", "户主", "户主姓名", "姓名", "name"),
    "kind": ("类型", "kind"),
    "unit": ("所属单位", "责任单位", "单位", "unit"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "id_number"),
    "phone": ("联系电话", "电话", "手机号", "phone"),
    "period": ("期间", "月份", "年月", "period"),
}
KINDS = {**{k.value: k.value for k in SubjectKind}, "农户": "household", "户": "household", "脱贫户": "household",
         "监测户": "household", "企业": "enterprise", "项目": "project", "村": "village", "行政村": "village"}
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
PHONE = re.compile(r"[\d\-+ ]{5,20}")
PERIOD = re.compile(r"(\d{4})\s*(?:[-/.年])?\s*(\d{1,2})\s*月?(?:[-/.]\d{1,2}日?)?")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # the header as written (or the column's letter where it has none)
    message: str


@dataclass
class Result:
    rows: int = 0
    subjects: int = 0
    values: int = 0
    problems: list[Problem] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem], rows: int = 0) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
        self.rows = rows


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def period_of(cell) -> dt.date:
    if isinstance(cell, dt.datetime | dt.date):
        return dt.date(cell.year, cell.month, 1)
    m = PERIOD.fullmatch(_text(cell))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(_("write the month as 2026-05 or 2026年5月"))
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def number_of(cell) -> float | None:
    if cell is None or isinstance(cell, bool):
        return None if cell is None else float(cell)
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(_("not a number")) from None


@dataclass
class _Columns:
    fixed: dict[str, int]
    attributes: list[tuple[int, str]]
    indicators: list[tuple[int, Indicator]]
    headers: list[str]


def _columns(organisation: Unit, header: list) -> _Columns:
    names = [_text(h) for h in header]
    fixed: dict[str, int] = {}
    attributes, indicators, problems = [], [], []
    known = {i.name: i for i in Indicator.objects.filter(organisation=organisation)}
    known.update({i.code: i for i in known.values()})
    for n, name in enumerate(names):
        field_name = next((f for f, words in HEADERS.items() if name in words or name.lower() in words), None)
        if not name:
            continue
        if field_name:
            fixed[field_name] = n
        elif name.startswith(("属性:", "属性：", "attr:")):
            attributes.append((n, name.split(":" if ":" in name else "：", 1)[1].strip()))
        else:
            indicator = known.get(name) or Indicator.objects.create(organisation=organisation, code=name[:40],
                                                                    name=name[:60])
            known[name] = indicator
            indicators.append((n, indicator))
    for required in ("code", "name"):
        if required not in fixed:
            problems.append(Problem(1, HEADERS[required][0], _("this column is missing")))
    if indicators and "period" not in fixed:
        problems.append(Problem(1, HEADERS["period"][0], _("this column is missing")))
    if problems:
        raise ImportFailed(problems)
    return _Columns(fixed, attributes, indicators, names)


class _Stage:
    """The staging table and how rows get into it: COPY on PostgreSQL, batched inserts elsewhere."""

    def __init__(self, width: int) -> None:
        self.columns = ["row_no", "code", "name", "kind", "unit_id", "id_number", "phone", "attrs", "period",
                        *[f"v{k}" for k in range(width)]]
        values = " ".join(f", v{k} DOUBLE PRECISION" for k in range(width))
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cur.execute(f"CREATE TEMPORARY TABLE {STAGE} (row_no INTEGER, code VARCHAR(40), name VARCHAR(100), "
                        f"kind VARCHAR(20), unit_id INTEGER, id_number VARCHAR(18), phone VARCHAR(20), attrs TEXT, "
                        f"period DATE{values})")
        self.batch: list[tuple] = []
        self.copy = None
        self._copy_cm = None
        if connection.vendor == "postgresql":
            self._cursor = connection.cursor()
            self._copy_cm = self._cursor.cursor.copy(f"COPY {STAGE} ({', '.join(self.columns)}) FROM STDIN")
            self.copy = self._copy_cm.__enter__()

    def add(self, row: tuple) -> None:
        if self.copy is not None:
            self.copy.write_row(row)
            return
        self.batch.append(row)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            marks = ", ".join(["%s"] * len(self.columns))
            with connection.cursor() as cur:
                cur.executemany(f"INSERT INTO {STAGE} ({', '.join(self.columns)}) VALUES ({marks})", self.batch)
            self.batch = []

    def close(self) -> None:
        if self._copy_cm is not None:
            self._copy_cm.__exit__(None, None, None)
            self._cursor.close()
            self._copy_cm = self.copy = None
        self.flush()


def _units(organisation: Unit) -> dict[str, int]:
    found: dict[str, int] = {}
    for u in [organisation, *units_of(organisation)]:
        found[u.name] = u.pk
        if u.short_name:
            found.setdefault(u.short_name, u.pk)
    return found


class _Checker:
    """Checks one row after another. Column positions are found once; the months and the
    subject's details of the row before are remembered, since a subject's rows follow each other
    and the same dozen months recur (a million households, one regex each, not twelve)."""

    def __init__(self, cols: _Columns, units: dict[str, int], problems: list[Problem]) -> None:
        self.cols, self.units, self.problems = cols, units, problems
        f = cols.fixed
        self.at = [f.get(k) for k in ("code", "name", "kind", "unit", "id_number", "phone", "period")]
        self.periods: dict[object, dt.date | str] = {}
        self.last_details: tuple | None = None
        self.last_checked: tuple = ()

    def _bad(self, number: int, index: int, message: str) -> None:
        self.problems.append(Problem(number, self.cols.headers[index] or _letter(index), message))

    def _period(self, number: int, raw) -> dt.date | None:
        found = self.periods.get(raw)
        if found is None:
            try:
                found = period_of(raw)
            except ValueError as err:
                found = str(err)
            if len(self.periods) < 1000:
                self.periods[raw] = found
        if isinstance(found, str):
            self._bad(number, self.cols.fixed["period"], found)
            return None
        return found

    def _details(self, number: int, raw: tuple) -> tuple:
        """(code, name, kind, unit id, ID number, phone) checked; the row before's if the same."""
        if raw == self.last_details:
            return self.last_checked
        before = len(self.problems)
        code, name, kind_text, unit_text, id_text, phone = (_text(v) for v in raw)
        f = self.cols.fixed
        if not code:
            self._bad(number, f["code"], _("empty"))
        elif len(code) > 40:
            self._bad(number, f["code"], _("longer than 40 characters"))
        if not name:
            self._bad(number, f["name"], _("empty"))
        kind = KINDS.get(kind_text or "household")
        if kind is None:
            self._bad(number, f["kind"], _("not one of 农户, 企业, 项目, 村"))
        unit_id = None
        if unit_text:
            unit_id = self.units.get(unit_text)
            if unit_id is None:
                self._bad(number, f["unit"], _("no such unit in this organisation"))
        id_number = id_text.upper()
        if id_number and not ID_NUMBER.fullmatch(id_number):
            self._bad(number, f["id_number"], _("an ID number has 18 characters: 17 digits and a digit or X"))
        if phone and not PHONE.fullmatch(phone):
            self._bad(number, f["phone"], _("not a phone number"))
        checked = (code[:40], name[:100], kind, unit_id, id_number, phone[:20])
        if len(self.problems) == before:
            self.last_details, self.last_checked = raw, checked  # only a clean row is remembered
        return checked

    def row(self, number: int, cells: list) -> tuple:
        width = len(cells)
        raw = tuple(cells[i] if i is not None and i < width else None for i in self.at)
        details = self._details(number, raw[:6])
        period = self._period(number, raw[6]) if self.cols.indicators else None
        values = []
        for n, _indicator in self.cols.indicators:
            cell = cells[n] if n < width else None
            if cell is None or cell == "":
                values.append(None)
                continue
            try:
                value = float(cell)  # the usual case: a plain number
            except (TypeError, ValueError):
                try:
                    value = number_of(cell)
                except ValueError as err:
                    self._bad(number, n, str(err))
                    value = None
            if value is not None and not math.isfinite(value):
                self._bad(number, n, _("not a number"))
                value = None
            values.append(value)
        attrs = None
        if self.cols.attributes:
            found = {key: _text(cells[n]) for n, key in self.cols.attributes if n < width and _text(cells[n])}
            attrs = json.dumps(found, ensure_ascii=False) if found else None
        return (number, *details, attrs, period, *values)


def _duplicates(problems: list[Problem], cols: _Columns) -> None:
    if not cols.indicators:
        return
    with connection.cursor() as cur:
        cur.execute(f"SELECT MIN(row_no), MAX(row_no), code FROM {STAGE} GROUP BY code, period HAVING COUNT(*) > 1 "
                    f"ORDER BY MIN(row_no) LIMIT {MAX_ERRORS}")
        for first, last, code in cur.fetchall():
            problems.append(Problem(last, cols.headers[cols.fixed["period"]],
                                    _("%(code)s has this month already in row %(first)s") % {
                                        "code": code, "first": first}))


def _upsert(organisation: Unit, cols: _Columns, sample: bool) -> tuple[int, int]:
    subjects = "monitoring_subject"
    attrs = "COALESCE(st.attrs, '{}')"
    if connection.vendor == "postgresql":
        attrs = f"CAST({attrs} AS jsonb)"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {STAGE}")  # a temporary table has no statistics: the joins need them
            cur.execute("SET LOCAL work_mem = '256MB'")  # hash the staging rows in memory, not on disk
        # a subject's details from its last row; WHERE true lets SQLite read ON CONFLICT after a SELECT
        cur.execute(
            f"INSERT INTO {subjects} (organisation_id, code, name, kind, unit_id, id_number, phone, attributes, "
            f"is_sample) SELECT %s, st.code, st.name, st.kind, st.unit_id, st.id_number, st.phone, "
            f"{attrs}, %s FROM {STAGE} st "
            f"WHERE st.row_no IN (SELECT MAX(row_no) FROM {STAGE} GROUP BY code) "
            "ON CONFLICT (organisation_id, code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
            "unit_id = excluded.unit_id, id_number = excluded.id_number, phone = excluded.phone, "
            "attributes = excluded.attributes, is_sample = excluded.is_sample",
            [organisation.pk, sample])
        n_subjects = cur.rowcount
        n_values = 0
        cur.execute(f"SELECT MIN(period), MAX(period) FROM {STAGE}")
        first, last = cur.fetchone()
        for k, (_n, indicator) in enumerate(cols.indicators):
            # an indicator with no value yet in the file's months cannot conflict: a plain insert
            # spares PostgreSQL a speculative insertion per row (a third of the time of a first load)
            cur.execute("SELECT 1 FROM monitoring_value WHERE indicator_id = %s AND period BETWEEN %s AND %s "
                        "LIMIT 1", [indicator.pk, first, last])
            upsert = cur.fetchone() is not None
            cur.execute(
                f"INSERT INTO monitoring_value (subject_id, indicator_id, period, value) "
                f"SELECT s.id, %s, st.period, st.v{k} FROM {STAGE} st JOIN {subjects} s "
                f"ON s.organisation_id = %s AND s.code = st.code WHERE st.v{k} IS NOT NULL "
                # in the key's order: each index page is written once, not once per value
                "ORDER BY st.period, s.id"
                + (" ON CONFLICT (indicator_id, period, subject_id) DO UPDATE SET value = excluded.value"
                   if upsert else ""),
                [indicator.pk, organisation.pk])
            n_values += cur.rowcount
        cur.execute(f"DROP TABLE {STAGE}")
    return n_subjects, n_values


def import_file(organisation: Unit, stream: BinaryIO, name: str, *, sample: bool = False) -> Result:
    """Import the subjects and values of ``stream`` (a .csv or .xlsx file called ``name``) into
    ``organisation``; raises `ImportFailed` with every problem (up to 200) and imports nothing."""
    result = Result()
    try:
        with transaction.atomic():
            it = rows(stream, name)
            first = next(it, None)
            if first is None:
                raise ImportFailed([Problem(1, "", _("the file is empty"))])
            cols = _columns(organisation, first[1])
            units = _units(organisation)
            stage = _Stage(len(cols.indicators))
            problems: list[Problem] = []
            checker = _Checker(cols, units, problems)
            try:
                for number, cells in it:
                    staged = checker.row(number, cells)
                    result.rows += 1
                    if len(problems) < MAX_ERRORS:
                        stage.add(staged)
                    elif len(problems) > MAX_ERRORS:
                        del problems[MAX_ERRORS:]
            finally:
                stage.close()
            if not problems:
                _duplicates(problems, cols)
            if problems:
                raise ImportFailed(problems[:MAX_ERRORS], result.rows)
            result.subjects, result.values = _upsert(organisation, cols, sample)
    except ReadError as err:
        raise ImportFailed([Problem(0, "", str(err))]) from err
    return result
