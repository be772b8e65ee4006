"""Columns of many rows as PostgreSQL arrays, for bulk writes of one statement
(`INSERT … SELECT … FROM unnest(%s::bigint[], …)`): the scan writes tens of thousands of rows a
day, and a model object, its compiled placeholders and the driver's per-element dumping cost more
than the insert itself.
"""

from __future__ import annotations

from collections.abc import Sequence


def column(values: Sequence) -> str | list:
    """``values`` as an array literal ({1,2,3}, {"a","b"}) where str.join can write it, which is
    what makes it cheap; otherwise the list itself, for the driver to dump (NULLs, text that needs
    escaping). Identifiers are quoted: an unquoted NULL would be null."""
    if all(type(v) is int for v in values):
        return "{" + ",".join(map(str, values)) + "}"
    if all(type(v) is str and v.isidentifier() and v.isascii() for v in values):
        return '{"' + '","'.join(values) + '"}'
    return list(values)


def cast(db_type: str) -> str:
    """The array type of a column's type as Django writes it (varchar(40) → varchar[])."""
    return db_type.split("(")[0] + "[]"
