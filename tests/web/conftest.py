"""Fixtures of the page tests: attachments in a temporary directory, a client per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from tests.factories import Org


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # WhiteNoise warns about a missing STATIC_ROOT; tests serve static files from the apps
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def as_user(org: Org) -> Callable[[str], Client]:
    """``as_user("handler_a")``: a test client signed in as that member of the organisation."""

    def make(who: str) -> Client:
        client = Client()
        client.force_login(getattr(org, who))
        return client

    return make
