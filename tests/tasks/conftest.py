import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    # domain tests read the refusal messages; the UI's language is tested in tests/web
    with translation.override("en"):
        yield
