"""Tokens: only a live token of an active user opens the API, and it never does more than its
user may nor more than its scopes allow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from tests.api.conftest import Api
from tests.factories import drive, make_task

from luoshi.api import tokens
from luoshi.api.models import Token

pytestmark = pytest.mark.django_db


def test_no_token_a_wrong_one_or_a_malformed_header_is_401(org) -> None:
    _t, secret = tokens.issue(org.handler_a, name="oa", scopes=["read"])
    wrong = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    for headers in ({}, {"Authorization": f"Bearer {wrong}"}, {"Authorization": "Bearer ls_"},
                    {"Authorization": f"Token {secret}"}, {"Authorization": "Bearer " + "x" * 5000}):
        r = Client().get("/api/tasks", headers=headers)
        assert r.status_code == 401, headers
        assert r["WWW-Authenticate"] == "Bearer"
        assert r.json()["code"] == "unauthenticated"
    assert Api(secret).get("/api/me").status_code == 200


def test_the_database_keeps_no_usable_secret(org) -> None:
    _t, secret = tokens.issue(org.handler_a, name="oa", scopes=["read"])
    row = Token.objects.values().get()
    assert secret not in {str(v) for v in row.values()}
    assert len(row["digest"]) == 64 and row["digest"] != secret


def test_revoked_expired_and_inactive_users_tokens_stop_working(org) -> None:
    t1, s1 = tokens.issue(org.handler_a, name="revoked", scopes=["read"])
    t2, s2 = tokens.issue(org.handler_a, name="expires", scopes=["read"], days=1)
    _t3, s3 = tokens.issue(org.head_b, name="leaver", scopes=["read"])
    for s in (s1, s2, s3):
        assert Api(s).get("/api/me").status_code == 200
    tokens.revoke(t1)
    Token.objects.filter(pk=t2.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    org.head_b.is_active = False
    org.head_b.save()
    for s in (s1, s2, s3):
        assert Api(s).get("/api/me").status_code == 401


def test_unknown_or_no_scopes_are_refused_when_made(org) -> None:
    with pytest.raises(tokens.TokenError):
        tokens.issue(org.handler_a, name="x", scopes=["admin"])
    with pytest.raises(tokens.TokenError):
        tokens.issue(org.handler_a, name="x", scopes=[])
    with pytest.raises(tokens.TokenError):
        tokens.issue(org.handler_a, name="  ", scopes=["read"])


def test_a_scope_narrows_and_never_widens(org, api) -> None:
    task = drive(org, make_task(org), "in_progress")
    reader = api("handler_a", scopes=("read",))
    assert reader.get(f"/api/tasks/{task.pk}").status_code == 200
    r = reader.post(f"/api/tasks/{task.pk}/progress", {"text": "已完成一半"})
    assert r.status_code == 403 and "report" in r.json()["detail"]
    # every scope, but the handler's own rights: a unit cannot close its task
    full = api("handler_a")
    r = full.post(f"/api/tasks/{task.pk}/moves", {"action": "close", "version": task.version})
    assert r.status_code in (403, 409), r.content
    task.refresh_from_db()
    assert task.state == "in_progress"
    # and an ingest needs a supervision office, whatever the scopes
    assert full.post("/api/sources/text", {"text": "会议要求……"}).status_code == 403


def test_me_says_who_and_what(org, api) -> None:
    me = api("handler_a", scopes=("read", "report")).get("/api/me").json()
    assert me["username"] == "handler_a"
    assert me["scopes"] == ["read", "report"]
    assert me["memberships"] == [{"unit": {"id": org.unit_a.pk, "name": "省农业农村厅"}, "role": "handler"}]


def test_the_token_page_shows_a_new_token_once_and_revokes(org) -> None:
    client = Client()
    client.force_login(org.handler_a)
    r = client.post("/api/tokens/", {"name": "市OA系统", "scopes": ["read", "report"], "days": ""})
    assert r.status_code == 302
    page = client.get("/api/tokens/").content.decode()
    token = Token.objects.get(user=org.handler_a)
    start = page.index("ls_" + token.prefix + "_")
    secret = page[start:page.index("<", start)]
    assert Api(secret).get("/api/me").status_code == 200
    assert secret not in client.get("/api/tokens/").content.decode()  # shown once
    # another user cannot revoke it (404), its owner can
    other = Client()
    other.force_login(org.handler_b)
    assert other.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert Api(secret).get("/api/me").status_code == 401


def test_the_token_command(org, capsys) -> None:
    from django.core.management import call_command

    call_command("token", "create", "handler_a", "--name", "report robot", "--scope", "read")
    secret = capsys.readouterr().out.strip()
    assert Api(secret).get("/api/me").status_code == 200
    call_command("token", "revoke", secret[:11])
    assert Api(secret).get("/api/me").status_code == 401


def test_the_schema_is_served_to_anyone(client) -> None:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in ("/api/tasks", "/api/tasks/{task_id}", "/api/tasks/{task_id}/progress", "/api/tasks/{task_id}/moves",
              "/api/sources", "/api/sources/text", "/api/sources/{source_id}", "/api/ledgers/{key}"):
        assert p in paths
