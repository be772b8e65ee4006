"""Fixtures of the working-day tests: calendars forgotten around each test (a rolled-back test
transaction sends no signal), and a client per role as in tests/web."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from tests.factories import Org

from luoshi.workdays import services


@pytest.fixture(autouse=True)
def _fresh_calendars() -> Iterator[None]:
    services.forget()
    yield
    services.forget()


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path) -> None:
    # WhiteNoise warns about a missing STATIC_ROOT; tests serve static files from the apps
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def as_user(org: Org) -> Callable[[str], Client]:
    """``as_user("admin")``: a test client signed in as that member of the organisation."""

    def make(who: str) -> Client:
        client = Client()
        client.force_login(getattr(org, who))
        return client

    return make
