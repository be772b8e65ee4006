"""The Django side of bench/load.py, run by it in a subprocess (the load side runs under gevent):

    python bench/load_data.py build --tasks 3000 --users 50 --out accounts.json
    python bench/load_data.py verify --markers markers.json

`build` makes one organisation on the database named by DATABASE_URL / LUOSHI_VAR_DIR (already
migrated): a province with its supervision office, 24 departments each with a staff handler, and
``--worked`` tasks made by `services.create_task` and moved by `workflow.perform` (assign, accept,
start, report progress, ask for an extension, co-unit opinion, submit, return, close) as the
people whose turn it is, so their journal, notifications and queue rows are what real use leaves.
The rest of ``--tasks`` are copies of those in the same states (bulk_create, as bench/dashboard.py
does), so that lists are as long as a province's: the workflow costs about a second a task on a
busy two-core machine, and a list's cost is its rows, not their history. Then the accounts the
virtual users sign in as (one in ten a supervisor, the rest handlers spread over the departments)
and two for the idle baseline, and writes what each may do (tasks to open, tasks to report on).

`verify` reads the markers of the progress reports the load side sent and says which are in the
database (as ProgressReport rows, exactly once, with the text sent).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time

MARK = "LOADMARK-"  # every report the load side sends carries MARK + a unique id
PASSWORD = "luoshi-load-pw-2026"
DEPARTMENTS = ["发展改革委", "工业和信息化厅", "农业农村厅", "自然资源厅", "地方金融监督管理局", "商务厅", "能源局",
               "应急管理厅", "人力资源和社会保障厅", "民政厅", "教育厅", "科学技术厅", "公安厅", "财政厅", "生态环境厅",
               "住房和城乡建设厅", "交通运输厅", "水利厅", "文化和旅游厅", "卫生健康委", "市场监督管理局", "统计局",
               "林业和草原局", "医疗保障局"]
TOPICS = ["高标准农田建设", "重大项目开工", "防返贫动态监测", "安全生产隐患整治", "营商环境优化", "煤矿智能化改造",
          "城镇老旧小区改造", "农村饮水安全", "中小企业融资", "稳岗就业", "养老服务体系", "黄河流域生态保护",
          "数字政府建设", "招商引资", "文旅融合发展", "医疗保障扩面"]
VERBS = ["抓好", "推进", "落实", "加快", "做好", "统筹"]
# what share of the tasks ends in each state (the rest are in progress)
SHARES = {"draft": 0.04, "assigned": 0.10, "accepted": 0.08, "extension_requested": 0.03, "submitted": 0.06,
          "returned": 0.04, "closed": 0.20}


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def build(n_tasks: int, n_worked: int, n_users: int, out: str, seed: int = 1) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from luoshi.org.models import Membership, Role, Unit, User
    from luoshi.tasks import services, workflow
    from luoshi.tasks.models import State, Task

    started = time.perf_counter()
    rng = random.Random(seed)
    hashed = make_password(PASSWORD)  # hashing is slow on purpose: once for every account

    def user(username: str, unit: Unit, role: str) -> User:
        u = User.objects.create(username=username, password=hashed, display_name=username)
        Membership.objects.create(user=u, unit=unit, role=role)
        return u

    province = Unit.objects.create(name="山西省人民政府", kind=Unit.Kind.GOVERNMENT, is_organisation=True)
    office = Unit.objects.create(name="省政府督查室", kind=Unit.Kind.OFFICE, parent=province)
    units = [Unit.objects.create(name=f"省{d}", parent=province) for d in DEPARTMENTS]
    supervisor = user("office", office, Role.SUPERVISOR)
    leader = user("governor", province, Role.LEADER)
    staff = {u.pk: user(f"staff{i:02d}", u, Role.HANDLER) for i, u in enumerate(units)}

    def spread(n: int) -> list[str]:
        states = [s for s, share in SHARES.items() for _ in range(round(share * n))]
        states += ["in_progress"] * (n - len(states))
        rng.shuffle(states)
        return states

    today = dt.date.today()
    worked = min(n_worked, n_tasks)
    states = spread(worked)
    for start in range(0, worked, 20):
        with transaction.atomic():  # twenty tasks a commit: the build is not what is measured
            for i in range(start, min(start + 20, worked)):
                lead = units[i % len(units)]  # every department leads its share of the worked tasks
                co = [rng.choice([u for u in units if u != lead])] if rng.random() < 0.6 else []
                title = f"{rng.choice(VERBS)}{rng.choice(TOPICS)}工作（{i + 1}号）"
                task = services.create_task(
                    supervisor, organisation=province, title=title, description=title + "，按期报送进展。",
                    lead_unit=lead, co_units=co, due_date=today + dt.timedelta(days=rng.randint(-45, 180)),
                    leader=leader, issuer_name="省长")
                _move(task, states[i], supervisor, staff[lead.pk], [staff[u.pk] for u in co], rng,
                      workflow, services, SimpleUploadedFile, State)
        print(f"  {min(start + 20, worked)} of {worked} tasks through the workflow", file=sys.stderr)
    _copies(n_tasks - worked, spread(n_tasks - worked), units, staff, rng, today)

    accounts = []
    for i in range(n_users + 2):
        baseline = i >= n_users  # the last two: the idle baseline's handler and supervisor
        role = (Role.SUPERVISOR if i == n_users + 1 else Role.HANDLER) if baseline else (
            Role.SUPERVISOR if i % 10 == 9 else Role.HANDLER)
        unit = office if role == Role.SUPERVISOR else units[0] if baseline else units[i % len(units)]
        name = ("idle_sup" if role == Role.SUPERVISOR else "idle_handler") if baseline else f"load{i:03d}"
        user(name, unit, role)
        accounts.append({"username": name, "role": role, "unit": unit.pk, "baseline": baseline})

    visible_states = [s for s in State.values if s != State.DRAFT]
    working = [State.IN_PROGRESS, State.EXTENSION_REQUESTED]  # where a unit may report (access.WORKING)
    all_ids = list(Task.objects.filter(state__in=visible_states).values_list("pk", flat=True))
    for a in accounts:
        if a["role"] == Role.SUPERVISOR:
            a["open"] = all_ids
            a["report"] = []
            continue
        mine = Task.objects.filter(lead_unit=a["unit"]) | Task.objects.filter(co_units=a["unit"])
        a["open"] = sorted(set(mine.filter(state__in=visible_states).values_list("pk", flat=True)))
        # the lead unit reports (a co-unit may too, but the lead's figure is the one that moves)
        a["report"] = sorted(Task.objects.filter(lead_unit=a["unit"], state__in=working).values_list("pk", flat=True))
    counts = {s: Task.objects.filter(state=s).count() for s in State.values}
    with open(out, "w") as f:
        json.dump({"password": PASSWORD, "accounts": accounts, "units": [u.pk for u in units],
                   "topics": TOPICS, "states": {k: v for k, v in counts.items() if v},
                   "seconds": round(time.perf_counter() - started, 1)}, f)


def _copies(n: int, states: list[str], units, staff, rng, today: dt.date) -> None:
    """The rest of the list: each a copy of a worked task in the state it is to have (its dates,
    owner, figures), under its own title, department and due date, with its co-unit; written by
    bulk_create as bench/dashboard.py does, so these have no journal of their own."""
    from luoshi.tasks.models import Task

    models, offset = {}, Task.objects.count()
    for t in Task.objects.order_by("pk"):
        models.setdefault(t.state, []).append(t)
    copied, links = [], []
    for i, state in enumerate(states):
        model = rng.choice(models.get(state) or models["in_progress"])
        lead = rng.choice(units)
        fields = {f.attname: getattr(model, f.attname) for f in Task._meta.concrete_fields if f.attname != "id"}
        fields.update(title=f"{rng.choice(VERBS)}{rng.choice(TOPICS)}工作（{offset + i + 1}号）",
                      lead_unit_id=lead.pk, owner_id=staff[lead.pk].pk if model.owner_id else None,
                      due_date=today + dt.timedelta(days=rng.randint(-45, 180)), state=model.state)
        copied.append(Task(**fields))
        if rng.random() < 0.6:
            links.append(rng.choice([u for u in units if u != lead]))
        else:
            links.append(None)
    made = Task.objects.bulk_create(copied, batch_size=500)
    Task.co_units.through.objects.bulk_create(
        [Task.co_units.through(task_id=t.pk, unit_id=u.pk) for t, u in zip(made, links, strict=True) if u],
        batch_size=1000)


def _move(task, state: str, sup, handler, co_handlers, rng, workflow, services, upload, State) -> None:
    """Walk a fresh draft to ``state`` as the people whose turn it is (see tests/factories.PATHS)."""
    if state == State.DRAFT:
        return

    def do(action: str, who, **inputs):
        nonlocal task
        task = workflow.perform(task, action, who, version=task.version, **inputs)

    do("assign", sup)
    if state == State.ASSIGNED:
        return
    do("accept", handler)
    if state == State.ACCEPTED:
        return
    do("start", handler)
    for k in range(rng.choice([0, 1, 1, 2, 3])):  # a history to show on the task page
        files = [upload(f"进展材料{k + 1}.txt", "工作台账".encode(), "text/plain")] if k == 0 else []
        services.report_progress(task, handler, text=f"第{k + 1}次报送：已召开专题会议部署推进，完成阶段目标。",
                                 files=files, percent=min(100, 20 * (k + 1)))
        task.refresh_from_db()
    if state == State.IN_PROGRESS:
        return
    if state == State.EXTENSION_REQUESTED:
        do("request_extension", handler, reason="受汛期影响，施工进度滞后。",
           due_date=(task.due_date or dt.date.today()) + dt.timedelta(days=60))
        return
    for co in co_handlers:
        services.give_opinion(task, co, text="同意牵头单位的办理意见，并将配合落实。")
    do("submit", handler, reason="已完成全部工作任务，申请办结。")
    if state == State.SUBMITTED:
        return
    if state == State.RETURNED:
        do("return", sup, reason="材料不全，请补充佐证材料。")
        return
    do("close", sup)


def verify(markers_path: str, run: str) -> None:
    """Print JSON: for the reports sent in ``run`` (marker -> {"text", "ok"}), which are stored and how
    often (markers are MARK + run + "-" + a unique id: earlier runs on the same database are left out)."""
    from luoshi.tasks.models import ProgressReport

    with open(markers_path) as f:
        sent = json.load(f)
    stored: dict[str, list[str]] = {}
    prefix = f"{MARK}{run}-"
    for text in ProgressReport.objects.filter(text__contains=prefix).values_list("text", flat=True):
        marker = text[text.index(prefix):].split()[0]
        stored.setdefault(marker, []).append(text)
    ok = {m for m, s in sent.items() if s["ok"]}
    result = {
        "ok_sent": len(ok),
        "stored": sum(len(v) for v in stored.values()),
        "ok_missing": sorted(m for m in ok if m not in stored),
        "ok_text_differs": sorted(m for m in ok if m in stored and sent[m]["text"] not in stored[m]),
        "duplicated": sorted(m for m, v in stored.items() if len(v) > 1),
        "stored_not_ok": sorted(m for m in stored if m not in ok),  # a refused or cut request that was kept
        "unknown": sorted(m for m in stored if m not in sent),
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="phase", required=True)
    b = sub.add_parser("build")
    b.add_argument("--tasks", type=int, default=3000)
    b.add_argument("--worked", type=int, default=240, help="of them, how many go through the workflow")
    b.add_argument("--users", type=int, default=50)
    b.add_argument("--out", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--markers", required=True)
    v.add_argument("--run", required=True, help="the run's part of the markers")
    args = parser.parse_args()
    setup()
    if args.phase == "build":
        build(args.tasks, args.worked, args.users, args.out)
    else:
        verify(args.markers, args.run)


if __name__ == "__main__":
    main()
