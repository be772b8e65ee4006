"""Which columns a ledger shows for an organisation, and keeping that choice."""

from __future__ import annotations

from django.utils.translation import gettext as _

from luoshi.ledgers.definitions import Column, Ledger
from luoshi.ledgers.models import LedgerColumns
from luoshi.org.models import Unit
from luoshi.tasks.errors import WorkflowError


def columns_for(ledger: Ledger, organisation: Unit | None) -> list[Column]:
    """The columns ``organisation`` chose for ``ledger``, in its order (its default if none)."""
    keys = None
    if organisation is not None:
        keys = (LedgerColumns.objects.filter(organisation=organisation, ledger=ledger.key)
                .values_list("columns", flat=True).first())
    chosen = [ledger.column(k) for k in (keys or ledger.default_keys())]
    return [c for c in chosen if c is not None] or [ledger.column(k) for k in ledger.default_keys()]


def set_columns(ledger: Ledger, organisation: Unit, keys: list[str], actor) -> list[Column]:
    known = {c.key for c in ledger.columns}
    unknown = [k for k in keys if k not in known]
    if unknown or not keys:
        raise WorkflowError(_("Choose at least one of the ledger's columns."), "invalid")
    LedgerColumns.objects.update_or_create(organisation=organisation, ledger=ledger.key,
                                           defaults={"columns": list(dict.fromkeys(keys)), "updated_by": actor})
    return columns_for(ledger, organisation)
