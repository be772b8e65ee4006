"""Which unit should lead: rules an administrator keeps, and where similar work went before.

`Router(organisation)` reads the active rules and the organisation's assigned tasks once;
`suggest(text)` gives the top three units, each with the reasons that put it there
("rule: 农田 → 省农业农村厅", "named: 吕梁", "like task #41"). `Duplicates` finds open tasks that a new
item repeats (the same directive from another meeting: 多头交办).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from luoshi.desk.models import RoutingRule
from luoshi.org.models import Unit, units_of
from luoshi.tasks.models import State, Task
from luoshi.text.similarity import Index

HISTORY_FLOOR = 0.15  # below this a past task says nothing about a new one
DUPLICATE_FLOOR = 0.4  # at or above this an open task may be the same work


@dataclass
class Suggestion:
    unit: Unit
    score: float
    reasons: list[str] = field(default_factory=list)


NAME_WEIGHT = 0.8  # a unit named in the words (吕梁 for 吕梁市人民政府) is a strong hint, not a rule
ADDRESSEE_WEIGHT = 1.5  # a unit the words are addressed to (吕梁市要…) outweighs a topic rule
LIST_ADDRESSEE_WEIGHT = 1.2  # the list's introduction is addressed to it: above one rule, below the item's own


@functools.lru_cache(maxsize=4096)
def _addressed(stem: str) -> re.Pattern:
    """吕梁市要… / 吕梁各级各部门必须…: words addressed to the unit called ``stem``."""
    return re.compile(re.escape(stem) + r"[省市县区州]?(?:各级各部门)?(?:要|必须|务必)")


_ADMIN_SUFFIX = re.compile(r"(人民政府|政府|委员会|办公厅|办公室|[省市县区州盟旗])+$")
_LEVEL_PREFIX = re.compile(r"^[省市县区]")


def unit_stem(unit: Unit) -> str:
    """What a text calls a unit: 吕梁市人民政府 → 吕梁, 省农业农村厅 → 农业农村."""
    name = _LEVEL_PREFIX.sub("", unit.name)
    name = re.sub(r"(厅|局|委|办|部|室|中心)$", "", name)
    return _ADMIN_SUFFIX.sub("", name)


class Router:
    def __init__(self, organisation: Unit, *, rules: bool = True, history: bool = True, names: bool = True,
                 exclude_tasks: set[int] | frozenset[int] = frozenset()):
        self.rules = list(
            RoutingRule.objects.filter(organisation=organisation, active=True).select_related("unit")
        ) if rules else []
        past = (
            Task.objects.filter(organisation=organisation, lead_unit__isnull=False)
            .exclude(state=State.DRAFT).exclude(pk__in=exclude_tasks)
            .select_related("lead_unit").only("pk", "title", "description", "lead_unit")
        ) if history else []
        self.tasks = {t.pk: t for t in past}
        self.units = [
            (u, stem) for u in units_of(organisation)
            if names and u.kind != Unit.Kind.OFFICE and len(stem := unit_stem(u)) >= 2
        ] if names else []
        self.index = Index.build((t.pk, f"{t.title} {t.description}") for t in self.tasks.values())

    def suggest(self, text: str, limit: int = 3, lead_in: str = "") -> list[Suggestion]:
        """Top units for ``text``; ``lead_in`` (the words that introduce it) may name its addressee."""
        found: dict[int, Suggestion] = {}

        def add(unit: Unit, score: float, reason: str) -> None:
            s = found.setdefault(unit.pk, Suggestion(unit, 0.0))
            s.score += score
            s.reasons.append(reason)

        for rule in self.rules:
            if rule.phrase and rule.phrase in text:
                add(rule.unit, rule.weight, _("rule: %(phrase)s → %(unit)s") % {"phrase": rule.phrase,
                                                                                 "unit": rule.unit.label})
        for unit, stem in self.units:
            own = _addressed(stem).search(text)
            if own:  # 吕梁市要…: the item's own words are addressed to the unit
                add(unit, ADDRESSEE_WEIGHT, _("addressed: %(words)s") % {"words": own.group()})
            elif stem in text:
                add(unit, NAME_WEIGHT, _("named: %(stem)s") % {"stem": stem})
            elif lead_in and (said := _addressed(stem).search(lead_in)):
                # the introduction of the item's list is addressed to the unit (吕梁市要…。一要…):
                # strong, but the item's own words (an addressee, a rule and a name) outweigh it
                add(unit, LIST_ADDRESSEE_WEIGHT, _("the list is addressed: %(words)s") % {"words": said.group()})
        per_unit: dict[int, int] = defaultdict(int)
        for pk, sim in self.index.similar(text, limit=10, floor=HISTORY_FLOOR):
            task = self.tasks[pk]
            per_unit[task.lead_unit_id] += 1
            if per_unit[task.lead_unit_id] <= 2:  # two examples are reason enough
                add(task.lead_unit, sim, _("like task #%(id)s (%(sim)d%% alike)") % {"id": pk, "sim": sim * 100})
        ranked = sorted(found.values(), key=lambda s: (-s.score, s.unit.name))
        return ranked[:limit]


class Duplicates:
    """Open tasks of an organisation, indexed once, to find the ones a new item repeats."""

    def __init__(self, organisation: Unit):
        open_tasks = Task.objects.filter(organisation=organisation).exclude(state=State.CLOSED).only(
            "pk", "title", "description", "state", "lead_unit")
        self.tasks = {t.pk: t for t in open_tasks}
        self.index = Index.build((t.pk, f"{t.title} {t.description}") for t in self.tasks.values())

    def of(self, text: str, limit: int = 3) -> list[tuple[Task, float]]:
        return [(self.tasks[pk], s) for pk, s in self.index.similar(text, limit=limit, floor=DUPLICATE_FLOOR)]
