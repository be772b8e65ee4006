"""Which unit should lead: rules an administrator keeps, and where similar work went before.

`Router(organisation)` reads the active rules and the organisation's assigned tasks once;
`suggest(text)` gives the top three units, each with the reasons that put it there
("rule: 农田 → 省农业农村厅", "like task #41"). `Duplicates` finds open tasks that a new
item repeats (the same directive from another meeting: 多头交办).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from luoshi.desk.models import RoutingRule
from luoshi.org.models import Unit
from luoshi.tasks.models import State, Task
from luoshi.text.similarity import Index

HISTORY_FLOOR = 0.15  # below this a past task says nothing about a new one
DUPLICATE_FLOOR = 0.4  # at or above this an open task may be the same work


@dataclass
class Suggestion:
    unit: Unit
    score: float
    reasons: list[str] = field(default_factory=list)


class Router:
    def __init__(self, organisation: Unit, *, rules: bool = True, history: bool = True,
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
        self.index = Index.build((t.pk, f"{t.title} {t.description}") for t in self.tasks.values())

    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]:
        found: dict[int, Suggestion] = {}

        def add(unit: Unit, score: float, reason: str) -> None:
            s = found.setdefault(unit.pk, Suggestion(unit, 0.0))
            s.score += score
            s.reasons.append(reason)

        for rule in self.rules:
            if rule.phrase and rule.phrase in text:
                add(rule.unit, rule.weight, _("rule: %(phrase)s → %(unit)s") % {"phrase": rule.phrase,
                                                                                 "unit": rule.unit.label})
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
