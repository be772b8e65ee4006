"""A small organisation and tasks driven through the real workflow (no shortcuts into state).

Units: a province (an organisation) with its supervision office, a department (A) and a
city (B), plus another organisation (a second city with its own supervisor). Users hold one
role each, so a test can say exactly who acts: supervisor; handler_a/head_a of unit A (the
lead unit of tasks made here); handler_b/head_b of unit B (a co-unit); leader (issues the
tasks); deputy (proposes them); admin; outsider (a handler in an unrelated unit); and
other_supervisor (supervises the other organisation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from luoshi.org.models import Membership, Role, Unit, User
from luoshi.tasks import services, workflow
from luoshi.tasks.models import State, Task

PASSWORD = "luoshi-test-pw"


@dataclass
class Org:
    province: Unit
    office: Unit
    unit_a: Unit
    unit_b: Unit
    unit_c: Unit
    other_org: Unit
    supervisor: User
    handler_a: User
    head_a: User
    handler_b: User
    head_b: User
    leader: User
    deputy: User
    admin: User
    outsider: User
    other_supervisor: User

    def users(self) -> dict[str, User]:
        return {k: getattr(self, k) for k in ("supervisor", "handler_a", "head_a", "handler_b", "head_b",
                                                "leader", "deputy", "admin", "outsider", "other_supervisor")}


def _user(username: str, name: str, unit: Unit, role: Role) -> User:
    user = User.objects.create_user(username, password=PASSWORD, display_name=name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def make_org() -> Org:
    province = Unit.objects.create(name="山西省人民政府", kind=Unit.Kind.GOVERNMENT, is_organisation=True)
    office = Unit.objects.create(name="省政府督查室", kind=Unit.Kind.OFFICE, parent=province)
    unit_a = Unit.objects.create(name="省农业农村厅", parent=province)
    unit_b = Unit.objects.create(name="吕梁市人民政府", kind=Unit.Kind.GOVERNMENT, parent=province)
    unit_c = Unit.objects.create(name="省水利厅", parent=province)
    other_org = Unit.objects.create(name="大同市人民政府", kind=Unit.Kind.GOVERNMENT, is_organisation=True)
    unrelated = Unit.objects.create(name="省统计局", parent=province)
    return Org(
        province=province, office=office, unit_a=unit_a, unit_b=unit_b, unit_c=unit_c, other_org=other_org,
        supervisor=_user("supervisor", "督查员", office, Role.SUPERVISOR),
        handler_a=_user("handler_a", "农业经办人", unit_a, Role.HANDLER),
        head_a=_user("head_a", "农业负责人", unit_a, Role.HEAD),
        handler_b=_user("handler_b", "吕梁经办人", unit_b, Role.HANDLER),
        head_b=_user("head_b", "吕梁负责人", unit_b, Role.HEAD),
        leader=_user("leader", "省长", province, Role.LEADER),
        deputy=_user("deputy", "代表", province, Role.PROPOSER),
        admin=_user("admin", "管理员", province, Role.ADMIN),
        outsider=_user("outsider", "统计经办人", unrelated, Role.HANDLER),
        other_supervisor=_user("other_supervisor", "大同督查员", other_org, Role.SUPERVISOR),
    )


def make_task(org: Org, *, title: str = "抓好高标准农田建设", due: dt.date | None = None) -> Task:
    return services.create_task(
        org.supervisor, organisation=org.province, title=title, description=title + "，年底前完成。",
        lead_unit=org.unit_a, co_units=[org.unit_b], due_date=due or dt.date.today() + dt.timedelta(days=60),
        leader=org.leader, issuer_name="省长", proposers=[org.deputy],
    )


# How to reach each state from a draft, step by step: (action, who, inputs).
PATHS: dict[str, list[tuple[str, str, dict]]] = {
    State.DRAFT: [],
    State.ASSIGNED: [("assign", "supervisor", {})],
}
PATHS[State.REASSIGNMENT_REQUESTED] = [*PATHS[State.ASSIGNED],
                                       ("request_reassignment", "handler_a", {"reason": "不属本单位职责", "unit": "unit_c"})]
PATHS[State.ACCEPTED] = [*PATHS[State.ASSIGNED], ("accept", "handler_a", {})]
PATHS[State.IN_PROGRESS] = [*PATHS[State.ACCEPTED], ("start", "handler_a", {})]
PATHS[State.EXTENSION_REQUESTED] = [*PATHS[State.IN_PROGRESS],
                                    ("request_extension", "handler_a", {"reason": "汛期施工受阻", "due_date": "+90"})]
# the co-unit (B) gives its opinion before the lead unit submits (the submission waits for it)
OPINION = ("opinion", "handler_b", {"text": "吕梁市同意牵头单位的办理意见。"})
PATHS[State.UNIT_REVIEW] = [*PATHS[State.IN_PROGRESS], OPINION, ("submit", "handler_a", {"reason": "已完成"})]
PATHS[State.SUBMITTED] = [*PATHS[State.IN_PROGRESS], OPINION, ("submit", "handler_a", {"reason": "已完成"})]
PATHS[State.RETURNED] = [*PATHS[State.SUBMITTED], ("return", "supervisor", {"reason": "材料不全"})]
PATHS[State.CLOSED] = [*PATHS[State.SUBMITTED], ("close", "supervisor", {})]
PATHS[State.REOPENED] = [*PATHS[State.CLOSED], ("reopen", "supervisor", {"reason": "问题反弹"})]


def resolve(org: Org, task: Task, inputs: dict) -> dict:
    """Turn the symbolic inputs of PATHS (unit names, "+90" days) into real values."""
    out = dict(inputs)
    if isinstance(out.get("unit"), str):
        out["unit"] = getattr(org, out["unit"])
    if isinstance(out.get("due_date"), str):
        out["due_date"] = (task.due_date or dt.date.today()) + dt.timedelta(days=int(out["due_date"]))
    return out


def drive(org: Org, task: Task, state: str, head_approval: bool | None = None) -> Task:
    """Move ``task`` (a fresh draft) to ``state`` through the workflow, as the right people."""
    org.province.requires_head_approval = state == State.UNIT_REVIEW if head_approval is None else head_approval
    org.province.save()
    for action, who, inputs in PATHS[state]:
        if action == "opinion":
            if task.co_units.filter(pk=org.unit_b.pk).exists():
                services.give_opinion(task, getattr(org, who), **inputs)
            continue
        task = workflow.perform(task, action, getattr(org, who), version=task.version,
                                **resolve(org, task, inputs))
    assert task.state == state, (task.state, state)
    return task


def spread_over_festival(org: Org, n: int, rng) -> list[int]:
    """``n`` tasks in the states the scan acts on (assigned, accepted, in progress, submitted in
    turn), due on days drawn by ``rng`` over the 2024 Spring Festival (25 Jan – 24 Mar), assigned
    5 to 40 days before, with a share done drawn too: the keys, for tests that scan them day by day."""
    states = [State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS, State.SUBMITTED]
    keys = []
    for i in range(n):
        due = dt.date(2024, 1, 25) + dt.timedelta(days=rng.randrange(0, 60))
        task = drive(org, make_task(org, title=f"第{i}项", due=due), states[i % 4])
        assigned = dt.datetime.combine(due - dt.timedelta(days=rng.randrange(5, 40)), dt.time(9),
                                       tzinfo=dt.timezone(dt.timedelta(hours=8)))
        Task.objects.filter(pk=task.pk).update(assigned_at=assigned, last_progress_at=assigned,
                                               progress_percent=rng.choice([None, 10, 40, 90]))
        keys.append(task.pk)
    return keys
