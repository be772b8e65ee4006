"""Sign-in throttled per user name and per address: after five failures either is refused (429,
a page that says why and for how long), an administrator can unlock, and the pause ends."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.database
PASSWORD = "正确的密码-2026"


@pytest.fixture
def accounts(org):
    for user in (org.supervisor, org.leader):
        user.set_password(PASSWORD)
        user.save()
    return org


def _login(username: str, password: str, address: str) -> int:
    r = Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})
    return r.status_code


def test_five_failures_for_one_user_lock_that_user_from_everywhere(accounts) -> None:
    name = accounts.supervisor.username
    for n in range(4):  # four failures, each from another address: the form again, with its error
        assert _login(name, "wrong", f"10.0.0.{n}") == 200
    assert _login(name, "wrong", "10.0.1.1") == 429  # the fifth for this user name
    r = Client(REMOTE_ADDR="10.0.3.1").post("/accounts/login/", {"username": name, "password": PASSWORD})
    assert r.status_code == 429 and "登录已暂停" in r.content.decode() and "15 分钟" in r.content.decode()
    assert _login(accounts.leader.username, PASSWORD, "10.0.3.1") == 302  # others are not locked


def test_five_failures_from_one_address_lock_that_address(accounts) -> None:
    for n in range(5):  # five user names guessed from one address
        _login(f"guess{n}", "wrong", "192.0.2.7")
    assert _login(accounts.leader.username, PASSWORD, "192.0.2.7") == 429
    assert _login(accounts.leader.username, PASSWORD, "192.0.2.8") == 302


def test_four_failures_then_the_right_password_starts_again(accounts) -> None:
    for _ in range(4):
        _login(accounts.supervisor.username, "wrong", "10.1.0.1")
    assert _login(accounts.supervisor.username, PASSWORD, "10.1.0.1") == 302
    for _ in range(4):  # the success reset the count: four more are not yet a lock
        _login(accounts.supervisor.username, "wrong", "10.1.0.1")
    assert _login(accounts.supervisor.username, PASSWORD, "10.1.0.1") == 302


def test_an_administrator_unlocks_and_the_pause_ends(accounts) -> None:
    for _ in range(5):
        _login(accounts.supervisor.username, "wrong", "10.2.0.1")
    assert _login(accounts.supervisor.username, PASSWORD, "10.2.0.2") == 429
    call_command("axes_reset_username", accounts.supervisor.username)
    assert _login(accounts.supervisor.username, PASSWORD, "10.2.0.2") == 302

    for _ in range(5):
        _login(accounts.leader.username, "wrong", "10.3.0.1")
    assert _login(accounts.leader.username, PASSWORD, "10.3.0.2") == 429
    # fourteen minutes later still paused; sixteen minutes later free again
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=14))
    assert _login(accounts.leader.username, PASSWORD, "10.3.0.2") == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _login(accounts.leader.username, PASSWORD, "10.3.0.2") == 302
