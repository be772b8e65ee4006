"""`luoshi backup` and `luoshi restore` round-trip every row and every attachment — SQLite to
SQLite, and across to PostgreSQL and back when the PostgreSQL pass runs — and a restore into a
database that holds data is refused. Each database is its own process, as in real use."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.database
BIN = Path(sys.executable).parent
# every row (keys sorted: PostgreSQL's jsonb keeps a JSON field's keys in its own order) and
# every attachment's bytes, as one line to compare between databases
FINGERPRINT = """
import hashlib, json, pathlib
from django.conf import settings
from luoshi.jobs.backup import dump_bytes
rows = [json.dumps(json.loads(line), sort_keys=True) for line in dump_bytes().decode().splitlines()]
media = pathlib.Path(settings.MEDIA_ROOT)
files = sorted((p.relative_to(media).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
               for p in media.rglob("*") if p.is_file())
print(hashlib.sha256("\\n".join(rows).encode()).hexdigest(), len(files),
      hashlib.sha256(repr(files).encode()).hexdigest(), len(rows))
"""


def _env(var: Path, database: str | None) -> dict:
    env = {**os.environ, "LUOSHI_VAR_DIR": str(var), "MEDIA_ROOT": str(var / "media")}
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    return env


def luoshi(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "luoshi", *args], env=env, capture_output=True, text=True, timeout=600,
                          check=check)


def fingerprint(env: dict) -> str:
    return luoshi(env, "shell", "--no-imports", "-c", FINGERPRINT).stdout.strip().splitlines()[-1]


@pytest.fixture
def postgres():
    """A fresh PostgreSQL database on the server of the PostgreSQL pass, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass (set LUOSHI_TEST_POSTGRES for `make test`)")
    import psycopg

    name = f"luoshi_restore_{uuid.uuid4().hex[:8]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory):
    """The demo (tasks, journal, attachments) on SQLite, and its backup."""
    var = tmp_path_factory.mktemp("original")
    env = _env(var, None)
    luoshi(env, "migrate", "-v0")
    luoshi(env, "demo")
    target = var / "backup.zip"
    out = luoshi(env, "backup", str(target)).stdout
    assert out.startswith(f"backup {target}: rows ")
    return env, target, fingerprint(env)


def test_sqlite_to_sqlite_and_a_full_database_refuses(demo_backup, tmp_path) -> None:
    _original, target, print_before = demo_backup
    files = int(print_before.split()[1])
    assert files > 0  # the demo's progress reports carry attachments
    env = _env(tmp_path, None)
    luoshi(env, "migrate", "-v0")
    out = luoshi(env, "restore", str(target)).stdout
    assert "journal verified" in out
    assert fingerprint(env) == print_before  # every row and every file, the same
    again = luoshi(env, "restore", str(target), check=False)
    assert again.returncode != 0 and "already holds data" in again.stderr
    assert fingerprint(env) == print_before  # and nothing changed by the refusal


def test_a_damaged_backup_is_refused(demo_backup, tmp_path) -> None:
    _original, target, _print = demo_backup
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
    env = _env(tmp_path / "db", None)
    luoshi(env, "migrate", "-v0")
    run = luoshi(env, "restore", str(damaged), check=False)
    assert run.returncode != 0 and "not a Luoshi backup" in run.stderr


def test_across_to_postgresql_and_back(demo_backup, postgres, tmp_path) -> None:
    _original, target, print_before = demo_backup
    pg = _env(tmp_path / "pg", postgres)
    luoshi(pg, "migrate", "-v0")
    assert "journal verified" in luoshi(pg, "restore", str(target)).stdout
    assert fingerprint(pg) == print_before
    back = tmp_path / "from-postgresql.zip"
    luoshi(pg, "backup", str(back))
    lite = _env(tmp_path / "lite", None)
    luoshi(lite, "migrate", "-v0")
    luoshi(lite, "restore", str(back))
    assert fingerprint(lite) == print_before
    assert hashlib.sha256(back.read_bytes()).hexdigest()  # the file exists and reads
