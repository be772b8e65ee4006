"""Who sees a project and who enters what was done (`luoshi.access`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.projects.conftest import make_project

from luoshi import access
from luoshi.projects import services
from luoshi.projects.models import StageKind
from luoshi.tasks.errors import WorkflowError


def test_visible_projects_and_who_records(org, clock) -> None:
    ours = make_project(org, code="LL-1")
    theirs = make_project(org, code="NY-1", unit=org.unit_a)
    elsewhere = make_project(org, code="DT-1", organisation=org.other_org, unit=org.other_org)
    seen = {who: set(access.visible_projects(getattr(org, who)).values_list("code", flat=True))
            for who in ("supervisor", "leader", "handler_b", "head_b", "handler_a", "outsider", "deputy",
                        "admin", "other_supervisor")}
    assert seen == {"supervisor": {"LL-1", "NY-1"}, "leader": {"LL-1", "NY-1"}, "handler_b": {"LL-1"},
                    "head_b": {"LL-1"}, "handler_a": {"NY-1"}, "outsider": set(), "deputy": set(), "admin": set(),
                    "other_supervisor": {"DT-1"}}
    assert access.can_record_project(org.handler_b, ours) and access.can_record_project(org.head_b, ours)
    for who in ("supervisor", "leader", "handler_a", "other_supervisor"):
        assert not access.can_record_project(getattr(org, who), ours), who
    assert not access.can_record_project(org.handler_b, theirs) and elsewhere.pk
    with pytest.raises(WorkflowError) as err:
        services.record_stage(ours, org.supervisor, StageKind.PLAN, dt.date(2024, 2, 1))
    assert err.value.code == "forbidden"
    with pytest.raises(WorkflowError):
        services.record_investment(ours, org.handler_a, dt.date(2024, 1, 1), Decimal(1))
