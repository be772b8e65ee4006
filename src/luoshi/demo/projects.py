"""The demo's major projects (重大项目) of 吕梁: generated, marked as sample data (`is_sample`), not
real projects. Dated from today so that the demo always shows the same picture: projects at
different stages of the full cycle (四全工作法), one whose approval (审批) has slipped and one whose
investment falls behind its plan, so that the check raises a task for each; the rest on track.
The unit enters what was done through the same services as the project page (so its history shows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from luoshi.org.models import Role, Unit, User
from luoshi.projects import services
from luoshi.projects.models import Project, StageKind
from luoshi.projects.rules import add_months, month_start

STAGES = list(StageKind.values)


@dataclass(frozen=True)
class Sample:
    code: str
    name: str
    unit: str  # the unit's name
    place: str
    total: int  # 万元
    plan: tuple[int, ...]  # days from today of each stage's planned date, in the order of the cycle
    reached: int  # how many stages were reached (on their planned date, give or take `late` days)
    invested: int  # per cent of the monthly plan actually invested
    late: int = 0


SAMPLES = [
    Sample("LL-2026-001", "吕梁经济技术开发区氢能产业园（一期）", "吕梁市人民政府", "吕梁经济技术开发区",
           350000, (-330, -270, -210, -150, 150, 420), 4, 102, late=3),
    Sample("LL-2026-002", "方山县北武当山文旅康养综合体", "吕梁市人民政府", "方山县",
           86000, (-200, -120, -20, 60, 300, 500), 2, 96),  # approval (审批) planned 20 days ago: slipped
    Sample("LL-2026-003", "孝义市铝镁精深加工产业园", "吕梁市人民政府", "孝义市",
           128000, (-360, -300, -240, -180, 120, 360), 4, 72),  # 72 % of its plan: short
    Sample("LL-2026-004", "交城县200兆瓦光伏发电项目", "吕梁市人民政府", "交城县",
           95000, (-60, 25, 90, 150, 330, 420), 1, 100),
    Sample("LL-2026-005", "离石区城区集中供热管网改造", "吕梁市离石区人民政府", "离石区",
           42000, (-400, -340, -290, -230, -30, 200), 5, 98, late=5),
]


def _monthly(s: Sample, today: dt.date) -> list[tuple[dt.date, Decimal]]:
    """The plan spread over the months from the start of works (开工) for 24 months, front-loaded a little."""
    start = month_start(today + dt.timedelta(days=s.plan[3]))
    first = month_start(today + dt.timedelta(days=s.plan[1]))  # preparatory spending from signing
    months = []
    m = first
    while m < add_months(start, 24):
        months.append(m)
        m = add_months(m, 1)
    weights = [3 if mm >= start else 1 for mm in months]
    unit = Decimal(s.total) / sum(weights)
    amounts = [(unit * w).quantize(Decimal("1")) for w in weights]
    amounts[-1] += Decimal(s.total) - sum(amounts)  # the plan adds up to the total
    return list(zip(months, amounts, strict=True))


def load(organisation: Unit, today: dt.date) -> int:
    """Make the sample projects not yet made; returns how many were made."""
    made = 0
    for s in SAMPLES:
        if Project.objects.filter(organisation=organisation, code=s.code).exists():
            continue
        unit = Unit.objects.get(name=s.unit)
        handler = User.objects.filter(memberships__unit=unit, memberships__role=Role.HANDLER).order_by("pk").first()
        planned = {k: today + dt.timedelta(days=d) for k, d in zip(STAGES, s.plan, strict=True)}
        monthly = _monthly(s, today)
        project = services.create_project(organisation=organisation, unit=unit, code=s.code, name=s.name,
                                          place=s.place, total_investment=Decimal(s.total), planned=planned,
                                          monthly=monthly, is_sample=True)
        for kind in STAGES[: s.reached]:
            services.record_stage(project, handler, kind, min(planned[kind] + dt.timedelta(days=s.late), today))
        for month, amount in monthly:
            if month < month_start(today):
                services.record_investment(project, handler, month, (amount * s.invested / 100).quantize(Decimal("1")))
        made += 1
    return made
