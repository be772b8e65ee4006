"""What the API reads and returns, as pydantic schemas (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field

from luoshi.sources.models import Item
from luoshi.tasks.lights import LIGHTS
from luoshi.tasks.models import Evaluation, Satisfaction, State, Task

# enumerations from the models' own choices: the schema offers exactly what the app takes
StateName = Literal[tuple(State.values)]  # type: ignore[valid-type]
KindName = Literal[tuple(Task.Kind.values)]  # type: ignore[valid-type]
ItemKind = Literal[tuple(Item.Kind.values)]  # type: ignore[valid-type]
Light = Literal[LIGHTS]  # type: ignore[valid-type]
EvaluationName = Literal[tuple(Evaluation.values)]  # type: ignore[valid-type]
SatisfactionName = Literal[tuple(Satisfaction.values)]  # type: ignore[valid-type]


def _iso_day(value):
    """Only YYYY-MM-DD: pydantic would also take 0 or "0" as 1 January 1970 (a Unix time)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day written YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day)]


class Problem(Schema):
    """Why a request was refused, in words for a person (in the language asked for)."""

    detail: str
    code: str = Field("", description="not_found, forbidden, state, stale, invalid, or a field's name")
    fields: dict[str, list[str]] = Field(default_factory=dict, description="each refused field's messages")


class UnitRef(Schema):
    id: int
    name: str


class MembershipOut(Schema):
    unit: UnitRef
    role: str


class Me(Schema):
    id: int
    username: str
    display_name: str
    memberships: list[MembershipOut]
    scopes: list[str]


class TaskRow(Schema):
    id: int
    kind: KindName
    title: str
    state: StateName
    light: Light
    lead_unit: UnitRef | None
    co_units: list[str]
    due_date: dt.date | None
    version: int


class TaskPage(Schema):
    items: list[TaskRow]
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page; null on the last")


class TaskOut(Schema):
    id: int
    kind: KindName
    title: str
    description: str
    target: str
    state: StateName
    light: Light
    organisation: UnitRef
    lead_unit: UnitRef | None
    co_units: list[UnitRef]
    leader: str
    issuer_name: str
    due_date: dt.date | None
    priority: str
    progress_percent: int | None
    version: int = Field(description="send it back with a move: a stale version is refused (409)")
    parent_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    actions: list[str] = Field(description="what this user may do on the task now (moves first)")


class ProgressIn(Schema):
    text: str = Field(min_length=1, max_length=10000)
    percent: int | None = Field(None, ge=0, le=100)


class ProgressOut(Schema):
    id: int
    at: dt.datetime
    author: str
    unit: UnitRef | None
    text: str
    percent: int | None
    attachments: list[str]


class MoveIn(Schema):
    action: str = Field(description="a move of the workflow, e.g. accept, start, submit, close (see docs/workflow.md)")
    version: int = Field(ge=1, description="the task's version as last read")
    reason: str | None = Field(None, max_length=2000)
    unit: int | None = Field(None, description="a unit's id, for the moves that name one")
    due_date: Day | None = None
    comment: str | None = Field(None, max_length=2000)
    went_ahead: str | None = Field(None, max_length=2000)
    evaluation: EvaluationName | None = None
    target_met: bool | None = None
    satisfaction: SatisfactionName | None = None


class TextSourceIn(Schema):
    name: str = Field("", max_length=200, description="a name for the text (its title is read from it)")
    text: str = Field(min_length=1, max_length=500_000, description="a longer report goes as a file")


class IngestOut(Schema):
    id: int
    title: str
    created: bool = Field(description="false: the same bytes were ingested before and are found again")
    proposals: int
    pending: int


class SourceRow(Schema):
    id: int
    title: str
    name: str
    organisation: UnitRef
    created_at: dt.datetime


class SourcePage(Schema):
    items: list[SourceRow]
    next_cursor: str | None = None


class ItemOut(Schema):
    id: int
    kind: ItemKind
    ordinal: int
    headline: str
    text: str
    tasks: list[int]


class SourceOut(Schema):
    id: int
    title: str
    name: str
    organisation: UnitRef
    created_at: dt.datetime
    whole: bool = Field(description="true: this reader may read the whole text; else only the items of its tasks")
    text: str | None
    items: list[ItemOut]


class LedgerInfo(Schema):
    key: str
    title: str
    description: str


class ColumnOut(Schema):
    key: str
    label: str


class LedgerPage(Schema):
    key: str
    columns: list[ColumnOut]
    rows: list[list[str | int | float | None]]
    next_cursor: str | None = None
