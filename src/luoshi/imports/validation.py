"""Every row of a ledger checked against a mapping before anything is written.

`check` turns each row into the task it would create (`Planned`) and lists what is wrong
(`Problem`: the row as Excel numbers it, the column's letter and header, the message).
Errors stop the import: a title missing, a unit not found or ambiguous, a date not understood,
a word that is not a priority. Warnings do not: a due date already past, a title twice in the
file, an open task of the organisation with the same title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from luoshi.imports import cells
from luoshi.imports.fields import BY_KEY, FIELDS, IGNORE
from luoshi.imports.reading import Row, Sheet
from luoshi.imports.units import LeaderFinder, UnitFinder
from luoshi.org.models import Unit
from luoshi.tasks.models import DueOrigin, Priority, State, Task

TITLE_MAX = Task._meta.get_field("title").max_length
ISSUER_MAX = Task._meta.get_field("issuer_name").max_length


@dataclass(frozen=True)
class Problem:
    row: int  # as Excel shows it; 0 for the mapping itself
    column: str  # its letter ("C"); "" for the whole row or mapping
    header: str
    message: str
    error: bool = True  # False: a warning, which does not stop the import


@dataclass
class Planned:
    """The task a row will create."""

    row: int
    title: str = ""
    description: str = ""
    kind: str = Task.Kind.DIRECTIVE
    lead_unit: Unit | None = None
    co_units: list[Unit] = field(default_factory=list)
    due: cells.Due | None = None
    target: str = ""
    priority: str = Priority.NORMAL
    leader: object | None = None
    issuer_name: str = ""
    assign: bool = False
    failed: bool = False  # the row has an error

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def kind_label(self) -> str:
        return Task.Kind(self.kind).label

    def task_fields(self) -> dict:
        """The keyword arguments of `tasks.services.create_task` (without actor and organisation)."""
        return {
            "title": self.title, "description": self.description, "kind": self.kind, "lead_unit": self.lead_unit,
            "co_units": self.co_units, "due_date": self.due.date if self.due else None,
            "due_origin": self.due.origin if self.due else DueOrigin.TYPED,
            "due_basis": self.due.basis if self.due else "", "target": self.target, "priority": self.priority,
            "leader": self.leader, "issuer_name": self.issuer_name,
        }


@dataclass
class Plan:
    planned: list[Planned]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    @property
    def ok(self) -> bool:
        return not self.errors


def mapping_problems(headers: list[str], fields: list[str]) -> list[Problem]:
    """What is wrong with the mapping itself: no title column, one field on several columns."""
    out = []
    if "title" not in fields:
        out.append(Problem(0, "", "", _("Choose the column that holds the tasks' titles (任务名称).")))
    for f in FIELDS:
        columns = [Sheet.letter(i) for i, key in enumerate(fields) if key == f.key]
        if len(columns) > 1 and not f.several:
            out.append(Problem(0, "、".join(columns), "",
                               _("“%(field)s” is chosen for columns %(columns)s: choose one.")
                               % {"field": f.label, "columns": "、".join(columns)}))
    unknown = [Sheet.letter(i) for i, key in enumerate(fields) if key != IGNORE and key not in BY_KEY]
    if unknown or len(fields) != len(headers):
        out.append(Problem(0, "、".join(unknown), "",
                           _("The mapping does not fit this sheet; choose the fields again.")))
    return out


class _Checker:
    def __init__(self, sheet: Sheet, fields: list[str], organisation: Unit, today: dt.date,
                 assign_all: bool) -> None:
        self.sheet, self.fields, self.today, self.assign_all = sheet, fields, today, assign_all
        self.columns = {key: [i for i, k in enumerate(fields) if k == key] for key in BY_KEY}
        self.units = UnitFinder(organisation) if self.columns["lead_unit"] or self.columns["co_units"] else None
        self.leaders = LeaderFinder(organisation) if self.columns["leader"] else None
        self.open_titles: dict[str, int] = {}
        for pk, title in (Task.objects.filter(organisation=organisation).exclude(state=State.CLOSED)
                          .order_by("pk").values_list("pk", "title")):
            self.open_titles.setdefault(title.strip(), pk)
        self.seen_titles: dict[str, int] = {}
        self.problems: list[Problem] = []

    def problem(self, row: Row, column: int | None, message: str, error: bool = True) -> None:
        letter = Sheet.letter(column) if column is not None else ""
        header = self.sheet.headers[column] if column is not None else ""
        self.problems.append(Problem(row.number, letter, header, message, error))

    def value(self, row: Row, key: str) -> tuple[int | None, object]:
        cols = self.columns[key]
        return (cols[0], row.values[cols[0]]) if cols else (None, None)

    def read(self, row: Row, key: str, reader):
        """``reader(value)`` of the row's ``key`` column; a `ValueError` becomes the cell's error."""
        col, value = self.value(row, key)
        if col is None or value is None:
            return None
        try:
            return reader(value)
        except ValueError as err:
            self.problem(row, col, str(err))
            return None

    def row(self, row: Row) -> Planned:
        before = len(self.problems)
        p = Planned(row.number)
        col, value = self.value(row, "title")
        title = cells.text(value)
        p.description = self._description(row)
        if not title:
            self.problem(row, col, _("The title is missing."))
        elif len(title) > TITLE_MAX:
            self.problem(row, col, _("The title is longer than %(n)d characters: the task's title keeps the first "
                                     "%(n)d, its description the whole text.") % {"n": TITLE_MAX}, error=False)
            p.description = "\n\n".join(filter(None, [title, p.description]))
        p.title = title[:TITLE_MAX]
        p.kind = self.read(row, "kind", cells.kind) or Task.Kind.DIRECTIVE
        p.lead_unit = self.read(row, "lead_unit", lambda v: self.units.find(cells.text(v)))
        p.co_units = self._co_units(row)
        p.due = self.read(row, "due_date", lambda v: cells.due(v, self.today))
        if p.due and p.due.date < self.today:
            self.problem(row, self.columns["due_date"][0], _("The due date %(date)s is already past.")
                         % {"date": p.due.date.isoformat()}, error=False)
        p.target = cells.text(self.value(row, "target")[1])
        p.priority = self.read(row, "priority", cells.priority) or Priority.NORMAL
        p.leader = self.read(row, "leader", lambda v: self.leaders.find(cells.text(v)))
        col, value = self.value(row, "issuer_name")
        p.issuer_name = cells.text(value)
        if len(p.issuer_name) > ISSUER_MAX:
            self.problem(row, col, _("“Issued by” holds at most %(n)d characters.") % {"n": ISSUER_MAX})
            p.issuer_name = ""
        written_state = self.read(row, "state", cells.state)
        p.assign = self.assign_all or written_state == State.ASSIGNED
        if p.assign and p.lead_unit is None and not self._failed_at(before, "lead_unit"):
            where = (self.columns["lead_unit"] or self.columns["state"] or [None])[0]
            self.problem(row, where, _("To be assigned (已交办), a task needs a lead unit."))
        self._duplicates(row, p.title)
        p.failed = any(x.error for x in self.problems[before:])
        return p

    def _failed_at(self, since: int, key: str) -> bool:
        letters = {Sheet.letter(i) for i in self.columns[key]}
        return any(x.column in letters for x in self.problems[since:])

    def _description(self, row: Row) -> str:
        cols = self.columns["description"]
        if len(cols) == 1:
            return cells.text(row.values[cols[0]])
        parts = [(self.sheet.headers[i], cells.text(row.values[i])) for i in cols]
        return "\n".join(f"{h}：{t}" if h else t for h, t in parts if t)

    def _co_units(self, row: Row) -> list[Unit]:
        col, value = self.value(row, "co_units")
        out: list[Unit] = []
        for name in cells.names(value) if col is not None else ():
            try:
                unit = self.units.find(name)
            except ValueError as err:
                self.problem(row, col, str(err))
            else:
                if unit not in out:
                    out.append(unit)
        return out

    def _duplicates(self, row: Row, title: str) -> None:
        if not title:
            return
        col = self.columns["title"][0]
        first = self.seen_titles.setdefault(title, row.number)
        if first != row.number:
            self.problem(row, col, _("The same title as row %(row)d.") % {"row": first}, error=False)
        if title in self.open_titles:
            self.problem(row, col, _("An open task of the organisation has this title (#%(task)d).")
                         % {"task": self.open_titles[title]}, error=False)


def check(sheet: Sheet, fields: list[str], organisation: Unit, *, today: dt.date, assign_all: bool = False) -> Plan:
    """Every row of ``sheet`` under the mapping ``fields`` (one field key per column), nothing written."""
    problems = mapping_problems(sheet.headers, fields)
    if problems:
        return Plan([], problems)
    checker = _Checker(sheet, fields, organisation, today, assign_all)
    planned = [checker.row(row) for row in sheet.rows]
    if not planned:
        checker.problems.append(Problem(0, "", "", _("The sheet has no rows of data below its header.")))
    # by row, then by column as the sheet runs (A … Z, AA …); a cell's problems in the order found
    position = {Sheet.letter(i): i for i in range(len(sheet.headers))}
    checker.problems.sort(key=lambda x: (x.row, position.get(x.column, -1)))
    return Plan(planned, checker.problems)
