"""Redmine's database filled with the shape of bench/scale.py's province, for bench/peer_redmine.py.

    /work/main/.venv/bin/python bench/redmine_data.py [--issues 1000000]
                                [--database postgresql://postgres@127.0.0.1:5432/redmine_scale]

Expects a migrated Redmine 5 database with its default data (``rake db:migrate`` and
``rake redmine:load_default_data REDMINE_LANG=en``): trackers, statuses and priorities are taken
from it. Writes with COPY, straight into Redmine's tables (no Rails, which would take hours):

* 200 projects (scale.py's units), each its own root of the projects' nested set, with the
  issue tracking module and the three default trackers;
* 2,000 users: ``supervisor`` (password ``x``, an administrator: like Luoshi's supervisor it sees
  every issue; its API key is printed) and 1,999 others, ten a project, as members (the first a
  Manager, the others Developers, both roles assignable);
* N issues: project drawn with scale.py's weights (a few projects hold most), status mapped from
  scale.py's state weights (36 % Closed, so about a third closed; Rejected is not used), due
  dates from 90 days back to 180 ahead on 95 %, assigned to a member of their project, each the
  root of its own nested set (lft=1, rgt=2, root_id=id) as Redmine makes a parentless issue.

No journals are written (the issue list does not read them). Run again, it reuses a database that
already holds N issues; a database holding another number of issues is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import secrets
import sys
import time

import psycopg

PROJECTS = 200
USERS = 2000
PASSWORD = "x"
# scale.py's STATE_WEIGHTS folded onto Redmine's default statuses (ids from load_default_data)
STATUS_WEIGHTS = {
    "New": 3 + 8 + 1,  # draft, assigned, reassignment requested
    "In Progress": 4 + 35 + 2 + 2,  # accepted, in progress, extension requested, reopened
    "Resolved": 2 + 5,  # unit review, submitted
    "Feedback": 2,  # returned
    "Closed": 36,
}
TRACKER_WEIGHTS = {"Bug": 1, "Feature": 2, "Support": 7}
PRIORITY_WEIGHTS = {"Low": 10, "Normal": 70, "High": 15, "Urgent": 4, "Immediate": 1}
CHUNK = 50_000


def redmine_password(clear: str, salt: str) -> str:
    """Redmine's stored hash: SHA1(salt + SHA1(clear)) (User.hash_password in app/models/user.rb)."""
    inner = hashlib.sha1(clear.encode()).hexdigest()
    return hashlib.sha1((salt + inner).encode()).hexdigest()


def ids_by_name(cur: psycopg.Cursor, sql: str) -> dict[str, int]:
    return {name: pk for pk, name in cur.execute(sql).fetchall()}


def copy_rows(cur: psycopg.Cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def build(dsn: str, n: int, seed: int = 1) -> str:
    """Fill the database (once) and return the supervisor's API key."""
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        have = cur.execute("SELECT count(*) FROM issues").fetchone()[0]
        if have == n:
            print(f"reusing the {n:,} issues already in the database")
            return api_key(cur)
        if have:
            sys.exit(f"the database holds {have:,} issues, not {n:,}: give a freshly migrated database")
        started = time.perf_counter()
        rng = random.Random(seed)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)  # Redmine stores UTC, naive
        today = dt.date.today()

        statuses = ids_by_name(cur, "SELECT id, name FROM issue_statuses")
        trackers = ids_by_name(cur, "SELECT id, name FROM trackers")
        priorities = ids_by_name(cur, "SELECT id, name FROM enumerations WHERE type = 'IssuePriority'")
        roles = ids_by_name(cur, "SELECT id, name FROM roles")
        closed = {pk for (pk,) in cur.execute("SELECT id FROM issue_statuses WHERE is_closed")}

        # projects: names sort in id order, so each root's lft/rgt follow (Redmine orders roots by name)
        p0 = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM projects").fetchone()[0]
        project_ids = [p0 + k for k in range(PROJECTS)]
        copy_rows(cur, "projects", ["id", "name", "description", "homepage", "is_public", "created_on", "updated_on",
                                    "identifier", "status", "lft", "rgt", "inherit_members"],
                  ((pk, f"省第{k:03d}厅", "", "", False, now, now, f"dept{k:03d}", 1, 2 * k + 1, 2 * k + 2, False)
                   for k, pk in enumerate(project_ids)))
        copy_rows(cur, "enabled_modules", ["project_id", "name"], ((pk, "issue_tracking") for pk in project_ids))
        copy_rows(cur, "projects_trackers", ["project_id", "tracker_id"],
                  ((pk, t) for pk in project_ids for t in sorted(trackers.values())))

        u0 = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM users").fetchone()[0]
        user_ids = [u0 + k for k in range(USERS)]
        salt = secrets.token_hex(16)
        hashed = redmine_password(PASSWORD, salt)  # one salt for all: 2,000 hashes are not the point
        logins = ["supervisor"] + [f"u{k}" for k in range(1, USERS)]
        copy_rows(cur, "users", ["id", "login", "hashed_password", "firstname", "lastname", "admin", "status",
                                 "language", "created_on", "updated_on", "type", "mail_notification", "salt",
                                 "must_change_passwd", "passwd_changed_on"],
                  ((pk, login, hashed, "督查员" if k == 0 else f"经办{k}", "", k == 0, 1, "en", now, now, "User",
                    "none", salt, False, now) for k, (pk, login) in enumerate(zip(user_ids, logins, strict=True))))
        copy_rows(cur, "email_addresses", ["user_id", "address", "is_default", "notify", "created_on", "updated_on"],
                  ((pk, f"{login}@example.org", True, False, now, now)
                   for pk, login in zip(user_ids, logins, strict=True)))

        # ten members a project, as scale.py's ten people a department: the first Manager, the rest Developer
        staff = user_ids[1:]
        members = {pk: [] for pk in project_ids}
        for k, u in enumerate(staff):
            members[project_ids[k % PROJECTS]].append(u)
        m0 = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM members").fetchone()[0]
        mrows, rrows = [], []
        for project, people in members.items():
            for j, u in enumerate(people):
                mid = m0 + len(mrows)
                mrows.append((mid, u, project, now, False))
                rrows.append((mid, roles["Manager"] if j == 0 else roles["Developer"]))
        copy_rows(cur, "members", ["id", "user_id", "project_id", "created_on", "mail_notification"], mrows)
        copy_rows(cur, "member_roles", ["member_id", "role_id"], rrows)

        # the supervisor's API key (REST API switched on) for the JSON list
        key = secrets.token_hex(20)
        cur.execute("INSERT INTO tokens (user_id, action, value, created_on, updated_on) "
                    "VALUES (%s, 'api', %s, %s, %s)", (user_ids[0], key, now, now))
        cur.execute("DELETE FROM settings WHERE name = 'rest_api_enabled'")
        cur.execute("INSERT INTO settings (name, value, updated_on) VALUES ('rest_api_enabled', '1', %s)", (now,))
        conn.commit()

        weights = [1 / (k + 1) ** 0.8 for k in range(PROJECTS)]
        st_ids = [statuses[s] for s in STATUS_WEIGHTS]
        st_w = list(STATUS_WEIGHTS.values())
        tr_ids = [trackers[t] for t in TRACKER_WEIGHTS]
        tr_w = list(TRACKER_WEIGHTS.values())
        pr_ids = [priorities[p] for p in PRIORITY_WEIGHTS]
        pr_w = list(PRIORITY_WEIGHTS.values())
        i0 = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM issues").fetchone()[0]
        cols = ["id", "tracker_id", "project_id", "subject", "description", "due_date", "status_id",
                "assigned_to_id", "priority_id", "author_id", "lock_version", "created_on", "updated_on",
                "start_date", "done_ratio", "root_id", "lft", "rgt", "is_private", "closed_on"]

        def issue(i: int) -> tuple:
            pk = i0 + i
            project = rng.choices(project_ids, weights)[0]
            status = rng.choices(st_ids, st_w)[0]
            created = now - dt.timedelta(days=rng.randint(20, 400), seconds=rng.randint(0, 86400))
            updated = created + dt.timedelta(seconds=rng.randint(60, int((now - created).total_seconds())))
            due = today + dt.timedelta(days=rng.randint(-90, 180)) if rng.random() < 0.95 else None
            return (pk, rng.choices(tr_ids, tr_w)[0], project, f"抓好第{i}项重点工作，确保按期完成", "", due, status,
                    rng.choice(members[project]), rng.choices(pr_ids, pr_w)[0], user_ids[0], 0, created, updated,
                    created.date(), 100 if status in closed else rng.randint(0, 9) * 10, pk, 1, 2, False,
                    updated if status in closed else None)

        done = 0
        while done < n:
            k = min(CHUNK, n - done)
            copy_rows(cur, "issues", cols, (issue(i) for i in range(done, done + k)))
            conn.commit()  # a chunk a transaction: a long COPY holds no more than it must
            done += k
            print(f"  {done:,} issues ({time.perf_counter() - started:.0f} s)", flush=True)
        for table in ("projects", "users", "members", "member_roles", "enabled_modules", "email_addresses", "tokens",
                      "issues"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")  # the planner must know the million rows before the first page
    print(f"built {n:,} issues in {time.perf_counter() - started:.0f} s")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        return api_key(cur)


def api_key(cur: psycopg.Cursor) -> str:
    row = cur.execute("SELECT t.value FROM tokens t JOIN users u ON u.id = t.user_id "
                      "WHERE u.login = 'supervisor' AND t.action = 'api'").fetchone()
    return row[0] if row else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--issues", type=int, default=1_000_000)
    ap.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/redmine_scale")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    key = build(args.database, args.issues, args.seed)
    print(f"supervisor's API key: {key}")


if __name__ == "__main__":
    main()
