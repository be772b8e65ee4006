"""Ledgers (台账): the rows and columns of the pages and the .xlsx, through the same query layer."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from luoshi import access
from luoshi.api.auth import need
from luoshi.api.models import Scope
from luoshi.api.schemas import LedgerInfo, LedgerPage, Problem
from luoshi.api.tasks import TaskFilters, _filters
from luoshi.ledgers import queries, services
from luoshi.ledgers.definitions import LEDGERS

router = Router(tags=["ledgers"])
REFUSALS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
LedgerKey = Literal[tuple(LEDGERS)]  # type: ignore[valid-type]


@router.get("", response={200: list[LedgerInfo], **REFUSALS}, summary="The ledgers")
def ledger_index(request: HttpRequest):
    need(request, Scope.READ)
    return [{"key": x.key, "title": str(x.label), "description": str(x.about)} for x in LEDGERS.values()]


def _cell(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


@router.get("/{key}", response={200: LedgerPage, **REFUSALS},
            summary="A ledger's rows with the organisation's columns; task ledgers a page at a time")
def ledger_rows(request: HttpRequest, key: LedgerKey, q: Query[TaskFilters], by_person: bool = False):
    need(request, Scope.READ)
    ledger = LEDGERS[key]
    columns = services.columns_for(ledger, access.home_organisation(request.user))
    readers = [c.reader(get_language() or "zh-hans") for c in columns]
    out = {"key": ledger.key, "columns": [{"key": c.key, "label": str(c.label)} for c in columns], "rows": [],
           "next_cursor": None}
    f = _filters(q)
    if f is None:
        return out
    if ledger.rows == "units":
        rows = queries.responsibility_rows(request.user, f, by_person=by_person)
        cursor = None
    else:
        tasks = queries.task_rows(ledger, request.user, f)
        rows, cursor = queries.page(tasks, q.cursor, q.limit, newest_first=queries.descending(ledger))
    out["rows"] = [[_cell(read(r)) for read in readers] for r in rows]
    out["next_cursor"] = cursor
    return out
