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


_DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "org"}


def pytest_collection_modifyitems(items) -> None:
    """Mark every test that touches the database, so that the PostgreSQL pass can select them."""
    for item in items:
        if _DB_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)
