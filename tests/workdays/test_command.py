"""`luoshi calendar`: a date N working days on, or the working days between two dates."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from tests.factories import Org

from luoshi.workdays.models import LocalDay
from luoshi.workdays.statutory import PACKAGE

NOT_2027 = pytest.mark.skipif(2027 in PACKAGE.years, reason="the installed chinesecalendar knows 2027")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_add_across_the_spring_festival() -> None:
    assert run("2024-02-08", "--add", "3") == ("2024-02-19\n", "")
    assert run("2024-02-19", "--add", "-3") == ("2024-02-08\n", "")
    assert run("2024-02-10", "--add", "0") == ("2024-02-18\n", "")


@pytest.mark.django_db
def test_count_a_month() -> None:
    assert run("2024-02-01", "2024-02-29") == ("18\n", "")
    assert run("2025-10-01", "2025-10-31")[0] == "18\n"
    assert run("2024-02-29", "2024-02-01")[0] == "0\n"  # an empty range
    out, _err = run("2024-02-01", "2024-02-29", "-v", "2")
    assert out.splitlines()[0] == "18" and "29 calendar days" in out.splitlines()[1]


@pytest.mark.django_db
def test_an_organisations_local_days(org: Org) -> None:
    LocalDay.objects.create(organisation=org.province, date=dt.date(2024, 2, 9), kind="holiday")
    assert run("2024-02-08", "--add", "1", "--org", str(org.province.pk))[0] == "2024-02-18\n"
    assert run("2024-02-01", "2024-02-29", "--org", str(org.province.pk))[0] == "17\n"
    assert run("2024-02-08", "--add", "1", "--org", str(org.other_org.pk))[0] == "2024-02-09\n"
    assert run("2024-02-08", "--add", "1")[0] == "2024-02-09\n"


@NOT_2027
@pytest.mark.django_db
def test_a_year_not_known_answers_with_a_warning_on_stderr() -> None:
    out, err = run("2027-02-05", "--add", "3")
    assert out == "2027-02-10\n"
    assert err.startswith("warning: 2027: China's statutory holidays for 2027 are not known yet")
    out, err = run("2026-12-01", "2028-01-31")
    assert out.splitlines()[0].isdigit()
    assert "2027:" in err and "2028:" in err and "2026:" not in err


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (["2024-02-30", "--add", "1"], "not a date: '2024-02-30'"),
    (["tomorrow", "2024-03-01"], "not a date: 'tomorrow'"),
    (["2024-02-08"], "give one DATE with --add N, or START and END without --add"),
    (["2024-02-08", "2024-02-09", "--add", "1"], "give one DATE with --add N"),
    (["2024-02-08", "2024-02-09", "2024-02-10"], "give one DATE with --add N"),
    (["9999-12-31", "--add", "1"], "after 9999-12-31"),
    (["2024-02-08", "--add", "1", "--org", "abc"], "no organisation with id 'abc'"),
    (["2024-02-08", "--add", "1", "--org", "99999999999999999999999"], "no organisation with id"),
])
def test_bad_input_is_a_clear_error(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        run(*args)


def test_a_unit_that_is_not_an_organisation(org: Org) -> None:
    with pytest.raises(CommandError, match="no organisation with id"):
        run("2024-02-08", "--add", "1", "--org", str(org.unit_a.pk))


def test_as_a_user_runs_it(tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'luoshi.sqlite3'}", "LUOSHI_VAR_DIR": str(tmp_path)}
    luoshi = [sys.executable, "-m", "luoshi.cli"]
    subprocess.run([*luoshi, "migrate", "-v0"], env=env, check=True)
    done = subprocess.run([*luoshi, "calendar", "2024-02-08", "--add", "3"], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "2024-02-19\n", "")
    done = subprocess.run([*luoshi, "calendar", "2024-02-01", "2024-02-29"], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "18\n")
    done = subprocess.run([*luoshi, "calendar", "2024-13-01", "--add", "1"], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "not a date: '2024-13-01'" in done.stderr and "Traceback" not in done.stderr
