"""Load: virtual users (locust, headless) against the served app, each signed in as their own user.

    pip install -e '.[bench]'          # locust, an optional extra
    .venv/bin/python bench/load.py --database postgres            # 50 users, 60 s
    .venv/bin/python bench/load.py --database sqlite              # 20 users, 60 s
    .venv/bin/python bench/load.py --database sqlite --users 5 --seconds 10 --tasks 300   # a short run

One run: a fresh database (PostgreSQL: drop and create ``--pg-url``, luoshi_load by default;
SQLite: a new folder), migrated, with ``--tasks`` tasks (bench/load_data.py: 24 departments,
``--worked`` of the tasks moved one by one through `workflow.perform` into every state, about
half in progress, with their journal and progress history; the rest copies of those, so that
lists are a province's length) and one account per virtual user, one in ten a supervisor of the
whole organisation, the rest handlers of a department. Then `luoshi serve` (waitress, 8 threads)
on a free port of 127.0.0.1, and:

1. the idle baseline: one client, one request at a time, ``--idle`` requests of each kind;
2. the load: ``--users`` locust users sign in through /accounts/login/ (the login form and its
   CSRF token, a real password check: django-axes counts only failures), ``--spawn-rate`` a
   second, and once all have (signing in is timed apart: the password hash is slow on purpose),
   ``--seconds`` of a mix with ``--think`` seconds between steps: the task list (/tasks/) with and
   without filters (state, light, title, unit, due dates, a later page), task pages, and progress
   reports posted as the page's form does (multipart, the CSRF token read from the page, redirect
   followed). Each report's text carries a unique marker;
3. the check: every report that got its redirect is in the database, once, with the text sent
   (and any other marked report stored is shown); the server's log is searched for tracebacks
   and "database is locked".

Prints requests per second and p50/p95 per kind beside the idle figures, the errors, and the
server's CPU time a request (what bounds one waitress process: its threads share one core's
worth of Python). Aim: no errors, p95 under 300 ms. The users (one gevent process), the server
and the database share this machine's cores.

Figures (3,000 tasks, 2026-11-30, the shared 2-core machine with a load average of 9-20 from
other work, so most of each latency is waiting for a core; idle pages took 300-1,000 ms), think
1-3 s: PostgreSQL, 50 users: 4.6-7.3 requests/s, p95 6-12 s per kind, 0 errors, 64/64 and 85/85
reports stored; SQLite, 20 users: 2.7-6.0 requests/s, p95 2.4-14 s, 0 errors, 43/43 and 70/70,
no "database is locked". Think 10-30 s: PostgreSQL 3.3 requests/s, p95 4-9 s; SQLite 1.5
requests/s, p95 1-3.4 s; 0 errors, all stored. Server CPU 100-135 ms a request: one process
serves at most about 10 requests/s with a core to itself; 50 users pausing 1-3 s ask for ~20.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import gevent  # (locust's import below patches the standard library for gevent)
import gevent.event
from locust import FastHttpUser, between, constant, task
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment
from locust.exception import StopUser

BIN = Path(sys.executable).parent
DATA = Path(__file__).resolve().parent / "load_data.py"
MARK = "LOADMARK-"  # as load_data.MARK (that module imports Django; this one must not)
RUN = secrets.token_hex(3)  # this run's part of each marker: a database used again holds earlier runs' reports
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KINDS = ["list (handler)", "list+filter (handler)", "list (supervisor)", "list+filter (supervisor)",
         "task page", "progress report"]
# what a user does, by weight: handlers report on their unit's tasks; supervisors read
MIX = {"handler": {"list": 2, "filtered": 3, "page": 3, "report": 2},
       "supervisor": {"list": 3, "filtered": 4, "page": 3}}


# -- what was measured ---------------------------------------------------------------------------

class Recorder:
    """Every request's time and outcome, by phase and kind (locust's own stats round the times)."""

    def __init__(self) -> None:
        self.phase = "warmup"
        self.window = (0.0, 0.0)  # the load's start and end (requests finishing after it are timed, not counted)
        self.server_pid = 0
        self.cpu: dict[str, float] = {}  # the server's CPU seconds over each phase
        self.rows: dict[str, dict[str, list[tuple[float, float, bool]]]] = defaultdict(lambda: defaultdict(list))
        self.failures: list[str] = []
        self.sent: dict[str, dict] = {}  # marker -> {"text", "ok"}

    def on_request(self, request_type, name, response_time, response_length, exception=None, **kw) -> None:
        self.rows[self.phase][name].append((time.monotonic(), response_time, exception is None))
        if exception is not None:
            self.failures.append(f"{self.phase}: {request_type} {name}: {exception}")


REC = Recorder()


# -- what a browser does ---------------------------------------------------------------------------

def sign_in(client: FastHttpSession, username: str, password: str) -> None:
    with client.get("/accounts/login/", name="login", catch_response=True) as r:
        m = TOKEN.search(r.text or "")
        if r.status_code != 200 or not m:
            r.failure(f"login page: {r.status_code}")
            raise StopUser()
    data = {"csrfmiddlewaretoken": m.group(1), "username": username, "password": password}
    with client.post("/accounts/login/", data=data, name="login", allow_redirects=False, catch_response=True) as r:
        if r.status_code != 302:
            r.failure(f"sign-in as {username}: {r.status_code} {getattr(r, 'error', '') or ''}")
            raise StopUser()


def expect(client: FastHttpSession, url: str, name: str) -> str:
    with client.get(url, name=name, catch_response=True) as r:
        if r.status_code != 200:
            r.failure(f"{r.status_code} {url} {getattr(r, 'error', '') or ''}")
        return r.text or ""


def filters(account: dict, rng: random.Random, plan: dict) -> str:
    today = time.strftime("%Y-%m-%d")
    unit = account["unit"] if account["role"] == "handler" else rng.choice(plan["units"])
    return rng.choice([
        "state=in_progress", "light=red", "light=yellow", f"q={rng.choice(plan['topics'])}",
        f"unit={unit}", f"state=in_progress&unit={unit}", f"due_from={today}", "state=closed&page=2",
        f"q={rng.choice(plan['topics'])}&light=green", "page=2",
    ])


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """The form as a browser posts it: text fields and an empty file input."""
    boundary = "----luoshiload" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="progress-files"; filename=""\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n\r\n")
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


def report(client: FastHttpSession, account: dict, rng: random.Random) -> None:
    pk = rng.choice(account["report"])
    page = expect(client, f"/tasks/{pk}/", "task page")
    form = page.find('id="progress"')
    m = TOKEN.search(page, form) if form >= 0 else None
    if m is None:
        REC.failures.append(f"{REC.phase}: no progress form on /tasks/{pk}/ for {account['username']}")
        return
    marker = f"{MARK}{RUN}-{secrets.token_hex(8)}"
    text = f"本周推进情况：已完成阶段任务，正在开展下一步工作。{marker}"
    REC.sent[marker] = {"text": text, "ok": False, "task": pk}
    body, ctype = multipart({"csrfmiddlewaretoken": m.group(1), "progress-text": text,
                             "progress-percent": str(rng.randint(10, 90))})
    with client.post(f"/tasks/{pk}/progress/", data=body, name="progress report", allow_redirects=False,
                     headers={"Content-Type": ctype}, catch_response=True) as r:
        location = r.headers.get("Location", "") if r.headers else ""
        if r.status_code != 302 or not location.endswith(f"/tasks/{pk}/"):
            r.failure(f"{r.status_code} /tasks/{pk}/progress/ -> {location!r} {getattr(r, 'error', '') or ''}")
            return
        REC.sent[marker]["ok"] = True
    expect(client, f"/tasks/{pk}/", "task page")  # the redirect, as a browser follows it


def step(client: FastHttpSession, account: dict, rng: random.Random, plan: dict, kind: str) -> None:
    role = account["role"]
    if kind == "list":
        expect(client, "/tasks/", f"list ({role})")
    elif kind == "filtered":
        expect(client, "/tasks/?" + filters(account, rng, plan), f"list+filter ({role})")
    elif kind == "page":
        expect(client, f"/tasks/{rng.choice(account['open'])}/", "task page")
    else:
        report(client, account, rng)


class Staff(FastHttpUser):
    """One virtual user: signs in as the next unused account, then works through the mix."""

    plan: dict = {}
    accounts: list[dict] = []
    signed_in = 0
    refused = 0  # sign-ins that failed (the user stops)
    gate = gevent.event.Event()  # opened once every user has signed in: all start together
    in_flight = 0
    stopping = False
    wait_time = constant(0)

    def on_start(self) -> None:
        self.account = Staff.accounts.pop(0)
        self.rng = random.Random(self.account["username"])
        try:
            sign_in(self.client, self.account["username"], Staff.plan["password"])
        except StopUser:
            Staff.refused += 1
            raise
        Staff.signed_in += 1
        Staff.gate.wait()

    @task
    def work(self) -> None:
        if Staff.stopping:
            raise StopUser()
        mix = MIX[self.account["role"]]
        kind = self.rng.choices(list(mix), weights=list(mix.values()))[0]
        Staff.in_flight += 1
        try:
            step(self.client, self.account, self.rng, Staff.plan, kind)
        finally:
            Staff.in_flight -= 1


# -- one run -------------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """CPU time the process has used so far (user + system; Linux's /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(args, var: Path) -> tuple[dict, dict]:
    env = {**os.environ, "LUOSHI_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    if args.database == "postgres":
        env["DATABASE_URL"] = args.pg_url
        if not args.reuse:
            import psycopg

            base, name = args.pg_url.rsplit("/", 1)
            with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                c.execute(f'CREATE DATABASE "{name}"')
    accounts = var / "accounts.json"
    if not args.reuse:
        subprocess.run([BIN / "luoshi", "migrate", "-v0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, DATA, "build", "--tasks", str(args.tasks), "--worked", str(args.worked),
                        "--users", str(args.users), "--out", accounts], env=env, check=True)
        print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with open(accounts) as f:
        return json.load(f), env


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("the server stopped: see its log")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def idle(base: str, plan: dict, n: int, env: Environment) -> None:
    """One client, one request at a time: each kind ``n`` times (the same steps as the load)."""
    REC.phase = "idle"
    rng = random.Random(0)
    cpu = cpu_seconds(REC.server_pid)
    for account in [a for a in plan["accounts"] if a["baseline"]]:
        client = FastHttpSession(base, request_event=env.events.request, user=None,
                                 network_timeout=60.0, connection_timeout=60.0)  # as FastHttpUser
        sign_in(client, account["username"], plan["password"])
        for kind in MIX[account["role"]]:
            for _ in range(n):
                step(client, account, rng, plan, kind)
    REC.cpu["idle"] = cpu_seconds(REC.server_pid) - cpu


def load(base: str, plan: dict, args) -> tuple[Environment, float]:
    Staff.plan = plan
    Staff.accounts = [a for a in plan["accounts"] if not a["baseline"]][: args.users]
    low, high = args.think
    Staff.wait_time = between(low, high) if high else constant(0)
    env = Environment(user_classes=[Staff], host=base)
    env.events.request.add_listener(REC.on_request)
    runner = env.create_local_runner()
    REC.phase = "warmup"  # signing in: a deliberately slow password hash, each user once, before the load
    runner.start(args.users, spawn_rate=args.spawn_rate)
    deadline = time.monotonic() + 300
    while Staff.signed_in + Staff.refused < args.users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    if not Staff.signed_in:
        raise SystemExit("no user could sign in: " + "; ".join(REC.failures[-3:]))
    REC.phase = "load"
    cpu = cpu_seconds(REC.server_pid)
    Staff.gate.set()
    started = time.monotonic()
    gevent.sleep(args.seconds)
    Staff.stopping = True  # no new steps; the ones under way finish (their reports are checked)
    ended = time.monotonic()
    while Staff.in_flight and time.monotonic() < ended + 60:
        gevent.sleep(0.1)
    REC.cpu["load"] = cpu_seconds(REC.server_pid) - cpu
    REC.phase = "after"
    runner.quit()
    REC.window = (started, ended)
    return env, ended - started


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--users", type=int, help="virtual users (default 50 on PostgreSQL, 20 on SQLite)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--worked", type=int, default=240,
                        help="of the tasks, how many go through the workflow one by one (the rest are copies)")
    parser.add_argument("--think", default="1,3", help="seconds between a user's steps, MIN,MAX (0 for none)")
    parser.add_argument("--spawn-rate", type=float, default=2, help="users signing in a second (before the load)")
    parser.add_argument("--idle", type=int, default=20, help="requests of each kind in the idle baseline")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/luoshi_load",
                        help="the PostgreSQL database to drop, make and load (with --database postgres)")
    parser.add_argument("--var", help="the folder for the SQLite file, uploads and logs (default: a new one)")
    parser.add_argument("--build-only", action="store_true", help="make the database and stop (run later with --reuse)")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database an earlier run built in --var (and --pg-url) instead of a new one")
    args = parser.parse_args()
    args.users = args.users or (50 if args.database == "postgres" else 20)
    args.think = tuple(float(x) for x in (args.think.split(",") * 2)[:2])
    if args.reuse and not args.var:
        parser.error("--reuse needs --var")
    var = Path(args.var or tempfile.mkdtemp(prefix=f"luoshi-load-{args.database}-"))
    var.mkdir(parents=True, exist_ok=True)

    plan, env = prepare(args, var)
    if args.build_only:
        pg = f" --pg-url {args.pg_url}" if args.database == "postgres" else ""
        print(f"built in {var}: run with --reuse --var {var}{pg}")
        return
    if sum(1 for a in plan["accounts"] if not a["baseline"]) < args.users:
        raise SystemExit("the database has fewer accounts than --users: build it again (without --reuse)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(var / "serve.log", "ab")  # noqa: SIM115 (open while the server runs)
    log_start = log.tell()
    server = subprocess.Popen([BIN / "luoshi", "serve", "--listen", f"127.0.0.1:{port}"], env=env,
                              stdout=log, stderr=log)
    REC.server_pid = server.pid  # `luoshi` is Python itself: its CPU time is the server's
    try:
        wait_for(port, server)
        idle_env = Environment(host=base)
        idle_env.events.request.add_listener(REC.on_request)
        idle(base, plan, args.idle, idle_env)
        _, seconds = load(base, plan, args)
    except StopUser:
        raise SystemExit("a sign-in failed: " + "; ".join(REC.failures[-3:])) from None
    finally:
        server.terminate()
        server.wait(20)
        log.close()
    markers = var / "markers.json"
    markers.write_text(json.dumps(REC.sent))
    out = subprocess.run([sys.executable, DATA, "verify", "--markers", markers, "--run", RUN], env=env, check=True,
                         capture_output=True, text=True)
    check = json.loads(out.stdout.strip().splitlines()[-1])
    with open(var / "serve.log", "rb") as f:
        f.seek(log_start)
        server_log = f.read().decode(errors="replace").splitlines()
    report_figures(args, plan, seconds, check, server_log, var)


def report_figures(args, plan: dict, seconds: float, check: dict, server_log: list[str], var: Path) -> None:
    loaded, quiet = REC.rows["load"], REC.rows["idle"]
    total = sum(len(v) for v in loaded.values())
    in_window = sum(1 for v in loaded.values() for at, _, _ in v if at <= REC.window[1])
    errors = sum(1 for v in loaded.values() for _, _, ok in v if not ok)
    handlers = sum(1 for a in plan["accounts"][: args.users] if a["role"] == "handler")
    tasks = sum(plan["states"].values())
    think = f"{args.think[0]:g}-{args.think[1]:g} s" if args.think[1] else "none"
    print(f"\n{args.database}: {args.users} users ({handlers} handlers, {args.users - handlers} supervisors), "
          f"{args.seconds:g} s, think time {think}; {tasks} tasks "
          f"({', '.join(f'{k} {v}' for k, v in plan['states'].items())}); waitress 8 threads; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (users, server and database share them)")
    print(f"signed in: {Staff.signed_in} of {args.users} users"
          + (f" ({Staff.refused} sign-ins failed: they are among the failures below)" if Staff.refused else ""))
    print(f"throughput: {in_window / seconds:.1f} requests/s ({total} requests; {errors} errors)")
    print(f"{'':26s} {'idle p50':>9s} {'idle p95':>9s} {'load n':>7s} {'load p50':>9s} {'load p95':>9s} {'errors':>7s}")
    for kind in [*KINDS, "login"]:
        q = [ms for _, ms, _ in quiet.get(kind, [])]
        rows = loaded.get(kind) or REC.rows["warmup"].get(kind, [])  # signing in happens before the load
        v = [ms for _, ms, _ in rows]
        err = sum(1 for _, _, ok in rows if not ok)
        label = kind + (" (signing in)" if kind == "login" else "")
        print(f"{label:26s} {pct(q, 50):9.0f} {pct(q, 95):9.0f} {len(v):7d} {pct(v, 50):9.0f} {pct(v, 95):9.0f} "
              f"{err:7d}")
    n_idle = sum(len(v) for k, v in quiet.items() if k != "login")
    print(f"server CPU a request (one waitress process: one core's worth of Python at most): "
          f"idle {REC.cpu['idle'] * 1000 / n_idle:.0f} ms, under load {REC.cpu['load'] * 1000 / total:.0f} ms "
          f"(= at most {total / REC.cpu['load']:.0f} requests/s for a process with a core to itself)")
    worst = max((pct([ms for _, ms, _ in loaded[k]], 95) for k in KINDS if loaded.get(k)), default=float("nan"))
    print(f"worst p95 {worst:.0f} ms (aim: under 300 ms); errors {errors} (aim: 0)")
    for line in REC.failures[:10]:
        print("  failure:", line)
    problems = {name: sum(1 for line in server_log if name in line)
                for name in ("Traceback", "Internal Server Error", "database is locked", "Task queue depth")}
    print("server log:", ", ".join(f'"{k}" {v}' for k, v in problems.items()), f"({var / 'serve.log'})")
    lost = check["ok_missing"] + check["ok_text_differs"] + check["duplicated"]
    print(f"progress reports (idle and load): {check['ok_sent']} answered with success, "
          f"{check['stored']} marked reports stored; "
          f"missing {len(check['ok_missing'])}, text differs {len(check['ok_text_differs'])}, "
          f"stored twice {len(check['duplicated'])}, stored without success {len(check['stored_not_ok'])}"
          + ("" if not lost else f" -> LOST OR WRONG: {lost[:5]}"))


if __name__ == "__main__":
    main()
