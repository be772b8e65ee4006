"""The projects' questions in SQL, set-based, for a province's thousands of projects: which stages
have slipped, which projects fall short, and each project's figures to date (for the ledger and
the check). The rules are those of `rules.py`; each organisation's calendar and margins come in
as a CASE on the project's organisation, so one query answers for every organisation at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from luoshi.projects import rules
from luoshi.projects.models import DEFAULT_SETTINGS, Investment, Project, ProjectSettings, Stage
from luoshi.workdays.services import calendar_for

MONEY = DecimalField(max_digits=16, decimal_places=2)
# amounts have two decimals and margins are whole per cents, so the two sides of the shortfall's
# comparison are exact multiples of 0.01: comparing with half of that is exact on PostgreSQL's
# numeric and on SQLite's floating point alike (where 10 % of 123.40 is not exactly 12.34)
HALF_CENT = Decimal("0.005")


def settings_for(organisation_ids) -> dict[int, ProjectSettings]:
    """Each organisation's settings, the defaults where it set none."""
    found = {s.organisation_id: s for s in ProjectSettings.objects.filter(organisation__in=organisation_ids)}
    return {pk: found.get(pk, DEFAULT_SETTINGS) for pk in organisation_ids}


def organisations_of(projects: QuerySet[Project]) -> list[int]:
    return list(projects.order_by().values_list("organisation", flat=True).distinct())


def cutoffs(organisation_ids, at: dt.date) -> dict[int, dt.date]:
    """Per organisation, the day before which a stage not reached has slipped on ``at``."""
    cfg = settings_for(organisation_ids)
    return {pk: rules.slip_cutoff(calendar_for(pk), at, cfg[pk].slip_grace) for pk in organisation_ids}


def _per_organisation(field: str, values: dict[int, object], output) -> Case:
    return Case(*[When(**{field: pk}, then=Value(v)) for pk, v in values.items()], default=Value(None),
                output_field=output)


def slipped_stages(at: dt.date, stages: QuerySet[Stage] | None = None) -> QuerySet[Stage]:
    """The stages slipped on ``at`` (planned before their organisation's cutoff, not reached)."""
    stages = Stage.objects.all() if stages is None else stages
    orgs = list(Project.objects.filter(pk__in=stages.values("project")).order_by()
                .values_list("organisation", flat=True).distinct())
    return (stages.filter(actual_date__isnull=True, planned_date__isnull=False)
            .alias(cutoff=_per_organisation("project__organisation", cutoffs(orgs, at), DateField()))
            .filter(planned_date__lt=F("cutoff")))


def _to_date(column, until: dt.date) -> Coalesce:
    """A project's sum of ``column`` over the months before ``until``, as a correlated subquery:
    cheap for a page of rows, which reads it for those rows only."""
    total = (Investment.objects.filter(project=OuterRef("pk"), month__lt=until).order_by().values("project")
             .annotate(total=Sum(Coalesce(column, Value(Decimal(0)), output_field=MONEY))).values("total"))
    return Coalesce(Subquery(total, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def _to_date_grouped(column, until: dt.date) -> Coalesce:
    """The same sum over the join, grouped by project: one pass over the months of every project,
    cheaper when every project must be summed (the check, the ledger filtered by shortfall)."""
    total = Sum(Coalesce(f"investments__{column}", Value(Decimal(0)), output_field=MONEY),
                filter=Q(investments__month__lt=until))
    return Coalesce(total, Value(Decimal(0)), output_field=MONEY)


def with_figures(projects: QuerySet[Project], at: dt.date, *, every: bool = False) -> QuerySet[Project]:
    """``projects`` with their figures on ``at``: ``planned_to_date`` and ``actual_to_date`` (the
    months ended), ``margin``, ``slipped`` (a stage slipped) and ``short`` (beyond the margin).

    ``every``: the figures of every project will be read (to filter or count by them): summed
    with GROUP BY over the join rather than a subquery per row (on PostgreSQL over 20,000
    projects, 0.4 s instead of 1.5 s; see bench/projects.py)."""
    orgs = organisations_of(projects)
    cfg = settings_for(orgs)
    until = rules.counted_until(at)
    to_date = _to_date_grouped if every else _to_date
    slipping = Stage.objects.filter(project=OuterRef("pk"), actual_date__isnull=True,
                                    planned_date__lt=OuterRef("slip_cutoff"))
    over_margin = ExpressionWrapper(
        (F("planned_to_date") - F("actual_to_date")) * 100 - F("planned_to_date") * F("margin"), output_field=MONEY)
    return (projects
            .annotate(planned_to_date=to_date("planned", until), actual_to_date=to_date("actual", until),
                      margin=_per_organisation("organisation", {pk: c.shortfall_margin for pk, c in cfg.items()},
                                               IntegerField()),
                      slip_cutoff=_per_organisation("organisation", cutoffs(orgs, at), DateField()))
            .annotate(over_margin=over_margin, slipped=Exists(slipping))
            .annotate(short=Case(When(Q(planned_to_date__gt=0) & Q(over_margin__gt=HALF_CENT), then=Value(True)),
                                 default=Value(False), output_field=BooleanField())))
