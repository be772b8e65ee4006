"""The page tests' fixtures (a client per role, files in a temporary directory) for the ledgers."""

from tests.web.conftest import _media, as_user  # noqa: F401 - fixtures
