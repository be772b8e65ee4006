"""The projects' check: every stage slipped and every project short of its investment plan raises
a task for the project's unit, once (`luoshi projects check [--at]`, and the daily job).

Finding them is one query each over every organisation (`queries.py`); only what is new (no
`Trigger` for that stage and planned date, or for that project and month) raises a task, through
`tasks.services.create_task` and the workflow's "assign", in the name of the organisation's
supervisor (`ProjectSettings.raise_as`, else its first). A trigger is written in the task's
transaction and is unique, so a second run, or two workers at once, open nothing twice. A
shortfall still open (its task not closed) raises no new one the next month.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from luoshi.org.models import Membership, Role, User, units_of
from luoshi.projects import queries, rules
from luoshi.projects.models import Project, ProjectSettings, Stage, Trigger
from luoshi.projects.templatetags.projects import amount
from luoshi.tasks import services, workflow
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import State, Task
from luoshi.workdays.services import calendar_for

log = logging.getLogger("luoshi.projects")


@dataclass
class Summary:
    slipped: int = 0  # stages slipped on the day
    shortfalls: int = 0  # projects short on the day
    opened: int = 0  # tasks raised by this run
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"slipped {self.slipped}, shortfalls {self.shortfalls}, tasks opened {self.opened}"


def run(at: dt.date | None = None) -> Summary:
    at = at or timezone.localdate()
    summary = Summary()
    slipped = queries.slipped_stages(at)
    summary.slipped = slipped.count()
    known = Trigger.objects.filter(kind=Trigger.Kind.SLIP, stage=OuterRef("pk"), planned_date=OuterRef("planned_date"))
    for stage in slipped.filter(~Exists(known)).select_related("project__organisation", "project__unit"):
        _raise(summary, stage.project, Trigger.Kind.SLIP, at, stage=stage, planned_date=stage.planned_date)

    short = queries.with_figures(Project.objects.all(), at, every=True).filter(short=True)
    summary.shortfalls = short.count()
    last_month = rules.add_months(rules.counted_until(at), -1)
    raised = Trigger.objects.filter(kind=Trigger.Kind.SHORTFALL, project=OuterRef("pk"))
    still_open = raised.filter(task__state__in=[s for s in State if s != State.CLOSED])
    new = short.filter(~Exists(raised.filter(month=last_month)), ~Exists(still_open))
    for project in new.select_related("organisation", "unit"):
        figures = {"planned": str(rules.money(project.planned_to_date)),
                   "actual": str(rules.money(project.actual_to_date)), "margin": project.margin}
        _raise(summary, project, Trigger.Kind.SHORTFALL, at, month=last_month, figures=figures)
    return summary


def _actor(project: Project, cfg: ProjectSettings) -> User | None:
    """Who raises the organisation's tasks: the supervisor it chose, else its first (by membership)."""
    if cfg.raise_as_id is not None:
        return cfg.raise_as
    own = [project.organisation_id, *units_of(project.organisation).values_list("pk", flat=True)]
    first = (Membership.objects.filter(unit__in=own, role=Role.SUPERVISOR, user__is_active=True)
             .select_related("user").order_by("pk").first())
    return first.user if first else None


def _raise(summary: Summary, project: Project, kind: str, at: dt.date, *, stage: Stage | None = None,
           planned_date: dt.date | None = None, month: dt.date | None = None, figures: dict | None = None) -> None:
    cfg = queries.settings_for([project.organisation_id])[project.organisation_id]
    actor = _actor(project, cfg)
    if actor is None:
        summary.warnings.append(f"{project}: no supervisor of {project.organisation} to raise its task")
        return
    due = calendar_for(project.organisation).add(at, cfg.task_due_within)
    with translation.override(settings.LANGUAGE_CODE):  # tasks are written as the office writes them
        title, description = _words(project, kind, at, stage, month, figures or {})
    try:
        with transaction.atomic():
            trigger = Trigger.objects.create(project=project, kind=kind, stage=stage, planned_date=planned_date,
                                             month=month, figures=figures or {}, found_on=at)
            task = services.create_task(
                actor, organisation=project.organisation, title=title, description=description,
                kind=Task.Kind.MILESTONE, lead_unit=project.unit, due_date=due,
                note={"project": project.pk, "trigger": kind})
            task = workflow.perform(task, "assign", actor, version=task.version)
            trigger.task = task
            trigger.save(update_fields=["task"])
    except IntegrityError:
        return  # another run raised it meanwhile
    except WorkflowError as err:
        summary.warnings.append(f"{project}: {err.message}")
        return
    summary.opened += 1
    log.debug("project %s: %s raised task %s", project.pk, kind, task.pk)


def _words(project: Project, kind: str, at: dt.date, stage: Stage | None, month: dt.date | None,
           figures: dict) -> tuple[str, str]:
    if kind == Trigger.Kind.SLIP:
        title = _("Major project “%(name)s”: stage %(stage)s has slipped") % {
            "name": project.name, "stage": stage.get_kind_display()}
        description = _("The stage %(stage)s of %(name)s (%(code)s) was planned for %(planned)s and was not "
                        "reached by %(at)s. Say why and what will be done to catch up.") % {
            "stage": stage.get_kind_display(), "name": project.name, "code": project.code,
            "planned": date_format(stage.planned_date), "at": date_format(at)}
        return title, description
    planned, actual = Decimal(figures["planned"]), Decimal(figures["actual"])
    title = _("Major project “%(name)s”: investment behind plan") % {"name": project.name}
    description = _("By the end of %(month)s %(name)s (%(code)s) had invested %(actual)s against a plan of "
                    "%(planned)s, %(share)s%% behind, beyond the margin of %(margin)s%%. Say why and what will "
                    "be done to catch up.") % {
        "month": date_format(month, "YEAR_MONTH_FORMAT"), "name": project.name, "code": project.code,
        "actual": amount(actual), "planned": amount(planned), "share": rules.gap_share(planned, actual),
        "margin": figures["margin"]}
    return title, description
