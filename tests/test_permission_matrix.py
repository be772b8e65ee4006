"""The permission matrix: every URL pattern (found from the URL configuration) and every API
operation (found from its OpenAPI document), as every role and as nobody, against objects of the
role's own unit, of another unit and of another organisation.

Where refusal is due (the hand-written table below, not access.py), a GET and a POST must be
refused (a redirect to the login, 401, 403, 404 or 405), show none of the object's marked words,
and change nothing in the database. Where access is due, a GET must not fail (no 5xx). Lists and
exports (patterns without an object) must never show a role the marked words of objects it may
not see, including inside .xlsx and .docx files. The test prints the number of pairs it tried.

A new URL parameter or API path parameter fails the test until it is named below (`PARAMS`):
nothing new slips past unchecked.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from luoshi.answers.models import AnswerTemplate
from luoshi.api import tokens
from luoshi.api.main import api
from luoshi.desk import services as desk
from luoshi.desk.models import Proposal, RoutingRule
from luoshi.imports.models import ImportBatch
from luoshi.monitoring.models import Rule, Subject
from luoshi.notify.models import Notification, Webhook
from luoshi.org.models import Membership, Role, Unit, User
from luoshi.projects.models import Project
from luoshi.sources.services import ingest
from luoshi.tasks import services, workflow
from luoshi.tasks.models import Attachment, Event, Instruction, Milestone, Reply, Task
from luoshi.workdays.models import LocalDay
from tests.factories import Org

pytestmark = pytest.mark.django_db

# words that mark each class of object: found in a response, the object leaked
MARK = {"own": "甲单位密件", "other_unit": "丙单位密件", "other_org": "乙市密件"}
ROLES = ("supervisor", "handler_a", "head_a", "handler_b", "head_b", "handler_c", "leader", "deputy", "admin",
         "outsider", "other_supervisor", "other_handler", "anonymous")

# Who may see a class of task (and what hangs from it: replies, milestones, instructions,
# attachments, notices). Hand-written from the design: the own task is led by unit A with unit B as
# co-unit, issued by the leader and proposed by the deputy; the other unit's is led by unit C
# alone with no leader or proposer; the other organisation's is led by its own unit.
SEES_TASK = {
    "own": {"supervisor", "handler_a", "head_a", "handler_b", "head_b", "leader", "deputy"},
    "other_unit": {"supervisor", "handler_c"},
    "other_org": {"other_supervisor", "other_handler"},
}
# A source: seen by whoever sees one of its tasks; the own report is shared with unit C (its second
# item is unit C's task), so unit C's handler sees it too (and reads only that item)
SEES_SOURCE = {
    "own": SEES_TASK["own"] | {"handler_c"},
    "other_unit": {"supervisor", "handler_c"},
    "other_org": {"other_supervisor", "other_handler"},
}
# The organisation's settings and records (answer templates, routing rules, working days, webhooks,
# imports, monitoring, projects): another organisation's are refused to every one of ours. (Who of
# one's own organisation may keep them is each page's own test.)
SEES_ORG_THING = {"other_org": {"other_supervisor", "other_handler"}}
# Things of one user (a notification, an API token): refused to every other user.
SEES_MINE = {"own": {"handler_a"}}

# URL parameter -> (what it names, which table says who sees it)
PARAMS = {
    ("tasks", "pk"): ("task", SEES_TASK), ("tasks", "reply"): ("reply", SEES_TASK),
    ("tasks", "milestone"): ("milestone", SEES_TASK), ("tasks", "instruction"): ("instruction", SEES_TASK),
    ("attachments", "pk"): ("attachment", SEES_TASK),
    ("sources", "pk"): ("source", SEES_SOURCE), ("sources", "item"): ("item", SEES_TASK),
    ("sources", "proposal"): ("proposal", {"own": {"supervisor"}, "other_org": {"other_supervisor"}}),
    ("answers", "pk"): ("answer", SEES_ORG_THING), ("routing", "rule"): ("rule", SEES_ORG_THING),
    ("workdays", "pk"): ("localday", SEES_ORG_THING), ("inbox", "pk"): ("webhook", SEES_ORG_THING),
    ("imports", "pk"): ("batch", SEES_ORG_THING), ("monitoring", "pk"): ("subject_or_rule", SEES_ORG_THING),
    ("projects", "pk"): ("project", SEES_ORG_THING),
    ("api", "pk"): ("token", SEES_MINE),
    ("api", "task_id"): ("task", SEES_TASK), ("api", "source_id"): ("source", SEES_SOURCE),
}
# parameters that name no object: the value to use
CONSTANTS = {"action": "close", "step": "countersign", "name": "tasks", "key": "tasks",
             "start": "2024-01-01", "end": "2024-12-31"}
# the open notification page (inbox/<pk>/open/) names a notification, not a webhook
NOTIFICATION_ROUTES = {"inbox/<int:pk>/open/"}
# pages that show nothing without a query: asked for the words every mark shares
QUERIES = {"search/": "?q=密件"}
PUBLIC = {"login", "set_language", "openapi-json"}  # open to everyone by design
SKIPPED = {"logout": "ends the session the next requests need (its refusal of a GET is test_settings')"}
REFUSED = {401, 403, 404, 405}


@dataclass
class World:
    ids: dict[tuple[str, str], int | str] = field(default_factory=dict)  # (what, class) -> id
    parent: dict[tuple[str, str], int] = field(default_factory=dict)  # a child's task or source


def _user(username: str, unit: Unit, role: Role) -> User:
    user = User.objects.create_user(username, password="x-not-used-x", display_name=username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _task(org: Org, klass: str, *, organisation: Unit, lead: Unit, office: User, handler: User) -> Task:
    own = klass == "own"
    task = services.create_task(office, organisation=organisation, title=f"{MARK[klass]}：修复水毁工程",
                                description=MARK[klass], lead_unit=lead, due_date=dt.date.today() + dt.timedelta(30),
                                co_units=[org.unit_b] if own else [], leader=org.leader if own else None,
                                proposers=[org.deputy] if own else [])
    task = workflow.perform(task, "assign", office, version=task.version)
    task = workflow.perform(task, "accept", handler, version=task.version)
    return workflow.perform(task, "start", handler, version=task.version)


def _hanging(world: World, klass: str, task: Task, handler: User, office: User) -> None:
    """What hangs from a task: an attachment, a milestone, an instruction, a reply."""
    world.ids[("task", klass)] = task.pk
    report = services.report_progress(task, handler, text=MARK[klass], files=[
        SimpleUploadedFile("材料.txt", MARK[klass].encode(), content_type="text/plain")])
    world.ids[("attachment", klass)] = Attachment.objects.get(report=report).pk
    milestone = services.add_milestone(task, office, title=MARK[klass], due_date=dt.date.today())
    world.ids[("milestone", klass)], world.parent[("milestone", klass)] = milestone.pk, task.pk
    event = Event.objects.filter(task=task, action="start").get()
    instruction = Instruction.objects.create(task=task, event=event, leader=office, text=MARK[klass], at=event.at)
    world.ids[("instruction", klass)], world.parent[("instruction", klass)] = instruction.pk, task.pk
    reply = Reply.objects.create(task=task, category="A", text=MARK[klass], drafted_by=handler)
    world.ids[("reply", klass)], world.parent[("reply", klass)] = reply.pk, task.pk


def _report(first: str, second: str) -> str:
    """A report whose two items carry the marks of ``first`` and ``second`` (its title none)."""
    return ("防汛专题会议\n2024年5月20日，市长主持召开专题会议。\n"
            f"会议要求，一要抓紧修复{MARK[first]}水毁工程，确保6月底前全部完工。二要开展{MARK[second]}河道清障，9月底前完成。\n")


@pytest.fixture
def world(org: Org, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    org.handler_c = _user("handler_c", org.unit_c, Role.HANDLER)
    other_unit = Unit.objects.create(name="大同市水务局", parent=org.other_org)
    org.other_handler = _user("other_handler", other_unit, Role.HANDLER)
    w = World()
    # tasks from reports, so that each has a source and items: the own report also holds an item
    # given to unit C (a shared report: unit A must not read unit C's item)
    for klass, organisation, office in (("own", org.province, org.supervisor),
                                        ("other_org", org.other_org, org.other_supervisor)):
        second = "other_unit" if klass == "own" else klass  # the own report is shared with unit C
        source, _created = ingest(_report(klass, second).encode(), name=f"{klass}.txt", organisation=organisation,
                                  actor=office)
        proposals = list(desk.propose(source))
        w.ids[("source", klass)] = source.pk
        w.ids[("proposal", klass)], w.parent[("proposal", klass)] = proposals[0].pk, source.pk
        items = list(source.items.order_by("ordinal"))
        w.ids[("item", klass)], w.parent[("item", klass)] = items[0].pk, source.pk
        if klass == "own":
            w.ids[("item", "other_unit")], w.parent[("item", "other_unit")] = items[1].pk, source.pk
            own = _task(org, "own", organisation=org.province, lead=org.unit_a, office=office, handler=org.handler_a)
            own.items.add(items[0])
            other = _task(org, "other_unit", organisation=org.province, lead=org.unit_c, office=office,
                          handler=org.handler_c)
            other.items.add(items[1])
            _hanging(w, "own", own, org.handler_a, office)
            _hanging(w, "other_unit", other, org.handler_c, office)
        else:
            theirs = _task(org, "other_org", organisation=org.other_org, lead=other_unit, office=office,
                           handler=org.other_handler)
            theirs.items.add(items[0])
            _hanging(w, "other_org", theirs, org.other_handler, office)
    # a report of unit C's alone: the other unit's source
    source, _created = ingest(_report("other_unit", "other_unit").encode(), name="c.txt", organisation=org.province,
                              actor=org.supervisor)
    Task.objects.get(pk=w.ids[("task", "other_unit")]).items.add(source.items.first())
    w.ids[("source", "other_unit")] = source.pk
    # the other organisation's settings and records
    o, mark = org.other_org, MARK["other_org"]
    w.ids[("answer", "other_org")] = AnswerTemplate.objects.create(organisation=o, title=mark, text=mark,
                                                                   purpose="progress").pk
    w.ids[("rule", "other_org")] = RoutingRule.objects.create(organisation=o, phrase=mark, unit=other_unit).pk
    w.ids[("localday", "other_org")] = LocalDay.objects.create(organisation=o, date=dt.date(2030, 1, 2),
                                                               kind="holiday", name=mark).pk
    w.ids[("webhook", "other_org")] = Webhook.objects.create(unit=o, name=mark, url="http://127.0.0.1:9/x").pk
    w.ids[("batch", "other_org")] = ImportBatch.objects.create(organisation=o, file_name=f"{mark}.xlsx",
                                                               checksum="0" * 64, size=1,
                                                               created_by=org.other_supervisor).pk
    w.ids[("subject", "other_org")] = Subject.objects.create(organisation=o, code="DT-1", name=mark).pk
    w.ids[("mrule", "other_org")] = Rule.objects.create(organisation=o, name=mark, kind="missing",
                                                        acting_unit=other_unit).pk
    w.ids[("project", "other_org")] = Project.objects.create(organisation=o, unit=other_unit, code="DT-P1",
                                                             name=mark, total_investment=100).pk
    # one user's own things
    event = Event.objects.filter(task_id=w.ids[("task", "own")]).first()
    w.ids[("notification", "own")] = Notification.objects.create(user=org.handler_a, event=event,
                                                                 task_id=event.task_id, kind=event.action).pk
    token, _secret = tokens.issue(org.handler_a, name=MARK["own"], scopes=["read"])
    w.ids[("token", "own")] = token.pk
    return w


# -- what to request ----------------------------------------------------------------------------

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern but the admin's and the API's operations (the schema's)."""
    out = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("admin/") or "(?P<rest>" in route:
                    continue
                if route.startswith("api/") and not route.startswith("api/tokens/") and route != "api/openapi.json":
                    continue  # the API's operations come from its schema
                out.append((route, p.name or route))

    walk(get_resolver().url_patterns, "")
    return out


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI document."""
    doc = api.get_openapi_schema()
    return [(method.upper(), path.removeprefix("/")) for path, ops in doc["paths"].items() for method in ops]


def _what(route: str, param: str) -> tuple[str, dict]:
    area = route.split("/", 1)[0]
    if route in NOTIFICATION_ROUTES:
        return "notification", SEES_MINE
    if area == "monitoring":
        return ("mrule" if "rules/" in route else "subject"), SEES_ORG_THING
    found = PARAMS.get((area, param))
    if found is None:
        raise AssertionError(f"{route}: parameter {param!r} names no known object; add it to PARAMS")
    return found


def instances(route: str, world: World) -> list[tuple[str, str, set[str]]]:
    """(url, class, roles that may see it) for each class of object the route can name."""
    params = [m.group(2) or m.group(3) for m in PARAM.finditer(route)]
    objects = [p for p in params if p not in CONSTANTS]
    if not objects:
        return [(PARAM.sub(lambda m: CONSTANTS[m.group(2) or m.group(3)], route) + QUERIES.get(route, ""), "", set())]
    # the innermost object decides the class; a parent in the same URL is the child's own parent
    innermost = objects[-1]
    what, table = _what(route, innermost)
    out = []
    for klass, seers in table.items():
        if (what, klass) not in world.ids:
            continue
        values = {innermost: world.ids[(what, klass)]}
        for p in objects[:-1]:
            values[p] = world.parent[(what, klass)]
        url = PARAM.sub(lambda m, v=values: str(v.get(m.group(2) or m.group(3), CONSTANTS.get(
            m.group(2) or m.group(3), ""))), route)
        out.append((url, klass, seers))
    return out


# -- reading a response and the database --------------------------------------------------------


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # .xlsx, .docx: their XML parts
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    return body.decode("utf-8", "replace")


def _fingerprint() -> tuple:
    """Every table's row count, every task's and proposal's version, every notification's read
    time: one query, so that each refused request can be checked."""
    parts = [f'(SELECT COUNT(*) FROM "{m._meta.db_table}")' for m in apps.get_models()
             if m._meta.managed and not m._meta.proxy and m._meta.db_table not in ("django_session",
                                                                                     "axes_accessattempt")]
    parts += [f'(SELECT COALESCE(SUM(version), 0) FROM "{Task._meta.db_table}")',
              f'(SELECT COALESCE(SUM(version), 0) FROM "{Proposal._meta.db_table}")',
              f'(SELECT COUNT(read_at) FROM "{Notification._meta.db_table}")',
              f'(SELECT COUNT(revoked_at) FROM "{tokens.Token._meta.db_table}")',
              f'(SELECT COUNT(*) FROM "{Milestone._meta.db_table}" WHERE done_at IS NOT NULL)',
              f'(SELECT COUNT(*) FROM "{Instruction._meta.db_table}" WHERE acknowledged_at IS NOT NULL)']
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return cursor.fetchone()


def _forbidden_marks(who: str) -> list[str]:
    """The marks of the tasks ``who`` may not see (what a list or an export must not show)."""
    return [MARK[k] for k, seers in SEES_TASK.items() if who not in seers]


# -- the test -----------------------------------------------------------------------------------


def _clients(org: Org) -> dict[str, tuple[Client, dict]]:
    out = {}
    for who in ROLES:
        client = Client()
        headers = {}
        if who != "anonymous":
            user = getattr(org, who)
            client.force_login(user)
            _t, secret = tokens.issue(user, name="matrix", scopes=["read", "report", "act", "ingest"])
            headers = {"Authorization": f"Bearer {secret}"}
        out[who] = (client, headers)
    return out


def _refused(response, url: str) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


def test_every_url_and_operation_as_every_role(org, world) -> None:
    clients = _clients(org)
    problems: list[str] = []
    tried = 0
    requests = [("GET", route, name, False) for route, name in url_patterns() if name not in SKIPPED]
    requests += [("POST", route, name, False) for route, name in url_patterns()
                 if name not in SKIPPED and name not in PUBLIC]
    requests += [(method, path, f"{method} {path}", True) for method, path in api_operations()]
    for method, route, name, is_api in requests:
        for url, klass, seers in instances(route, world):
            for who in ROLES:
                client, headers = clients[who]
                public = name in PUBLIC
                due = who == "anonymous" and not public if not klass else who not in seers
                if method == "POST" and not due:
                    continue  # a permitted POST changes the world the next requests need
                before = _fingerprint() if due else None
                body = {"action": "close", "version": 1, "text": MARK["own"]}
                if method == "POST" and is_api:
                    response = client.post("/" + url, json.dumps(body), content_type="application/json",
                                           headers=headers)
                elif method == "POST":
                    response = client.post("/" + url, {"text": "x", "reason": "x", "version": "1"})
                else:
                    response = client.get("/" + url, headers=headers)
                tried += 1
                where = f"{method} /{url} as {who}"
                text = _text(response)
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                    continue
                marks = list(MARK.values()) if due and klass else ([] if public else _forbidden_marks(who))
                leaked = [m for m in marks if m in text]
                if leaked:
                    problems.append(f"{where}: shows {leaked}")
                if due:
                    if not _refused(response, url):
                        problems.append(f"{where}: {response.status_code}, where refusal is due")
                    if _fingerprint() != before:
                        problems.append(f"{where}: changed the database, where refusal is due")
    # the words are there to be found: the office's search and list show its own organisation's
    found = _text(clients["supervisor"][0].get("/search/?q=密件")) + _text(clients["supervisor"][0].get("/tasks/"))
    assert MARK["own"] in found and MARK["other_unit"] in found and MARK["other_org"] not in found
    print(f"\npermission matrix: {tried} (request, role) pairs tried, {len(problems)} problems")
    assert not problems, "\n".join(problems[:60])
    assert tried > 1000
