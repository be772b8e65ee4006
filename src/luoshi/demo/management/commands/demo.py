"""`luoshi demo`: an organisation, its people and tasks made from the seed meeting report.

The seed (a governor's six directives and six deputies' topics at a deliberation) is
ingested through the text pipeline and reviewed on the desk like any document: the routing
rules suggest each topic's provincial department, the supervisor sets the directives' lead
to 吕梁市人民政府, adds co-units and accepts. Some tasks are then moved along the loop, by
the people whose turn it is, so that every light shows. Running it again changes nothing
and duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from luoshi.answers.models import AnswerTemplate
from luoshi.assessment import services as assessment
from luoshi.demo import monitoring
from luoshi.demo import projects as sample_projects
from luoshi.demo.answers import ANSWERS
from luoshi.demo.routing import RULES, co_units_for
from luoshi.desk import services as desk
from luoshi.desk.intake import take_in
from luoshi.desk.models import Proposal, RoutingRule
from luoshi.ledgers.periods import period_bounds
from luoshi.org.models import Membership, Role, Unit, User
from luoshi.projects import check as project_check
from luoshi.search import index as search_index
from luoshi.sources.models import Item
from luoshi.tasks import replies, scan, services, workflow
from luoshi.tasks.models import Priority, Task
from luoshi.workdays.services import calendar_for

PASSWORD = "luoshi-demo"
PROVINCE = "山西省人民政府"
CITY = "吕梁市人民政府"
COUNTY = "吕梁市离石区人民政府"  # under the city: where the city passes parts of its tasks (转办)
DEPARTMENTS = [
    ("省发展和改革委员会", "省发展改革委", "fagai"),
    ("省工业和信息化厅", "省工信厅", "gongxin"),
    ("省农业农村厅", "", "nongye"),
    ("省自然资源厅", "", "ziran"),
    ("省地方金融监督管理局", "省金融局", "jinrong"),
    ("省商务厅", "", "shangwu"),
    ("省能源局", "", "nengyuan"),
    ("省应急管理厅", "", "yingji"),
    ("省人力资源和社会保障厅", "省人社厅", "renshe"),
    ("省民政厅", "", "minzheng"),
]
LOGINS = [
    ("admin", "系统管理员", "administrator: users, units, roles (/admin/)"),
    ("supervisor", "省政府督查室", "supervisor: sees every task of the province, assigns, reviews, closes"),
    ("leader", "金湘军", "leader: the governor whose directives these are; comments (批示)"),
    ("deputy", "孙大军", "deputy: sees the tasks made from the deputies' suggestions, rates replies"),
    ("lvliang", "吕梁市人民政府", "unit handler: leads the six directive tasks"),
    ("nongye", "省农业农村厅", "unit handler: sees only tasks where the department leads or co-handles"),
    ("lishi", "离石区人民政府", "county handler: a part of a city task passed down to the county (转办)"),
]


class Command(BaseCommand):
    help = "Load the demo organisation and the tasks made from the seed report (idempotent)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            units = self._units()
            users = self._users(units)
            self._rules(units, users["admin"])  # before the seed comes in: the desk proposes with them
            self._answers(units, users["supervisor"])
            got = take_in(
                resources.files("luoshi.demo").joinpath("data/seed.txt").read_bytes(),
                name="seed.txt", organisation=units[PROVINCE], actor=users["supervisor"],
            )
            source, created = got.source, got.created
            self._deputies(source, units)
            made = self._tasks(source, units, users, today)
        # what time does to the tasks: today's reminders, the seed's 一季度 long past (escalated)
        summary = scan.run(today)
        monitored = monitoring.load(units[PROVINCE], units[CITY], units[COUNTY], today)
        self.stdout.write(f"source: {source.title} ({'ingested' if created else 'already there'})")
        self.stdout.write(f"tasks: {made} new, {Task.objects.filter(items__source=source).distinct().count()} in all")
        self.stdout.write(f"scan: {summary.line()}")
        # the sample major projects of 吕梁 (/projects/), and the tasks their slip and shortfall raise
        with transaction.atomic():
            made_projects = sample_projects.load(Unit.objects.get(name=PROVINCE), today)
        self.stdout.write(f"projects: {made_projects} new (sample data); check: {project_check.run(today).line()}")
        self.stdout.write(monitored)
        self._ranking(Unit.objects.get(name=PROVINCE), today)
        # the header's search box (/search/): kept current as rows change; rebuilt here so that a
        # database made before the index existed finds its tasks too (the demo's few take a second)
        found = search_index.reindex()
        self.stdout.write(f"search index: {found['t']} tasks, {found['s']} sources, {found['i']} items")
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD})")
        for username, who, what in LOGINS:
            self.stdout.write(f"  {username:11s} {who:10s}  {what}")
        others = ", ".join(u for _, _, u in DEPARTMENTS if u != "nongye")
        self.stdout.write(f"  other department handlers, same password: {others}")

    def _ranking(self, province: Unit, today: dt.date) -> None:
        """This month's unit assessment (考核), as /assessment/ shows it: a draft, counted from the
        tasks just moved (nothing is stored, so a second run changes nothing)."""
        ranking = assessment.ranking(province, "month", *period_bounds("month", today), today)
        self.stdout.write(f"assessment {ranking.start:%Y-%m} (draft, /assessment/):")
        for row in ranking.rows:
            self.stdout.write(f"  {row.rank:2d}. {row.unit.name} {row.result.total}")

    def _hashed(self) -> str:
        if not hasattr(self, "_password_hash"):
            self._password_hash = make_password(PASSWORD)
        return self._password_hash

    # -- organisation ------------------------------------------------------------------
    def _units(self) -> dict[str, Unit]:
        province, _ = Unit.objects.get_or_create(
            name=PROVINCE, defaults={"kind": Unit.Kind.GOVERNMENT, "is_organisation": True, "short_name": "省政府"}
        )
        units = {PROVINCE: province}
        units["省政府督查室"], _ = Unit.objects.get_or_create(
            name="省政府督查室", defaults={"kind": Unit.Kind.OFFICE, "parent": province}
        )
        units[CITY], _ = Unit.objects.get_or_create(
            name=CITY, defaults={"kind": Unit.Kind.GOVERNMENT, "parent": province, "short_name": "吕梁市"}
        )
        units[COUNTY], _ = Unit.objects.get_or_create(
            name=COUNTY, defaults={"kind": Unit.Kind.GOVERNMENT, "parent": units[CITY], "short_name": "离石区"}
        )
        units["吕梁代表团"], _ = Unit.objects.get_or_create(
            name="省人大吕梁代表团", defaults={"kind": Unit.Kind.OTHER, "short_name": "吕梁代表团"}
        )
        for name, short, _login in DEPARTMENTS:
            units[name], _ = Unit.objects.get_or_create(name=name, defaults={"parent": province, "short_name": short})
        return units

    def _user(self, username: str, display: str, unit: Unit, role: Role, **extra) -> User:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display, **extra})
        if created:
            user.password = self._hashed()  # hashing is slow on purpose: do it once for all users
            user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        return user

    def _users(self, units: dict[str, Unit]) -> dict[str, User]:
        users = {
            "admin": self._user("admin", "系统管理员", units[PROVINCE], Role.ADMIN, is_staff=True, is_superuser=True),
            "supervisor": self._user("supervisor", "督查室张敏", units["省政府督查室"], Role.SUPERVISOR),
            "leader": self._user("leader", "金湘军", units[PROVINCE], Role.LEADER),
            "lvliang": self._user("lvliang", "吕梁市政府王强", units[CITY], Role.HANDLER),
            "lvliang_head": self._user("lvliang_head", "吕梁市政府秘书长", units[CITY], Role.HEAD),
            "lishi": self._user("lishi", "离石区政府李华", units[COUNTY], Role.HANDLER),
        }
        for name, short, login in DEPARTMENTS:
            users[login] = self._user(login, f"{short or name}经办人", units[name], Role.HANDLER)
        return users

    def _deputies(self, source, units) -> None:
        """The deputies who spoke, as users; 孙大军 can log in as `deputy`."""
        for i, name in enumerate(source.extraction.get("speakers", [])):
            username = "deputy" if i == 0 else f"deputy{i + 1}"
            user, created = User.objects.get_or_create(username=username, defaults={"display_name": name})
            if created:
                if i == 0:
                    user.password = self._hashed()
                else:
                    user.set_unusable_password()
                user.save()
            Membership.objects.get_or_create(user=user, unit=units["吕梁代表团"], role=Role.PROPOSER)

    # -- tasks, through the review desk ------------------------------------------------------
    def _rules(self, units: dict[str, Unit], admin: User) -> None:
        for phrase, unit, weight in RULES:
            RoutingRule.objects.get_or_create(
                organisation=units[PROVINCE], phrase=phrase, unit=units[unit],
                defaults={"weight": weight, "updated_by": admin},
            )

    def _answers(self, units: dict[str, Unit], supervisor: User) -> None:
        for title, purpose, text, reply_class, state in ANSWERS:
            AnswerTemplate.objects.get_or_create(
                organisation=units[PROVINCE], title=title, purpose=purpose,
                defaults={"text": text, "reply_class": reply_class, "state": state, "updated_by": supervisor},
            )

    def _tasks(self, source, units, users, today: dt.date) -> int:
        """Review the seed on the desk as its supervisor would, then move the tasks along."""
        supervisor = users["supervisor"]
        plans = _plans(today)
        calendar = calendar_for(units[PROVINCE])
        made = 0
        for proposal in desk.propose(source):
            if proposal.status != Proposal.Status.PENDING:
                continue
            item = proposal.items.get()
            plan = plans[(item.kind, item.ordinal)]
            changes: dict = {}
            if item.kind == Item.Kind.DIRECTIVE:
                changes["lead_unit"] = units[CITY]  # the governor addressed the city
            if proposal.due_date is None:
                # a few working days off for the tasks the scan is to remind today, else calendar days
                changes["due_date"] = (calendar.add(today, plan["due_wd"]) if "due_wd" in plan
                                       else today + dt.timedelta(days=plan["due_in"]))
            co = [units[u] for u in co_units_for(proposal.headline)]
            proposal = desk.edit(proposal, supervisor, version=proposal.version, co_units=co, **changes)
            [task] = desk.accept([(proposal, proposal.version)], supervisor)
            if plan.get("priority"):
                services.edit_task(task, supervisor, version=task.version, priority=plan["priority"])
            self._move(task, plan["steps"], users, task.lead_unit)
            made += 1
        return made

    def _move(self, task: Task, steps: list, users: dict[str, User], lead: Unit) -> None:
        handler = User.objects.filter(memberships__unit=lead, memberships__role=Role.HANDLER).first()
        who = {"sup": users["supervisor"], "handler": handler, "leader": users["leader"],
               "deputy": User.objects.get(username="deputy")}
        for step in steps:
            action, actor, inputs = step[0], who.get(step[1]), dict(step[2]) if len(step) > 2 else {}
            task = Task.objects.get(pk=task.pk)
            if action == "progress":
                files = [SimpleUploadedFile(inputs["file"], inputs["content"].encode("utf-8"), "text/plain")]
                services.report_progress(task, actor, text=inputs["text"], files=files, percent=inputs.get("percent"))
                continue
            if action == "urge":
                services.urge(task, actor, reason=inputs["reason"], level=inputs.get("level"))
                continue
            if action == "reply":  # a suggestion's reply to its proposers, signed off by the co-units
                if task.kind == Task.Kind.SUGGESTION:
                    reply = replies.write(task, actor, proposer=None, **inputs)
                    reply = replies.send(reply, actor)
                    for unit in task.co_units.all():
                        co_head = User.objects.filter(memberships__unit=unit, memberships__role=Role.HANDLER).first()
                        if co_head is not None and reply.status == reply.Status.COUNTERSIGN:
                            reply = replies.countersign(reply, co_head, agreed=True)
                continue
            if action == "co_opinions":  # each co-unit sends its opinion to the lead unit
                for unit in task.co_units.all():
                    co_handler = User.objects.filter(memberships__unit=unit, memberships__role=Role.HANDLER).first()
                    if co_handler is not None:
                        services.give_opinion(task, co_handler,
                                              text=f"{unit.label}同意牵头单位的办理意见，并将配合落实。")
                continue
            if action == "hand_down":  # the city passes a part to its county, which starts on it
                part = services.hand_down(task, actor, title=inputs["title"], lead_unit=Unit.objects.get(name=COUNTY))
                county = users["lishi"]
                part = workflow.perform(part, "accept", county, version=part.version)
                part = workflow.perform(part, "start", county, version=part.version)
                services.report_progress(part, county, text=inputs["progress"], files=[], percent=inputs["percent"])
                continue
            if action == "instruction":
                services.comment(task, users["leader"], text=inputs["text"])
                continue
            if "due_in" in inputs:
                inputs["due_date"] = (task.due_date or timezone.localdate()) + dt.timedelta(days=inputs.pop("due_in"))
            workflow.perform(task, action, actor, version=task.version, **inputs)


def _plans(today: dt.date) -> dict[tuple[str, int], dict]:
    """How far along the loop each seed item's task is, so that every light and state shows."""
    working = [("assign", "sup"), ("accept", "handler"), ("start", "handler")]
    done = [*working, ("progress", "handler", {"text": "已完成全部工作任务，形成总结报告。", "file": "总结报告.txt",
                                                 "content": "工作总结", "percent": 100}),
            ("co_opinions", "co"),
            ("reply", "handler", {"category": "A", "text": "您提出的建议我们高度重视，已会同有关部门研究采纳，"
                                                          "相关措施已纳入年度工作方案并落实到位。"}),
            ("submit", "handler", {"reason": "任务已全部完成，申请办结。"})]
    d, s = Item.Kind.DIRECTIVE, Item.Kind.SUGGESTION
    return {
        (d, 1): {"due_in": 90, "steps": [*working, ("progress", "handler", {
            "text": "已制定经济运行监测方案，建立月调度机制。", "file": "监测方案.txt", "content": "监测方案",
            "percent": 20}), ("hand_down", "handler", {
                "title": "离石区：建立区级经济运行月度监测机制", "progress": "已明确区统计局牵头，首期监测表已报送。",
                "percent": 40})]},
        (d, 2): {"due_in": 120, "steps": [("assign", "sup"), ("urge", "sup", {
            "reason": "请尽快签收并明确责任人，本周内报送工作方案。"})]},
        (d, 3): {"due_in": 30, "priority": Priority.URGENT, "steps": [
            *working, ("instruction", "leader", {"text": "重大项目要早开工、早见效，请督查室每周调度。"})]},
        (d, 4): {"due_wd": 3, "steps": [*working, ("progress", "handler", {
            "text": "防返贫动态监测已覆盖全部脱贫村。", "file": "监测台账.txt", "content": "台账"})]},
        (d, 5): {"due_in": 60, "steps": [*done, ("close", "sup")]},
        (d, 6): {"due_in": 45, "priority": Priority.HIGH, "steps": [
            *working, ("request_extension", "handler", {"reason": "隐患整治需跨汛期施工。", "due_in": 60})]},
        (s, 1): {"due_in": 200, "steps": []},
        (s, 2): {"due_wd": 1, "steps": [*working, ("progress", "handler", {
            "text": "已下达高标准农田建设任务，正在组织招标。", "file": "任务分解表.txt", "content": "任务分解"})]},
        (s, 3): {"due_in": 100, "steps": [("assign", "sup")]},
        (s, 4): {"due_in": 40, "steps": [*done, ("close", "sup"), ("rate", "deputy", {"satisfaction": "satisfied"})]},
        (s, 5): {"due_in": 50, "steps": [*done, ("return", "sup", {"reason": "请补充资源综合利用的具体措施。"})]},
        (s, 6): {"due_in": 70, "steps": done},
    }
