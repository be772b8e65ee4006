"""Redmine's issue list beside Luoshi's task list, over HTTP, measured by the same client code.

    /work/main/.venv/bin/python bench/peer_redmine.py [--runs 15] [--warm 2]
        [--redmine http://127.0.0.1:3100] [--redmine-user supervisor] [--redmine-password x]
        [--redmine-key API_KEY]  (printed by bench/redmine_data.py; without it the JSON row is skipped)
        [--luoshi http://127.0.0.1:8931] [--luoshi-user supervisor] [--luoshi-password x]
        [--luoshi-db luoshi_1m] [--redmine-db redmine_scale] [--only redmine|luoshi]

Both servers must be running (docs/redmine-peer.md says how). Each page is read in a session
of its own (requests.Session: keep-alive, its cookies), logged in through the app's own login
form (Redmine keeps the last query and per_page in the session: pages must not share one); Redmine's JSON
is read with the supervisor's API key, as its API asks. For every page: ``--warm`` requests
first (not timed), then ``--runs`` timed ones; the time is from sending the request to having
read the whole body. Printed: p50 and p95 (ms), the rows on the page, the bytes of the body, and
the CPU seconds per request of the app's server process and of its PostgreSQL backends (read
from /proc: the pid listening on the app's port; the backends whose client_port is one of that
process's connections, in pg_stat_activity. Parallel query workers are short-lived and not
counted, so "db cpu" is a floor).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import glob
import json
import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable

import requests

TICK = os.sysconf("SC_CLK_TCK")


@dataclasses.dataclass
class Page:
    app: str
    name: str
    path: str
    rows: Callable[[bytes], int]
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Result:
    page: Page
    p50: float
    p95: float
    rows: int
    size: int
    status: int
    app_cpu: float | None  # CPU seconds a request, the app's server process
    db_cpu: float | None  # CPU seconds a request, the app's database backends (parallel workers excluded)


def redmine_rows(body: bytes) -> int:
    return len(re.findall(rb'<tr id="issue-\d+"', body))


def redmine_json_rows(body: bytes) -> int:
    return len(json.loads(body)["issues"])


def luoshi_rows(body: bytes) -> int:
    return len(re.findall(rb'<tr class="light-', body))


# ---------------------------------------------------------------- logging in: each app's own form


def _hidden(body: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', body) or re.search(rf'value="([^"]*)" name="{name}"', body)
    if not m:
        raise SystemExit(f"no {name} in the login form")
    return m.group(1)


def login_redmine(base: str, user: str, password: str) -> requests.Session:
    s = requests.Session()
    form = s.get(f"{base}/login")
    form.raise_for_status()
    r = s.post(f"{base}/login", data={"authenticity_token": _hidden(form.text, "authenticity_token"),
                                      "username": user, "password": password}, allow_redirects=False)
    if r.status_code != 302 or "/login" in r.headers.get("Location", "/login"):
        raise SystemExit(f"Redmine refused the login of {user}: {r.status_code}")
    return s


def login_luoshi(base: str, user: str, password: str) -> requests.Session:
    s = requests.Session()
    form = s.get(f"{base}/accounts/login/")
    form.raise_for_status()
    # one attempt only: django-axes locks the account after a few failures
    r = s.post(f"{base}/accounts/login/", data={"csrfmiddlewaretoken": _hidden(form.text, "csrfmiddlewaretoken"),
                                                "username": user, "password": password},
               headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
    if r.status_code != 302:
        raise SystemExit(f"Luoshi refused the login of {user}: {r.status_code}")
    return s


# ---------------------------------------------------------------- CPU from /proc


def tcp_sockets() -> list[tuple[int, int, str, str]]:
    """(local port, remote port, state, "socket:[inode]") of every TCP socket, IPv4 and IPv6."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    out.append((int(parts[1].rsplit(":", 1)[1], 16), int(parts[2].rsplit(":", 1)[1], 16), parts[3],
                                f"socket:[{parts[9]}]"))
        except OSError:
            continue
    return out


def listening_pid(port: int) -> int | None:
    """The process holding the listening socket on ``port`` (IPv4 or IPv6), found through
    /proc/net/tcp* and each process's file descriptors (needs to run as root or as its user)."""
    inodes = {inode for local, _remote, state, inode in tcp_sockets() if state == "0A" and local == port}
    for fd in glob.glob("/proc/[0-9]*/fd/*"):
        try:
            if os.readlink(fd) in inodes:
                return int(fd.split("/")[2])
        except OSError:
            continue
    return None


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """Each process's CPU seconds so far (user + system); a process gone is left out."""
    out = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of stat)
        except OSError:
            continue
    return out


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings; a process born in between counts from zero."""
    return sum(v - before.get(pid, 0.0) for pid, v in after.items())


def db_ports(server_pid: int, db_port: int = 5432) -> set[int]:
    """The local ports of the server process's connections to PostgreSQL: its backends are the
    ones whose client_port is among them (others may read the same database meanwhile)."""
    inodes = set()
    for fd in glob.glob(f"/proc/{server_pid}/fd/*"):
        try:
            inodes.add(os.readlink(fd))
        except OSError:
            continue
    ports = {local for local, remote, _state, inode in tcp_sockets() if remote == db_port and inode in inodes}
    return ports


class Backends:
    """The PostgreSQL backends serving one server process, from pg_stat_activity (read through
    the ``postgres`` database, never the app's)."""

    def __init__(self, dsn: str | None) -> None:
        self.conn = None
        if dsn:
            try:
                import psycopg

                self.conn = psycopg.connect(dsn, autocommit=True)
            except Exception as e:  # the DB column is a bonus: measure without it
                print(f"(no database CPU: {e})")

    def pids(self, database: str, server_pid: int | None) -> list[int]:
        if self.conn is None or server_pid is None:
            return []
        ports = list(db_ports(server_pid))
        rows = self.conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = "
                                 "'client backend' AND client_port = ANY(%s)", (database, ports)).fetchall()
        return [pid for (pid,) in rows]


# ---------------------------------------------------------------- measuring


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 as bench/scale.py takes them (the nearest rank of the sorted times)."""
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def measure(session: requests.Session, base: str, page: Page, runs: int, warm: int,
            server_pid: int | None, backends: Backends, database: str) -> Result:
    def get() -> requests.Response:
        r = session.get(base + page.path, headers=page.headers, allow_redirects=False)
        r.content  # noqa: B018 -- the whole body is part of the time
        return r

    for _ in range(warm):
        r = get()
    app0 = cpu_seconds([server_pid] if server_pid else [])
    db0 = cpu_seconds(backends.pids(database, server_pid))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        r = get()
        times.append((time.perf_counter() - started) * 1000)
    app_cpu = spent(app0, cpu_seconds([server_pid])) / runs if server_pid else None
    # the backends again: a server thread may have opened its connection during the runs
    db_pids = backends.pids(database, server_pid)
    db_cpu = spent(db0, cpu_seconds(db_pids)) / runs if db_pids else None
    p50, p95 = percentiles(times)
    rows = page.rows(r.content) if r.status_code == 200 else 0
    return Result(page, p50, p95, rows, len(r.content), r.status_code, app_cpu, db_cpu)


def pages(redmine_key: str | None, late_due: dt.date) -> list[Page]:
    # Redmine: the default query (open issues, id desc, 25 a page) and what the issue asked for;
    # page 30,000 lies past the last page of open issues (about 25,600): Redmine shows no rows.
    # Page 20,000 is a late page that holds rows (78 % of the way down, as scale.py's late page).
    out = [
        Page("redmine", "issues (open, id desc, 25)", "/issues", redmine_rows),
        Page("redmine", "issues per_page=50", "/issues?per_page=50", redmine_rows),
        Page("redmine", "all statuses, by due date", "/issues?set_filter=1&status_id=*&sort=due_date", redmine_rows),
        Page("redmine", "page 20000", "/issues?page=20000", redmine_rows),
        Page("redmine", "page 30000 (past the end)", "/issues?page=30000", redmine_rows),
    ]
    if redmine_key:
        out.append(Page("redmine", "issues.json limit=50", "/issues.json?limit=50", redmine_json_rows,
                        {"X-Redmine-API-Key": redmine_key}))
    # Luoshi: 50 a page by keyset (no count); the late page starts after a due date about 80 %
    # down the list (due dates run 90 days back to 180 ahead), as a user reaches it by "next"
    out += [
        Page("luoshi", "tasks (soonest due, 50)", "/tasks/", luoshi_rows),
        Page("luoshi", "tasks light=red", "/tasks/?light=red", luoshi_rows),
        Page("luoshi", f"late page (after {late_due})", f"/tasks/?after={late_due.isoformat()}_0", luoshi_rows),
    ]
    return out


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warm", type=int, default=2)
    ap.add_argument("--redmine", default="http://127.0.0.1:3100")
    ap.add_argument("--redmine-user", default="supervisor")
    ap.add_argument("--redmine-password", default="x")
    ap.add_argument("--redmine-key", default=os.environ.get("REDMINE_API_KEY"))
    ap.add_argument("--redmine-db", default="redmine_scale")
    ap.add_argument("--luoshi", default="http://127.0.0.1:8931")
    ap.add_argument("--luoshi-user", default="supervisor")
    ap.add_argument("--luoshi-password", default="x")
    ap.add_argument("--luoshi-db", default="luoshi_1m")
    ap.add_argument("--stats-dsn", default="postgresql://postgres@127.0.0.1:5432/postgres",
                    help="where to read pg_stat_activity ('' for no database CPU)")
    ap.add_argument("--only", choices=["redmine", "luoshi"])
    args = ap.parse_args()

    apps = {
        "redmine": (args.redmine, args.redmine_db,
                    lambda: login_redmine(args.redmine, args.redmine_user, args.redmine_password)),
        "luoshi": (args.luoshi, args.luoshi_db,
                   lambda: login_luoshi(args.luoshi, args.luoshi_user, args.luoshi_password)),
    }
    backends = Backends(args.stats_dsn or None)
    late_due = dt.date.today() + dt.timedelta(days=138)  # 80 % of the 95 % that have a due date
    todo = [p for p in pages(args.redmine_key, late_due) if args.only in (None, p.app)]
    print(f"start: {load()}")
    results = []
    for app in dict.fromkeys(p.app for p in todo):
        base, database, login = apps[app]
        pid = listening_pid(int(base.rsplit(":", 1)[1].split("/")[0]))
        print(f"{app}: {base}, server pid {pid}, database {database}")
        for page in (p for p in todo if p.app == app):
            # a fresh session a page: Redmine keeps the last query and per_page in the session,
            # and a page must not inherit the one measured before it
            results.append(measure(login(), base, page, args.runs, args.warm, pid, backends, database))
            res = results[-1]
            print(f"  {page.name}: {res.p50:.0f} ms", flush=True)
    print(f"end: {load()}")

    def cpu(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    print(f"\n{args.runs} timed requests a page after {args.warm} warming ones\n")
    head = ("app", "page", "p50 ms", "p95 ms", "rows", "bytes", "app cpu s/req", "db cpu s/req", "status")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in results:
        print(f"| {r.page.app} | {r.page.name} | {r.p50:.0f} | {r.p95:.0f} | {r.rows} | {r.size:,} | "
              f"{cpu(r.app_cpu)} | {cpu(r.db_cpu)} | {r.status} |")


if __name__ == "__main__":
    main()
