"""The province's shape on one machine: two app processes (`luoshi serve`), two workers
(`luoshi worker`) and one PostgreSQL database of their own, under a mixed load through both app
processes while both workers run the scan, each day's scan shared between them
(`LUOSHI_SCAN_PARTS=2`).

Afterwards: no job ran twice (the queue's results and the probes' runs), the scheduler enqueued
the day's scan once however often both workers ticked, no reminder or warning went out twice
(notifications per task, user, kind and day), no write was lost (every progress report and
every transition that got a success is in the database, none that did not) and `luoshi journal
verify` passes. PostgreSQL only: SQLite is one file on one machine, never this shape.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from tests.factories import PASSWORD

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.database,  # selected by the PostgreSQL pass of `make test` (-m database)
    pytest.mark.skipif(not ON_POSTGRES, reason="the province's shape runs on PostgreSQL: set LUOSHI_TEST_POSTGRES="
                       "postgresql://USER@HOST:PORT/DBNAME (make test then runs it in its PostgreSQL pass)"),
]

# the kinds of event the scan sends once per task and day, whatever else happens that day
# (behind/on_schedule are left out: a report lowering the share done may rightly flag a task again)
ONCE_A_DAY = ("remind", "overdue", "escalate", "stale", "receipt_overdue", "co_remind", "co_overdue",
              "follow_up_due")

# Made in a process of its own, as an administrator's script would: the test organisation, and
# tasks for each part of the load. Prints their ids.
SETUP = """
import datetime as dt, json, sys
sys.path.insert(0, sys.argv[1])
import django
django.setup()
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.utils import timezone
from luoshi.tasks.models import State
from tests.factories import drive, make_org, make_task

# quick hashes to set up (the app processes verify them, and make them strong at sign-in)
PBKDF2PasswordHasher.iterations = 1000
today = timezone.localdate()
day = dt.timedelta(days=1)

def made(title, due, state):
    return drive(org, make_task(org, title=title, due=due), state).pk

with transaction.atomic():
    org = make_org()
    ids = {
        "today": today.isoformat(),
        "progress": [made(f"进展事项{n}", today + 60 * day, State.IN_PROGRESS) for n in range(4)],
        "flow": [made(f"流转事项{n}", today + 60 * day, State.ASSIGNED) for n in range(4)],
        "soon": [made(f"临期事项{n}", today + (n + 1) * day, State.ASSIGNED) for n in range(2)]
                + [made("临期在办事项", today + day, State.IN_PROGRESS)],
        "late": [made(f"逾期事项{d}", today - d * day, State.IN_PROGRESS) for d in (3, 20)],
    }
print(json.dumps(ids))
"""

# While the load runs: a task made due tomorrow and assigned (its lead unit is to be reminded),
# then the day's scan enqueued again, and probes — round after round, as an office assigning
# work and an administrator re-running the scan by hand would, on top of the scheduler's own.
FEED = """
import datetime as dt, json, sys, time
sys.path.insert(0, sys.argv[1])
import django
django.setup()
from types import SimpleNamespace
from django.db import transaction
from luoshi.jobs.jobs import probe
from luoshi.org.models import Unit, User
from luoshi.tasks.jobs import scan
from luoshi.tasks.models import State
from tests.factories import drive, make_task

today, rounds = dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
people = {u.username: u for u in User.objects.all()}
units = {u.name: u for u in Unit.objects.all()}
org = SimpleNamespace(province=units["山西省人民政府"], unit_a=units["省农业农村厅"], unit_b=units["吕梁市人民政府"],
                      supervisor=people["supervisor"], leader=people["leader"], deputy=people["deputy"])
keys, due = [], []
for n in range(rounds):
    with transaction.atomic():
        task = make_task(org, title=f"新交办临期事项{n}", due=today + dt.timedelta(days=1))
        due.append(drive(org, task, State.ASSIGNED).pk)
    scan.enqueue(slot=today.isoformat())
    for k in range(8):
        keys.append(f"probe-{n}-{k}")
        probe.enqueue(keys[-1])
    time.sleep(0.5)
print(json.dumps({"probes": keys, "due": due}))
"""
SCANS_FED = 6

# the kept counts (luoshi.tasks.tally), as every write left them, against a recount of the same tasks
TALLY = """
import sys; sys.path.insert(0, sys.argv[1] + "/src")
import datetime as dt
import django; django.setup()
from django.utils import timezone
from luoshi.org.models import Unit
from django.db.models import Sum
from luoshi.tasks import tally
from luoshi.tasks.models import TallyLink
today = timezone.localdate()
org = Unit.objects.get(name="山西省人民政府")

def read():
    if not tally.is_counted([org.pk], today):
        return None
    pairs = TallyLink.objects.filter(organisation=org).order_by().values_list("unit", "other").annotate(Sum("n"))
    return (sorted(tally.groups([org.pk])), sorted((u, vars(f)) for u, f in tally.by_unit([org.pk]).items()),
            sorted(tally.closings([org.pk], today - dt.timedelta(days=400), today).items()),
            sorted(p for p in pairs if p[2]))

print("kept", read())
tally.recount(org.pk, today)
print("fresh", read())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_params() -> dict:
    s = settings.DATABASES["default"]
    return {"host": s["HOST"] or "127.0.0.1", "port": int(s["PORT"] or 5432), "user": s["USER"] or "postgres",
            "password": s.get("PASSWORD") or None}


@pytest.fixture
def database():
    """A fresh database of its own on the PostgreSQL server the tests use; dropped afterwards."""
    params = _server_params()
    name = f"luoshi_province_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    auth = params["user"] + (f":{params['password']}" if params["password"] else "")
    try:
        yield f"postgresql://{auth}@{params['host']}:{params['port']}/{name}", {**params, "dbname": name}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Browser:
    """One person's browser: one cookie jar for both app processes (one host, as behind one proxy)."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.cookies: dict[str, str] = {}
        self.statuses: list[tuple[str, str, int]] = []
        self.turn = 0

    def port(self) -> int:
        """The next app process, in turn: each request may land on either, as a proxy would send it."""
        self.turn += 1
        return self.ports[self.turn % len(self.ports)]

    def call(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port(), timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if fields is not None:
            body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            text = r.read().decode()
        finally:
            conn.close()
        for line in r.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        self.statuses.append((method, path, r.status))
        return r.status, r.getheader("Location") or "", text

    def log_in(self, username: str) -> None:
        self.call("GET", "/accounts/login/")
        status, _location, text = self.call("POST", "/accounts/login/", {"username": username, "password": PASSWORD})
        assert status == 302, f"{username} could not sign in ({status}): {text[:500]}"


def _offered(html: str) -> dict[str, str]:
    """The moves a task page offers its reader, with the version each form carries."""
    return dict(re.findall(r'name="([a-z_]+)-version" value="(\d+)"', html))


def _flow(browser: Browser, ids: list[int], seed: int) -> list[tuple[int, str, int]]:
    """Sign for and start tasks; two of these race on the same tasks (one wins, one is refused)."""
    rng = random.Random(seed)
    tried = []
    for _round in range(2):  # sign for, then start (where signing for did not start it)
        for pk in rng.sample(ids, len(ids)):
            status, _loc, html = browser.call("GET", f"/tasks/{pk}/")
            assert status == 200
            moves = _offered(html)
            action = next((a for a in ("accept", "start") if a in moves), None)
            if action is None:
                continue
            status, _loc, _html = browser.call("POST", f"/tasks/{pk}/do/{action}/",
                                               {f"{action}-version": moves[action]})
            tried.append((pk, action, status))
    return tried


def _report(browser: Browser, ids: list[int], who: str, count: int, seed: int) -> list[tuple[str, int]]:
    """Progress reports, each with a text of its own; the detail page read after each."""
    rng = random.Random(seed)
    sent = []
    for n in range(count):
        pk = rng.choice(ids)
        text = f"负载进展 {who} 第{n}次：已完成阶段性工作。"
        status, location, _html = browser.call("POST", f"/tasks/{pk}/progress/",
                                               {"progress-text": text, "progress-percent": str(rng.randint(10, 90))})
        sent.append((text, status))
        if status == 302:
            assert browser.call("GET", location)[0] == 200
    return sent


def _read(browser: Browser, ids: list[int], seed: int) -> None:
    rng = random.Random(seed)
    pages = ["/", "/tasks/", "/tasks/?state=in_progress", "/tasks/?light=red", "/inbox/", "/dashboard/"]
    for _n in range(2):
        for page in [*pages, *(f"/tasks/{pk}/" for pk in rng.sample(ids, 3))]:
            assert browser.call("GET", page)[0] in (200, 302), page


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    # output to a file, never a pipe nobody reads (a full pipe would stop the process)
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def _wait_listening(port: int, proc: subprocess.Popen, log: Path) -> None:
    for _ in range(1800):
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}: {log.read_text()[-3000:]}")


def _wait_started(proc: subprocess.Popen, log: Path) -> None:
    """Until the worker says it takes jobs: both must be at work before the load begins."""
    for _ in range(1800):
        assert proc.poll() is None, log.read_text()[-3000:]
        if "Starting worker" in log.read_text():
            return
        time.sleep(0.1)
    raise AssertionError(f"the worker did not start: {log.read_text()[-3000:]}")


def _rows(db: dict, sql: str, *args) -> list[tuple]:
    with psycopg.connect(**db) as c:
        return c.execute(sql, args).fetchall()


def _drained(db: dict, procs: dict[str, subprocess.Popen], logs: Path) -> None:
    """Wait until the queue holds nothing ready or running (twice in a row: a job may enqueue another)."""
    quiet = 0
    for _ in range(1200):
        for name, proc in procs.items():
            assert proc.poll() is None, f"{name} stopped: {(logs / f'{name}.log').read_text()[-3000:]}"
        waiting = _rows(db, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                            "WHERE status IN ('READY', 'RUNNING')")[0][0]
        quiet = quiet + 1 if waiting == 0 else 0
        if quiet >= 3:
            return
        time.sleep(0.5)
    raise AssertionError("the workers did not empty the queue")


def test_two_app_processes_and_two_workers_lose_nothing_and_repeat_nothing(database, tmp_path) -> None:
    url, db = database
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "luoshi.settings", "DATABASE_URL": url,
           "LUOSHI_VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(tmp_path / "media"),
           "SECRET_KEY": "province-shape-test-" + "k" * 40,  # one key for every process: sessions are shared
           "LUOSHI_SCAN_AT": "00:00",  # today's scan is due whatever the hour
           "LUOSHI_SCAN_PARTS": "2",  # each scan hands half its tasks to a job of its own, for the other worker
           "LOG_LEVEL": "INFO"}  # the workers say when they start taking jobs
    logs = tmp_path / "logs"
    logs.mkdir()

    # an upgrade: migrations by one process, before any app process or worker starts
    subprocess.run([BIN / "luoshi", "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300, cwd=ROOT)
    made = subprocess.run([sys.executable, "-c", SETUP, str(ROOT)], env=env, timeout=300, capture_output=True,
                          text=True, cwd=ROOT)
    assert made.returncode == 0, made.stderr[-3000:]
    ids = json.loads(made.stdout.strip().splitlines()[-1])

    ports = [_free_port(), _free_port()]
    procs: dict[str, subprocess.Popen] = {}
    try:
        for n, port in enumerate(ports, 1):
            procs[f"app{n}"] = _start([BIN / "luoshi", "serve", "--listen", f"127.0.0.1:{port}", "--threads", "4"],
                                      env, logs / f"app{n}.log")
        for n in (1, 2):
            procs[f"worker{n}"] = _start([BIN / "luoshi", "worker", "--interval", "0.2", "--tick-every", "1"],
                                         {**env, "LUOSHI_WORKER_ID": f"w{n}"}, logs / f"worker{n}.log")
        for n, port in enumerate(ports, 1):
            _wait_listening(port, procs[f"app{n}"], logs / f"app{n}.log")
        for n in (1, 2):
            _wait_started(procs[f"worker{n}"], logs / f"worker{n}.log")

        feeder = subprocess.Popen([sys.executable, "-c", FEED, str(ROOT), ids["today"], str(SCANS_FED)], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        browsers = {name: Browser(ports) for name in ("flow1", "flow2", "report_a", "report_b", "reader")}
        for name, user in [("flow1", "handler_a"), ("flow2", "handler_a"), ("report_a", "handler_a"),
                           ("report_b", "handler_b"), ("reader", "supervisor")]:
            browsers[name].log_in(user)
        with concurrent.futures.ThreadPoolExecutor(5) as pool:
            # the same order for both: they reach each task together and race for its moves
            flows = [pool.submit(_flow, browsers[f"flow{n}"], ids["flow"], 1) for n in (1, 2)]
            reports = [pool.submit(_report, browsers[f"report_{u}"], ids["progress"], f"handler_{u}", 8, n)
                       for n, u in enumerate("ab")]
            reading = pool.submit(_read, browsers["reader"], ids["progress"] + ids["soon"] + ids["late"], 7)
            tried = [t for f in flows for t in f.result()]
            sent = [s for f in reports for s in f.result()]
            reading.result()
        fed, feed_err = feeder.communicate(timeout=120)
        assert feeder.returncode == 0, feed_err[-3000:]
        fed = json.loads(fed.strip().splitlines()[-1])
        probes = fed["probes"]
        _drained(db, procs, logs)
    finally:
        for proc in procs.values():
            proc.send_signal(signal.SIGTERM)  # a worker finishes the job in hand, then stops
        for proc in procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)

    # every request was answered, none with a server error
    errors = [s for b in browsers.values() for s in b.statuses if s[2] >= 500]
    assert not errors, (errors, [(logs / f"{n}.log").read_text()[-3000:] for n in ("app1", "app2")])

    # -- no job ran twice: each row of the queue claimed by one worker, and each probe run once
    jobs = _rows(db, "SELECT task_path, status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult")
    assert all(len(w) == 1 for _p, _s, w, _a in jobs), [j for j in jobs if len(j[2]) != 1]
    assert {s for _p, s, _w, _a in jobs} == {"SUCCESSFUL"}, [j for j in jobs if j[1] != "SUCCESSFUL"]
    assert {w[0] for _p, _s, w, _a in jobs} == {"w1", "w2"}  # both workers took part
    runs = _rows(db, "SELECT key, count(*) FROM jobs_proberun GROUP BY key")
    assert sorted(runs) == sorted((k, 1) for k in probes)
    # the day's scan: the feeder's, and the scheduler's once, though both workers ticked each second
    scans = [a for p, _s, _w, a in jobs if p == "luoshi.tasks.jobs.scan"]
    assert len(scans) == SCANS_FED + 1
    assert all(a["kwargs"] == {"slot": ids["today"]} for a in scans)
    assert _rows(db, "SELECT count(*) FROM jobs_tick WHERE name = 'scan'") == [(1,)]
    halves = [a for p, _s, _w, a in jobs if p == "luoshi.tasks.jobs.scan_part"]
    assert [a["kwargs"] for a in halves] == [{"slot": ids["today"], "part": 1, "parts": 2}] * len(scans)

    # -- no reminder or warning went out twice: per task, user, kind and day
    twice = _rows(db, "SELECT n.task_id, n.user_id, n.kind, (n.created_at AT TIME ZONE %s)::date, count(*) "
                      "FROM notify_notification n JOIN tasks_event e ON e.id = n.event_id "
                      "WHERE e.actor_id IS NULL AND n.kind = ANY(%s) GROUP BY 1, 2, 3, 4 HAVING count(*) > 1",
                  settings.TIME_ZONE, list(ONCE_A_DAY))
    assert twice == []
    # and they did go out: each task due within days (made so before the load or during it) was
    # reminded once, each late one marked overdue once
    soon = ids["soon"] + fed["due"]
    acts = _rows(db, "SELECT task_id, action, count(*) FROM tasks_event WHERE actor_id IS NULL "
                     "AND action IN ('remind', 'overdue') GROUP BY 1, 2")
    assert sorted(acts) == sorted([(pk, "remind", 1) for pk in soon] + [(pk, "overdue", 1) for pk in ids["late"]])
    told = _rows(db, "SELECT DISTINCT n.task_id FROM notify_notification n JOIN org_user u ON u.id = n.user_id "
                     "WHERE n.kind = 'remind' AND u.username = 'handler_a'")
    assert sorted(t for (t,) in told) == sorted(soon)

    # -- no write lost: every report answered with success is stored once, and nothing else
    ok_texts = sorted(text for text, status in sent if status == 302)
    assert all(status in (302, 400, 403, 409) for _t, status in sent), sent
    stored = _rows(db, "SELECT text FROM tasks_progressreport WHERE text LIKE '负载进展%%'")
    assert sorted(t for (t,) in stored) == ok_texts
    assert len(ok_texts) == 16  # reports only add to a task in progress: none is refused
    # every move answered with success is in the journal, by its mover, and no refused one is
    assert all(status in (302, 400, 403, 409) for _pk, _a, status in tried), tried
    moved = sorted((pk, action) for pk, action, status in tried if status == 302)
    journal = _rows(db, "SELECT e.task_id, e.action FROM tasks_event e JOIN org_user u ON u.id = e.actor_id "
                        "WHERE e.action IN ('accept', 'start') AND u.username = 'handler_a' AND e.task_id = ANY(%s)",
                    ids["flow"])
    assert moved == sorted(journal)
    assert {pk for pk, action in moved if action == "accept"} == set(ids["flow"])  # each signed for once

    print(f"requests {sum(len(b.statuses) for b in browsers.values())}, reports stored {len(ok_texts)}, "
          f"moves {len(moved)} of {len(tried)} tried, jobs {len(jobs)} "
          f"(w1 {sum(w == ['w1'] for _p, _s, w, _a in jobs)}, w2 {sum(w == ['w2'] for _p, _s, w, _a in jobs)})")
    # the dashboard's counts, kept by every write of both app processes and both workers while the
    # scans recounted them, are the tasks' own
    counts = subprocess.run([sys.executable, "-c", TALLY, str(ROOT)], env=env, capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert counts.returncode == 0, counts.stderr[-3000:]
    kept, fresh = counts.stdout.strip().splitlines()[-2:]
    assert kept.removeprefix("kept ") == fresh.removeprefix("fresh "), (kept, fresh)
    verify = subprocess.run([BIN / "luoshi", "journal", "verify"], env=env, capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert verify.returncode == 0, verify.stderr[-3000:]
    assert "journal intact" in verify.stdout
