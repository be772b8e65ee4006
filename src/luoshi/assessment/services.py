"""The ranking of a period (published, or counted now), publishing it, and the weights.

Who may do each is asked of `luoshi.access` by the pages; these functions only keep the rules
of the data: a period is published once, only after it has ended, and then never changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.assessment import figures
from luoshi.assessment.models import Assessment, Score, Weights
from luoshi.assessment.scoring import Figures, Result, WeightSet, ranks, score
from luoshi.org.models import Unit
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Task


@dataclass(frozen=True)
class Row:
    rank: int
    unit: Unit
    figures: Figures
    result: Result


@dataclass(frozen=True)
class Ranking:
    organisation: Unit
    kind: str
    start: dt.date
    end: dt.date
    weights: WeightSet
    rows: list[Row]
    published: Assessment | None  # None: a draft, counted now

    def may_publish(self, today: dt.date | None = None) -> bool:
        """Whether the period may be published now: not yet, and once it has ended."""
        return self.published is None and self.end < (today or timezone.localdate())


def weights_for(organisation: Unit) -> WeightSet:
    row = Weights.objects.filter(organisation=organisation).first()
    return row.as_set() if row else WeightSet()


def set_weights(organisation: Unit, values: dict, user) -> Weights:
    row, _created = Weights.objects.get_or_create(organisation=organisation)
    for name in (*WeightSet.RATES, *WeightSet.PENALTIES):
        setattr(row, name, values[name])
    row.updated_by = user
    row.save()
    return row


def published(organisation: Unit, start: dt.date, end: dt.date) -> Assessment | None:
    return Assessment.objects.filter(organisation=organisation, start=start, end=end).first()


def ranking(organisation: Unit, kind: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> Ranking:
    """The period's ranking: as published, or counted now from the tasks and today's weights."""
    done = published(organisation, start, end)
    if done is not None:
        scores = done.scores.select_related("unit").order_by("rank", "unit__name")
        rows = [Row(s.rank, s.unit, s.figures(), s.result()) for s in scores]
        return Ranking(organisation, done.kind, start, end, done.weight_set(), rows, done)
    weights = weights_for(organisation)
    period = figures.Period(organisation.pk, start, end, today or timezone.localdate())
    counted = figures.per_unit(period)
    units = Unit.objects.in_bulk(list(counted))
    scored = sorted(((units[u], f, score(f, weights)) for u, f in counted.items()),
                    key=lambda r: (-r[2].total, r[0].name, r[0].pk))
    rows = [Row(n, u, f, r) for n, (u, f, r) in zip(ranks([r[2].total for r in scored]), scored, strict=True)]
    return Ranking(organisation, kind, start, end, weights, rows, None)


def publish(organisation: Unit, kind: str, start: dt.date, end: dt.date, user,
            today: dt.date | None = None) -> Assessment:
    """Freeze the period's ranking: the scores, the figures, the task ids behind them, the weights."""
    today = today or timezone.localdate()
    try:
        # one transaction: on SQLite it holds the write lock, so the counts and the ids agree
        with transaction.atomic():
            draft = ranking(organisation, kind, start, end, today)
            if draft.published is not None:
                raise WorkflowError(_("This period's assessment is already published."), "state")
            if not draft.may_publish(today):
                raise WorkflowError(_("A period is published once it has ended."), "state")
            ids = figures.task_ids(figures.Period(organisation.pk, start, end, today))
            done = Assessment.objects.create(organisation=organisation, kind=kind, start=start, end=end,
                                             weights=draft.weights.as_json(), published_at=timezone.now(),
                                             published_by=user)
            Score.objects.bulk_create([_score(done, row, ids.get(row.unit.pk, {})) for row in draft.rows])
    except IntegrityError as err:  # someone published it meanwhile
        raise WorkflowError(_("This period's assessment is already published."), "state") from err
    return done


def _score(assessment: Assessment, row: Row, ids: dict[str, list[int]]) -> Score:
    rates = {field: row.result.rates[key] for key, field in Score.RATE_FIELDS.items()}
    return Score(assessment=assessment, unit=row.unit, rank=row.rank, merit=row.result.merit,
                 penalty=row.result.penalty, total=row.result.total, task_ids=ids,
                 **{n: getattr(row.figures, n) for n in Figures.names()}, **rates)


def tasks_behind(ranking_: Ranking, figure: str, unit: Unit, today: dt.date | None = None) -> QuerySet[Task]:
    """The tasks behind a unit's figure: as frozen when published, else counted now."""
    if figure not in figures.SOURCES:
        return Task.objects.none()
    if ranking_.published is not None:
        score_ = ranking_.published.scores.filter(unit=unit).first()
        return Task.objects.filter(pk__in=(score_.task_ids.get(figure, []) if score_ else []))
    period = figures.Period(ranking_.organisation.pk, ranking_.start, ranking_.end, today or timezone.localdate())
    return figures.tasks_behind(period, figure, unit.pk)
