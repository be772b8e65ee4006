"""The page fixtures of tests/web (a signed-in client per role, media in a temporary directory)."""

from tests.web.conftest import _media, as_user  # noqa: F401
