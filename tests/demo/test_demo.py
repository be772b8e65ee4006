"""The demo data: made from the seed through the text pipeline, idempotent, every light showing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from luoshi import access
from luoshi.answers.models import AnswerTemplate
from luoshi.monitoring.models import Breach, Subject, Value
from luoshi.org.models import User
from luoshi.sources.models import Item, Source
from luoshi.tasks import audit
from luoshi.tasks.lights import light_of
from luoshi.tasks.models import Event, Task


def load() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_is_made_from_the_seed_and_loads_twice(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    first = load()
    assert "luoshi-demo" in first and "nongye" in first
    counts = (Source.objects.count(), Item.objects.count(), Task.objects.count(), User.objects.count(),
              AnswerTemplate.objects.count())
    monitored = (Subject.objects.count(), Value.objects.count(), Breach.objects.count(),
                 Event.objects.filter(task__kind="alert").count())
    second = load()
    assert "0 new" in second
    # the sample households: loaded twice, the same rows; the second evaluation changes nothing
    assert (Subject.objects.count(), Value.objects.count(), Breach.objects.count(),
            Event.objects.filter(task__kind="alert").count()) == monitored
    assert "breaches 32, opened 0, closed 0, reopened 0" in second
    assert Subject.objects.count() == 300 and not Subject.objects.filter(is_sample=False).exists()
    open_loops = Breach.objects.filter(is_open=True)
    assert open_loops.count() == 32 and all(b.task.state != "closed" for b in open_loops)
    assert Breach.objects.filter(is_open=False, task__state="closed").exists()  # 风险消除
    assert Breach.objects.filter(times_opened__gt=1).exists()  # a loop reopened
    # this month's unit assessment, a draft counted from the tasks: the same after a second run
    ranking = first.split("assessment ", 1)[1].split("\n\n", 1)[0]
    assert "(draft, /assessment/)" in ranking and "吕梁市人民政府" in ranking
    assert ranking == second.split("assessment ", 1)[1].split("\n\n", 1)[0]
    assert (Source.objects.count(), Item.objects.count(), Task.objects.count(), User.objects.count(),
            AnswerTemplate.objects.count()) == counts
    # the office's canned texts: for returning, urging, closing, and a reply of each class
    assert {"return", "urge", "close", "reply"} <= set(AnswerTemplate.objects.values_list("purpose", flat=True))
    assert set(AnswerTemplate.objects.filter(purpose="reply").values_list("reply_class", flat=True)) == set("ABCD")

    source = Source.objects.get(name="seed.txt")  # the others are the monitoring alerts' evaluations
    assert source.encoding == "utf-8" and "審議時(shí)" in source.raw_text  # raw kept as found
    assert source.title == "金湘军在参加吕梁代表团审议时强调"
    directives = Task.objects.filter(kind="directive", parent__isnull=True)
    assert directives.count() == 6
    # the city passed one part of 经济运行 down to its county (转办), which has started on it
    part = Task.objects.get(parent__isnull=False)
    assert (part.parent.title, part.lead_unit.name, part.state, part.progress_percent) == (
        "切实抓好经济运行", "吕梁市离石区人民政府", "in_progress", 40)
    assert {t.lead_unit.name for t in directives} == {"吕梁市人民政府"}
    assert all(t.co_units.exists() for t in directives)
    suggestions = Task.objects.filter(kind="suggestion")
    assert suggestions.count() == 6
    farmland = suggestions.get(title="高标准农田建设")
    assert farmland.lead_unit.name == "省农业农村厅"
    # the items carry their provenance: the span of the clean text and of the raw text
    item = Item.objects.get(kind="directive", ordinal=3)
    assert source.text[item.span_start : item.span_end] == item.text
    assert "項(xiàng)目建設(shè)" in source.raw_text[item.raw_start : item.raw_end]
    assert Task.objects.get(items=item).due_basis == "一季度"

    lights = {light_of(t) for t in Task.objects.all()}
    assert {"red", "yellow", "green", "none"} <= lights
    assert audit.verify().ok, audit.verify().findings


def test_demo_users_see_what_their_role_allows(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load()
    nongye = User.objects.get(username="nongye")
    seen = access.visible_tasks(nongye)
    assert seen.exists()
    for task in seen:
        units = {task.lead_unit.name, *task.co_units.values_list("name", flat=True)}
        assert "省农业农村厅" in units
    assert not seen.filter(lead_unit__name="省应急管理厅").exists()
    lvliang = User.objects.get(username="lvliang")
    assert access.visible_tasks(lvliang).filter(kind="directive").count() == 6 + 1  # and the part it passed down
    lishi = User.objects.get(username="lishi")
    assert list(access.visible_tasks(lishi).exclude(kind="alert").values_list("title", flat=True)) == [
        "离石区：建立区级经济运行月度监测机制"]
    # and the assistance tasks (帮扶) of the sample households the county must act on
    assert {t.lead_unit.name for t in access.visible_tasks(lishi).filter(kind="alert")} == {"吕梁市离石区人民政府"}
    deputy = User.objects.get(username="deputy")
    assert set(access.visible_tasks(deputy).values_list("kind", flat=True)) == {"suggestion"}
    assert access.visible_tasks(User.objects.get(username="supervisor")).count() == Task.objects.count()
    for username in ("admin", "supervisor", "leader", "deputy", "lvliang", "nongye", "lishi"):
        assert User.objects.get(username=username).check_password("luoshi-demo")


def test_the_demo_shows_the_loop_driving_itself(db, settings, tmp_path) -> None:
    """Reminders sent today, the seed's long-past 一季度 escalated to the governor, one urging, and
    something unread in the inbox of each demo user who works on tasks."""
    from luoshi.notify.models import Notification
    from luoshi.tasks import todo
    from luoshi.tasks.models import Event

    settings.MEDIA_ROOT = tmp_path
    out = load()
    assert "scan: reminders 2, escalations 1, overdue 1, stale 0" in out
    assert Event.objects.filter(action="remind").count() == 2
    escalated = Task.objects.get(escalation_level=3)
    assert escalated.due_basis == "一季度" and escalated.overdue_for is not None
    assert Task.objects.filter(urge_count=1).count() == 1
    for username in ("supervisor", "leader", "deputy", "lvliang", "nongye"):
        user = User.objects.get(username=username)
        assert Notification.objects.filter(user=user, read_at__isnull=True).exists(), username
    leader = User.objects.get(username="leader")
    assert Notification.objects.filter(user=leader, kind="escalate").exists()
    lvliang = User.objects.get(username="lvliang")
    waiting = {w.kind.key for w in todo.waiting(lvliang)}
    assert {"to_sign", "to_acknowledge", "overdue"} <= waiting
    assert "scan: reminders 0, escalations 0, overdue 0, stale 0" in load()  # nothing twice


def test_demo_has_a_ranking_for_the_supervisor_and_the_leader(db, settings, tmp_path, client) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"  # pages are served; WhiteNoise wants the folder
    settings.STATIC_ROOT.mkdir()
    load()
    for who in ("supervisor", "leader"):
        client.force_login(User.objects.get(username=who))
        page = client.get("/assessment/")
        assert page.status_code == 200 and len(page.context["ranking"].rows) >= 3
    client.force_login(User.objects.get(username="nongye"))
    assert client.get("/assessment/").status_code == 404
