"""Fixtures of the search tests: a client per role, attachments and static files out of the way."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from tests.factories import Org


@pytest.fixture(autouse=True)
def _static(settings, tmp_path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"  # WhiteNoise warns of a missing one
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def as_user(org: Org) -> Callable[[str], Client]:
    def make(who: str) -> Client:
        client = Client()
        client.force_login(getattr(org, who))
        return client

    return make
