"""Columns of many rows as PostgreSQL arrays, for bulk writes of one statement
(`INSERT … SELECT … FROM unnest(%s::bigint[], …)`) and reads by many keys (`id = ANY(%s)`): the
scan writes tens of thousands of rows a day, and a model object, its compiled placeholders and the
driver's per-element dumping (a regular expression a string) cost more than the insert itself.

Each column is given as one array literal, written with str.join and str.replace: the driver
then sends one string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import ForeignKey, IntegerField
from django.db.models.lookups import In
from django.utils import timezone


def _text(value: str | None) -> str:
    if value is None:
        return "NULL"
    # inside double quotes only the quote and the backslash are special
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _plain(value):
    """A date as ISO text, an enumeration (or another subclass of int or str) as its plain value;
    anything else (a boolean) as it is, to be refused."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if _int(value):
        return int(value)
    if isinstance(value, str):
        return str.__str__(value)
    return value


_NONE = type(None)


def column(values: Iterable[int | str | dt.date | None]) -> str:
    """``values`` (integers, or text, with None for NULL) as an array literal: {1,2,NULL},
    {"a","say \\"hi\\"",NULL}. Text is always quoted: an unquoted NULL would be null, an unquoted
    empty string is not allowed. Enumerations (a state) are written as their values, dates and
    times in ISO 8601 (for a ``date[]`` or ``timestamptz[]`` cast)."""
    values = list(values)
    # judged by the set of the values' exact types, not value by value: the scan writes a million
    # values a day, and asking each what it is took 6% of a day's scan at a million tasks
    if not set(map(type, values)) <= {int, str, _NONE}:
        values = [_plain(v) for v in values]
    kinds = set(map(type, values))
    if kinds <= {int}:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds == {str}:
        return '{"' + '","'.join(v.replace("\\", "\\\\").replace('"', '\\"') for v in values) + '"}'
    if kinds <= {int, _NONE}:
        return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"
    if kinds <= {str, _NONE}:
        return "{" + ",".join(map(_text, values)) + "}"
    raise TypeError("an array column holds integers or text, with None for NULL")


def insert(model, names: list[str], rows: list[tuple], *, stamp: str = "", ignore_conflicts: bool = False) -> None:
    """Write ``rows`` (tuples of the fields ``names``, integers and text) into ``model``'s table in
    one statement: on PostgreSQL ``INSERT … SELECT FROM unnest(arrays)``, elsewhere executemany.
    ``stamp``: a date-time field set to now on every row. ``ignore_conflicts``: rows that would
    break a unique constraint are left out, not refused."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(n) for n in names]
    columns = [f.column for f in fields] + ([meta.get_field(stamp).column] if stamp else [])
    quote = connection.ops.quote_name
    table = f"{quote(meta.db_table)} ({', '.join(map(quote, columns))})"
    now = [connection.ops.adapt_datetimefield_value(timezone.now())] if stamp else []
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"INSERT INTO {table} SELECT *{', %s' if stamp else ''} FROM {unnest(fields)}"
                        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""),
                        [*now, *(column(values) for values in zip(*rows, strict=True))])
        else:
            verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
            cur.executemany(f"{verb} INTO {table} VALUES ({', '.join(['%s'] * len(columns))})",
                            [(*r, *now) for r in rows])


def update(model, names: list[str], rows: list[tuple], *, where: tuple[str, ...] = ()) -> int:
    """Set the fields ``names`` of many rows in one statement: each of ``rows`` is (key, the values
    of ``names``, the values of ``where``). A row is written only if its fields ``where`` still
    hold the values given: a guard against a change made since the rows were read. On PostgreSQL
    ``UPDATE … FROM unnest(arrays)``, elsewhere executemany. The number of rows written."""
    if not rows:
        return 0
    meta = model._meta
    sets, guards = [meta.get_field(n) for n in names], [meta.get_field(n) for n in where]
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            fields = [meta.pk, *sets, *guards]
            assign = ", ".join(f"{quote(f.column)} = v.v{i}" for i, f in enumerate(sets, start=1))
            guard = "".join(f" AND t.{quote(f.column)} = v.v{i}" for i, f in enumerate(guards, start=1 + len(sets)))
            aliases = ", ".join(f"v{i}" for i in range(len(fields)))
            cur.execute(f"UPDATE {table} AS t SET {assign} FROM {unnest(fields)} AS v({aliases}) "
                        f"WHERE t.{key} = v.v0{guard}", [column(values) for values in zip(*rows, strict=True)])
        else:
            assign = ", ".join(f"{quote(f.column)} = %s" for f in sets)
            guard = "".join(f" AND {quote(f.column)} = %s" for f in guards)

            def prep(fields, values):
                return [f.get_db_prep_value(v, connection) for f, v in zip(fields, values, strict=True)]

            cur.executemany(f"UPDATE {table} SET {assign} WHERE {key} = %s{guard}",
                            [(*prep(sets, r[1:1 + len(sets)]), r[0], *prep(guards, r[1 + len(sets):])) for r in rows])
        return cur.rowcount


def unnest(fields) -> str:
    """``unnest(%s::bigint[], %s::varchar[], …)``: the rows of one array parameter (`column`) a
    field, each cast to its field's array type."""
    return f"unnest({', '.join(f'%s::{cast(f.db_type(connection))}' for f in fields)})"


def cast(db_type: str) -> str:
    """The array type of a column's type as Django writes it (varchar(40) → varchar[])."""
    return db_type.split("(")[0] + "[]"


class AnyOf(In):
    """``field__any_of=keys``: the rows whose field is one of ``keys``, as ``__in``, but written on
    PostgreSQL as ``field = ANY(%s::integer[])`` with the keys as one array literal. ``IN`` writes
    a placeholder a key, which Django compiles and the driver parses (a regular expression over
    the whole statement) each time: the scan asks for a thousand tasks at a time, hundreds of times
    a day.
    Elsewhere (SQLite) it is ``IN``. Keys are integers (primary and foreign keys)."""

    lookup_name = "any_of"

    def get_prep_lookup(self):
        # keys given as integers are keys already: no field need prepare each of them
        if self.rhs_is_direct_value() and not hasattr(self.rhs, "query"):
            self.rhs = list(self.rhs)
            if all(v is None or _int(v) for v in self.rhs):
                return self.rhs
        return super().get_prep_lookup()

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql" or not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        keys = [k for k in self.rhs if k is not None]
        if not keys:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{cast(self.lhs.output_field.db_type(connection))})", [*params, column(keys)]


def register() -> None:
    """Make ``__any_of`` known to integer and foreign key fields (`TasksConfig.ready`)."""
    IntegerField.register_lookup(AnyOf)
    ForeignKey.register_lookup(AnyOf)
