"""A JSON client per role, each with a token of every scope (or the scopes a test asks for)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from tests.factories import Org
from tests.web.conftest import _media  # noqa: F401 - files in a temporary directory (autouse)

from luoshi.api import tokens

ALL_SCOPES = ("read", "report", "act", "ingest")


class Api:
    """A test client that speaks JSON with a bearer token."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: dict | None = None, **kw):
        if "data" in kw:  # multipart
            return self.client.post(path, kw["data"], headers=self.headers)
        return self.client.post(path, json.dumps(body or {}), content_type="application/json", headers=self.headers)


@pytest.fixture
def api(org: Org) -> Callable[..., Api]:
    """``api("handler_a")``: a client acting as that member, with a token of ``scopes`` (all by default)."""

    def make(who: str, scopes: tuple[str, ...] = ALL_SCOPES) -> Api:
        _token, secret = tokens.issue(getattr(org, who), name=f"test {who}", scopes=scopes)
        return Api(secret)

    return make
