"""Where each figure leads: the ledger filtered to exactly the tasks behind it.

The ledgers read their filters from the query string (`ledgers.filters`); the dashboard counts
with the same `Filters`, so a link carries the dashboard's scope (the leader) and the figure's own
narrowing (a state, a light, a unit as lead, a flag, a period, a meeting).
"""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse

from luoshi.ledgers.filters import Filters


def scope_params(f: Filters) -> dict[str, str]:
    """The dashboard's own narrowing as ledger parameters."""
    return {"leader": str(f.leader.pk)} if f.leader else {}


def ledger_url(ledger: str, scope: dict[str, str], **params: object) -> str:
    """``/ledgers/<ledger>/?…``: the scope, then the figure's filters (dates as ISO days)."""
    query = dict(scope)
    for key, value in params.items():
        if value is None or value == "":
            continue
        query[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    url = _path("ledgers:page", ledger, get_script_prefix())
    return f"{url}?{urlencode(query)}" if query else url


def task_url(pk: int) -> str:
    return _path("tasks:detail", pk, get_script_prefix())


@functools.lru_cache(maxsize=4096)
def _path(name: str, arg: str | int, _prefix: str) -> str:
    """A path reversed once (a dashboard links a few hundred figures to a handful of ledgers:
    reversing each was a tenth of the page's time); the prefix a deployment mounts it under is
    part of the key."""
    return reverse(name, args=[arg])
