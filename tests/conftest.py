"""The test organisation every database test shares (see tests/factories.py)."""

from __future__ import annotations

import pytest

from tests.factories import Org, make_org


@pytest.fixture
def org(db) -> Org:
    return make_org()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # the real hasher takes ~0.3 s per user on purpose; tests create many users
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
