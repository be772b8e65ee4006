"""The one way a project changes: made with its six stages, and the unit entering what happened
(a stage's actual date, a month's actual investment), each entry in the project's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi import access
from luoshi.org.models import Unit
from luoshi.projects.models import Investment, Project, ProjectChange, Stage, StageKind
from luoshi.projects.rules import month_start
from luoshi.tasks.errors import WorkflowError


def create_project(*, organisation: Unit, unit: Unit, code: str, name: str, total_investment: Decimal,
                   place: str = "", planned: dict[str, dt.date] | None = None,
                   monthly: Iterable[tuple[dt.date, Decimal]] = (), is_sample: bool = False) -> Project:
    """A project with its six stages (planned dates from ``planned``, by stage kind) and its
    planned investment per month."""
    planned = planned or {}
    with transaction.atomic():
        project = Project.objects.create(organisation=organisation, unit=unit, code=code, name=name, place=place,
                                         total_investment=total_investment, is_sample=is_sample)
        Stage.objects.bulk_create(Stage(project=project, kind=k, planned_date=planned.get(k)) for k in StageKind.values)
        Investment.objects.bulk_create(Investment(project=project, month=month_start(m), planned=amount)
                                       for m, amount in monthly)
    return project


def ensure_stages(project: Project) -> None:
    """The six stages of a project made elsewhere (in the admin) without them all."""
    have = set(Stage.objects.filter(project=project).values_list("kind", flat=True))
    Stage.objects.bulk_create(Stage(project=project, kind=k) for k in StageKind.values if k not in have)


def _check(project: Project, actor) -> None:
    if not access.can_record_project(actor, project):
        raise WorkflowError(_("Only the project's unit may enter what was done."), "forbidden")


def _text(value) -> str:
    return "" if value is None else str(value)


def record_stage(project: Project, actor, kind: str, actual_date: dt.date | None) -> Stage:
    """The day ``kind`` was reached (None: not reached after all); the project's stage follows."""
    _check(project, actor)
    if actual_date is not None and actual_date > timezone.localdate():
        raise WorkflowError(_("A stage cannot be reached in the future."), "invalid")
    with transaction.atomic():
        ensure_stages(project)
        stage = Stage.objects.select_for_update().get(project=project, kind=kind)
        if stage.actual_date != actual_date:
            ProjectChange.objects.create(project=project, actor=actor, what="stage", key=kind,
                                         before=_text(stage.actual_date), after=_text(actual_date))
            stage.actual_date = actual_date
            stage.save(update_fields=["actual_date"])
            reached = (Stage.objects.filter(project=project, actual_date__isnull=False)
                       .order_by("-kind").values_list("kind", flat=True).first())
            Project.objects.filter(pk=project.pk).update(stage=reached or "")
    return stage


def record_investment(project: Project, actor, month: dt.date, actual: Decimal | None) -> Investment:
    """What was invested in ``month`` (None: not reported); a month outside the plan is added to it."""
    _check(project, actor)
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise WorkflowError(_("A month to come has no actual investment yet."), "invalid")
    with transaction.atomic():
        row, _created = Investment.objects.select_for_update().get_or_create(project=project, month=month)
        if row.actual != actual:
            ProjectChange.objects.create(project=project, actor=actor, what="investment", key=f"{month:%Y-%m}",
                                         before=_text(row.actual), after=_text(actual))
            row.actual = actual
            row.save(update_fields=["actual"])
    return row
