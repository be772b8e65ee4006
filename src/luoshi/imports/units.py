"""Finding an organisation's unit, or leader, by the name a ledger writes.

A unit is found by its name or short name exactly, or else by the one unit whose name or short
name is the same once spaces and the prefixes 省/市/县 are gone (农业农村厅 → 省农业农村厅). Two
candidates are an error that names them: the supervisor writes the full name. Only the units of
the organisation count, as on the task form.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from luoshi.org.models import Unit, units_of
from luoshi.tasks.forms import leaders_of

_SPACE = re.compile(r"\s+")


def exact_key(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))


def loose_key(name: str) -> str:
    return exact_key(name).lstrip("省市县")


def _index(items, keys_of) -> tuple[dict[str, list], dict[str, list]]:
    exact: dict[str, list] = {}
    loose: dict[str, list] = {}
    for item in items:
        for name in keys_of(item):
            if not name:
                continue
            for table, key in ((exact, exact_key(name)), (loose, loose_key(name))):
                if key and item not in table.setdefault(key, []):
                    table[key].append(item)
    return exact, loose


class UnitFinder:
    """The units of ``organisation``, read once, found by name."""

    def __init__(self, organisation: Unit) -> None:
        self.organisation = organisation
        self.exact, self.loose = _index(units_of(organisation), lambda u: (u.name, u.short_name))

    def find(self, written: str) -> Unit:
        """The unit ``written`` names; `ValueError` with the reason if none or several."""
        found = self.exact.get(exact_key(written)) or self.loose.get(loose_key(written)) or []
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(_("“%(text)s” could be %(units)s: write the full name.") % {
                "text": written, "units": "、".join(sorted(u.name for u in found))})
        raise ValueError(_("%(organisation)s has no unit called “%(text)s”.") % {
            "organisation": self.organisation.name, "text": written})


class LeaderFinder:
    """The organisation's leaders (as on the task form), found by display name or user name."""

    def __init__(self, organisation: Unit) -> None:
        self.exact, _loose = _index(leaders_of(organisation), lambda u: (u.display_name, u.username))

    def find(self, written: str):
        found = self.exact.get(exact_key(written)) or []
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(_("Several leaders are called “%(text)s”. Map the column to “Issued by” to keep the "
                               "name as written.") % {"text": written})
        raise ValueError(_("No leader of this organisation is called “%(text)s”. Map the column to “Issued by” "
                           "to keep the name as written.") % {"text": written})
