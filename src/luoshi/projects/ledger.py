"""The project ledger (项目台账): the projects a reader may see, filtered (unit, stage, slipped,
short), in code order, a page at a time by keyset (the last row's code and id, never OFFSET),
and the same rows for the .xlsx in chunks. The figures are those of `queries.with_figures`, so the
ledger, the page and the check agree."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi import access
from luoshi.ledgers.definitions import Column
from luoshi.org.models import Unit
from luoshi.projects import queries, rules
from luoshi.projects.models import Project, Stage, StageKind

PAGE = 50


@dataclass(frozen=True)
class Filters:
    unit: Unit | None = None
    stage: str | None = None  # a StageKind, or "none" for projects with no stage reached yet
    slipped: bool | None = None
    short: bool | None = None

    def any(self) -> bool:
        return any(v is not None for v in (self.unit, self.stage, self.slipped, self.short))


def rows(user, f: Filters, at: dt.date) -> QuerySet[Project]:
    projects = access.visible_projects(user).select_related("unit")
    if f.unit is not None:
        projects = projects.filter(unit=f.unit)
    if f.stage is not None:
        projects = projects.filter(stage="" if f.stage == "none" else f.stage)
    projects = queries.with_figures(projects, at, every=f.short is not None)
    if f.slipped is not None:
        projects = projects.filter(slipped=f.slipped)
    if f.short is not None:
        projects = projects.filter(short=f.short)
    return projects.order_by("code", "pk")


def after(projects: QuerySet[Project], cursor: str | None) -> QuerySet[Project]:
    """The rows after ``cursor`` (`cursor_of` the last row shown); one that cannot be read gives none."""
    if not cursor:
        return projects
    code, _sep, pk = cursor.rpartition("_")
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        return projects.none()
    return projects.filter(Q(code__gt=code) | Q(code=code, pk__gt=int(pk)))


def cursor_of(project: Project) -> str:
    return f"{project.code}_{project.pk}"


def decorate(projects: list[Project]) -> list[Project]:
    """The next stage of each project (the first not reached) with its planned date, one query for all."""
    nxt: dict[int, Stage] = {}
    for stage in Stage.objects.filter(project__in=[p.pk for p in projects], actual_date__isnull=True).order_by(
            "project", "kind"):
        nxt.setdefault(stage.project_id, stage)
    for p in projects:
        p.next_stage = nxt.get(p.pk)
    return projects


def page(projects: QuerySet[Project], cursor: str | None, size: int = PAGE) -> tuple[list[Project], str | None]:
    found = list(after(projects, cursor)[: size + 1])
    more = len(found) > size
    found = decorate(found[:size])
    return found, (cursor_of(found[-1]) if more and found else None)


def chunks(projects: QuerySet[Project], size: int = 2000) -> Iterator[list[Project]]:
    """Every row a chunk at a time (an export in constant memory), sorted once."""
    it = projects.iterator(chunk_size=size)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield decorate(chunk)


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _completion(p: Project):
    return round(100 * p.actual_to_date / p.planned_to_date) if p.planned_to_date else None


def _stage_label(kind: str) -> str:
    return str(StageKind(kind).label) if kind else _("Not started")


COLUMNS: tuple[Column, ...] = (  # what says whether a project is on track first, the reference figures after
    Column("code", gettext_lazy("Project code"), "text", lambda p: p.code, 12),
    Column("name", gettext_lazy("Project name"), "text", lambda p: p.name, 28),
    Column("unit", gettext_lazy("Responsible unit"), "text", lambda p: p.unit.label, 16),
    Column("stage", gettext_lazy("Stage reached"), "text", lambda p: _stage_label(p.stage), 10),
    Column("next", gettext_lazy("Next stage"), "text",
           lambda p: p.next_stage.get_kind_display() if p.next_stage else "", 10),
    Column("next_planned", gettext_lazy("Planned for"), "date",
           lambda p: p.next_stage.planned_date if p.next_stage else None, 12),
    Column("slipped", gettext_lazy("Stage slipped"), "text", lambda p: _yes(p.slipped), 8),
    Column("short", gettext_lazy("Investment behind"), "text", lambda p: _yes(p.short), 8),
    Column("completion", gettext_lazy("Share of plan invested"), "percent", _completion, 10),
    Column("planned_to_date", gettext_lazy("Planned to date (10,000 yuan)"), "amount",
           lambda p: rules.money(p.planned_to_date), 12),
    Column("actual_to_date", gettext_lazy("Invested to date (10,000 yuan)"), "amount",
           lambda p: rules.money(p.actual_to_date), 12),
    Column("total", gettext_lazy("Total investment (10,000 yuan)"), "amount", lambda p: p.total_investment, 12),
    Column("place", gettext_lazy("Place"), "text", lambda p: p.place, 14),
    Column("sample", gettext_lazy("Sample data"), "text", lambda p: _yes(p.is_sample), 8),
)
